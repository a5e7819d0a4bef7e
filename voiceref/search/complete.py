"""Title completion for the search box, from the titles and aliases the build wrote."""

from __future__ import annotations

import bisect

from ..content.render import fold


class Completions:
    """Prefix look-up over titles and aliases, from the file the build wrote."""

    def __init__(self, entries: list[dict]):
        keys: list[tuple[str, int, int]] = []  # (text from a word start, rank, entry)
        for number, entry in enumerate(entries):
            for rank, label in enumerate([entry["title"], *entry["aliases"]]):
                label = fold(label)
                starts = [0] + [i + 1 for i, ch in enumerate(label) if ch in " -/("]
                for start in starts:
                    # A match at the very start of the title ranks first.
                    keys.append((label[start:], (0 if rank == 0 else 1) + (2 if start else 0), number))
        keys.sort()
        self._keys = keys
        self._texts = [k[0] for k in keys]
        self._entries = entries

    def complete(self, prefix: str, limit: int) -> list[dict]:
        """Return up to `limit` articles whose title or alias has a word starting with `prefix`."""
        prefix = fold(prefix)
        if not prefix:
            return []
        found: dict[int, int] = {}
        i = bisect.bisect_left(self._texts, prefix)
        while i < len(self._texts) and self._texts[i].startswith(prefix) and len(found) < 400:
            _, rank, number = self._keys[i]
            found[number] = min(rank, found.get(number, rank))
            i += 1
        best = sorted(found, key=lambda n: (found[n], len(self._entries[n]["title"]), self._entries[n]["title"]))
        return [
            {k: self._entries[n][k] for k in ("title", "url", "section")} for n in best[:limit]
        ]
