"""The page's ruling as table detection reads it: vertical and horizontal strokes, joined where a PDF
draws one rule in pieces, indexed so that a page of thousands of strokes is queried quickly."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from docextract.document import Page
from docextract.layout.rows import Row

# A stroke thinner than this (points) is a rule; shorter than _MIN_RULE is a dot or a glyph part.
_RULE_THICKNESS = 3.0
_MIN_RULE = 6.0
# Collinear pieces closer than this (points) are one rule: tiled cell rectangles leave hairline gaps.
_JOIN_TOLERANCE = 1.5
# A vertical longer than this share of the page height is the page's frame, not a table's.
_FRAME = 0.6
_BINS = 64  # y buckets of the vertical-rule index

Stroke = tuple[float, float, float]  # (position across, start, end) along the stroke


@dataclass(slots=True)
class Ruling:
    """The page's rules as plain floats: verticals ``(x, y0, y1)`` indexed by y bucket, horizontals
    ``(y, x0, x1)`` sorted by y (a ruled page draws hundreds to thousands of strokes)."""

    verticals: list[Stroke]
    horizontals: list[Stroke]
    by_bin: list[list[Stroke]]
    h_ys: list[float]

    @staticmethod
    def of(page: Page) -> Ruling:
        """The rules of ``page.ruling`` (empty for a scan)."""
        v: list[Stroke] = []
        hz: list[Stroke] = []
        pw, ph = page.width, page.height
        for x0, y0, x1, y1 in page.ruling:
            w, h = (x1 - x0) * pw, (y1 - y0) * ph
            if w <= _RULE_THICKNESS and h >= _MIN_RULE:
                v.append(((x0 + x1) / 2, y0, y1))
            elif h <= _RULE_THICKNESS and w >= _MIN_RULE:
                hz.append(((y0 + y1) / 2, x0, x1))
        # A vertical running down most of the page is the page's frame, not a table's: it would glue the
        # address block, the items and the footer into one table.
        tol_x, tol_y = _JOIN_TOLERANCE / pw, _JOIN_TOLERANCE / ph
        verticals = [r for r in join_strokes(v, tol_x, tol_y) if r[2] - r[1] < _FRAME]
        horizontals = join_strokes(hz, tol_y, tol_x)
        by_bin: list[list[Stroke]] = [[] for _ in range(_BINS)]
        for rule in verticals:
            for k in range(_bin(rule[1]), _bin(rule[2]) + 1):
                by_bin[k].append(rule)
        horizontals.sort()
        return Ruling(verticals, horizontals, by_bin, [r[0] for r in horizontals])

    def crosses_gap(self, above: Row, below: Row) -> bool:
        """A vertical rule running from the row above into the row below: the same ruled table."""
        a, b = above.box, below.box
        lo, hi = max(a.x0, b.x0) - 0.05, min(a.x1, b.x1) + 0.05
        ya, yb = (a.y0 + a.y1) / 2, (b.y0 + b.y1) / 2
        return any(y0 <= ya and y1 >= yb and lo <= x <= hi for x, y0, y1 in self.by_bin[_bin(ya)])

    def xs_within(self, y0: float, y1: float) -> list[float]:
        """x of vertical rules covering most of the band ``y0..y1``."""
        need = 0.5 * (y1 - y0)
        return sorted(x for x, a, b in self.verticals if min(b, y1) - max(a, y0) >= need)

    def ys_across(self, x0: float, x1: float, y0: float, y1: float) -> list[float]:
        """y of horizontal rules inside ``y0..y1`` spanning at least half of ``x0..x1``."""
        need = 0.5 * (x1 - x0)
        lo, hi = bisect.bisect_left(self.h_ys, y0), bisect.bisect_right(self.h_ys, y1)
        return [y for y, a, b in self.horizontals[lo:hi] if min(b, x1) - max(a, x0) >= need]


def cluster(xs: list[float], tol: float) -> list[float]:
    """Rules closer than ``tol`` (the two edges of adjacent cell rectangles) → one cut, at their mean."""
    out: list[list[float]] = []
    for x in sorted(xs):
        if out and x - out[-1][-1] <= tol:
            out[-1].append(x)
        else:
            out.append([x])
    return [sum(g) / len(g) for g in out]


def join_strokes(strokes: list[Stroke], tol_pos: float, tol_len: float) -> list[Stroke]:
    """Collinear strokes ``(position, start, end)`` that touch → one (tiled cell rectangles draw a column
    rule in pieces)."""
    out: list[Stroke] = []
    for pos, a, b in sorted(strokes, key=lambda r: (round(r[0] / tol_pos), r[1])):
        if out:
            lp, la, lb = out[-1]
            if abs(lp - pos) <= tol_pos and a <= lb + tol_len:
                out[-1] = (lp, la, max(lb, b))
                continue
        out.append((pos, a, b))
    return out


def _bin(y: float) -> int:
    return min(_BINS - 1, max(0, int(y * _BINS)))
