"""Benchmark serving: nginx with static files (the limit), `voiceref serve` alone, and the shipped proxy set-up.

One run on 127.0.0.1, the same machine for everything (wrk shares the cores with the servers):

- static: nginx serving the article's HTML and its MP3 as files, no app (the limit);
- bare:   `voiceref serve`'s gunicorn arrangement (2 gevent workers) sending the article page's
          bytes and headers from a WSGI callable that does nothing else (bench/bare_gunicorn.py):
          the most any app gets out of this server here (article page only);
- serve:  `voiceref serve`, 2 gevent workers, nothing in front;
- proxy:  deploy/nginx/ (page cache, static and audio from disk) in front of two `voiceref serve`
          processes of one worker each (the same two cores' worth of workers);
- with --servers granian,uwsgi,...: other WSGI servers (bench/servers.py), 2 workers each, serving
          the bare callable ("granian bare": article page) and the real app ("granian app": article
          page, MP3 range, search with the 1,000 queries), for the team's choice of server. Their
          rows are figures, not targets.

Workloads: one article page; a 64 kB range of its MP3; search with 1,000 distinct realistic
queries (titles, aliases, lower case, typos, everyday phrasings), which wrk cycles through, so
after the first pass they are answered from the caches; search with queries never asked before
in that set-up (a fresh slice of other realistic queries for every run: the uncached path);
suggest on the 1,000 queries' prefixes; a mix (pages 55 %, search 20 %, suggest 15 %, MP3
ranges 10 %). Each at 50, 200 and 500 connections with wrk (Debian's; it stops by itself after
--duration seconds). Prints requests/s, p50/p99 latency, errors (connect, read, write,
timeouts, status >= 400) and, for the proxy, the share of answers its page cache gave; then
whether each set-up answers a normal request within 1 s while 200 connections never finish
their headers (bench/servers.py, `slow_clients`); then checks the targets of issues 10 and 12
and exits 1 if one is missed. Run it alone, under the heavy lock:

    flock /tmp/voiceref-heavy.lock .venv/bin/python bench/serve.py [--duration 5] [--connections 50,200,500] \
        [--servers granian,granian-nolog,uwsgi] [--setups static,serve]

It builds a release of the bundled content (clear voice) into the system's temp folder once and
reuses it (`voiceref build` is incremental).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from servers import SERVERS, SlowCheck, missing, other_server, slow_clients, slow_table  # noqa: E402

from voiceref.content import Site, load_site  # noqa: E402
from voiceref.loopback import (  # noqa: E402
    AppProcess,
    NginxProcess,
    free_port,
    main_config,
    shipped_site,
    voiceref_command,
)

ARTICLE = "/glossary/spasticity"
SHIPPED = ("static", "bare", "serve", "proxy")  # the set-ups the targets are about
OTHER_APP_LOADS = {"article page", "MP3 range", "search, 1,000 queries"}  # the real app under --servers
RANGE = "bytes=0-65535"
PHRASINGS = ["what is {}", "{} symptoms", "{} treatment", "ms and {}", "how to manage {}", "{} in ms",
             "is {} common", "{} causes", "living with {}", "help with {}"]
WRK_SCRIPT = """
local paths = {%(paths)s}
local headers = {%(headers)s}
local threads = {}
local counter = 0
hits = 0  -- global: done() reads it from each thread
setup = function(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end
init = function(args)
  counter = offset or 0
end
request = function()
  counter = counter + 1
  local entry = paths[(counter %% #paths) + 1]
  local h = {}
  for k, v in pairs(headers) do h[k] = v end
  if entry[2] then h["Range"] = entry[2] end
  return wrk.format("GET", entry[1], h)
end
response = function(status, response_headers, body)
  if response_headers["X-Cache-Status"] == "HIT" then hits = hits + 1 end
end
done = function(summary, latency, requests)
  local cached = 0
  for _, thread in ipairs(threads) do cached = cached + (thread:get("hits") or 0) end
  io.write("RESULT " .. string.format(
    '{"requests": %%d, "seconds": %%f, "p50": %%d, "p99": %%d, "connect": %%d, "read": %%d, "write": %%d,'
    .. ' "status": %%d, "timeout": %%d, "cached": %%d}',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout, cached) .. "\\n")
end
"""


@dataclass
class Result:
    setup: str
    workload: str
    connections: int
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    cached: float  # share of answers from the proxy's page cache


def build(folder: Path) -> tuple[Path, Path, Path]:
    """Build a release of the bundled content, clear voice, into `folder`, reusing what is there."""
    index, audio = folder / "index", folder / "audio"
    command = [voiceref_command(), "build", "--content", str(ROOT / "content"), "--index", str(index),
               "--audio", str(audio), "--voice", "clear", "--jobs", "2"]
    print("Building the bundled content (reused when unchanged)...", file=sys.stderr, flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return ROOT / "content", index, audio


def typo(word: str, rng: random.Random) -> str:
    """Return `word` with one letter dropped, doubled or swapped with the next."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def realistic_queries(site: Site, count: int = 1000, seed: int = 20261129) -> list[str]:
    """Return `count` distinct queries a reader might type: names, lay terms, typos, phrasings."""
    rng = random.Random(seed)
    names = [a.title for a in site.articles] + [alias for a in site.articles for alias in a.aliases]
    found: dict[str, None] = {}
    for name in names:  # every title and alias as typed, and in lower case
        found.setdefault(name, None)
        found.setdefault(name.lower(), None)
    while len(found) < count:
        name = rng.choice(names).lower()
        roll = rng.random()
        if roll < 0.4:
            query = rng.choice(PHRASINGS).format(name)
        elif roll < 0.7:
            query = " ".join(typo(w, rng) for w in name.split())
        else:
            query = f"{name} {rng.choice(names).lower().split()[0]}"
        found.setdefault(query, None)
    queries = list(found)[:count]
    rng.shuffle(queries)
    return queries


def quote(text: str) -> str:
    return urllib.request.quote(text, safe="")


class FreshQueries:
    """Search paths never asked before: each call returns the next `size` of a long list."""

    def __init__(self, queries: list[str], size: int):
        self.queries = queries
        self.size = size
        self.start = 0

    def __call__(self) -> list[tuple[str, str | None]]:
        if self.start + self.size > len(self.queries):
            raise RuntimeError("bench/serve.py ran out of fresh queries: raise FRESH_QUERIES")
        chunk = self.queries[self.start : self.start + self.size]
        self.start += self.size
        return [(f"/search?q={quote(q)}", None) for q in chunk]


FRESH_PER_RUN = 20_000  # more than one run answers uncached (wrk would start again from the top)
FRESH_QUERIES = FRESH_PER_RUN * 4  # a warm-up and three connection counts in one set-up


def workloads(site: Site, mp3: str) -> dict:
    """Return each workload as the (path, Range) pairs wrk cycles through, or a maker of fresh ones."""
    queries = realistic_queries(site)
    asked = set(queries)
    others = [q for q in realistic_queries(site, FRESH_QUERIES + len(queries), seed=7) if q not in asked]
    prefixes = list(dict.fromkeys(q[: max(2, len(q) // 2)] for q in queries))
    pages = [a.url for a in site.articles[:60]] + ["/", "/glossary/", "/news/"]
    rng = random.Random(7)
    mix = []
    for i in range(2000):
        roll = rng.random()
        if roll < 0.55:
            mix.append((rng.choice(pages), None))
        elif roll < 0.75:
            mix.append((f"/search?q={quote(queries[i % len(queries)])}", None))
        elif roll < 0.90:
            mix.append((f"/api/suggest?q={quote(prefixes[i % len(prefixes)])}", None))
        else:
            mix.append((mp3, RANGE))
    return {
        "article page": [(ARTICLE, None)],
        "MP3 range": [(mp3, RANGE)],
        "search, 1,000 queries": [(f"/search?q={quote(q)}", None) for q in queries],
        "search, uncached": others[:FRESH_QUERIES],  # a fresh FreshQueries per set-up (measure)
        "suggest": [(f"/api/suggest?q={quote(p)}", None) for p in prefixes],
        "mix": mix,
    }


def run_wrk(base: str, paths: list[tuple[str, str | None]], connections: int, duration: int, folder: Path) -> dict:
    """Run wrk against `base` cycling through `paths`; return its figures."""
    def lua(text: str | None) -> str:
        return "nil" if text is None else json.dumps(text)

    script = folder / "wrk.lua"
    script.write_text(WRK_SCRIPT % {
        "paths": ", ".join(f"{{{lua(p)}, {lua(r)}}}" for p, r in paths),
        "headers": '["Host"] = "127.0.0.1"',
    }, encoding="utf-8")
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
               "-s", str(script), base]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    return json.loads(line[len("RESULT "):])


def static_site(folder: Path, port: int, html: bytes, mp3: bytes, mp3_url: str) -> Path:
    """Write an nginx site that serves the article HTML and its MP3 as plain files."""
    root = folder / "root"
    (root / ARTICLE.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    (root / (ARTICLE.strip("/") + ".html")).write_bytes(html)
    target = root / mp3_url.split("?")[0].strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(mp3)
    return main_config(folder, f"""
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location = {ARTICLE} {{ default_type "text/html; charset=utf-8"; try_files {ARTICLE}.html =404; }}
    location / {{ }}
  }}""").name


def write_answer(answer: urllib.request.addinfourl, body: bytes, folder: Path) -> Path:
    """Write `answer`'s status, headers and body for the bare callable; return the file."""
    spec = folder / "answer.json"
    headers = [(k, v) for k, v in answer.headers.items() if k.lower() not in {"date", "server", "connection"}]
    spec.write_text(json.dumps({"status": f"{answer.status} {answer.reason}", "headers": headers,
                                "body": body.decode("utf-8")}), encoding="utf-8")
    return spec


@contextmanager
def bare_server(port: int, spec: Path, folder: Path):
    """Run bench/bare_gunicorn.py on `port`, sending the answer written in `spec`."""
    with open(folder / "bare.log", "ab") as log:
        process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "bare_gunicorn.py"), str(port), "2",
                                    str(spec)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"bench/bare_gunicorn.py did not start: see {folder / 'bare.log'}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def measure(setup: str, base: str, loads: dict, connections: list[int], duration: int, folder: Path,
            only: set[str] | None = None) -> list[Result]:
    results = []
    for workload, paths in loads.items():
        if only is not None and workload not in only:
            continue
        fresh = FreshQueries(paths, FRESH_PER_RUN) if workload == "search, uncached" else None
        run_wrk(base, fresh() if fresh else paths, 10, 1, folder)  # warm up: caches, connections
        for count in connections:
            figures = run_wrk(base, fresh() if fresh else paths, count, duration, folder)
            errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
            requests = max(1, figures["requests"])
            if fresh and requests > fresh.size:
                print(f"  note: {requests} requests for {fresh.size} fresh queries: some were repeats",
                      file=sys.stderr)
            results.append(Result(setup, workload, count, figures["requests"] / figures["seconds"],
                                  figures["p50"] / 1000, figures["p99"] / 1000, errors,
                                  figures["cached"] / requests))
            print(f"  {setup:<13} {workload:<22} {count:>3} connections: {results[-1].rate:8.0f} req/s, "
                  f"p99 {results[-1].p99_ms:7.1f} ms, {errors} errors", file=sys.stderr, flush=True)
    return results


def table(results: list[Result], connections: list[int]) -> str:
    """Return the results as a Markdown table, with each rate also as a share of nginx static."""
    static = {(r.workload, r.connections): r.rate for r in results if r.setup == "static"}
    head = "| workload | set-up | " + " | ".join(f"{c} conn: req/s (× static) · p50 / p99 ms · errors"
                                               for c in connections) + " |"
    lines = [head, "|" + "---|" * (2 + len(connections))]
    for workload in dict.fromkeys(r.workload for r in results):
        for setup in dict.fromkeys(r.setup for r in results):
            row = [r for r in results if r.workload == workload and r.setup == setup]
            if not row:
                continue
            cells = []
            for r in sorted(row, key=lambda r: r.connections):
                share = static.get((workload, r.connections))
                ratio = f" ({r.rate / share:.2f})" if share and setup != "static" else ""
                cached = f", {r.cached:.0%} cached" if setup == "proxy" else ""
                cells.append(f"{r.rate:,.0f}{ratio} · {r.p50_ms:.1f} / {r.p99_ms:.1f} · {r.errors}{cached}")
            lines.append(f"| {workload} | {setup} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def check_targets(results: list[Result]) -> list[str]:
    """Return the targets of issues 10 and 12 that were missed."""
    missed = []
    results = [r for r in results if r.setup in SHIPPED]
    static = {r.connections: r.rate for r in results if r.setup == "static" and r.workload == "article page"}
    pages = {(r.setup, r.connections): r.rate for r in results if r.workload == "article page"}
    for r in results:
        if r.workload == "search, 1,000 queries" and (r.setup, r.connections) in pages:
            share = r.rate / pages[r.setup, r.connections]
            if share < 0.3:
                missed.append(f"{r.setup} search at {r.connections}: {share:.2f} of the article page's rate "
                              "(target ≥ 0.3)")
        if r.connections == 500 and r.errors:
            missed.append(f"{r.setup} {r.workload}: {r.errors} errors at 500 connections (target 0)")
        if r.connections == 200 and r.setup != "static" and r.p99_ms > 1000:
            missed.append(f"{r.setup} {r.workload}: p99 {r.p99_ms:.0f} ms at 200 connections (target ≤ 1,000)")
        if r.workload == "article page" and r.connections in static:
            floor = {"proxy": 0.5, "serve": 0.3}.get(r.setup)
            if floor and r.rate < floor * static[r.connections]:
                missed.append(f"{r.setup} article page at {r.connections}: {r.rate / static[r.connections]:.2f} "
                              f"of nginx static (target ≥ {floor})")
    return missed


def measure_others(servers: list[str], spec: Path, settings: dict[str, str], loads: dict, connections: list[int],
                   duration: int, folder: Path, checks: list[SlowCheck]) -> list[Result]:
    """Measure each other server with the bare callable, then with the real app (2 workers, as `serve`)."""
    results = []
    for server in servers:
        for kind, app, only in (("bare", str(spec), {"article page"}), ("app", "voiceref", OTHER_APP_LOADS)):
            setup, port = f"{server} {kind}", free_port()
            env = {**settings, "VOICEREF_HOST": "127.0.0.1", "VOICEREF_PORT": str(port),
                   "VOICEREF_PUBLIC_URL": f"http://127.0.0.1:{port}"}
            print(f"{setup}:", file=sys.stderr)
            with other_server(server, app, port, 2, env, ARTICLE, folder / f"{server}-{kind}.log") as url:
                results += measure(setup, url, loads, connections, duration, folder, only=only)
                checks.append(slow_clients(setup, url, ARTICLE))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--connections", default="50,200,500")
    parser.add_argument("--build", type=Path, default=Path(tempfile.gettempdir()) / "voiceref-bench-serve")
    parser.add_argument("--servers", default="", help=f"other servers to measure too: {', '.join(SERVERS)}")
    parser.add_argument("--setups", default=",".join(SHIPPED), help="the shipped set-ups to measure (default: all)")
    args = parser.parse_args()
    connections = [int(c) for c in args.connections.split(",")]
    setups = set(args.setups.split(","))
    if unknown := setups - set(SHIPPED):
        print(f"unknown set-up {', '.join(sorted(unknown))}: choose from {', '.join(SHIPPED)}", file=sys.stderr)
        return 2
    servers = [name for name in args.servers.split(",") if name]
    if unknown := [name for name in servers if name not in SERVERS]:
        print(f"unknown server {', '.join(unknown)}: choose from {', '.join(SERVERS)}", file=sys.stderr)
        return 2
    if absent := missing(servers):
        print(f"not installed: {', '.join(absent)}; run .venv/bin/pip install -e \".[bench]\"", file=sys.stderr)
        return 2
    if shutil.which("wrk") is None:
        print("wrk is not installed: run scripts/install", file=sys.stderr)
        return 2
    content, index, audio = build(args.build)
    site = load_site(content)
    with tempfile.TemporaryDirectory(prefix="voiceref-bench-") as temp:
        folder = Path(temp)
        results: list[Result] = []
        checks: list[SlowCheck] = []
        serve_port, proxy_port, static_port = free_port(), free_port(), free_port()
        common = {"VOICEREF_CONTENT_DIR": str(content), "VOICEREF_INDEX_DIR": str(index),
                  "VOICEREF_AUDIO_DIR": str(audio)}
        serve = AppProcess(serve_port, {**common, "VOICEREF_PUBLIC_URL": f"http://127.0.0.1:{serve_port}"},
                           folder / "serve.log", workers=2)
        with serve:
            with urllib.request.urlopen(serve.url + ARTICLE, timeout=10) as answer:
                html = answer.read()
            page = html.decode()
            mp3_url = page[page.index('src="', page.index("<audio")) + 5:].split('"', 1)[0].replace("&amp;", "&")
            loads = workloads(site, mp3_url)
            mp3 = urllib.request.urlopen(serve.url + mp3_url, timeout=10).read()  # the very bytes served
            (folder / "static").mkdir()
            static_site(folder / "static", static_port, html, mp3, mp3_url)
            if "static" in setups:
                print("nginx static:", file=sys.stderr)
                with NginxProcess(folder / "static", [static_port]):
                    results += measure("static", f"http://127.0.0.1:{static_port}", loads, connections,
                                       args.duration, folder, only={"article page", "MP3 range"})
                    checks.append(slow_clients("static", f"http://127.0.0.1:{static_port}", ARTICLE))
            spec = write_answer(answer, html, folder)
            if "bare" in setups:
                print("the server alone (bench/bare_gunicorn.py):", file=sys.stderr)
                with bare_server(free_port(), spec, folder) as bare:
                    results += measure("bare", bare, loads, connections, args.duration, folder,
                                       only={"article page"})
                    checks.append(slow_clients("bare", bare, ARTICLE))
            if "serve" in setups:
                print("voiceref serve:", file=sys.stderr)
                results += measure("serve", serve.url, loads, connections, args.duration, folder)
                checks.append(slow_clients("serve", serve.url, ARTICLE))
        results += measure_others(servers, spec, common, loads, connections, args.duration, folder, checks)
        if "proxy" not in setups:
            return finish(results, checks, connections, args.duration)
        apps = [AppProcess(free_port(), {**common, "VOICEREF_PUBLIC_URL": f"http://127.0.0.1:{proxy_port}",
                                         "VOICEREF_PROXIES": "1", "VOICEREF_AUDIO_ACCEL": "/_audio/"},
                           folder / f"app{i}.log", workers=1) for i in range(2)]
        site_conf = shipped_site(folder / "proxy", port=proxy_port, upstreams=[a.port for a in apps],
                                 static_dir=ROOT / "static", audio_dir=index, store_dir=audio)
        main_config(folder / "proxy", f"include {site_conf};")
        try:
            for app in apps:
                app.start()
            print("proxy set-up:", file=sys.stderr)
            with NginxProcess(folder / "proxy", [proxy_port]):
                results += measure("proxy", f"http://127.0.0.1:{proxy_port}", loads, connections, args.duration,
                                   folder)
                checks.append(slow_clients("proxy", f"http://127.0.0.1:{proxy_port}", ARTICLE))
        finally:
            for app in apps:
                app.stop()
    return finish(results, checks, connections, args.duration)


def finish(results: list[Result], checks: list[SlowCheck], connections: list[int], duration: int) -> int:
    """Print the table, the slow-client checks and the targets; return 1 if a target was missed."""
    print(f"\nbench/serve.py, {dt.date.today().isoformat()}, {duration} s per cell, wrk -t2, 127.0.0.1\n")
    print(table(results, connections))
    print("\nA normal request (the article page) while 200 connections never finish their headers, one byte "
          "a second each:\n")
    print(slow_table(checks))
    missed = check_targets(results)
    measured = [setup for setup in SHIPPED if any(r.setup == setup for r in results)]
    scope = "" if len(measured) == len(SHIPPED) else f" (of the set-ups measured: {', '.join(measured)})"
    print(f"\nTargets{scope}: " + ("all met." if not missed else "missed:\n- " + "\n- ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
