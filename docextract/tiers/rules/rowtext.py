"""One visual row of a page as text, and the words under a span of that text.

Both receipt finders read rows this way: the header's name and address
(:mod:`docextract.tiers.rules.positional`) and the totals its arithmetic confirms
(:mod:`docextract.tiers.rules.positional_totals`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docextract.document import Box, Word

if TYPE_CHECKING:
    from docextract.tiers.rules.labels import Seg


@dataclass(slots=True)
class RowText:
    """One visual row of the page: its segments joined left to right."""

    text: str
    words: list[Word]
    box: Box
    index: int

    @classmethod
    def of(cls, row: list[Seg], index: int) -> RowText:
        segs = sorted(row, key=lambda s: s.box.x0)
        words = [w for s in segs for w in s.words]
        return cls(" ".join(s.text.strip() for s in segs), words, Box.enclosing(s.box for s in segs), index)


def words_at(r: RowText, start: int, end: int) -> list[Word]:
    """The words of row ``r`` that overlap its text span ``start:end``."""
    out, pos = [], 0
    for w in r.words:
        s = r.text.find(w.text, pos)
        if s < 0:
            continue
        if s < end and s + len(w.text) > start:
            out.append(w)
        pos = s + len(w.text)
    return out


__all__ = ["RowText", "words_at"]
