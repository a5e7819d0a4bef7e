"""Benchmark a web worker's start-up time and memory against the size of the release it serves.

Builds two real releases with `build_release` (no audio): the bundled content, and N synthetic
articles (default 10,000; words drawn with their real frequencies from the bundled content, as
bench/search.py does). For each it starts fresh worker processes that import voiceref, create
the app and answer a first article page (the start), then answer a few hundred mixed requests
(home, section lists, articles, search, suggest) and 300 realistic searches (bench/queries.py),
and report their resident memory after the start, after the first search and at the end, and
their peak (VmHWM, so the parent's memory does not count). A bare Flask app answering one page is the floor,
measured in the same run. Targets: start ≤ 1 s and peak RSS ≤ 150 MB at 10,000 articles.

    .venv/bin/python bench/startup.py [--articles 10000] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from queries import realistic_queries  # noqa: E402
from search import vocabulary  # noqa: E402

from voiceref.release.build import build_release  # noqa: E402

WORKER = r"""
import json, sys, time
from urllib.parse import quote_plus
def rss(field="VmRSS"):
    line = next(line for line in open("/proc/self/status") if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024
started = time.perf_counter()
from voiceref import create_app
app = create_app({"INDEX_DIR": sys.argv[1]})
client = app.test_client()
first = client.get(sys.argv[2])
assert first.status_code == 200, first.status_code
start = time.perf_counter() - started
after_start = rss()
assert client.get("/search?q=fatigue").status_code == 200
after_search = rss()
paths = json.loads(sys.argv[3])
for path in paths:
    code = client.get(path).status_code
    assert code == 200, (path, code)
queries = json.loads(sys.argv[4])
for query in queries:
    assert client.get("/search?q=" + quote_plus(query)).status_code == 200, query
print(json.dumps({"start": start, "after_start": after_start, "after_search": after_search,
                  "after_all": rss(), "rss_mb": rss("VmHWM")}))
"""

FLOOR = r"""
import json, time
started = time.perf_counter()
from flask import Flask
app = Flask(__name__)
app.add_url_rule("/", "home", lambda: "<!doctype html><title>floor</title><p>Hello")
assert app.test_client().get("/").status_code == 200
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"start": time.perf_counter() - started, "rss_mb": int(hwm.split()[1]) / 1024}))
"""


def synthetic_content(target: Path, count: int, rng: random.Random) -> list[str]:
    """Write `count` Markdown articles (glossary, essays, resources); return their URLs."""
    words, title_words = vocabulary(ROOT / "content")
    sections = ["glossary"] * 6 + ["essays"] * 2 + ["resources"] * 2
    urls = []
    for n in range(count):
        section = sections[n % len(sections)]
        title = " ".join(rng.choice(title_words) for _ in range(rng.randint(1, 3))).capitalize()
        body = rng.choices(words, k=int(rng.lognormvariate(5.9, 0.5)))
        paragraphs = [" ".join(body[i : i + 40]).capitalize() + "." for i in range(0, len(body), 40)]
        for i in range(len(paragraphs) - 1, 0, -3):
            paragraphs.insert(i, f"## {rng.choice(title_words).capitalize()} {i}")
        summary = " ".join(rng.choices(words, k=18)).capitalize() + "."
        folder = target / section
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"synthetic-{n}.md").write_text(
            f"---\ntitle: {title} {n}\nsummary: {summary}\nsources:\n  - title: Example\n"
            f"    url: https://example.org/{n}\nreviewed: 2026-01-01\n---\n" + "\n\n".join(paragraphs) + "\n",
            encoding="utf-8",
        )
        urls.append(f"/{section}/synthetic-{n}")
    return urls


def build(content: Path, root: Path) -> tuple[Path, float]:
    """Build a release of `content` under `root`; return (INDEX_DIR, seconds)."""
    settings = {"CONTENT_DIR": content, "INDEX_DIR": root / "index", "AUDIO_DIR": root / "audio"}
    started = time.perf_counter()
    build_release(settings, audio=False)
    return root / "index", time.perf_counter() - started


def articles_in(index: Path) -> int:
    """Return how many articles the current release in `index` has."""
    return json.loads((index / "current" / "manifest.json").read_text(encoding="utf-8"))["articles"]


def workload(urls: list[str], rng: random.Random) -> list[str]:
    """Return a few hundred requests of a reader's mix."""
    fixed = ["/", "/glossary/", "/glossary/letter/s", "/essays/", "/search?q=fatigue", "/api/suggest?q=spa"]
    queries = ["walking problems", "bladder", "tired all the time", "vision", "spasticity treatment"]
    mix = fixed + [f"/search?q={q.replace(' ', '+')}" for q in queries] + rng.sample(urls, min(200, len(urls)))
    return mix


def measure(index: Path, first: str, paths: list[str], queries: list[str], runs: int) -> list[dict]:
    """Start `runs` fresh workers; return what each measured (seconds, and RSS in MB)."""
    found = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", WORKER, str(index), first, json.dumps(paths), json.dumps(queries)],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        found.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=300, help="realistic searches after the mixed requests")
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = args.keep or Path(tempfile.mkdtemp(prefix="voiceref-startup-"))
    try:
        bundled, bundled_build = build(ROOT / "content", root / "bundled")
        bundled_urls = [f"/glossary/{p.stem}" for p in sorted((ROOT / "content" / "glossary").glob("*.md"))]
        urls = synthetic_content(root / "synthetic-content", args.articles, rng)
        synthetic, synthetic_build = build(root / "synthetic-content", root / "synthetic")
        rows = []
        floor = [json.loads(subprocess.run([sys.executable, "-c", FLOOR], capture_output=True, text=True,
                                           check=True).stdout) for _ in range(args.runs)]
        rows.append(("bare Flask app (floor)", "–", floor))
        queries = realistic_queries(1000, seed=args.seed)[: args.queries]
        for label, index, pages, seconds in (
            (f"bundled release ({articles_in(bundled)} articles)", bundled, bundled_urls, bundled_build),
            (f"synthetic release ({args.articles:,} articles)", synthetic, urls, synthetic_build),
        ):
            rows.append((label, f"{seconds:.1f}", measure(index, pages[0], workload(pages, rng), queries, args.runs)))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{'release':<40} {'build (s)':>9} {'start p50/max (s)':>18} {'peak RSS p50/max (MB)':>22}"
          f"   RSS p50 (MB) after: start, first search, {args.queries} searches")
    for label, built, runs in rows:
        starts, peaks = [r["start"] for r in runs], [r["rss_mb"] for r in runs]
        stages = " / ".join(f"{statistics.median(r[k] for r in runs):.0f}" if k in runs[0] else "–"
                            for k in ("after_start", "after_search", "after_all"))
        print(f"{label:<40} {built:>9} {statistics.median(starts):>8.2f} / {max(starts):<7.2f}"
              f" {statistics.median(peaks):>9.0f} / {max(peaks):<10.0f}   {stages}")


if __name__ == "__main__":
    main()
