"""The published-audio contract: catalog entries, file names, links into a release, labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from voiceref import create_app
from voiceref.speech import AudioInfo
from voiceref.speech.catalog import (
    BY_URL_NAME,
    KEY_LENGTH,
    KINDS,
    CatalogEntry,
    link_into,
    read_catalog,
    store_files,
    write_catalog,
)
from voiceref.speech.engines import plausible


def entry(duration: float = 12.5, size: int = 5000, key: str = "a" * 64) -> CatalogEntry:
    return CatalogEntry("glossary", "mri", "clear", key, "s" * 64, "MRI", duration, 4, 2, {"mp3": size})


def info(duration: float, size: int, tmp_path) -> AudioInfo:
    return AudioInfo.of(entry(duration, size), tmp_path)


def test_labels_people_read(tmp_path):
    assert info(200, 1_234_567, tmp_path).length_label == "3 min 20 s"
    assert info(45.4, 640_000, tmp_path).length_label == "45 s"
    assert info(120, 640_000, tmp_path).length_label == "2 min"
    assert info(200, 1_234_567, tmp_path).size_label == "1.2 MB"
    assert info(10, 215_400, tmp_path).size_label == "215 kB"
    assert info(10, 1, tmp_path).minutes == 1 and info(200, 1, tmp_path).minutes == 3


def test_urls_come_from_the_routes(tmp_path):
    app = create_app({"TESTING": True, "INDEX_DIR": tmp_path / "index"})
    with app.test_request_context():
        found = info(1, 1, tmp_path)
        assert found.url == "/glossary/mri/audio.mp3"
        assert found.timings_url == "/glossary/mri/audio.json"
        assert found.link("chapters", v=found.version) == f"/glossary/mri/chapters.vtt?v={'a' * KEY_LENGTH}"


def test_every_kind_has_one_url_name_suffix_and_media_type():
    assert set(BY_URL_NAME) == {kind.url_name for kind in KINDS.values()}
    assert len({kind.suffix for kind in KINDS.values()}) == len(KINDS)
    assert KINDS["mp3"].media_type == "audio/mpeg"


def test_store_names_files_by_key(tmp_path):
    files = store_files(tmp_path, "ab" + "c" * 62)
    assert files["mp3"] == tmp_path / "ab" / f"ab{'c' * (KEY_LENGTH - 2)}.mp3"
    assert files["chapters"].name.endswith(".chapters.vtt")


def test_catalog_round_trip_and_missing_catalog(tmp_path):
    assert read_catalog(tmp_path) == {}
    catalog = {"clear": {"glossary/mri": entry()}, "natural": {}}
    write_catalog(tmp_path, catalog)
    assert read_catalog(tmp_path) == catalog


def test_release_links_stored_files_and_checks_their_sizes(tmp_path):
    store, release = tmp_path / "store", tmp_path / "release"
    stored = store_files(store, "a" * 64)
    stored["mp3"].parent.mkdir(parents=True)
    for name, path in stored.items():
        path.write_bytes(b"x" * (5000 if name == "mp3" else 10))
    link_into(release, entry(), store)
    files = entry().files(release)
    assert files["mp3"] == release / "audio" / "clear" / "glossary" / "mri" / "audio.mp3"
    assert files["mp3"].stat().st_ino == stored["mp3"].stat().st_ino  # shared, not copied
    assert entry().problems(release) == []
    files["mp3"].unlink()
    assert entry().problems(release) == [f"{files['mp3']} is missing"]
    assert entry(size=4999).problems(release)[0].endswith("is missing")


def test_pages_say_audio_is_not_ready_when_nothing_is_built(client):
    page = client.get("/glossary/myoclonus").get_data(as_text=True)
    assert "The spoken version is not ready yet." in page and "audio not ready yet" in page
    response = client.get("/glossary/myoclonus/audio.mp3")
    assert response.status_code == 404 and "not ready yet" in response.get_data(as_text=True)
    assert "The spoken versions are not ready yet." in client.get("/glossary/letter/m").get_data(as_text=True)
    assert client.get("/api/articles/glossary/myoclonus").get_json()["audio"] is None
    assert client.get("/api/search?q=myoclonus").get_json()["results"][0]["audio_url"] is None
    root = ET.fromstring(client.get("/feeds/podcast.xml").data)
    assert root.find("channel/title") is not None and root.findall("channel/item") == []
    assert client.get("/glossary/playlist.m3u").get_data(as_text=True).startswith("#EXTM3U")


def test_plausible_durations():
    words = "one two three four five six seven eight nine ten"
    assert plausible(3.4, words, 175)
    assert not plausible(0.1, words, 175)
    assert not plausible(60.0, words, 175)
