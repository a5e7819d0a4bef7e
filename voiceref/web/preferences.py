"""Reader preferences: a plain form at /preferences, kept in a cookie, applied on the server.

The cookie holds only known keys with known values; anything else in it is ignored, so a
stale or tampered cookie can never reach the page as markup. The chosen presentation is
rendered into `<html class>` and `data-*` attributes, so the first paint is already right
and nothing depends on JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, g, redirect, render_template, request, url_for

bp = Blueprint("preferences", __name__)

COOKIE = "voiceref_prefs"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers accept
MAX_COOKIE_LENGTH = 400  # far more than any valid value needs


@dataclass(frozen=True)
class Field:
    """One setting: its form name, the words on the form, and its allowed values."""

    name: str
    legend: str
    hint: str
    options: tuple[tuple[str, str], ...]  # (value, visible label), the default first
    control: str = "radio"  # radio, select or checkbox (checkbox: values "on" and "off")

    @property
    def default(self) -> str:
        return self.options[0][0]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.options)


FIELDS: tuple[Field, ...] = (
    Field(
        "size",
        "Text size",
        "Makes all the text bigger. Pages rearrange to fit, so you never scroll sideways.",
        (("100", "Standard (100 %)"), ("125", "125 %"), ("150", "150 %"), ("175", "175 %"),
         ("200", "200 %")),
    ),
    Field(
        "theme",
        "Colours",
        "“Same as my device” follows your device’s light or dark setting.",
        (("system", "Same as my device"), ("light", "Light"), ("dark", "Dark"),
         ("contrast", "High contrast (yellow on black)")),
    ),
    Field(
        "line",
        "Line spacing",
        "More space between lines can make text easier to follow.",
        (("standard", "Standard"), ("wide", "Wide"), ("wider", "Extra wide")),
    ),
    Field(
        "letter",
        "Letter and word spacing",
        "More space between letters and words can make words easier to tell apart.",
        (("standard", "Standard"), ("wide", "Wide"), ("wider", "Extra wide")),
    ),
    Field(
        "font",
        "Font",
        "Atkinson Hyperlegible makes similar letters easier to tell apart. "
        "OpenDyslexic is designed for some readers with dyslexia.",
        (("default", "Standard (your device’s font)"), ("legible", "Atkinson Hyperlegible"),
         ("dyslexic", "OpenDyslexic")),
    ),
    Field(
        "voice",
        "Voice",
        "Natural sounds more like a person reading. Clear is a crisper computer voice that "
        "stays easy to follow at high speeds, which many screen-reader users prefer.",
        (("natural", "Natural"), ("clear", "Clear")),
    ),
    Field(
        "speed",
        "Listening speed",
        "How fast articles are read aloud when you start listening.",
        (("1", "Normal (1×)"), ("0.5", "0.5×"), ("0.75", "0.75×"), ("1.25", "1.25×"),
         ("1.5", "1.5×"), ("1.75", "1.75×"), ("2", "2×"), ("2.5", "2.5×"), ("3", "3×")),
        control="select",
    ),
    Field(
        "shortcuts",
        "Single-key shortcuts",
        "Press / to go to search, or k to play or pause listening. Turn these off if you use "
        "voice control or often press keys by accident.",
        (("on", "Use single-key shortcuts"), ("off", "")),
        control="checkbox",
    ),
    Field(
        "highlight",
        "Highlighting while listening",
        "Marks the sentence being read aloud, and keeps it in view.",
        (("on", "Highlight the sentence being read"), ("off", "")),
        control="checkbox",
    ),
    Field(
        "words",
        "Word highlighting while listening",
        "Marks each word as it is read aloud. Turn it off if a moving mark is distracting.",
        (("on", "Highlight each word as it is read"), ("off", "")),
        control="checkbox",
    ),
)
BY_NAME = {f.name: f for f in FIELDS}


@dataclass(frozen=True)
class Preferences:
    """A reader's choices; every attribute always holds one of its field's values."""

    size: str = "100"
    theme: str = "system"
    line: str = "standard"
    letter: str = "standard"
    font: str = "default"
    voice: str = "natural"
    speed: str = "1"
    shortcuts: str = "on"
    highlight: str = "on"
    words: str = "on"

    @property
    def is_default(self) -> bool:
        return self == DEFAULT

    def html_classes(self) -> str:
        """Return the classes for `<html>` that apply these choices with CSS."""
        classes = []
        if self.theme != "system":
            classes.append(f"theme-{self.theme}")
        if self.size != "100":
            classes.append(f"text-{self.size}")
        if self.line != "standard":
            classes.append(f"line-{self.line}")
        if self.letter != "standard":
            classes.append(f"letter-{self.letter}")
        if self.font != "default":
            classes.append(f"font-{self.font}")
        return " ".join(classes)

    def html_data(self) -> dict[str, str]:
        """Return the `data-*` attributes for `<html>` that scripts read."""
        return {
            "data-shortcuts": self.shortcuts,
            "data-highlight": self.highlight,
            "data-words": self.words,
            "data-default-speed": self.speed,
        }


DEFAULT = Preferences()


def valid_value(name: str, value: object) -> bool:
    """Say whether `value` is one of the allowed values of setting `name`."""
    field = BY_NAME.get(name)
    return field is not None and isinstance(value, str) and value in field.values


def parse_cookie(raw: str | None) -> Preferences:
    """Read preferences from a cookie value; unknown keys and invalid values are ignored."""
    if not raw or len(raw) > MAX_COOKIE_LENGTH:
        return DEFAULT
    chosen: dict[str, str] = {}
    for pair in raw.split("&"):
        name, sep, value = pair.partition("=")
        if sep and valid_value(name, value):
            chosen[name] = value
    return replace(DEFAULT, **chosen)


def cookie_value(prefs: Preferences) -> str:
    """Write preferences as a cookie value (only the choices that differ from the default)."""
    return "&".join(
        f"{f.name}={getattr(prefs, f.name)}"
        for f in FIELDS
        if getattr(prefs, f.name) != f.default
    )


def from_form(form: Mapping[str, str]) -> Preferences:
    """Read preferences from the submitted form; a missing or invalid answer keeps the default.

    A checkbox that is not ticked is not sent at all, so its absence means "off".
    """
    chosen: dict[str, str] = {}
    for field in FIELDS:
        value = form.get(field.name)
        if field.control == "checkbox":
            chosen[field.name] = "on" if value == "on" else "off"
        elif valid_value(field.name, value):
            chosen[field.name] = value
    return replace(DEFAULT, **chosen)


def current() -> Preferences:
    """Return this request's preferences, read from its cookie once."""
    if "reader" not in g:
        g.reader = parse_cookie(request.cookies.get(COOKIE))
    return g.reader


