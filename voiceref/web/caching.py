"""Validators and lifetimes: ETags from what is being served, and a Cache-Control a CDN can follow.

A page, feed or API answer is made only from three things: the code and templates of this
process, the build being served (the search index and the audio catalog), and the reader's
preference cookie. So its ETag is a hash of those, known before anything is rendered: a
request whose If-None-Match holds it is answered 304 at once. `release_id()` is the one
place that says what "the build being served" is (today the index's current build folder
and the audio catalog's stamp; the release manifest's id once releases land). An answer that
gets such an ETag is marked (`CACHEABLE` in the WSGI environ) so that the in-memory page
cache (pagecache.py) may keep it.

Lifetimes (the same for every cacheable answer, so a CDN needs no rules of its own):
- HTML: `public, max-age=0, s-maxage=60`: browsers revalidate every time (a 304 is cheap
  and a changed preference shows at once); shared caches keep a page for a minute.
- feeds, API, sitemap, playlists: `public, max-age=60`.
- all of them `Vary: Cookie` (they differ with the preference cookie and nothing else).
- errors and /healthz: `no-store` (a refused host must never be cached under a path).
Static files and audio set their own (a year for fingerprinted or keyed URLs).
"""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from flask import Flask, Response, current_app, g, request

from ..release.layout import CURRENT
from .preferences import cookie_value
from .preferences import current as current_preferences

CACHEABLE = "voiceref.cacheable"  # environ: this answer depends only on the build, cookie and URL
PAGE = "public, max-age=0, s-maxage=60"
DATA = "public, max-age=60"
NEVER = "no-store"
OWN_CACHING = {"static", "audio.audio_file"}  # these set validators and lifetimes themselves
NOT_CACHED = {"api.healthz", "preferences.save"}
HTML_BLUEPRINTS = {"pages", "preferences"}  # the rest (feeds, API, playlists) is data


def code_id(app: Flask) -> str:
    """Return a hash of what shapes every answer besides the build: code, templates, static files."""
    try:
        release = version("voiceref")
    except PackageNotFoundError:
        release = "unknown"
    digest = hashlib.blake2b(release.encode(), digest_size=16)
    package = Path(__file__).resolve().parent.parent
    folders = [package, Path(app.template_folder or ""), Path(app.static_folder or "")]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".pyc"):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def release_id(index_dir: Path, audio_dir: Path | None = None) -> str:
    """Return the identity of the release being served: one readlink, no app context needed.

    A release never changes once published (its audio catalog included), so the folder that
    `current` points at names everything an answer is made from.
    """
    try:
        return os.readlink(index_dir / CURRENT)
    except OSError:
        return "-"


def served_release() -> str:
    """Return the identity of the build the app handling this request is serving."""
    audio = current_app.config["AUDIO_DIR"]
    return release_id(Path(current_app.config["INDEX_DIR"]), Path(audio) if audio else None)


def page_etag() -> str:
    """Return the ETag of any cacheable answer to this request."""
    if "page_etag" not in g:
        data = "|".join([current_app.extensions["voiceref.code_id"], served_release(),
                         cookie_value(current_preferences())])
        g.page_etag = hashlib.blake2b(data.encode(), digest_size=12).hexdigest()
    return g.page_etag


def _cacheable() -> bool:
    endpoint = request.endpoint
    return (
        request.method in {"GET", "HEAD"}
        and endpoint is not None
        and endpoint not in OWN_CACHING
        and endpoint not in NOT_CACHED
    )


def answer_unchanged() -> Response | None:
    """Answer 304 before rendering anything when the client already has this answer."""
    if _cacheable() and request.if_none_match.contains_weak(page_etag()):
        return Response(status=304)
    return None


def set_cache_headers(response: Response) -> Response:
    """Give a cacheable answer its ETag and lifetime; keep errors out of every cache."""
    if response.status_code >= 400 or request.endpoint in NOT_CACHED:
        response.headers["Cache-Control"] = NEVER
    elif _cacheable() and response.status_code in {200, 304} and "Cache-Control" not in response.headers:
        response.set_etag(page_etag())
        request.environ[CACHEABLE] = True
        response.headers["Cache-Control"] = PAGE if request.blueprint in HTML_BLUEPRINTS else DATA
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    app.extensions["voiceref.code_id"] = code_id(app)
    app.before_request(answer_unchanged)
    app.after_request(set_cache_headers)
