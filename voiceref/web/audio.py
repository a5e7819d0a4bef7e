"""Audio delivery: each article's MP3, cues, chapters and timings, and M3U playlists.

Handlers only read what the current release publishes (its audio catalog, see
speech/catalog.py); Werkzeug's conditional `send_file` answers byte ranges (206), ETag and
Last-Modified (304), and a range goes by the server's `sendfile` (files.py). Links from the
pages carry the cache key (`?v=`), so a response for the current key may be cached for a year.
The reader's voice (`?voice=`, else the preferences cookie, else the default) picks the
rendition; an article not yet spoken in that voice is served in another, so the audio is
always the audio of the page being shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    render_template,
    request,
)
from werkzeug.exceptions import NotFound

from ..content import SECTIONS
from ..search import clean_query
from ..speech import AudioInfo
from ..speech.catalog import BY_URL_NAME, short_key
from ..speech.engines import VOICES
from . import files, preferences, services

bp = Blueprint("audio", __name__)

SECTION = "any({}):section".format(", ".join(SECTIONS))
YEAR = 365 * 24 * 3600
SHORT = 300  # seconds: a bare URL may start pointing at new audio after a build
M3U = "audio/x-mpegurl; charset=utf-8"


def chosen_voice() -> str:
    """Return the voice this request asks for: `?voice=`, else the reader's preference."""
    asked = request.args.get("voice")
    return asked if asked in VOICES else preferences.current().voice


def renditions(section: str, slug: str) -> dict[str, AudioInfo]:
    """Return one article's published audio by voice, in the order of VOICES."""
    release = services()
    found = {}
    for voice in VOICES:
        entry = release.audio(section, slug, voice)
        if entry is not None and release.path is not None:
            found[voice] = AudioInfo.of(entry, release.path)
    return found


@dataclass(frozen=True)
class Listening:
    """What the player offers for one article: the audio it plays and every voice ready."""

    audio: AudioInfo  # in the reader's voice, else in one that is ready
    wanted: str  # the voice the reader asked for
    voices: dict[str, AudioInfo]  # voice name to its audio, for each voice that is published

    @property
    def voice(self) -> str:
        return self.audio.voice


def listening(section: str, slug: str, voice: str | None = None) -> Listening | None:
    """Return one article's audio in the reader's voice (or `voice`) and the other voices ready."""
    built = renditions(section, slug)
    if not built:
        return None
    wanted = voice or chosen_voice()
    return Listening(built.get(wanted) or next(iter(built.values())), wanted, built)


def _slug(item) -> str:
    return item.url.rstrip("/").rsplit("/", 1)[-1]


def listening_of(item) -> Listening | None:
    """Return what the player offers for anything with a section and a url."""
    return listening(item.section, _slug(item))


def audio_info(section: str, slug: str, voice: str | None = None) -> AudioInfo | None:
    """Return one article's audio in the reader's voice (or `voice`), else in one that is ready."""
    found = listening(section, slug, voice)
    return found.audio if found else None


def audio_of(item) -> AudioInfo | None:
    """Return the audio of anything with a section and a url (an article or a search hit)."""
    return audio_info(item.section, _slug(item))


def versioned(info: AudioInfo, kind: str) -> str:
    """Return the URL of one of an article's audio files, with its cache key and its voice."""
    return info.link(kind, v=info.version, voice=info.voice)


def download_label(info: AudioInfo) -> str:
    """Return the words of a download link: what it is, how big and how long."""
    return f"Download MP3 ({info.size_label}, {info.length_label})"


def player_sources(found: Listening) -> dict[str, dict[str, str]]:
    """Return each ready voice's file URLs and download label, for the player's script."""
    return {
        voice: {
            **{kind: versioned(info, kind) for kind in ("mp3", "vtt", "chapters", "timings")},
            "download": download_label(info),
        }
        for voice, info in found.voices.items()
    }


def tracks(items: Iterable) -> list[tuple[object, AudioInfo]]:
    """Return (item, audio) for the items that have audio, in order."""
    found = []
    for item in items:
        info = audio_of(item)
        if info is not None:
            found.append((item, info))
    return found


def _not_found(message: str):
    error = NotFound(message)
    return render_template("error.html", error=error, code=404, crumbs=None), 404


