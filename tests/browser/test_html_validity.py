"""The Nu HTML Checker (vnu.jar from npm, run with Java): zero errors on every page, as
served and after the scripts have enhanced it; site.css is valid CSS."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from voiceref.web.preferences import COOKIE

from .pages import LARGEST, PAGES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu(*args: str) -> list[dict]:
    """Run the checker; return its error messages."""
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.fail("Java or vnu.jar is missing: run scripts/install (apt java, npm vnu-jar)")
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *args],
        capture_output=True, text=True, timeout=300,
    )
    report = json.loads(done.stderr or done.stdout)
    return [m for m in report["messages"] if m.get("type") in {"error", "non-document-error"}]


def served(base_url: str, path: str, prefs: str = "") -> str:
    request = urllib.request.Request(base_url + path)
    if prefs:
        request.add_header("Cookie", f"{COOKIE}={prefs}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:  # the 404 page is a page too
        body = error.read().decode()
        error.close()
        return body


def describe(errors: list[dict], names: dict[str, str]) -> list[str]:
    return [
        f"{names.get(Path(e.get('url', '')).name, e.get('url'))}:{e.get('lastLine')}: {e['message']}"
        f" [{e.get('extract', '').strip()[:80]}]"
        for e in errors
    ]


def test_every_page_is_valid_html_as_served_and_as_enhanced(browsing, base_url, tmp_path):
    names: dict[str, str] = {}

    def keep(label: str, html: str) -> None:
        path = tmp_path / f"page{len(names)}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = label

    for name, path in PAGES.items():
        keep(name, served(base_url, path))
    # Every reader choice present on <html> at once.
    keep("home with preferences", served(base_url, "/", LARGEST + "&theme=dark&shortcuts=off"))
    keep("preferences, all changed", served(base_url, "/preferences", LARGEST + "&speed=2"))

    # The DOM after site.js and player.js have run, with the suggestions open.
    page = browsing.page()
    page.goto("/glossary/myoclonus")
    page.wait_for_load_state("networkidle")
    keep("article, enhanced", page.content())
    page.goto("/")
    page.locator("#search-q-home").fill("sp")
    page.locator("#search-q-home-suggestions [role=option]").first.wait_for()
    keep("home, suggestions open", page.content())

    errors = vnu(*(str(tmp_path / n) for n in names))
    problems = describe(errors, names)
    assert problems == [], "\n".join(problems)


def test_site_css_is_valid_css():
    assert vnu("--css", str(ROOT / "static" / "css" / "site.css")) == []
