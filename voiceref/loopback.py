"""Run voiceref and nginx as child processes on 127.0.0.1, for the tests and the benchmarks.

`AppProcess` is `voiceref serve` in a session of its own, so that stopping or killing it ends
its gunicorn workers too. `NginxProcess` runs the shipped configuration (deploy/nginx/) with
only its paths, addresses and ports replaced (`shipped_site`), in the foreground, with its own
prefix, pid file, logs and temporary folders: the machine's own nginx service plays no part.
Nothing here listens anywhere but 127.0.0.1.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import config

DEPLOY = config.ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
MIME_TYPES = Path("/etc/nginx/mime.types")
SHIPPED_UPSTREAMS = (
    "    server 127.0.0.1:5000 max_fails=1 fail_timeout=10s;\n"
    "    server 127.0.0.1:5001 max_fails=1 fail_timeout=10s;\n"
)


class LoopbackError(RuntimeError):
    """A child server did not start; the message holds the end of its log."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def voiceref_command() -> str:
    """Return the `voiceref` command beside this interpreter, else the one on PATH."""
    found = shutil.which("voiceref", path=str(Path(sys.executable).parent)) or shutil.which("voiceref")
    if found is None:
        raise LoopbackError("the voiceref command is not installed: run scripts/install")
    return found


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop_group(process: subprocess.Popen, sig: int, wait: float) -> None:
    """Send `sig` to the process group a child leads, and reap it (SIGKILL after `wait` s)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


def _wait_until(ready, process: subprocess.Popen, log: Path, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            stop_group(process, signal.SIGKILL, 5)
            raise LoopbackError(f"{what} did not start:\n{_tail(log)}")
        time.sleep(0.1)


@dataclass
class AppProcess:
    """`voiceref serve` on 127.0.0.1:`port` with the given VOICEREF_* settings."""

    port: int
    settings: dict[str, str]
    log: Path
    workers: int = 2
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> AppProcess:
        env = {**os.environ, "VOICEREF_HOST": "127.0.0.1", **self.settings}
        command = [voiceref_command(), "serve", "--port", str(self.port), "--workers", str(self.workers)]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        _wait_until(self._healthy, self.process, self.log, f"voiceref serve on port {self.port}", timeout)
        return self

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def kill(self) -> None:
        """End the server and its workers at once, as a crash would."""
        if self.process is not None:
            stop_group(self.process, signal.SIGKILL, 10)

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process, signal.SIGTERM, 15)

    def __enter__(self) -> AppProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def shipped_site(
    folder: Path,
    *,
    port: int,
    upstreams: list[int],
    static_dir: Path,
    audio_dir: Path,
    store_dir: Path,
    tls_port: int | None = None,
    certificate: tuple[Path, Path] | None = None,
) -> Path:
    """Copy deploy/nginx/ into `folder` with loopback addresses and local paths; return the main file.

    `audio_dir` is INDEX_DIR (the releases, their audio included); `store_dir` is AUDIO_DIR.

    Only what the files mark CHANGE is replaced, and every replacement must find its text,
    so the configuration that runs is the one that ships.
    """
    conf = folder / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    cache = folder / "cache"
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n" for p in upstreams)
    replacements = {
        "upstream.conf": [
            (SHIPPED_UPSTREAMS, servers),
            ("/var/cache/nginx/voiceref", str(cache)),
        ],
        "site.conf": [
            ("/srv/voiceref/static/", f"{static_dir.resolve()}/"),
            ("/srv/voiceref/index/", f"{audio_dir.resolve()}/"),  # the releases, audio included
            ("root /srv/voiceref/audio;", f"root {store_dir.resolve()};"),  # the audio store
        ],
        "voiceref.conf": [("listen 80;", f"listen 127.0.0.1:{port};")],
        "voiceref-tls.conf": [("listen 80;", f"listen 127.0.0.1:{port};")],
    }
    if tls_port is not None and certificate is not None:
        replacements["voiceref-tls.conf"] += [
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
            ("/etc/letsencrypt/live/ms.example.org/fullchain.pem", str(certificate[0])),
            ("/etc/letsencrypt/live/ms.example.org/privkey.pem", str(certificate[1])),
        ]
    for name, pairs in replacements.items():
        text = (DEPLOY / name).read_text(encoding="utf-8")
        for old, new in pairs:
            if old not in text:
                raise LoopbackError(f"deploy/nginx/{name} no longer contains {old!r}")
            text = text.replace(old, new)
        (conf / name).write_text(text.replace("/etc/nginx/voiceref", str(conf)), encoding="utf-8")
    return conf / ("voiceref-tls.conf" if tls_port is not None else "voiceref.conf")


def main_config(folder: Path, site: str, workers: int = 2, access_log: bool = False) -> Path:
    """Write an nginx.conf for a foreground nginx that keeps everything inside `folder`."""
    temp = folder / "temp"
    temp.mkdir(parents=True, exist_ok=True)
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    paths = " ".join(
        f"{kind}_temp_path {temp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    log = f"access_log {folder / 'access.log'};" if access_log else "access_log off;"
    text = (
        f"{user}daemon off;\nworker_processes {workers};\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 4096; }\n"
        f"http {{\n  include {MIME_TYPES};\n  default_type application/octet-stream;\n"
        f"  sendfile on;\n  tcp_nopush on;\n  {log}\n  {paths}\n{site}\n}}\n"
    )
    path = folder / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class NginxProcess:
    """nginx in the foreground with the configuration `nginx.conf` in `folder`."""

    folder: Path
    ports: list[int]
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, timeout: float = 20) -> NginxProcess:
        if NGINX is None:
            raise LoopbackError("nginx is not installed: run scripts/install")
        log = self.folder / "error.log"
        command = [NGINX, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"), "-e", str(log)]
        with open(self.folder / "nginx.out", "ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        _wait_until(self._listening, self.process, log, "nginx", timeout)
        return self

    def _listening(self) -> bool:
        for port in self.ports:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                return False
        return True

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process, signal.SIGQUIT, 15)

    def __enter__(self) -> NginxProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
