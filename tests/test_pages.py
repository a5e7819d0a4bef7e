"""Every page type, parsed as HTML: landmarks, headings, titles, breadcrumbs, headers."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

PAGES = {
    "/": "Multiple sclerosis explained, to read or to listen – voiceref",
    "/glossary/": "Glossary A to Z – voiceref",
    "/glossary/letter/m": "Letter M – Glossary – voiceref",
    "/glossary/myoclonus": "Myoclonus – Glossary – voiceref",
    "/essays/": "Essays – voiceref",
    "/essays/what-is-ms": "What is multiple sclerosis? – Essays – voiceref",
    "/news/": "News – voiceref",
    "/news/2017-ocrelizumab-approved": "Ocrelizumab approved for primary progressive MS – News – voiceref",
    "/people/": "People – voiceref",
    "/resources/": "Resources – voiceref",
    "/about/": "About – voiceref",
    "/about/accessibility-statement": "Accessibility statement – About – voiceref",
    "/search?q=klonopin": "1 result for ‘klonopin’ – Search – voiceref",
    "/search": "Search – Search – voiceref",
}
FOCUSABLE = ["a", "button", "input", "select", "textarea", "audio", "summary"]


def soup_of(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.data, "html.parser")


@pytest.mark.parametrize("url", PAGES)
def test_page_structure(client, url):
    soup = soup_of(client, url)
    assert soup.html["lang"] == "en"
    assert soup.title.get_text() == PAGES[url]
    assert len(soup.find_all("h1")) == 1
    first = soup.body.find(FOCUSABLE)
    assert first.get_text(strip=True) == "Skip to main content" and first["href"] == "#content"
    assert soup.find("main", id="content") is not None
    for landmark in ("header", "footer"):
        assert soup.find(landmark) is not None
    for nav in soup.find_all("nav"):
        assert nav.get("aria-label") or nav.get("aria-labelledby"), nav
    crumb = soup.find("nav", attrs={"aria-label": "Breadcrumb"})
    assert crumb.find_all("a")[-1]["aria-current"] == "page"
    assert not soup.find_all("script", src=False), "inline script"
    assert not soup.find_all(style=True), "style attribute"
    assert not soup.find_all("style")


@pytest.mark.parametrize("url", PAGES)
def test_headings_never_skip_a_level(client, url):
    soup = soup_of(client, url)
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


def test_titles_are_unique(client):
    titles = [soup_of(client, url).title.get_text() for url in PAGES]
    assert len(set(titles)) == len(titles)


def test_security_headers_on_every_response(client):
    for url in ["/", "/glossary/myoclonus", "/api/search?q=x", "/nope/nowhere", "/static/css/site.css"]:
        response = client.get(url)
        response.close()  # static files are streamed from an open file
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_article_closes_with_related_sources_review_and_disclaimer(client):
    soup = soup_of(client, "/glossary/myoclonus")
    headings = [h.get_text() for h in soup.find_all("h2")]
    assert headings[0] == "In short"
    assert headings[-2:] == ["Related", "Sources"]
    review = soup.find(class_="review").get_text(" ", strip=True)
    assert "Page last reviewed: 24 November 2026" in review
    assert "Next review due: 24 November 2029" in review
    assert "This is general information, not medical advice" in soup.find("article").get_text()
    body_links = [a["href"] for a in soup.find(class_="article-body").find_all("a")]
    assert body_links.count("/glossary/spasticity") == 1


def test_glossary_letter_navigation(client):
    soup = soup_of(client, "/glossary/")
    nav = soup.find("nav", attrs={"aria-label": "Glossary letters"})
    items = nav.find_all("li")
    assert [li.get_text(strip=True)[0] for li in items] == [chr(c) for c in range(65, 91)]
    linked = {li.a.get_text() for li in items if li.a}
    assert linked == {"C", "M", "R", "S"}
    assert not nav.find("a", string="X")  # shown, but not a link
    assert "(no entries)" in nav.get_text()


def test_letter_page_lists_its_entries(client):
    soup = soup_of(client, "/glossary/letter/m")
    listed = [a.get_text() for a in soup.find("main").find_all("ul", class_="article-list")[0].find_all("a")]
    assert listed == ["MRI", "Myoclonus"]  # by title, ignoring case
    assert client.get("/glossary/letter/M").status_code == 301
    assert client.get("/glossary/letter/x").status_code == 200
    assert client.get("/glossary/letter/ab").status_code == 404


def test_news_shows_its_date(client):
    soup = soup_of(client, "/news/2017-ocrelizumab-approved")
    assert soup.find("time", datetime="2017-03-28").get_text() == "28 March 2017"


def test_search_results_page(client):
    soup = soup_of(client, "/search?q=myoclonis")
    assert soup.h1.get_text() == "3 results for ‘myoclonis’"  # Myoclonus, and two that mention it
    assert soup.find(class_="suggestion").a.get_text() == "myoclonus"
    result = soup.find("ol", class_="results").li
    assert result.h2.a["href"] == "/glossary/myoclonus"
    assert result.find("mark") is not None
    assert result.find(class_="item-meta").get_text() == "Glossary"


def test_search_pagination_is_accessible(app, client):
    app.config["SEARCH_PAGE_SIZE"] = 2
    soup = soup_of(client, "/search?q=ms&page=2")
    nav = soup.find("nav", attrs={"aria-label": "Search results pages"})
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(" ", strip=True) == "Page 2"
    assert nav.find("a", rel="prev") and "(page 2 of" in soup.title.get_text()


def test_no_results_page_offers_help(client):
    soup = soup_of(client, "/search?q=zzzqqq")
    assert soup.h1.get_text() == "0 results for ‘zzzqqq’"
    assert soup.find("a", href="/glossary/")
    topics = soup.find("ul", class_="popular-topics").find_all("a")
    assert topics and {a["href"] for a in topics} <= {"/glossary/myoclonus", "/glossary/spasticity",
                                                      "/glossary/clonazepam", "/essays/what-is-ms",
                                                      "/glossary/restless-legs-syndrome", "/glossary/mri"}


@pytest.mark.parametrize(
    "query",
    [
        "(((", "title:", "*", "%22", "AND", "%00%01%1b", "%ff%fe%fd", "%", "%zz", "a" * 4_000, "",
        "<script>alert(1)</script>",
    ],
)
def test_hostile_search_gets_a_normal_page(client, query):
    response = client.get(f"/search?q={query}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    assert len(soup.find_all("h1")) == 1
    assert soup.find("script", src=False) is None
    assert b"<script>alert" not in response.data


def test_long_query_is_shortened_with_a_notice(client):
    soup = soup_of(client, "/search?q=" + "spasticity " * 100)
    assert "shortened" in soup.find(class_="notice").get_text()


@pytest.mark.parametrize("url", ["/nope/", "/glossary/no-such-term", "/x/y/z", "/%ff", "/glossary/..%2f..%2fetc"])
def test_unknown_paths_get_a_helpful_404(client, url):
    soup = soup_of(client, url, status=404)
    assert soup.h1.get_text() == "Page not found"
    assert soup.find("main").find("form", role="search") is not None


def test_server_errors_show_the_500_page_without_a_trace(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    assert response.status_code == 500
    assert b"secret internals" not in response.data and b"Traceback" not in response.data
    assert BeautifulSoup(response.data, "html.parser").h1.get_text() == "Sorry, something went wrong"


def test_before_any_release_pages_answer_and_health_says_why(content_dir, tmp_path):
    from voiceref import create_app

    app = create_app({"TESTING": True, "CONTENT_DIR": content_dir, "INDEX_DIR": tmp_path / "none"})
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/glossary/myoclonus").status_code == 404  # the server never reads content/
    assert "no release has been built" in client.get("/healthz").get_json()["status"]
    soup = soup_of(client, "/search?q=myoclonus")
    assert soup.h1.get_text() == "Search is not available"
    assert client.get("/healthz").status_code == 503
    assert client.get("/api/search?q=x").status_code == 503
    assert client.get("/api/suggest?q=my").get_json() == []
