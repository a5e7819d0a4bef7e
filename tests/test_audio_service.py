"""The audio service: the published catalog, or a null library when nothing is built."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

from voiceref.speech import AudioInfo, AudioService
from voiceref.speech.build import CATALOG, write_catalog
from voiceref.speech.engines import plausible


def info(duration: float, size: int) -> AudioInfo:
    return AudioInfo("glossary", "mri", "k" * 64, duration, size, 5, 2, {})


def test_labels_people_read():
    assert info(200, 1_234_567).length_label == "3 min 20 s"
    assert info(45.4, 640_000).length_label == "45 s"
    assert info(120, 640_000).length_label == "2 min"
    assert info(200, 1_234_567).size_label == "1.2 MB"
    assert info(10, 215_400).size_label == "215 kB"
    assert info(10, 1).minutes == 1 and info(200, 1).minutes == 3
    assert info(1, 1).url == "/glossary/mri/audio.mp3"


def test_service_without_a_catalog_is_unavailable(tmp_path):
    assert not AudioService(tmp_path / "nothing").get().available
    assert AudioService(None).get().info("glossary", "mri") is None
    (tmp_path / CATALOG).write_text("{not json")
    assert not AudioService(tmp_path).get().available


def test_service_reloads_when_a_build_replaces_the_catalog(tmp_path):
    service = AudioService(tmp_path)
    entry = {"key": "a" * 64, "title": "MRI", "duration": 12.5, "size": 5000, "sentences": 4, "chapters": 2}
    write_catalog(tmp_path, {"glossary/mri": entry}, "engine", "", 175)
    library = service.get()
    assert library.available and len(library) == 1
    found = library.info("glossary", "mri")
    assert found.duration == 12.5 and found.files["mp3"] == tmp_path / "glossary" / "mri" / f"{'a' * 20}.mp3"
    assert service.get() is library  # unchanged catalog: the same library
    write_catalog(tmp_path, {}, "engine", "", 175)
    os.utime(tmp_path / CATALOG, ns=(1, 1))  # a different stamp even within one clock tick
    assert service.get().info("glossary", "mri") is None
    assert json.loads((tmp_path / CATALOG).read_text())["rate"] == 175


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


def test_app_reads_audio_dir_from_config(app):
    assert app.extensions["voiceref"].audio.audio_dir == Path(app.config["AUDIO_DIR"])
