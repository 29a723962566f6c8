"""Words grouped into visual rows, and rows cut into segments at wide gaps (the raw stuff of tables)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from docextract.document import Box, Line, Word

# A gap wider than this many row heights separates two cells; word spaces are ~0.3 of the height.
SEGMENT_GAP = 0.75

_NUMERIC = re.compile(
    r"^[(\-+−–]?(?:[A-Z]{3}\s?)?[€$£¥₹]?\s?[(\-+−–]?\d[\d.,'’\s]*(?:%|[€$£¥₹])?(?:\s?[A-Z]{3})?\)?-?$"
)


def is_numeric(text: str) -> bool:
    """Whether a cell's text reads as a number or an amount (``1.234,50 €``, ``-3``, ``19%``, ``(12.00)``)."""
    t = text.strip()
    return bool(t) and len(t) < 40 and _NUMERIC.match(t) is not None


# Consecutive words of a row with no wide gap between them: the same thing as a layout Line.
Segment = Line


@dataclass(slots=True)
class Row:
    """Words on one visual line, left to right, with their segments."""

    words: list[Word]
    box: Box
    segments: list[Segment] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.box.height


def is_vertical(word: Word, aspect: float, line_height: float) -> bool:
    """A word written top to bottom (a margin note turned 90°): taller than a text line and taller than
    wide over several letters. Such a word spans several lines and would glue them into one row."""
    b = word.box
    h = b.y1 - b.y0
    return len(word.text) >= 3 and h > 1.3 * line_height and h * aspect > 1.3 * (b.x1 - b.x0)


def group_rows(words: Iterable[Word], aspect: float = 1.0) -> list[Row]:
    """Words → rows, top to bottom. Tolerates OCR jitter: a word joins a row whose band it overlaps by half
    its height. A row's band is the extent of its ordinary-height words, so one tall word cannot make it
    swallow the lines below; vertical words are left out.

    Args:
        words: the page's words.
        aspect: page height / page width, to compare normalised heights with normalised x gaps.
    """
    ws = [w for w in words if w.box.y1 > w.box.y0 and w.text.strip()]
    if not ws:
        return []
    heights = sorted(w.box.y1 - w.box.y0 for w in ws)
    line_height = heights[len(heights) // 2]
    ws = [w for w in ws if not is_vertical(w, aspect, line_height)]
    ws.sort(key=lambda w: (w.box.y0 + w.box.y1, w.box.x0))
    groups: list[list[Word]] = []
    bands: list[list[float]] = []  # per open row: [y0, y1, first word's height]
    open_idx: list[int] = []
    for w in ws:
        y0, y1 = w.box.y0, w.box.y1
        h = y1 - y0
        cy = (y0 + y1) / 2
        target, best = -1, 0.5
        keep = []
        for i in open_idx:
            b0, b1, _ = bands[i]
            if b1 < y0 - h:
                continue  # far above the sweep line: closed for good
            keep.append(i)
            inter = min(b1, y1) - max(b0, y0)
            ov = inter / min(h, b1 - b0)
            if ov >= best and b0 - 0.5 * h <= cy <= b1 + 0.5 * h:
                target, best = i, ov
        open_idx = keep
        if target < 0:
            groups.append([w])
            bands.append([y0, y1, h])
            open_idx.append(len(groups) - 1)
        else:
            groups[target].append(w)
            band = bands[target]
            if h <= 1.6 * band[2]:
                band[0], band[1] = min(band[0], y0), max(band[1], y1)
    rows = []
    for g in groups:
        g.sort(key=lambda w: w.box.x0)
        rows.append(Row(g, _enclose(g), split_segments(g, aspect)))
    rows.sort(key=lambda r: (r.box.cy, r.box.x0))
    return rows


def _enclose(words: list[Word]) -> Box:
    # Box.enclosing builds a Box per word through union(); this runs for every row and segment of a page.
    x0, y0, x1, y1 = words[0].box
    for w in words:
        a, b, c, d = w.box
        x0, y0, x1, y1 = min(x0, a), min(y0, b), max(x1, c), max(y1, d)
    return Box(x0, y0, x1, y1)


def split_segments(words: list[Word], aspect: float = 1.0, gap: float = SEGMENT_GAP) -> list[Segment]:
    """Cut a left-to-right word list where the gap exceeds ``gap`` times the words' height."""
    if not words:
        return []
    heights = sorted(w.box.y1 - w.box.y0 for w in words)
    limit = gap * heights[len(heights) // 2] * aspect
    out: list[list[Word]] = [[words[0]]]
    right = words[0].box.x1
    for w in words[1:]:
        if w.box.x0 - right > limit:
            out.append([w])
        else:
            out[-1].append(w)
        right = max(right, w.box.x1)
    return [Segment(g, _enclose(g)) for g in out]
