"""Headings and landmarks, read from Chromium's accessibility tree, match the design:
one h1, no skipped levels, every navigation named, one main, banner and contentinfo."""

from __future__ import annotations

from collections import Counter

import pytest

from .pages import PAGES
from .probes import LANDMARK_ROLES, accessibility_tree

pytestmark = pytest.mark.browser


def outline_problems(nodes) -> list[str]:
    problems = []
    levels = [n.level for n in nodes if n.role == "heading"]
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} level-1 headings")
    if levels and levels[0] != 1:
        problems.append(f"the first heading is level {levels[0]}, not 1")
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level skips from {before} to {after}")
    if any(n.role == "heading" and not n.name.strip() for n in nodes):
        problems.append("an empty heading")
    return problems


def landmark_problems(nodes, name: str) -> list[str]:
    problems = []
    landmarks = [n for n in nodes if n.role in LANDMARK_ROLES]
    roles = Counter(n.role for n in landmarks)
    for role in ("banner", "main", "contentinfo"):
        if roles[role] != 1:
            problems.append(f"{roles[role]} {role} landmarks")
    navs = [n.name for n in landmarks if n.role == "navigation"]
    if "" in navs:
        problems.append("a navigation landmark without a name")
    if len(set(navs)) != len(navs):
        problems.append(f"navigation names repeat: {navs}")
    for required in ("Main", "Footer"):
        if required not in navs:
            problems.append(f"no “{required}” navigation")
    if name != "not found" and "Breadcrumb" not in navs:
        problems.append("no breadcrumb")
    searches = [n.name for n in landmarks if n.role == "search"]
    if not searches or "" in searches or len(set(searches)) != len(searches):
        problems.append(f"search landmarks must be present and named apart: {searches}")
    return problems


def test_headings_and_landmarks_match_the_design(browsing):
    page = browsing.page()
    problems = {}
    for name, path in PAGES.items():
        page.goto(path)
        if "audio" in name:
            page.wait_for_load_state("networkidle")
        nodes = accessibility_tree(page)
        found = outline_problems(nodes) + landmark_problems(nodes, name)
        if found:
            problems[name] = found
    assert problems == {}


def test_article_outline_reads_as_designed(browsing):
    page = browsing.page()
    page.goto("/glossary/myoclonus")
    page.wait_for_load_state("networkidle")
    headings = [(n.level, n.name) for n in accessibility_tree(page) if n.role == "heading"]
    assert headings[0] == (1, "Myoclonus")
    assert (2, "In short") in headings
    assert (2, "Listen to this page") in headings
    assert (3, "Night-time jerks") in headings
    assert headings.index((2, "In short")) < headings.index((2, "What it is"))


def test_the_outline_check_can_fail(browsing):
    page = browsing.page(bypass_csp=True)
    page.goto("/")
    page.evaluate("document.querySelector('h2').outerHTML = '<h4>Sections</h4>'")
    assert "heading level skips from 1 to 4" in outline_problems(accessibility_tree(page))
