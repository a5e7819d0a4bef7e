"""A bounded, seeded fuzz of every route of the real server: hostile paths, queries, headers,
cookies, methods and bodies. Nothing may answer 5xx, and nothing typed may come back as markup.
"""

from __future__ import annotations

import random
import re
from collections import Counter

from voiceref import create_app
from voiceref.content import SECTIONS

from .rawhttp import request_bytes, send_raw

SEED = 20261129
REQUESTS = 1200
MARK = "vr-fuzz"
MARKUP = re.compile(rb"<vr-fuzz|<svg/onload|\"><vr|'><vr", re.I)
DOCUMENT_TYPES = ("text/html", "application/xml", "application/rss+xml", "application/atom+xml",
                  "application/opensearchdescription+xml", "image/svg+xml", "text/xml")

HOSTILE = [
    f"<{MARK}>", f"\"><{MARK} x=1>", f"'><{MARK}>", "<svg/onload=alert(1)>", "..", "../../etc/passwd",
    "%2e%2e%2f", "%00", "%ff%fe", "%c0%af", "%zz", "%", "%0d%0aSet-Cookie:%20vr-fuzz=1", "\\", "'", '"', "a" * 300,
    "😀", "\u202e", "1e309", "-1", "0", "99999999999999999999", "NaN", "[]", "{}", "(((", "title:", "*", "?", "#",
    "&", "=", "+", " ", "\t", "index.php", ".git/config", "%3Cvr-fuzz%3E", "%253Cvr-fuzz%253E",
]
HOSTS = ["127.0.0.1", "localhost", "evil.example", "a..b", "127.0.0.1:1", "[::1]", "x" * 200, "", "ⓔvil.example"]
COOKIES = [
    f"voiceref_prefs=<{MARK}>", "voiceref_prefs=theme=dark&size=200", "voiceref_prefs=theme=%00&size=9999",
    "voiceref_prefs=" + "theme=dark&" * 300, "voiceref_prefs", "=;;=", f"junk=<{MARK}>; voiceref_prefs=font=dyslexic",
    "voiceref_prefs=\"quoted\"", "voiceref_prefs=speed=3&speed=0.5&highlight=off",
]
HEADERS = {
    "Range": ["bytes=0-", "bytes=-1", "bytes=999999999-", "bytes=a-b", "bytes=0-1,2-3,4-5", "items=1-2", "bytes=5-1"],
    "If-None-Match": ["*", '"x"', "W/", f'"<{MARK}>"', '"' + "a" * 500 + '"'],
    "If-Modified-Since": ["yesterday", "Thu, 01 Jan 1970 00:00:00 GMT", "Sat, 31 Dec 9999 23:59:59 GMT"],
    "If-Range": ["junk", '"x"'],
    "Accept": ["application/json", "*/*", f"<{MARK}>", "text/html;q=abc"],
    "Accept-Language": ["xx", f"<{MARK}>", "*"],
    "Accept-Encoding": ["gzip", "br, x-junk", "identity;q=0"],
    "Origin": ["null", "https://evil.example", f"<{MARK}>", "http://127.0.0.1"],
    "X-Forwarded-For": ["1.2.3.4", f"<{MARK}>", "a, b, c"],
    "X-Forwarded-Host": ["evil.example", f"<{MARK}>"],
    "X-Forwarded-Proto": ["https", "gopher"],
    "Referer": [f"http://evil.example/<{MARK}>"],
    "User-Agent": [f"<{MARK}>", "x" * 2000],
    "Content-Type": ["application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=",
                     "application/json", "text/plain; charset=x-evil",
                     "application/x-www-form-urlencoded; charset=utf-7"],
    "Expect": ["100-continue", "junk"],
}
METHODS = ["GET"] * 6 + ["HEAD", "POST", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND"]


def routes(built) -> list[str]:
    """Return one path per route of the app, with real values where the route has variables."""
    app = create_app({"CONTENT_DIR": built.content, "INDEX_DIR": built.index, "AUDIO_DIR": built.audio,
                      "PUBLIC_URL": "http://127.0.0.1"})
    values = {"section": "glossary", "slug": "myoclonus", "letter": "m", "name": "audio.mp3",
              "filename": "css/site.css"}
    paths = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            path = rule.rule
            for name in rule.arguments:
                path = re.sub(rf"<(?:[^:<>]+:)?{name}>", values[name], path)
                path = re.sub(rf"<any\([^)]*\):{name}>", values[name], path)
            paths.append(path)
    return sorted(set(paths)) + [f"/{s}/" for s in SECTIONS] + ["/glossary/spasticity/audio.vtt"]


def hostile(rng: random.Random) -> str:
    return rng.choice(HOSTILE)


def mutate_path(rng: random.Random, path: str) -> str:
    parts = path.split("/")
    roll = rng.random()
    if roll < 0.3:
        parts[rng.randrange(len(parts))] = hostile(rng)
    elif roll < 0.45:
        parts.insert(rng.randrange(len(parts) + 1), hostile(rng))
    elif roll < 0.55:
        return "/" + hostile(rng)
    return "/".join(parts) or "/"


def encode_target(rng: random.Random, path: str) -> str:
    """Make a request target: most characters percent-encoded, some sent raw as a hostile client would."""
    raw = path.replace(" ", "%20").replace("\t", "%09").replace("#", "%23")
    keys = ["q", "page", "v", "voice", "saved", "letter", MARK, "q"]
    params = [f"{rng.choice(keys)}={hostile(rng)}" for _ in range(rng.randrange(0, 4))]
    if rng.random() < 0.3:
        params.append(f"q={rng.choice(['spasticity', 'myoclonus', 'mri', 'fatigue'])}")
    target = raw + ("?" + "&".join(params) if params else "")
    if rng.random() < 0.6:  # a well-behaved client encodes; a hostile one sometimes does not
        target = "".join(c if c.isascii() and c not in " <>\"'\\\t{}|^`" else
                         "".join(f"%{b:02X}" for b in c.encode()) for c in target)
    return "".join(c if c.isascii() and c.isprintable() else "%3F" for c in target)


def fuzz_request(rng: random.Random, paths: list[str]) -> tuple[str, bytes]:
    method = rng.choice(METHODS)
    target = encode_target(rng, mutate_path(rng, rng.choice(paths)) if rng.random() < 0.6 else rng.choice(paths))
    headers = {"Host": rng.choice(HOSTS) if rng.random() < 0.3 else "127.0.0.1"}
    if rng.random() < 0.5:
        headers["Cookie"] = rng.choice(COOKIES)
    for name in rng.sample(sorted(HEADERS), rng.randrange(0, 4)):
        headers[name] = rng.choice(HEADERS[name])
    body = b""
    if method in {"POST", "PUT", "PATCH"} or rng.random() < 0.05:
        body = rng.choice([
            b"",
            rng.randbytes(rng.randrange(1, 2000)),
            "&".join(f"{rng.choice(['theme', 'size', 'font', 'action', MARK])}={hostile(rng)}"
                     for _ in range(rng.randrange(1, 8))).encode(),
            b"--x\r\nContent-Disposition: form-data; name=\"theme\"\r\n\r\n<vr-fuzz>\r\n--x--\r\n",
            b'{"theme": "<vr-fuzz>"}',
        ])
    if body and rng.random() < 0.15:
        headers["Transfer-Encoding"] = "chunked"
        body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) if rng.random() < 0.7 else b"zz\r\n" + body
    summary = f"{method} {target[:120]} " + str({name: value[:80] for name, value in headers.items()})
    data = request_bytes(method, target, headers, body)
    return summary, data


def test_hostile_requests_never_get_a_5xx_or_reflected_markup(built, server):
    rng = random.Random(SEED)
    paths = routes(built)
    statuses: Counter[int] = Counter()
    failures = []
    for _ in range(REQUESTS):
        summary, data = fuzz_request(rng, paths)
        answer = send_raw(server.port, data)
        statuses[answer.status] += 1
        content_type = (answer.header("Content-Type") or "").split(";")[0].strip()
        if answer.status >= 500:
            failures.append(f"{answer.status}: {summary}")
        elif content_type in DOCUMENT_TYPES and MARKUP.search(answer.body):
            failures.append(f"markup reflected in {content_type}: {summary}")
        elif any(MARK in name.lower() for name, _ in answer.headers):
            failures.append(f"a header made from input: {summary}")
        elif answer.header("Content-Security-Policy") is None:
            failures.append(f"{answer.status} without the security headers: {summary}")
    assert not failures, f"{len(failures)} of {REQUESTS}:\n" + "\n".join(failures[:15])
    assert statuses[200] > REQUESTS // 5 and len(statuses) > 5, statuses  # it reached real pages, and errors
    log = server.log.read_text(errors="replace")
    assert "Traceback" not in log and "Error handling request" not in log
