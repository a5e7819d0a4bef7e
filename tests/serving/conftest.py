"""Live-server fixtures: the fixture corpus built with audio, served by real gunicorn (and nginx).

Every server listens on 127.0.0.1 only, is a child of the test session, and is stopped at
the end.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from voiceref.loopback import AppProcess, free_port, voiceref_command

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "content"


@dataclass
class Built:
    content: Path
    index: Path
    audio: Path

    def settings(self, public_url: str, **extra: str) -> dict[str, str]:
        """Return the VOICEREF_* environment that serves this build at `public_url`."""
        return {
            "VOICEREF_CONTENT_DIR": str(self.content),
            "VOICEREF_INDEX_DIR": str(self.index),
            "VOICEREF_AUDIO_DIR": str(self.audio),
            "VOICEREF_PUBLIC_URL": public_url,
            **{f"VOICEREF_{name}": value for name, value in extra.items()},
        }


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    """The fixture corpus, built with `voiceref build`: the index and real spoken audio."""
    root = tmp_path_factory.mktemp("served-site")
    site = Built(root / "content", root / "index", root / "audio")
    shutil.copytree(FIXTURES, site.content)
    command = [voiceref_command(), "build", "--content", str(site.content), "--index", str(site.index),
               "--audio", str(site.audio), "--jobs", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"voiceref build failed:\n{done.stdout}\n{done.stderr}"
    return site


@pytest.fixture(scope="session")
def server(built: Built, tmp_path_factory) -> Iterator[AppProcess]:
    """`voiceref serve` alone on 127.0.0.1, serving the built corpus."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with AppProcess(port, built.settings(f"http://127.0.0.1:{port}"), log) as app:
        yield app
