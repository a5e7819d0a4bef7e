"""JSON and XML endpoints."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def test_api_search_shape(client):
    data = client.get("/api/search?q=klonopin").get_json()
    assert data["query"] == "klonopin" and data["total"] == 1
    hit = data["results"][0]
    assert set(hit) >= {"title", "url", "section", "snippet", "audio_url"}
    assert hit["url"] == "/glossary/clonazepam"
    assert "suggestion" in data


def test_api_search_typo_and_empty(client):
    assert client.get("/api/search?q=spastisity").get_json()["suggestion"] == "spasticity"
    assert client.get("/api/search?q=").get_json()["total"] == 0
    assert client.get("/api/search?q=%ff(((").status_code == 200


def test_api_suggest(client):
    data = client.get("/api/suggest?q=res").get_json()
    expected = {"title": "Restless legs syndrome", "url": "/glossary/restless-legs-syndrome", "section": "glossary"}
    assert data[0] == expected


def test_api_article(client):
    data = client.get("/api/articles/glossary/myoclonus").get_json()
    assert data["title"] == "Myoclonus" and data["summary"].startswith("Sudden")
    assert "quick jerk" in data["text"] and "<" not in data["text"]
    assert data["reviewed"] == "2026-11-24" and data["next_review"] == "2029-11-24"
    assert client.get("/api/articles/glossary/nope").status_code == 404
    assert client.get("/api/articles/nope/nope").get_json()["error"]


def test_healthz_counts(client, index_dir):
    data = client.get("/healthz").get_json()
    current = (index_dir / "current").resolve().name
    assert data == {"status": "ok", "release": current, "built": data["built"], "articles": 10, "indexed": 10,
                    "audio": {"clear": 0, "natural": 0}}


def test_sitemap_lists_every_article(client, site):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [el.text for el in root.findall("s:url/s:loc", ns)]
    for article in site.articles:
        assert f"http://localhost{article.url}" in locs


def test_robots_and_opensearch(client):
    assert "Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt").get_data(as_text=True)
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    url = root.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url.get("template") == "http://localhost/search?q={searchTerms}"


def test_news_feed_is_valid_rss(client):
    root = ET.fromstring(client.get("/feeds/news.xml").data)
    items = root.findall("channel/item")
    assert [i.findtext("title") for i in items] == ["Ocrelizumab approved for primary progressive MS"]
