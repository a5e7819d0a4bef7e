"""Lighthouse scores for a locally served build: home, an article and a search page.

Builds the content (index and audio) into a temporary folder, serves it with gunicorn
(`voiceref serve`) on 127.0.0.1, runs Lighthouse 12.2.3 (through npx, with Debian's
Chromium) on each page, and prints the four category scores beside the targets:
accessibility 100, best practices 100, SEO 100, performance at least 95.

    .venv/bin/python bench/lighthouse.py                      # the bundled content, mobile
    .venv/bin/python bench/lighthouse.py --preset desktop
    .venv/bin/python bench/lighthouse.py --content tests/fixtures/content --article /glossary/myoclonus

Exits 1 when any score misses its target.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LIGHTHOUSE = "lighthouse@12.2.3"
CHROME_FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
)
CATEGORIES = {
    "performance": ("Performance", 95),
    "accessibility": ("Accessibility", 100),
    "best-practices": ("Best practices", 100),
    "seo": ("SEO", 100),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(content: Path, into: Path, jobs: int) -> dict[str, str]:
    """Build the index and audio of `content` into `into`; return the server's environment."""
    command = [
        str(BIN / "voiceref"), "build", "--content", str(content), "--index", str(into / "index"),
        "--audio", str(into / "audio"), "--jobs", str(jobs),
    ]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    print(f"built {content} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return {
        "VOICEREF_CONTENT_DIR": str(content),
        "VOICEREF_INDEX_DIR": str(into / "index"),
        "VOICEREF_AUDIO_DIR": str(into / "audio"),
        "VOICEREF_HOST": "127.0.0.1",
    }


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped before it answered")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url} after {seconds:.0f} s")


def lighthouse(url: str, preset: str, out: Path) -> dict:
    """Run Lighthouse on one URL and return its JSON report."""
    command = [
        "npx", "--yes", LIGHTHOUSE, url,
        "--output=json", f"--output-path={out}", "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def shortfalls(report: dict) -> list[str]:
    """Titles of the scored audits that lost points, by category."""
    lost = []
    for key, category in report["categories"].items():
        if category["score"] == 1:
            continue
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                lost.append(f"{key}: {audit['title']} ({audit['score']:.2f})")
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--article", default="/glossary/spasticity", help="path of an article")
    parser.add_argument("--query", default="spasticity", help="a search that finds results")
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if shutil.which("npx") is None:
        raise SystemExit("npx is missing: run scripts/install (it installs nodejs and npm)")

    pages = {"home": "/", "article": args.article, "search": f"/search?q={args.query}"}
    with tempfile.TemporaryDirectory(prefix="voiceref-lighthouse-") as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, **build(args.content.resolve(), tmp_path, args.jobs)}
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with open(tmp_path / "serve.log", "wb") as log:
            server = subprocess.Popen(
                [str(BIN / "voiceref"), "serve", "--port", str(port), "--workers", "2"],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )
            try:
                wait_until_up(url, server)
                reports = {
                    name: lighthouse(url + path, args.preset, tmp_path / f"{name}.json")
                    for name, path in pages.items()
                }
            finally:
                server.terminate()
                server.wait(timeout=10)

    print(f"Lighthouse 12.2.3, {args.preset}, Chromium at {os.environ.get('CHROME_PATH', '/usr/bin/chromium')}")
    header = f"{'page':<10} {'path':<28}" + "".join(f" {label:>15}" for label, _ in CATEGORIES.values())
    print(header)
    print("-" * len(header))
    missed = False
    for name, report in reports.items():
        cells = []
        for key, (_, target) in CATEGORIES.items():
            score = round(report["categories"][key]["score"] * 100)
            missed |= score < target
            cells.append(f" {score:>15}")
        print(f"{name:<10} {pages[name]:<28}" + "".join(cells))
    print(f"{'target':<10} {'':<28}" + "".join(
        f" {('≥ ' if target < 100 else '') + str(target):>15}" for _, target in CATEGORIES.values()
    ))
    for name, report in reports.items():
        for line in shortfalls(report):
            print(f"  {name}: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
