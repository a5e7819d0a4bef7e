"""Read content files, check them, and render them into a Site."""

from __future__ import annotations

import datetime as dt
import re
import stat
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from ..errors import ContentError, Problem
from .model import SECTIONS, Article, Site, Source
from .render import Linker, Term, render_body

FIELDS = {"title", "section", "summary", "aliases", "related", "sources", "reviewed", "date"}
SOURCE_FIELDS = {"title", "url", "checked"}
# libyaml's loader when PyYAML was built with it: parsing front matter is most of a load.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_ARTICLE_BYTES = 1_000_000  # far above the longest article; a larger file is a mistake
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _FileReader:
    """Parses one file's front matter, noting problems with their line numbers."""

    def __init__(self, path: Path, section: str, today: dt.date):
        self.path, self.section, self.today = path, section, today
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}
        self.nodes: dict[str, yaml.Node] = {}
        self.body_offset = 1

    def problem(self, line: int, reason: str) -> None:
        self.problems.append(Problem(self.path, line, reason))

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    def read(self) -> Article | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.problem(1, f"not UTF-8 text ({exc.reason})")
            return None
        handler = frontmatter.YAMLHandler()
        if not handler.detect(text):
            self.problem(1, "no YAML front matter: the file must start with a '---' line")
            return None
        try:
            fm_text, body = handler.split(text)
        except ValueError:
            self.problem(1, "front matter is not closed by a '---' line")
            return None
        # fm_text starts with the newline ending line 1, so its line n is the file's line
        # n + 1; the body starts with the newline ending the closing '---' line.
        self.body_offset = 1 + fm_text.count("\n")
        meta = self._parse_yaml(fm_text)
        if meta is None:
            return None
        return self._article(meta, body)

    def _parse_yaml(self, fm_text: str) -> dict[str, Any] | None:
        try:
            node = yaml.compose(fm_text, Loader=YAML_LOADER)
            meta = yaml.load(fm_text, Loader=YAML_LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            self.problem(line, f"YAML error: {exc.problem or exc.context}")
            return None
        except yaml.YAMLError as exc:
            self.problem(1, f"YAML error: {exc}")
            return None
        except ValueError:
            # PyYAML raises a bare ValueError for an impossible date such as 2026-13-45.
            self._report_bad_dates(node)
            return None
        if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
            self.problem(1, "front matter must be a YAML mapping of field: value")
            return None
        for key_node, value_node in node.value:
            self.lines[str(key_node.value)] = key_node.start_mark.line + 1
            self.nodes[str(key_node.value)] = value_node
        return meta

    def _report_bad_dates(self, node: yaml.Node) -> None:
        """Report each impossible date (2026-13-45), in fields and in sources alike."""
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self._report_bad_dates(item)
            return
        for key_node, value_node in node.value if isinstance(node, yaml.MappingNode) else []:
            if value_node.tag.endswith(":timestamp"):
                try:
                    dt.date.fromisoformat(value_node.value)
                except ValueError:
                    line = key_node.start_mark.line + 1
                    self.problem(line, f"malformed {key_node.value} {value_node.value!r}: expected YYYY-MM-DD")
            else:
                self._report_bad_dates(value_node)

    def _text(self, meta: dict[str, Any], key: str) -> str:
        value = meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problem(self.line_of(key), f"missing {key}")
            return ""
        if not isinstance(value, str):
            self.problem(self.line_of(key), f"{key} must be text")
            return ""
        return " ".join(value.split())

    def _strings(self, meta: dict[str, Any], key: str) -> list[str]:
        value = meta.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(self.line_of(key), f"{key} must be a list of text, like [a, b]")
            return []
        return [v.strip() for v in value if v.strip()]

    def _date(self, meta: dict[str, Any], key: str, required: bool) -> dt.date | None:
        value = meta.get(key)
        if value is None:
            if required:
                self.problem(self.line_of(key), f"missing {key} (YYYY-MM-DD)")
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            self.problem(self.line_of(key), f"malformed {key} {value!r}: expected YYYY-MM-DD")
            return None
        return value

    def _sources(self, meta: dict[str, Any]) -> list[Source]:
        value = meta.get("sources") or []
        if not isinstance(value, list):
            self.problem(self.line_of("sources"), "sources must be a list of items with a title and a url")
            return []
        node = self.nodes.get("sources")
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        sources = []
        for position, item in enumerate(value):
            item_node = items[position] if position < len(items) else None
            line = item_node.start_mark.line + 1 if item_node is not None else self.line_of("sources")
            source = self._source(item, item_node, line)
            if source is not None:
                sources.append(source)
        return sources

    def _source(self, item: Any, node: yaml.Node | None, line: int) -> Source | None:
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            self.problem(line, "each source needs a title (and a url)")
            return None
        keys = node.value if isinstance(node, yaml.MappingNode) else []
        lines = {str(key.value): key.start_mark.line + 1 for key, _ in keys}
        for key in sorted(set(item) - SOURCE_FIELDS):
            self.problem(lines.get(key, line), f"unknown source field {key!r}: use {', '.join(sorted(SOURCE_FIELDS))}")
        url = item.get("url") or ""
        if not isinstance(url, str) or (url and not url.startswith(("https://", "http://"))):
            self.problem(lines.get("url", line), f"source {item['title']!r} has a url that is not http(s)")
            url = ""
        checked = item.get("checked")
        if isinstance(checked, dt.datetime):
            checked = checked.date()
        if checked is not None and not isinstance(checked, dt.date):
            self.problem(lines.get("checked", line), f"malformed checked {checked!r}: expected YYYY-MM-DD")
            checked = None
        elif checked is not None and checked > self.today:
            self.problem(lines.get("checked", line), f"checked date {checked} is in the future")
            checked = None
        return Source(title=item["title"].strip(), url=url.strip(), checked=checked)

    def _article(self, meta: dict[str, Any], body: str) -> Article | None:
        for key in sorted(set(meta) - FIELDS):
            self.problem(self.line_of(key), f"unknown field {key!r}")
        declared = meta.get("section")
        if declared is not None and declared != self.section:
            self.problem(
                self.line_of("section"),
                f"section {declared!r} does not match the folder {self.section!r}",
            )
        slug = self.path.stem
        if not SLUG.match(slug):
            self.problem(1, f"file name {slug!r} is not a slug: use lower-case words and hyphens")
        title = self._text(meta, "title")
        summary = self._text(meta, "summary")
        reviewed = self._date(meta, "reviewed", required=True)
        if reviewed and reviewed > self.today:
            self.problem(self.line_of("reviewed"), f"reviewed date {reviewed} is in the future")
        date = self._date(meta, "date", required=SECTIONS[self.section].dated)
        article = Article(
            section=self.section,
            slug=slug,
            title=title,
            summary=summary,
            path=self.path,
            reviewed=reviewed or self.today,
            aliases=self._strings(meta, "aliases"),
            related=self._strings(meta, "related"),
            sources=self._sources(meta),
            date=date,
            body=body,
        )
        return article


def content_files(content_dir: Path) -> list[Path]:
    """Return every Markdown file under the content folder, in a stable order."""
    return sorted(content_dir.rglob("*.md"))


def refuse(path: Path, content_dir: Path) -> str | None:
    """Return why a content file may not be read (a link out of content/, too large), or None."""
    try:
        real = path.resolve(strict=True)
        status = real.stat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    size = status.st_size
    if not real.is_relative_to(content_dir.resolve()):
        return f"is a link to {real}, outside the content folder: copy the file in instead"
    if not stat.S_ISREG(status.st_mode):  # reading a named pipe would wait for ever
        return "is not a regular file (a folder, pipe or device): an article must be a plain text file"
    if size > MAX_ARTICLE_BYTES:
        return f"is {size:,} bytes; an article may be at most {MAX_ARTICLE_BYTES:,} (split it up)"
    return None


def _read_all(content_dir: Path, today: dt.date) -> tuple[list[Article], list[Problem], dict]:
    articles: list[Article] = []
    problems: list[Problem] = []
    readers: dict[tuple[str, str], _FileReader] = {}
    for path in content_files(content_dir):
        reason = refuse(path, content_dir)
        if reason is not None:
            problems.append(Problem(path, 1, reason))
            continue
        relative = path.relative_to(content_dir)
        section = relative.parts[0] if len(relative.parts) == 2 else None
        if section not in SECTIONS:
            where = "/".join(relative.parts[:-1]) or "the top of content/"
            problems.append(
                Problem(path, 1, f"unknown section {where!r}: use one of {', '.join(SECTIONS)}")
            )
            continue
        reader = _FileReader(path, section, today)
        article = reader.read()
        problems.extend(reader.problems)
        if article is not None:
            articles.append(article)
            readers[article.key] = reader
    return articles, problems, readers


def _check_links(articles: list[Article], readers: dict) -> list[Problem]:
    """Find duplicate slugs and `related` entries that point nowhere."""
    problems: list[Problem] = []
    by_slug: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_slug[article.slug].append(article)
    for slug, same in by_slug.items():
        if len(same) > 1:
            for article in same:
                others = ", ".join(str(a.path) for a in same if a is not article)
                problems.append(Problem(article.path, 1, f"duplicate slug {slug!r} (also {others})"))
    for article in articles:
        line = readers[article.key].line_of("related")
        for slug in article.related:
            if slug == article.slug:
                problems.append(Problem(article.path, line, f"related lists the article itself ({slug!r})"))
            elif slug not in by_slug:
                problems.append(Problem(article.path, line, f"related slug {slug!r} does not exist"))
    return problems


def glossary_terms(articles: list[Article]) -> list[Term]:
    """Return the titles and aliases of glossary entries, for auto-linking."""
    terms = []
    for article in articles:
        if article.section == "glossary" and article.title:
            for text in (article.title, *article.aliases):
                terms.append(Term(text=text, slug=article.slug, url=article.url))
    return terms


def load_site(
    content_dir: Path,
    today: dt.date | None = None,
    extra_checks: Callable[[list[Article], dict[tuple[str, str], Callable[[str], int]]], list[Problem]]
    | None = None,
) -> Site:
    """Load, check and render every article; raise ContentError listing every problem.

    `extra_checks(articles, line_of)` may add problems; `line_of[key](field)` gives the line
    of a front-matter field in that article's file.
    """
    today = today or dt.date.today()
    if not content_dir.is_dir():
        raise ContentError([Problem(content_dir, 0, "content folder not found")])
    articles, problems, readers = _read_all(content_dir, today)
    problems.extend(_check_links(articles, readers))
    linker = Linker(glossary_terms(articles))
    for article in articles:
        rendered = render_body(article.body, linker, own_slug=article.slug)
        offset = readers[article.key].body_offset
        problems.extend(Problem(article.path, offset + line, reason) for line, reason in rendered.problems)
        article.html, article.text, article.headings = rendered.html, rendered.text, rendered.headings
    if extra_checks is not None:
        problems.extend(extra_checks(articles, {k: r.line_of for k, r in readers.items()}))
    if problems:
        raise ContentError(problems)
    return Site(articles)
