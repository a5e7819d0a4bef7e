"""Measure how often search puts a right answer first, in the top 3, and how high (MRR).

Reads bench/relevance.tsv (query, category, right answers; "-" where the site has no answer),
builds the index of the bundled content the way `voiceref build` does, runs every query and
prints success@1, success@3 and mean reciprocal rank (over the first page of 10) per category,
then lists every failure with what came first instead. A query the site cannot answer succeeds
when search says "no results"; an answerable query that gets no results fails.

    .venv/bin/python bench/relevance.py [--cases bench/relevance.tsv] [--content content]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voiceref.content import load_site  # noqa: E402
from voiceref.search import IndexSearch, build_index  # noqa: E402
from voiceref.search.vocabulary import VOCABULARY_FILE, load_vocabulary  # noqa: E402

NO_ANSWER = "out-of-scope"
TARGETS = "targets: success@3 >= 0.95 overall and >= 0.90 for questions; no result for >= 2 in 3 out of scope"


@dataclass(frozen=True)
class Case:
    """One labelled query: what people type, its kind, and the pages that answer it."""

    query: str
    category: str
    answers: frozenset[str]
    line: int


@dataclass(frozen=True)
class Outcome:
    case: Case
    rank: int | None  # 1-based rank of the first right answer on page 1, None if absent
    total: int
    top: list[str]

    @property
    def success(self) -> bool:
        if not self.case.answers:
            return self.total == 0
        return self.rank is not None and self.rank <= 3


def read_cases(path: Path) -> list[Case]:
    """Read the labelled queries; a malformed line stops with its line number."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            sys.exit(f"{path}:{number}: expected query, category and answers separated by tabs")
        query, category, answers = fields
        wanted = frozenset() if answers.strip() == "-" else frozenset(answers.split())
        if (category == NO_ANSWER) != (not wanted):
            sys.exit(f"{path}:{number}: only {NO_ANSWER} queries have no answer ('-')")
        cases.append(Case(query, category, wanted, number))
    return cases


def run(cases: list[Case], search) -> list[Outcome]:
    outcomes = []
    for case in cases:
        page = search.search(case.query, page=1, page_size=10)
        urls = [hit.url for hit in page.hits]
        rank = next((i for i, url in enumerate(urls, start=1) if url in case.answers), None)
        outcomes.append(Outcome(case, rank, page.total, [hit.title for hit in page.hits[:3]]))
    return outcomes


def scores(outcomes: list[Outcome]) -> tuple[float, float, float]:
    """Return (success@1, success@3, MRR) for answerable queries."""
    n = len(outcomes) or 1
    at1 = sum(1 for o in outcomes if o.rank == 1) / n
    at3 = sum(1 for o in outcomes if o.rank is not None and o.rank <= 3) / n
    mrr = sum(1 / o.rank for o in outcomes if o.rank is not None) / n
    return at1, at3, mrr


def report(outcomes: list[Outcome]) -> None:
    by_category: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_category[outcome.case.category].append(outcome)
    answerable = [o for o in outcomes if o.case.answers]
    print(f"{'category':<14} {'queries':>7} {'success@1':>10} {'success@3':>10} {'MRR':>6}")
    for category, group in sorted(by_category.items(), key=lambda kv: kv[0] == NO_ANSWER):
        if category == NO_ANSWER:
            continue
        at1, at3, mrr = scores(group)
        print(f"{category:<14} {len(group):>7} {at1:>10.2f} {at3:>10.2f} {mrr:>6.2f}")
    at1, at3, mrr = scores(answerable)
    print(f"{'overall':<14} {len(answerable):>7} {at1:>10.2f} {at3:>10.2f} {mrr:>6.2f}")
    unanswerable = by_category.get(NO_ANSWER, [])
    if unanswerable:
        said_none = sum(1 for o in unanswerable if o.total == 0)
        print(f"{NO_ANSWER:<14} {len(unanswerable):>7}   no result for {said_none} of {len(unanswerable)} "
              f"({said_none / len(unanswerable):.2f})")
    print(TARGETS)
    failures = [o for o in outcomes if not o.success]
    if failures:
        print(f"\n{len(failures)} failures (line: query [category] -> rank of a right answer; first results):")
    for o in failures:
        where = "no results" if o.total == 0 else (f"rank {o.rank}" if o.rank else "not on page 1")
        if not o.case.answers:
            where = f"{o.total} results"
        print(f"  {o.case.line}: {o.case.query!r} [{o.case.category}] -> {where}; {' | '.join(o.top)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=ROOT / "bench" / "relevance.tsv")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()
    cases = read_cases(args.cases)
    site = load_site(args.content)
    with tempfile.TemporaryDirectory() as tmp:
        vocabulary = load_vocabulary(args.content / VOCABULARY_FILE)
        build_index(site.articles, Path(tmp) / "index", vocabulary=vocabulary)
        search = IndexSearch(Path(tmp) / "index")
        outcomes = run(cases, search)
    print(f"Relevance: {len(cases)} labelled queries from {args.cases.name}, {len(site)} articles")
    report(outcomes)


if __name__ == "__main__":
    main()
