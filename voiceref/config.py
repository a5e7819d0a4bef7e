"""Default settings, and how VOICEREF_* environment variables override them."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, object] = {
    "CONTENT_DIR": ROOT / "content",
    "INDEX_DIR": ROOT / "index",
    "AUDIO_DIR": ROOT / "audio",
    "SITE_NAME": "voiceref",
    "PUBLIC_URL": "http://127.0.0.1:5000/",  # where the site is served: talking books link to it
    "SEARCH_PAGE_SIZE": 10,
    "SEARCH_MAX_QUERY": 200,
    "VOICE": "",  # empty: the engine's default English voice
    "SPEECH_RATE": 175,  # words per minute
    "HOST": "127.0.0.1",
    "PORT": 5000,
    "WORKERS": 2,
    "DEBUG": False,
}

_PATHS = {"CONTENT_DIR", "INDEX_DIR", "AUDIO_DIR"}


def _coerce(key: str, raw: str, default: object) -> object:
    """Turn an environment string into the type of its default."""
    if key in _PATHS:
        return Path(raw).expanduser().resolve()
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, object]:
    """Return the defaults with any VOICEREF_<KEY> environment variables applied."""
    environ = os.environ if environ is None else environ
    settings = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        raw = environ.get(f"VOICEREF_{key}")
        if raw is not None and raw != "":
            settings[key] = _coerce(key, raw, default)
    return settings
