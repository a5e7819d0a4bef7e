"""Real builds, real servers and the process table, for the release tests.

Every `voiceref build` here is a child process whose environment carries a marker of its own,
so that whatever it starts (speech workers, Whoosh's indexing processes, multiprocessing's
resource tracker) can be found in /proc afterwards, even once it has been re-parented.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from voiceref.loopback import AppProcess, voiceref_command
from voiceref.release import layout

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "content"
MARK = "VOICEREF_TEST_BUILD"  # in the environment of every build a test starts
BUILD_TIMEOUT = 300  # seconds: generous, never a measurement
GONE_TIMEOUT = 20  # seconds for a killed build's processes to end


def free_port() -> int:
    """Return a port on 127.0.0.1 that the system says is free (never a fixed range two runs share)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60, every: float = 0.02):
    """Return the first true value of `condition()`; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


def get(url: str, timeout: float = 30) -> Answer:
    """GET `url` and return the answer, whatever its status; a dropped connection raises."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, dict(error.headers), error.read())


@dataclass
class Corpus:
    """A site of a test's own: content, releases (INDEX_DIR) and audio store under `root`."""

    root: Path
    marker: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def audio(self) -> Path:
        return self.root / "audio"

    @property
    def tmp(self) -> Path:
        """TMPDIR of every build: whatever a build leaves in temporary files shows up here."""
        return self.root / "tmp"

    @classmethod
    def of_fixtures(cls, root: Path) -> Corpus:
        corpus = cls(root)
        shutil.copytree(FIXTURES, corpus.content)
        corpus.tmp.mkdir()
        return corpus

    def build_command(self, *args: str) -> list[str]:
        return [voiceref_command(), "build", "--content", str(self.content), "--index", str(self.index),
                "--audio", str(self.audio), *args]

    def build_env(self) -> dict[str, str]:
        return {**os.environ, MARK: self.marker, "TMPDIR": str(self.tmp)}

    def build(self, *args: str, verbose: bool = False) -> subprocess.CompletedProcess:
        """Run `voiceref build ARGS` to the end; return what it did (output as text)."""
        command = self.build_command(*args)
        if verbose:
            command.insert(1, "-v")
        return subprocess.run(command, env=self.build_env(), capture_output=True, text=True,
                              timeout=BUILD_TIMEOUT, cwd=self.root)

    def built(self, *args: str) -> str:
        """Build, require success, and return the id of the release that is now current."""
        done = self.build(*args)
        assert done.returncode == 0, f"voiceref build failed:\n{done.stdout}\n{done.stderr}"
        return self.current()

    def start_build(self, *args: str) -> subprocess.Popen:
        """Start `voiceref build ARGS` in the background (output in files under root)."""
        with open(self.root / "build.out", "ab") as out:
            return subprocess.Popen(self.build_command(*args), env=self.build_env(), stdout=out,
                                    stderr=subprocess.STDOUT, cwd=self.root)

    def current(self) -> str:
        target = layout.pointer(self.index)
        return target.name if target is not None else ""

    def previous(self) -> str:
        target = layout.pointer(self.index, layout.PREVIOUS)
        return target.name if target is not None else ""

    def releases(self) -> list[str]:
        """Every folder under releases/, unfinished ones included, sorted."""
        folder = layout.releases_dir(self.index)
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    def leftovers(self) -> list[Path]:
        """Unfinished releases and the audio store's scratch and temporary files."""
        found = list(layout.releases_dir(self.index).glob(".tmp-*"))
        if self.audio.is_dir():
            found += list(self.audio.glob(".work-*")) + list(self.audio.glob("*/.tmp-*"))
        return found

    def server(self, log_name: str = "serve.log", workers: int = 2, port: int | None = None) -> AppProcess:
        """Return `voiceref serve` (2 workers) on this corpus's releases, not started yet."""
        port = port or free_port()
        settings = {
            "VOICEREF_INDEX_DIR": str(self.index),
            "VOICEREF_AUDIO_DIR": str(self.audio),
            "VOICEREF_CONTENT_DIR": str(self.content),
            "VOICEREF_PUBLIC_URL": f"http://127.0.0.1:{port}",
        }
        return AppProcess(port, settings, self.root / log_name, workers=workers)


def release_of(server: AppProcess) -> str:
    """Return the release id the server's /healthz reports (and require it to be healthy)."""
    answer = get(server.url + "/healthz")
    assert answer.status == 200, answer.text
    return answer.json()["release"]


# The process table -----------------------------------------------------------------------


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0]


def processes_of(marker: str) -> dict[int, str]:
    """Return {pid: command line} of every live process whose environment holds `marker`."""
    wanted = f"{MARK}={marker}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if wanted not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            if _state(int(entry.name)) in ("Z", "X"):  # ended, waiting only to be reaped
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found[int(entry.name)] = command.strip()
    return found


def children_of(pid: int) -> dict[int, str]:
    """Return {pid: command line} of the live direct children of `pid`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(errors="replace").rsplit(")", 1)[1].split()
            if int(stat[1]) != pid or stat[0] in ("Z", "X"):
                continue
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except (OSError, ValueError, IndexError):
            continue
    return found


def kill_build(build: subprocess.Popen) -> None:
    """kill -9 the build process alone (not its children), and reap it."""
    os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=30)


def assert_nothing_left_running(marker: str) -> None:
    """Wait until no process of the build with `marker` is alive; else end them and fail."""
    deadline = time.monotonic() + GONE_TIMEOUT
    while (alive := processes_of(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in alive:  # the test's own processes: end them before failing
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not alive, f"still running {GONE_TIMEOUT} s after the build was killed: {alive}"



@dataclass
class Served:
    """A server started from any `voiceref` command (for a separately installed one)."""

    command: list[str]
    port: int
    env: dict[str, str]
    log: Path
    cwd: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Served:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([*self.command, "serve", "--port", str(self.port)], env=self.env,
                                            cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)

        def up() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the server ended:\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                return get(self.url + "/healthz", timeout=2).status == 200
            except OSError:
                return False

        try:
            wait_for(up, f"the server on port {self.port}", every=0.2)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
