"""The screen-reader desktop starts what Orca needs and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CHROMIUM
from .desktop import missing_tools, processes_on_bus, running_desktop

pytestmark = pytest.mark.screenreader


def test_the_desktop_stops_every_process_and_removes_its_files(base_url):
    if missing_tools():
        pytest.fail(f"{', '.join(missing_tools())} missing: run scripts/install")
    with running_desktop(CHROMIUM, base_url + "/") as desktop:
        bus = desktop.env["DBUS_SESSION_BUS_ADDRESS"]
        display = desktop.env["DISPLAY"]
        running = processes_on_bus(bus)
        started = {started.name for started in desktop.started}
        root = desktop.root
        assert '"message"' in desktop.speech_log.read_text(), "Orca has not spoken"
    # Our own children, and those D-Bus started for us (AT-SPI's registry, Chromium's helpers).
    assert started == {"Xvfb", "dbus-daemon", "at-spi-bus-launcher", "speech-dispatcher", "orca", "chromium"}
    assert len(running) > len(started)
    assert processes_on_bus(bus) == []
    assert not root.exists()
    assert not Path(f"/tmp/.X{display.lstrip(':')}-lock").exists()
