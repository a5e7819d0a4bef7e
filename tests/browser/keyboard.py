"""A keyboard-only user: Tab, Shift+Tab, Enter and Space, with every focus stop checked."""

from __future__ import annotations

import re
from collections.abc import Callable

from . import probes

MIN_RING_PX = 2
MIN_RING_CONTRAST = 3.0


class KeyboardUser:
    """Moves through a page with the keyboard alone and checks what has focus."""

    def __init__(self, page, limit: int = 80, scripts: bool = True):
        self.page = page
        self.limit = limit
        self.stops = 0
        self.scripts = scripts  # False: the page runs no JavaScript, so nothing can move focus later

    def focus(self) -> dict:
        return probes.focus(self.page)

    def check_visible(self, focus: dict) -> None:
        """Focus is on an element (never the page) and its ring is visible enough."""
        where = f"on {self.page.url}"
        assert not focus["body"], f"focus fell back to the page itself {where}"
        if focus["tag"] == "main":
            return  # the skip link's target: a region, not a control
        assert focus["outlineStyle"] != "none", f"no focus ring on {focus['description']} {where}"
        assert focus["outlineWidth"] >= MIN_RING_PX, f"thin focus ring on {focus['description']}"
        assert focus["contrast"] >= MIN_RING_CONTRAST, (
            f"focus ring contrast {focus['contrast']:.2f} on {focus['description']} {where}"
        )
        assert focus["width"] > 0 and focus["height"] > 0, f"{focus['description']} is invisible"

    def press(self, key: str) -> dict:
        """Press one of the allowed keys; return what has focus afterwards."""
        assert key in {"Tab", "Shift+Tab", "Enter", "Space"}, key
        self.page.keyboard.press(key)
        self.settle()
        return self.focus()

    def settle(self) -> None:
        """Wait until the page has handled the key: a frame, then any task it queued.

        A page without JavaScript runs no frame callbacks, and has no script to wait for.
        """
        if self.scripts:
            self.page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))")

    def act(self, key: str) -> dict:
        """Activate the focused control in place; focus must stay visible, not fall to body."""
        focus = self.press(key)
        self.check_visible(focus)
        return focus

    def tab_to(self, wanted: str | Callable[[dict], bool], backwards: bool = False) -> dict:
        """Tab (or Shift+Tab) until the focused element's text matches `wanted`."""
        if isinstance(wanted, str):
            pattern = re.compile(wanted)

            def matches(focus: dict) -> bool:
                return bool(pattern.search(" ".join(focus.get("text", "").split())))
        else:
            matches = wanted
        seen = []
        for _ in range(self.limit):
            focus = self.press("Shift+Tab" if backwards else "Tab")
            self.stops += 1
            self.check_visible(focus)
            seen.append(focus["description"])
            if matches(focus):
                return focus
        raise AssertionError(f"never reached {wanted!r} on {self.page.url}; stops: {seen}")

    def follow(self, key: str = "Enter", url: str | re.Pattern | None = None) -> None:
        """Activate the focused link or button and wait for the next page."""
        if url is None:
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
        else:
            self.page.keyboard.press(key)
            self.page.wait_for_url(url)
        self.page.wait_for_load_state("load")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
