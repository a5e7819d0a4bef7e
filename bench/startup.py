"""Benchmark a web worker's start-up time and memory against the size of the release it serves.

Builds two real releases with `build_release` (no audio): the bundled content, and N synthetic
articles (default 10,000; words drawn with their real frequencies from the bundled content, as
bench/search.py does). For each it starts fresh worker processes that import voiceref, create
the app and answer a first article page (the start), then answer a few hundred mixed requests
(home, section lists, articles, search, suggest) and report their peak resident memory (VmHWM,
so the parent's memory does not count). A bare Flask app answering one page is the floor,
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

from search import vocabulary  # noqa: E402

from voiceref.release.build import build_release  # noqa: E402

WORKER = r"""
import json, sys, time
started = time.perf_counter()
from voiceref import create_app
app = create_app({"INDEX_DIR": sys.argv[1]})
client = app.test_client()
first = client.get(sys.argv[2])
assert first.status_code == 200, first.status_code
start = time.perf_counter() - started
paths = json.loads(sys.argv[3])
for path in paths:
    code = client.get(path).status_code
    assert code == 200, (path, code)
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"start": start, "rss_mb": int(hwm.split()[1]) / 1024}))
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


def measure(index: Path, first: str, paths: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Start `runs` fresh workers; return their start times and peak RSS."""
    starts, rss = [], []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", WORKER, str(index), first, json.dumps(paths)],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        starts.append(figures["start"])
        rss.append(figures["rss_mb"])
    return starts, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
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
        rows.append(("bare Flask app (floor)", "–", [f["start"] for f in floor], [f["rss_mb"] for f in floor]))
        for label, index, pages, seconds in (
            (f"bundled release ({articles_in(bundled)} articles)", bundled, bundled_urls, bundled_build),
            (f"synthetic release ({args.articles:,} articles)", synthetic, urls, synthetic_build),
        ):
            starts, rss = measure(index, pages[0], workload(pages, rng), args.runs)
            rows.append((label, f"{seconds:.1f}", starts, rss))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{'release':<44} {'build (s)':>9} {'start p50 / max (s)':>20} {'peak RSS p50 / max (MB)':>24}")
    for label, built, starts, rss in rows:
        print(f"{label:<44} {built:>9} {statistics.median(starts):>9.2f} / {max(starts):<8.2f}"
              f" {statistics.median(rss):>11.0f} / {max(rss):<10.0f}")


if __name__ == "__main__":
    main()
