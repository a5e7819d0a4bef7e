"""Live-server fixtures: the fixture corpus built with audio, served by real gunicorn (and nginx).

Every server listens on 127.0.0.1 only, is a child of the test session, and is stopped at
the end.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from voiceref.loopback import AppProcess, free_port


@pytest.fixture(scope="session")
def built(corpus):
    """The fixture corpus built once for the session (tests/conftest.py), read-only here."""
    return corpus


@pytest.fixture(scope="session")
def server(built, tmp_path_factory) -> Iterator[AppProcess]:
    """`voiceref serve` alone on 127.0.0.1, serving the built corpus."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with AppProcess(port, built.settings(f"http://127.0.0.1:{port}"), log) as app:
        yield app
