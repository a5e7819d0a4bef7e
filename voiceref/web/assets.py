"""Static files under content-hash URLs, cached for a year and marked immutable.

`url_for('static', filename='css/site.css')` gives `/static/css/site.<hash>.css`, where the
hash is the first 12 hex digits of the file's SHA-256, taken once at start-up. A changed
file gets a new URL, so a browser or CDN may keep the old one forever. The plain name still
works (cached an hour, with an ETag), as does a fingerprint that is no longer current (an old
page during a deploy gets the current file, cached an hour, never marked immutable). nginx
serves the same URLs from disk with the same rules (deploy/nginx/voiceref-site.conf).
Fonts are linked from the CSS by relative plain names, so they take the hour's lifetime.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, current_app, send_from_directory

HASH_LENGTH = 12
YEAR = 365 * 24 * 3600
HOUR = 3600
_FINGERPRINTED = re.compile(rf"(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<suffix>\.[A-Za-z0-9]+)")


def fingerprints(folder: Path) -> dict[str, str]:
    """Return {path relative to `folder`: hash} for every file under it."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
            found[path.relative_to(folder).as_posix()] = digest
    return found


def fingerprinted(filename: str, hashes: dict[str, str]) -> str:
    """Return the URL name of a static file: its hash before the suffix, if it is known."""
    digest = hashes.get(filename)
    if digest is None:
        return filename
    stem, dot, suffix = filename.rpartition(".")
    if not dot or "/" in suffix:
        return f"{filename}.{digest}"
    return f"{stem}.{digest}.{suffix}"


def resolve(name: str, hashes: dict[str, str]) -> tuple[str, bool]:
    """Return (file name, whether `name` carries that file's current hash)."""
    found = _FINGERPRINTED.fullmatch(name)
    if found is not None:
        filename = found["stem"] + found["suffix"]
        if filename in hashes:
            return filename, hashes[filename] == found["hash"]
    return name, False


def add_fingerprint(endpoint: str, values: dict) -> None:
    """Put the content hash into every URL built for a static file."""
    if endpoint == "static" and "filename" in values:
        values["filename"] = fingerprinted(values["filename"], current_app.extensions["voiceref.assets"])


def send_asset(filename: str):
    """Send a static file: a year and immutable under its current hash, an hour otherwise."""
    hashes = current_app.extensions["voiceref.assets"]
    real, current = resolve(filename, hashes)
    response = send_from_directory(current_app.static_folder, real, max_age=YEAR if current else HOUR)
    response.cache_control.public = True
    if current:
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    """Fingerprint the static folder and serve it under hashed names."""
    app.extensions["voiceref.assets"] = fingerprints(Path(app.static_folder or ""))
    app.url_defaults(add_fingerprint)
    app.view_functions["static"] = send_asset
