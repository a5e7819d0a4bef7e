"""Audio delivery: files with ranges and caching, the player, playlists, feeds and JSON."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from voiceref import create_app
from voiceref.content import load_site
from voiceref.release.build import build_release
from voiceref.speech import build_audio, load_lexicon
from voiceref.speech.audio import mp3_duration, parse_webvtt
from voiceref.speech.engines import voice_spec
from voiceref.web.preferences import COOKIE

FIXTURES = Path(__file__).parent / "fixtures" / "content"
SPOKEN = ["clonazepam", "mri", "spasticity"]  # the rest of the corpus stays "not ready"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


@pytest.fixture(scope="module")
def spoken_release(tmp_path_factory):
    """A release of the fixture corpus in which only SPOKEN articles have (clear) audio."""
    root = tmp_path_factory.mktemp("spoken")
    shutil.copytree(FIXTURES, root / "content")
    site = load_site(root / "content")
    articles = [a for a in site.articles if a.slug in SPOKEN]
    lexicon = load_lexicon(FIXTURES / "lexicon.yaml")
    report = build_audio(articles, root / "audio", lexicon, voice_spec("clear", {}), jobs=2)
    assert report.ok, report.failed
    settings = {"CONTENT_DIR": root / "content", "INDEX_DIR": root / "index", "AUDIO_DIR": root / "audio"}
    build_release(settings, audio=False)  # publishes the audio the store already has
    return root / "index"


@pytest.fixture
def spoken(spoken_release):
    return create_app({"TESTING": True, "INDEX_DIR": spoken_release}).test_client()


def fetch(client, url, **kwargs):
    with client.get(url, **kwargs) as response:
        response.data  # read while open, so the file is closed afterwards  # noqa: B018
        return response


pytestmark = pytest.mark.speech


def test_mp3_has_type_length_ranges_and_caching(spoken):
    response = fetch(spoken, "/glossary/mri/audio.mp3")
    assert response.status_code == 200
    assert response.mimetype == "audio/mpeg"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert mp3_duration(response.data)[0] > 3
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert response.cache_control.max_age == 300
    whole = response.data
    part = fetch(spoken, "/glossary/mri/audio.mp3", headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part.data == whole[1000:2000]
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(whole)}"
    tail = fetch(spoken, "/glossary/mri/audio.mp3", headers={"Range": "bytes=-100"})
    assert tail.status_code == 206 and tail.data == whole[-100:]
    assert fetch(spoken, "/glossary/mri/audio.mp3", headers={"Range": f"bytes={len(whole) + 10}-"}).status_code == 416
    etag = response.headers["ETag"]
    assert fetch(spoken, "/glossary/mri/audio.mp3", headers={"If-None-Match": etag}).status_code == 304
    since = {"If-Modified-Since": response.headers["Last-Modified"]}
    assert fetch(spoken, "/glossary/mri/audio.mp3", headers=since).status_code == 304


def test_links_from_the_page_are_versioned_and_cached_for_a_year(spoken):
    page = BeautifulSoup(spoken.get("/glossary/mri").data, "html.parser")
    src = page.find("audio")["src"]
    assert src.startswith("/glossary/mri/audio.mp3?v=")
    response = fetch(spoken, src)
    assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable


def test_vtt_chapters_and_timings(spoken):
    vtt = fetch(spoken, "/glossary/mri/audio.vtt")
    assert vtt.mimetype == "text/vtt"
    cues = parse_webvtt(vtt.get_data(as_text=True))
    assert cues[0].text == "MRI" and cues[0].identifier == "s0"
    assert parse_webvtt(fetch(spoken, "/glossary/mri/chapters.vtt").get_data(as_text=True))[0].text == "Introduction"
    timings = fetch(spoken, "/glossary/mri/audio.json").get_json()
    assert len(timings["sentences"]) == len(cues)
    assert fetch(spoken, "/glossary/mri/audio.vtt", headers={"Range": "bytes=0-5"}).data == b"WEBVTT"


def test_unknown_article_or_missing_audio_is_a_clear_404(spoken):
    missing = fetch(spoken, "/glossary/myoclonus/audio.mp3")
    assert missing.status_code == 404
    assert "spoken version of “Myoclonus” is not ready yet" in missing.get_data(as_text=True)
    unknown = fetch(spoken, "/glossary/nope/audio.mp3")
    assert unknown.status_code == 404 and "no article at /glossary/nope" in unknown.get_data(as_text=True)
    assert fetch(spoken, "/glossary/mri/audio.ogg").status_code == 404


def test_article_page_player_works_without_javascript(spoken):
    soup = BeautifulSoup(spoken.get("/glossary/mri").data, "html.parser")
    audio = soup.find("audio")
    assert audio["controls"] == "" and audio["preload"] == "none"
    download = soup.find("a", download=True)
    assert download.get_text().startswith("Download MP3 (") and " kB, " in download.get_text()
    assert download.get_text().endswith(" s)")
    meta = soup.find(class_="article-meta").get_text(" ", strip=True)
    assert "min read" in meta and "min listen" in meta
    assert soup.find("link", href=re.compile(r"^/static/css/player\.[0-9a-f]{12}\.css$"))
    assert soup.find("script", src=re.compile(r"^/static/js/player\.[0-9a-f]{12}\.js$"))
    assert not soup.find("script", src=None) and not soup.find(style=True)
    for button in soup.select(".player-controls button"):
        assert button["type"] == "button" and button.get_text(strip=True)
    not_ready = BeautifulSoup(spoken.get("/glossary/myoclonus").data, "html.parser")
    assert "The spoken version is not ready yet." in not_ready.get_text()
    assert not_ready.find("audio") is None


def test_playlists_list_the_articles_with_audio(spoken):
    playlist = fetch(spoken, "/glossary/playlist.m3u")
    assert playlist.mimetype == "audio/x-mpegurl"
    lines = playlist.get_data(as_text=True).splitlines()
    assert lines[0] == "#EXTM3U"
    urls = [line for line in lines if line.startswith("http")]
    assert urls == [f"http://localhost/glossary/{slug}/audio.mp3" for slug in SPOKEN]
    letter = fetch(spoken, "/glossary/letter/m/playlist.m3u").get_data(as_text=True)
    assert "glossary/mri/audio.mp3" in letter and "myoclonus" not in letter
    found = fetch(spoken, "/search/playlist.m3u?q=spasticity").get_data(as_text=True)
    assert "glossary/spasticity/audio.mp3" in found
    assert fetch(spoken, "/glossary/letter/zz/playlist.m3u").status_code == 404


def test_list_pages_offer_listen_to_all(spoken):
    for url, playlist in [
        ("/glossary/letter/m", "/glossary/letter/m/playlist.m3u"),
        ("/essays/", "/essays/playlist.m3u"),
        ("/search?q=spasticity", "/search/playlist.m3u?q=spasticity&page=1"),
    ]:
        soup = BeautifulSoup(spoken.get(url).data, "html.parser")
        section = soup.find(class_="listen-all")
        assert section is not None, url
        if url == "/essays/":
            assert "The spoken versions are not ready yet." in section.get_text()
            continue
        assert section.find("a", href=playlist), url
        assert section.find("button", attrs={"data-action": "play-all"}).has_attr("hidden")


def test_podcast_feed_has_enclosures_and_durations(spoken):
    root = ET.fromstring(fetch(spoken, "/feeds/podcast.xml").data)
    items = root.findall("channel/item")
    assert sorted(i.findtext("link") for i in items) == [f"http://localhost/glossary/{s}" for s in SPOKEN]
    for item in items:
        enclosure = item.find("enclosure")
        assert enclosure.get("type") == "audio/mpeg" and int(enclosure.get("length")) > 1000
        assert enclosure.get("url").endswith("/audio.mp3")
        assert int(item.findtext(f"{ITUNES}duration")) > 3
        assert item.findtext("description")
        chapters = item.find("{https://podcastindex.org/namespace/1.0}chapters")
        assert chapters.get("type") == "application/json+chapters"
        path = chapters.get("url").removeprefix("http://localhost")
        mp3 = enclosure.get("url").removeprefix("http://localhost")
        assert path.startswith(mp3.replace("audio.mp3", "chapters.json?v="))
        listed = fetch(spoken, path)
        assert listed.mimetype == "application/json+chapters"
        first = json.loads(listed.data)["chapters"][0]
        assert (first["title"], first["startTime"]) == ("Introduction", 0.0) and first["endTime"] > 0
    section = ET.fromstring(fetch(spoken, "/feeds/glossary.xml").data)
    assert len(section.findall("channel/item")) == 5
    assert len(section.findall("channel/item/enclosure")) == 3
    news = ET.fromstring(fetch(spoken, "/feeds/news.xml").data)
    assert news.findall("channel/item") and fetch(spoken, "/feeds/nope.xml").status_code == 404


def test_api_gives_audio_urls_duration_and_size(spoken):
    data = spoken.get("/api/articles/glossary/mri").get_json()
    audio = data["audio"]
    assert audio["url"] == "/glossary/mri/audio.mp3" and audio["vtt_url"] == "/glossary/mri/audio.vtt"
    assert audio["duration"] > 3 and audio["size"] > 1000
    assert spoken.get("/api/articles/glossary/myoclonus").get_json()["audio"] is None
    hits = spoken.get("/api/search?q=spasticity").get_json()["results"]
    assert {h["url"]: h["audio_url"] for h in hits}["/glossary/spasticity"] == "/glossary/spasticity/audio.mp3"


# --- the reader's voice -------------------------------------------------------------------

def test_the_player_names_the_voice_it_plays_and_what_is_not_ready(spoken):
    soup = BeautifulSoup(spoken.get("/glossary/mri").data, "html.parser")
    player = soup.find(attrs={"data-player": True})
    assert player["data-voice"] == "clear"  # the natural voice is not built in this corpus
    assert "&voice=clear" in soup.find("audio")["src"]
    assert "&voice=clear" in soup.find("a", download=True)["href"]
    assert set(json.loads(player["data-voices"])) == {"clear"}
    form = soup.find("form", class_="player-voice")
    assert form["method"] == "get" and form["action"] == "/glossary/mri#listen-title"
    natural = form.find("input", value="natural")
    assert natural.has_attr("disabled") and "not ready yet" in form.find("label", attrs={"for": natural["id"]}).text
    assert form.find("input", value="clear").has_attr("checked")
    assert form.find("button") is None  # nothing to switch to yet


def test_a_bare_audio_url_varies_with_the_cookie_and_a_named_voice_does_not(spoken):
    bare = fetch(spoken, "/glossary/mri/audio.json")
    named = fetch(spoken, "/glossary/mri/audio.json?voice=natural")  # not ready: the clear one
    assert "Cookie" in bare.vary and "Cookie" not in named.vary
    assert bare.get_json() == named.get_json()


@pytest.fixture(scope="module")
def two_voices_release(tmp_path_factory):
    """A release in which MRI is spoken in both voices, natural (Piper) and clear (espeak-ng)."""
    root = tmp_path_factory.mktemp("two-voices")
    shutil.copytree(FIXTURES, root / "content")
    mri = [a for a in load_site(root / "content").articles if a.slug == "mri"]
    lexicon = load_lexicon(FIXTURES / "lexicon.yaml")
    for voice in ("clear", "natural"):
        report = build_audio(mri, root / "audio", lexicon, voice_spec(voice, {}), jobs=1)
        assert report.ok, report.failed
    settings = {"CONTENT_DIR": root / "content", "INDEX_DIR": root / "index", "AUDIO_DIR": root / "audio"}
    build_release(settings, audio=False)
    return root / "index"


@pytest.fixture
def two_voices(two_voices_release):
    return create_app({"TESTING": True, "INDEX_DIR": two_voices_release}).test_client()


def voice_served(client, url: str) -> str:
    return fetch(client, url).get_json()["voice"]


def test_the_reader_choice_picks_the_rendition_and_a_named_voice_wins(two_voices):
    natural = BeautifulSoup(two_voices.get("/glossary/mri").data, "html.parser")
    player = natural.find(attrs={"data-player": True})
    assert player["data-voice"] == "natural"  # the default
    assert "&voice=natural" in natural.find("audio")["src"]
    assert natural.find("form", class_="player-voice").find("button", type="submit")
    voices = json.loads(player["data-voices"])
    assert set(voices) == {"natural", "clear"} and voices["natural"]["mp3"] != voices["clear"]["mp3"]
    assert voice_served(two_voices, voices["natural"]["timings"]) == "natural"
    assert voice_served(two_voices, voices["clear"]["timings"]) == "clear"

    two_voices.set_cookie(COOKIE, "voice=clear")
    clear = BeautifulSoup(two_voices.get("/glossary/mri").data, "html.parser")
    assert "&voice=clear" in clear.find("audio")["src"]
    assert voice_served(two_voices, "/glossary/mri/audio.json") == "clear"  # the cookie picks
    assert voice_served(two_voices, "/glossary/mri/audio.json?voice=natural") == "natural"  # the link wins
    asked = BeautifulSoup(two_voices.get("/glossary/mri?voice=natural").data, "html.parser")
    assert "&voice=natural" in asked.find("audio")["src"]