@bp.get(f"/<{SECTION}>/<slug>/<any({', '.join(BY_URL_NAME)}):name>")
def audio_file(section: str, slug: str, name: str):
    article = services().site.get(section, slug)
    if article is None:
        return _not_found(f"There is no article at /{section}/{slug}, so there is no audio for it.")
    info = audio_info(section, slug)
    kind = BY_URL_NAME[name]
    if info is None or not info.files[kind.name].is_file():
        return _not_found(
            f"The spoken version of “{article.title}” is not ready yet. "
            f"The page itself is at {article.url}."
        )
    current = request.args.get("v") == short_key(info.key)
    download_name = f"{slug}.{name.rsplit('.', 1)[-1]}"
    if current_app.config["AUDIO_ACCEL"]:
        response = _accel(info.files[kind.name], kind.media_type, download_name)
        response.cache_control.max_age = YEAR if current else SHORT
    else:
        response = files.send(
            info.files[kind.name],
            mimetype=kind.media_type,
            max_age=YEAR if current else SHORT,
            download_name=download_name,
        )
    response.headers["Accept-Ranges"] = "bytes"
    if "voice" not in request.args:
        response.vary.add("Cookie")  # the preferences cookie chose the voice
    if current:
        response.cache_control.immutable = True
    response.cache_control.public = True
    return response


def _accel(path: Path, content_type: str, download_name: str) -> Response:
    """Hand the sending of a file to nginx (X-Accel-Redirect): ranges, sendfile, no app time.

    nginx maps the internal prefix AUDIO_ACCEL to INDEX_DIR (deploy/nginx/site.conf), where the
    releases are; the app still decides which file answers the URL (the release's catalog).
    """
    relative = path.relative_to(Path(current_app.config["INDEX_DIR"])).as_posix()
    response = Response(content_type=content_type)
    response.headers["X-Accel-Redirect"] = current_app.config["AUDIO_ACCEL"].rstrip("/") + "/" + quote(relative)
    response.headers["Content-Disposition"] = f"inline; filename={download_name}"
    return response


def _m3u(name: str, pairs: list[tuple[object, AudioInfo]]) -> Response:
    """Return an extended M3U playlist of the given articles' audio."""
    lines = ["#EXTM3U", f"#PLAYLIST:{name}"]
    for item, info in pairs:
        title = " ".join(f"{item.title} ({SECTIONS[item.section].title})".split())
        lines.append(f"#EXTINF:{round(info.duration)},{title}")
        lines.append(info.link("mp3", _external=True))
    response = Response("\n".join(lines) + "\n", mimetype="audio/x-mpegurl")
    response.headers["Content-Type"] = M3U
    filename = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}.m3u"'
    return response


@bp.get(f"/<{SECTION}>/playlist.m3u")
def section_playlist(section: str):
    articles = services().site.in_section(section)
    return _m3u(f"{current_app.config['SITE_NAME']} – {SECTIONS[section].title}", tracks(articles))


@bp.get("/glossary/letter/<letter>/playlist.m3u")
def letter_playlist(letter: str):
    entries = services().site.glossary_by_letter().get(letter.upper())
    if len(letter) != 1 or entries is None:
        return _not_found(f"There is no glossary letter {letter!r}.")
    return _m3u(f"{current_app.config['SITE_NAME']} – Glossary {letter.upper()}", tracks(entries))


@bp.get("/search/playlist.m3u")
def search_playlist():
    query = clean_query(request.args.get("q"), current_app.config["SEARCH_MAX_QUERY"])
    backend = services().search
    if not backend.available:
        return Response(
            "Search is not available: the index has not been built.\n", 503, mimetype="text/plain"
        )
    page = min(max(request.args.get("page", default=1, type=int) or 1, 1), 1000)
    size = current_app.config["SEARCH_PAGE_SIZE"]  # the same results as the page it is linked from
    hits = backend.search(query.text, page=page, page_size=size).hits if query.text else []
    return _m3u(f"{current_app.config['SITE_NAME']} – search for {query.text}", tracks(hits))


def init_app(app: Flask) -> None:
    """Register the routes and give templates the audio look-ups."""
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        audio_of=audio_of, audio_tracks=tracks, audio_url=versioned, listening_of=listening_of,
        player_sources=player_sources, download_label=download_label, VOICES=preferences.BY_NAME["voice"].options,
    )
