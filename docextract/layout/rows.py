"""Words grouped into visual rows, and rows cut into segments at wide gaps (the raw stuff of tables)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from docextract.document import Box, Word

# A gap wider than this many row heights separates two cells; word spaces are ~0.3 of the height.
SEGMENT_GAP = 0.75

_NUMERIC = re.compile(
    r"^[(\-+−–]?(?:[A-Z]{3}\s?)?[€$£¥₹]?\s?[(\-+−–]?\d[\d.,'’\s]*(?:%|[€$£¥₹])?(?:\s?[A-Z]{3})?\)?-?$"
)


def is_numeric(text: str) -> bool:
    """Whether a cell's text reads as a number or an amount (``1.234,50 €``, ``-3``, ``19%``, ``(12.00)``)."""
    t = text.strip()
    return bool(t) and len(t) < 40 and _NUMERIC.match(t) is not None


@dataclass(slots=True)
class Segment:
    """Consecutive words of a row with no wide gap between them."""

    words: list[Word]
    box: Box

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(slots=True)
class Row:
    """Words on one visual line, left to right, with their segments."""

    words: list[Word]
    box: Box
    segments: list[Segment] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.box.height


def group_rows(words: Iterable[Word], aspect: float = 1.0) -> list[Row]:
    """Words → rows, top to bottom. Tolerates OCR jitter: a word joins a row it overlaps by half its height.

    Args:
        words: the page's words.
        aspect: page height / page width, to compare normalised heights with normalised x gaps.
    """
    ws = sorted((w for w in words if w.text.strip() and w.box.height > 0), key=lambda w: (w.box.cy, w.box.x0))
    rows: list[Row] = []
    open_rows: list[Row] = []  # rows still near the sweep line
    for w in ws:
        target = None
        best = 0.5
        for r in open_rows:
            ov = r.box.vertical_overlap(w.box)
            if ov >= best and r.box.y0 - 0.5 * w.box.height <= w.box.cy <= r.box.y1 + 0.5 * w.box.height:
                target, best = r, ov
        if target is None:
            target = Row([w], w.box)
            rows.append(target)
            open_rows.append(target)
        else:
            target.words.append(w)
            target.box = target.box.union(w.box)
        open_rows = [r for r in open_rows if r.box.y1 >= w.box.y0 - w.box.height]
    for r in rows:
        r.words.sort(key=lambda w: w.box.x0)
        r.segments = split_segments(r.words, aspect)
    rows.sort(key=lambda r: (r.box.cy, r.box.x0))
    return rows


def split_segments(words: list[Word], aspect: float = 1.0, gap: float = SEGMENT_GAP) -> list[Segment]:
    """Cut a left-to-right word list where the gap exceeds ``gap`` times the words' height."""
    if not words:
        return []
    heights = sorted(w.box.height for w in words)
    h = heights[len(heights) // 2] * aspect
    out: list[Segment] = [Segment([words[0]], words[0].box)]
    for w in words[1:]:
        cur = out[-1]
        if w.box.x0 - cur.box.x1 > gap * h:
            out.append(Segment([w], w.box))
        else:
            cur.words.append(w)
            cur.box = cur.box.union(w.box)
    return out