def inject_reader() -> dict[str, object]:
    """Give every template the reader's choices and the `<html>` attributes they imply."""
    prefs = current()
    return {
        "reader": prefs,
        "reader_classes": prefs.html_classes(),
        "reader_data": prefs.html_data(),
        "default_speed": prefs.speed,
    }


def same_origin() -> bool:
    """Say whether a form post came from this site.

    Browsers send Origin with every POST; a request without one (curl, an old browser)
    is let through, an opaque "null" origin is not. The origin must be the host the form
    was posted to, or the public URL.
    """
    from .hosts import public_url, request_host

    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin != "null" and urlsplit(origin).netloc.lower() in {request_host().lower(), public_url().netloc}


@bp.get("/preferences")
def show():
    saved = request.args.get("saved")
    return render_template(
        "preferences.html",
        fields=FIELDS,
        saved=saved if saved in {"1", "reset"} else None,
        crumbs=[("Home", url_for("pages.home")), ("Preferences", url_for("preferences.show"))],
    )


@bp.post("/preferences")
def save():
    if not same_origin():
        abort(403)
    reset = request.form.get("action") == "reset"
    prefs = DEFAULT if reset else from_form(request.form)
    response = redirect(url_for("preferences.show", saved="reset" if reset else "1"), 303)
    if prefs.is_default:
        response.delete_cookie(COOKIE, path="/", samesite="Lax")
    else:
        response.set_cookie(
            COOKIE,
            cookie_value(prefs),
            max_age=COOKIE_MAX_AGE,
            path="/",
            secure=request.is_secure,  # the public URL's scheme (web/hosts.py)
            httponly=True,
            samesite="Lax",
        )
    return response


def vary_on_cookie(response: Response) -> Response:
    """Tell caches that pages differ with the preferences cookie."""
    if response.mimetype == "text/html":
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    app.context_processor(inject_reader)
    app.after_request(vary_on_cookie)
    app.register_blueprint(bp)
