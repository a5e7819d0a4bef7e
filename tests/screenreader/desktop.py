"""A private desktop for Orca: Xvfb, a D-Bus session bus, the AT-SPI bus, speech-dispatcher,
Orca and Chromium, all started by the tests and all stopped again.

Everything lives in one temporary folder (home, runtime directory, buses, sockets, logs, the
browser profile), removed at the end. Orca 43 does not stop on SIGTERM (its handler waits for
its GLib main loop), so it is killed. Services that D-Bus starts on demand (AT-SPI's registry
and bus daemon, anything Chromium or Orca asks the session bus for) are not our children; every
one of them inherits our private bus address, so at the end any process whose environment holds
that address is found in /proc and killed.

What a fresh Debian 12 needs (scripts/install): orca, speech-dispatcher, xvfb, xdotool,
at-spi2-core, dbus-daemon, dbus-bin and chromium.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

AT_SPI_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
TOOLS = ("Xvfb", "dbus-daemon", "dbus-send", "speech-dispatcher", "orca", "xdotool", AT_SPI_LAUNCHER)
DISPLAYS = range(53, 60)  # X displays this suite may use
# Taller than any page of the fixture corpus, so nothing scrolls while Orca reads: lines read
# while scrolling vary from run to run.
SCREEN = (1280, 4000)
ORCA_LOGGED = Path(__file__).with_name("orca_logged.py")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--force-renderer-accessibility",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--password-store=basic",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",  # Chromium picks a free port and writes it to DevToolsActivePort
    "--window-position=0,0",
    f"--window-size={SCREEN[0]},{SCREEN[1]}",
]
# Orca's own preferences: speech only, no key echo, no braille, no sounds, and a page summary
# (not "say all") when a page loads.
ORCA_SETTINGS = {
    "general": {
        "firstStart": False,
        "enableKeyEcho": False,
        "enableEchoByCharacter": False,
        "enableEchoByWord": False,
        "enableBraille": False,
        "enableBrailleMonitor": False,
        "enableSound": False,
        "enableTutorialMessages": False,
        "enableMouseReview": False,
        "sayAllOnLoad": False,
        "pageSummaryOnLoad": True,
    },
    "profiles": {"default": {"profile": ["Default", "default"]}},
    "pronunciations": {},
    "keybindings": {},
}
# speech-dispatcher with one output module that appends what it is asked to say to a file:
# nothing needs a sound card, and the file shows the speech really went through the server.
SPEECHD_CONF = """LogLevel 3
LogDir "{logs}"
AudioOutputMethod "alsa"
AddModule "file" "sd_generic" "file.conf"
DefaultModule file
DefaultLanguage "en"
"""
SPEECHD_FILE_MODULE = r"""GenericExecuteSynth "printf '%s\\n' \'$DATA\' >> $SPEECHD_SPOKEN_FILE"
AddVoice "en" "MALE1" "default"
GenericLanguage "en" "en" "utf-8"
GenericLanguage "c" "en" "utf-8"
"""
# Orca 48 takes the language from the locale, and in the C.UTF-8 locale asks for language "C"
# (Orca 43 asked for "en"); a language with no charset here is recoded to ISO-8859-1, which has
# no "–".
# speech-dispatcher opens ALSA even for a module that makes no sound; the null device is enough.
ASOUNDRC = "pcm.!default { type null }\n"


class DesktopError(RuntimeError):
    """A part of the desktop did not start."""


@dataclass
class Started:
    name: str
    process: subprocess.Popen
    log: Path


@dataclass
class Desktop:
    """The running desktop: its environment, Orca's speech log, and the browser's DevTools URL."""

    root: Path
    env: dict[str, str]
    speech_log: Path
    spoken: Path
    devtools_url: str = ""
    started: list[Started] = field(default_factory=list)

    def key(self, *keys: str) -> None:
        """Type keys on the X display (xdotool names: "h", "shift+m", "Insert+KP_Enter")."""
        subprocess.run(["xdotool", "key", *keys], env=self.env, check=True, timeout=10)


def missing_tools() -> list[str]:
    """The programs this suite needs that are not installed."""
    return [tool for tool in TOOLS if not shutil.which(tool) and not Path(tool).exists()]


def orca_version() -> str:
    """The installed Orca's version, the first in what `orca --version` prints: "43.1" (Debian 12),
    "Orca version 48.1, AT-SPI2 version: 2.56.2" (Debian 13)."""
    done = subprocess.run(["orca", "--version"], capture_output=True, text=True, timeout=30)
    found = re.search(r"\d+(?:\.\d+)+", done.stdout)
    return found[0] if found else (done.stdout + done.stderr).strip()


@contextmanager
def running_desktop(chromium: str, start_url: str) -> Iterator[Desktop]:
    """Start the whole desktop with Chromium showing `start_url`; stop all of it afterwards.

    Chromium must open on a web page, not a blank one: on about:blank the address bar keeps the
    keyboard focus, and pages opened later through DevTools never get it.
    """
    root = Path(tempfile.mkdtemp(prefix="voiceref-orca-"))
    run = root / "run"
    for folder in ("home", "run", "tmp", "logs", "orca", "speechd/modules"):
        (root / folder).mkdir(parents=True, mode=0o700)
    home = root / "home"
    bus = f"unix:path={run / 'bus'}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(run),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(root / "tmp"),
        "LANG": "C.UTF-8",  # speech-dispatcher and Orca need a UTF-8 locale
        "LC_ALL": "C.UTF-8",
        "DBUS_SESSION_BUS_ADDRESS": bus,
        "SPEECHD_ADDRESS": f"unix_socket:{run / 'speechd.sock'}",
        # Not named VOICE…: the module's command replaces $VOICE (and $DATA, $RATE…) in it.
        "SPEECHD_SPOKEN_FILE": str(root / "spoken.txt"),
    }
    desktop = Desktop(root, env, root / "speech.jsonl", root / "spoken.txt")
    try:
        _start_display(desktop)
        _start_buses(desktop)
        _start_speech(desktop)
        _start_orca(desktop)
        _start_chromium(desktop, chromium, start_url)
        yield desktop
    finally:
        _stop(desktop, bus)
        shutil.rmtree(root, ignore_errors=True)


def _spawn(desktop: Desktop, name: str, command: list[str], **options) -> Started:
    log = desktop.root / "logs" / f"{name}.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(command, env=desktop.env, cwd=desktop.root, stdout=output,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **options)
    started = Started(name, process, log)
    desktop.started.append(started)
    return started


def _wait(started: Started, ready: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if started.process.poll() is not None or time.monotonic() > deadline:
            tail = started.log.read_text(errors="replace")[-2000:] if started.log.exists() else ""
            state = f"exited with {started.process.returncode}" if started.process.poll() is not None else "timed out"
            raise DesktopError(f"{started.name} {state} before {what}:\n{tail}")
        time.sleep(0.05)


def _start_display(desktop: Desktop) -> None:
    for number in DISPLAYS:
        if Path(f"/tmp/.X{number}-lock").exists():
            continue
        read_end, write_end = os.pipe()
        width, height = SCREEN
        # -noreset: when its last client leaves, Xvfb would reset and announce itself again.
        started = _spawn(desktop, "Xvfb", ["Xvfb", f":{number}", "-screen", "0", f"{width}x{height}x24",
                                           "-nolisten", "tcp", "-noreset", "-displayfd", str(write_end)],
                         pass_fds=(write_end,))
        os.close(write_end)
        answer = _read_line(read_end, timeout=20)
        os.close(read_end)
        if answer == str(number):
            desktop.env["DISPLAY"] = f":{number}"
            return
        _stop_process(started)  # another display server took the number first: try the next
        desktop.started.remove(started)
    raise DesktopError(f"no free X display among :{DISPLAYS[0]}–:{DISPLAYS[-1]}")


def _read_line(fd: int, timeout: float) -> str:
    """Read up to a newline: Xvfb writes its display number and the newline separately, and
    dies if the pipe is closed between the two."""
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 16) if ready else b""
        if not chunk:
            break
        data += chunk
    return data.decode().strip()


def _start_buses(desktop: Desktop) -> None:
    socket = Path(desktop.env["DBUS_SESSION_BUS_ADDRESS"].removeprefix("unix:path="))
    session = _spawn(desktop, "dbus-daemon", ["dbus-daemon", "--session", "--nofork",
                                              f"--address={desktop.env['DBUS_SESSION_BUS_ADDRESS']}"])
    _wait(session, socket.exists, 20, "its socket appeared")
    # The AT-SPI bus, with accessibility switched on so that Chromium exposes its tree.
    atspi = _spawn(desktop, "at-spi-bus-launcher", [AT_SPI_LAUNCHER, "--launch-immediately", "--a11y=1"])
    # Wait until it owns its name before asking it anything: a question sent earlier would make
    # D-Bus start a second launcher, and ours would then leave.
    owned = ["dbus-send", "--session", "--print-reply=literal", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
             "org.freedesktop.DBus.NameHasOwner", "string:org.a11y.Bus"]
    _wait(atspi, lambda: "true" in subprocess.run(owned, env=desktop.env, capture_output=True, text=True,
                                                   timeout=30).stdout, 20, "it took its bus name")
    ask = ["dbus-send", "--session", "--print-reply=literal", "--dest=org.a11y.Bus", "/org/a11y/bus",
           "org.a11y.Bus.GetAddress"]
    address = ""

    def answers() -> bool:
        nonlocal address
        done = subprocess.run(ask, env=desktop.env, capture_output=True, text=True, timeout=30)
        address = done.stdout.strip()
        return done.returncode == 0 and address != ""

    _wait(atspi, answers, 20, "the accessibility bus answered")
    # Orca gives up at once if AT-SPI's registry is not there yet; asking it a question makes the
    # accessibility bus start it, and the answer comes when it runs.
    registry = ["dbus-send", f"--bus={address}", "--print-reply", "--dest=org.a11y.atspi.Registry",
                "/org/a11y/atspi/accessible/root", "org.freedesktop.DBus.Properties.Get",
                "string:org.a11y.atspi.Accessible", "string:ChildCount"]
    _wait(atspi, lambda: subprocess.run(registry, env=desktop.env, capture_output=True, timeout=30).returncode == 0,
          30, "AT-SPI's registry answered")


def _start_speech(desktop: Desktop) -> None:
    config = desktop.root / "speechd"
    (config / "speechd.conf").write_text(SPEECHD_CONF.format(logs=desktop.root / "logs"))
    (config / "modules" / "file.conf").write_text(SPEECHD_FILE_MODULE)
    (Path(desktop.env["HOME"]) / ".asoundrc").write_text(ASOUNDRC)
    socket = Path(desktop.env["SPEECHD_ADDRESS"].removeprefix("unix_socket:"))
    speechd = _spawn(desktop, "speech-dispatcher", [
        "speech-dispatcher", "--run-single", "--timeout", "0", "--config-dir", str(config),
        "--communication-method", "unix_socket", "--socket-path", str(socket),
        "--pid-file", str(desktop.root / "run" / "speechd.pid"),
    ])
    _wait(speechd, socket.exists, 20, "its socket appeared")


def _start_orca(desktop: Desktop) -> None:
    prefs = desktop.root / "orca"
    (prefs / "user-settings.conf").write_text(json.dumps(ORCA_SETTINGS, indent=2))
    orca = _spawn(desktop, "orca", ["/usr/bin/python3", str(ORCA_LOGGED), str(desktop.speech_log),
                                    "--user-prefs", str(prefs)])

    def spoke() -> bool:
        return desktop.speech_log.exists() and '"message"' in desktop.speech_log.read_text(errors="replace")

    _wait(orca, spoke, 60, "it spoke")


def _start_chromium(desktop: Desktop, chromium: str, start_url: str) -> None:
    profile = desktop.root / "chromium"
    browser = _spawn(desktop, "chromium", [chromium, *CHROMIUM_ARGS, f"--user-data-dir={profile}", start_url])
    port_file = profile / "DevToolsActivePort"
    _wait(browser, lambda: port_file.exists() and port_file.read_text().strip() != "", 60,
          "it opened its DevTools port")
    port = port_file.read_text().split()[0]
    desktop.devtools_url = f"http://127.0.0.1:{port}"
    _wait(browser, lambda: _shows_page(desktop.devtools_url, start_url), 60, f"it showed {start_url}")


def _shows_page(devtools_url: str, url: str) -> bool:
    """Whether Chromium's tab has committed the navigation to `url` (its title is known).

    A DevTools client that attaches while that first navigation is still in flight can miss its
    commit: with Chromium 156, Playwright's connect_over_cdp then waits for it for ever (it sees
    the tab on its initial empty document; microsoft/playwright#41093 and #42730 describe the
    same wait). Every page served to these tests has a <title>.
    """
    try:
        with urllib.request.urlopen(devtools_url + "/json/list", timeout=5) as response:
            targets = json.load(response)
    except (OSError, ValueError):
        return False
    return any(t.get("type") == "page" and t.get("url") == url and t.get("title") for t in targets)


def _stop_process(started: Started) -> None:
    process = started.process
    if process.poll() is not None:
        return
    if started.name == "orca":
        process.kill()  # Orca 43 does not act on SIGTERM while its main loop waits
    else:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _stop(desktop: Desktop, bus: str) -> None:
    for started in reversed(desktop.started):
        _stop_process(started)
    for pid in processes_on_bus(bus):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + 10
    while processes_on_bus(bus) and time.monotonic() < deadline:
        time.sleep(0.05)


def processes_on_bus(bus: str) -> list[int]:
    """Processes (other than this one) whose environment names the given session bus."""
    marker = f"DBUS_SESSION_BUS_ADDRESS={bus}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environment = (entry / "environ").read_bytes()
        except OSError:  # gone already, or not ours to read
            continue
        if marker in environment.split(b"\0"):
            found.append(int(entry.name))
    return found
