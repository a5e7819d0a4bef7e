"""Hosts and the public origin: absolute URLs come from VOICEREF_PUBLIC_URL, never from Host.

`PublicOrigin` wraps the WSGI app. It checks the Host a request arrived with against the
allowed host names and remembers it; then it presents the request to Flask as one made to
the public URL (scheme, host and port). So `url_for(..., _external=True)`, Werkzeug's own
redirects (a missing trailing slash) and `request.is_secure` all follow the configuration,
and `Host: evil.example` can neither reach a feed, a playlist or a redirect nor, behind a
cache keyed by path, poison it. A refused host gets 400 with the normal error page, which
renders like any other because the request now looks like one to the public URL (before,
`Host: a..b` made the error page itself fail).

Forwarded headers (X-Forwarded-For/-Proto/-Host/-Port) are believed only from the
configured number of proxies (Werkzeug's ProxyFix); with none they change nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .. import config
from ..errors import ConfigError

REQUEST_HOST = "voiceref.request_host"  # environ: the Host the client sent, when accepted
REFUSED_HOST = "voiceref.refused_host"  # environ: the Host the client sent, when refused
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})  # health checks on the machine itself
_HOST = re.compile(r"(?:\[(?P<ip6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9._-]+))(?::[0-9]{1,5})?")


@dataclass(frozen=True)
class PublicURL:
    """Where readers reach the site: scheme and host (with a port if it is not the default)."""

    scheme: str
    netloc: str
    hostname: str
    port: int

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.netloc}"


def parse_public_url(url: str) -> PublicURL:
    """Read VOICEREF_PUBLIC_URL; raise ConfigError unless it is an http(s) origin."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = 0
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or not port
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ConfigError(
            f"VOICEREF_PUBLIC_URL is {url!r}: give the address readers use, as an origin such as "
            "https://ms.example.org (http or https, a host, an optional port, no path)."
        )
    return PublicURL(parts.scheme, parts.netloc.lower(), parts.hostname.lower(), port)


def host_name(header: str) -> str | None:
    """Return the host name of a Host header, lower-cased, or None if it is malformed."""
    found = _HOST.fullmatch(header.strip().lower())
    if found is None:
        return None
    name = found["ip6"] or found["name"].rstrip(".")
    if found["name"] and any(not label for label in name.split(".")):
        return None
    return name


def allowed_hosts(public: PublicURL, extra: str) -> frozenset[str]:
    """Return the accepted host names: the public URL's, loopback, and the configured ones."""
    names = {name.strip().lower().rstrip(".") for name in extra.split(",") if name.strip()}
    return frozenset({public.hostname, *LOOPBACK, *names})


class PublicOrigin:
    """WSGI middleware: accept only allowed hosts, and present every request as made to the public URL."""

    def __init__(self, app, public: PublicURL, allowed: frozenset[str]):
        self.app = app
        self.public = public
        self.allowed = allowed

    def __call__(self, environ, start_response):
        sent = environ.get("HTTP_HOST")
        if sent is None or host_name(sent) in self.allowed:
            environ[REQUEST_HOST] = sent or self.public.netloc
        else:
            environ[REFUSED_HOST] = sent
        environ["HTTP_HOST"] = self.public.netloc
        environ["SERVER_NAME"] = self.public.hostname
        environ["SERVER_PORT"] = str(self.public.port)
        environ["wsgi.url_scheme"] = self.public.scheme
        return self.app(environ, start_response)


def public_url() -> PublicURL:
    """Return the public URL of the app handling this request."""
    return current_app.extensions["voiceref.public_url"]


def request_host() -> str:
    """Return the Host this request was sent with (already checked), not the public one."""
    return request.environ.get(REQUEST_HOST, request.host)


def refuse_unknown_host() -> None:
    """Answer 400 to a request for a host name this site does not serve."""
    if REFUSED_HOST in request.environ:
        abort(400, description="This site does not answer to the host name your request was sent to.")


def init_app(app: Flask) -> None:
    """Wrap the app in the host check and, if configured, the trusted-proxy fix."""
    public = parse_public_url(config.public_url(app.config))
    app.extensions["voiceref.public_url"] = public
    app.config["PREFERRED_URL_SCHEME"] = public.scheme
    app.wsgi_app = PublicOrigin(app.wsgi_app, public, allowed_hosts(public, str(app.config["ALLOWED_HOSTS"])))
    proxies = int(app.config["PROXIES"])
    if proxies < 0:
        raise ConfigError(f"VOICEREF_PROXIES is {proxies}: give how many proxies are in front (0 or more).")
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
    app.before_request(refuse_unknown_host)
