"""A wheel built from the repository runs by itself: templates and static files ship inside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from voiceref import config

from .support import Served, free_port, get

INSTALL_TIMEOUT = 900  # seconds: generous, never a measurement


def run(command: list, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True,
                          timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[Path]:
    """A folder away from the repository for the wheel and its environment (removed after: ~400 MB)."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    yield folder
    shutil.rmtree(folder)


def test_a_wheel_in_a_clean_virtual_environment_builds_and_serves_a_release(corpus, outside, tmp_path):
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", outside / "dist", config.ROOT], outside)
    [wheel] = (outside / "dist").glob("voiceref-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "voiceref/templates/base.html" in names and "voiceref/static/css/site.css" in names

    # The versions this environment runs with, so the clean one gets the same dependencies.
    frozen = run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], outside).stdout
    (outside / "constraints.txt").write_text(
        "\n".join(line for line in frozen.splitlines() if not line.lower().startswith("voiceref")), encoding="utf-8"
    )
    venv = outside / "venv"
    run([sys.executable, "-m", "venv", venv], outside)  # without the system's or this venv's packages
    python, voiceref = venv / "bin" / "python", venv / "bin" / "voiceref"
    run([python, "-m", "pip", "install", "-q", "-c", outside / "constraints.txt", wheel], outside)
    installed = Path(run([python, "-c", "import voiceref; print(voiceref.__file__)"], outside).stdout.strip())
    assert installed.is_relative_to(venv), installed

    run([voiceref, "build", "--content", corpus.content, "--index", corpus.index, "--audio", corpus.audio,
         "--no-audio"], outside)
    port = free_port()
    env = {**os.environ, "VOICEREF_INDEX_DIR": str(corpus.index), "VOICEREF_AUDIO_DIR": str(corpus.audio),
           "VOICEREF_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    env.pop("VOICEREF_CONTENT_DIR", None)
    with Served([str(voiceref)], port, env, tmp_path / "wheel-serve.log", outside) as server:
        page = get(server.url + "/glossary/mri")
        assert page.status == 200
        soup = BeautifulSoup(page.text, "html.parser")
        assert soup.h1.get_text(strip=True) == "MRI" and soup.select_one("a.skip-link")  # base.html and its page
        stylesheet = soup.select_one('link[rel="stylesheet"]')["href"]  # fingerprinted by the app
        shipped = (config.ROOT / "static" / "css" / "site.css").read_bytes()
        for url in (stylesheet, "/static/css/site.css"):
            css = get(server.url + url)
            assert css.status == 200 and css.headers["Content-Type"].startswith("text/css") and css.body == shipped
        assert get(server.url + "/no/such/page").status == 404  # the error templates too
