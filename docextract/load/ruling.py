"""Ruling lines from a PDF page's vector drawing: the strokes and edges that frame ruled tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from docextract.document import Box

MAX_RULINGS = 2000
MAX_PATHS = 20_000  # beyond this the page is a drawing (a map, a chart), not a form
THIN = 3.0  # points; a filled rectangle thinner than this is a rule
MIN_LENGTH = 4.0  # points; shorter strokes are glyph-like marks, not rules
_SLANT = 0.5  # points of drift allowed for a "horizontal" or "vertical" segment

Segment = tuple[float, float, float, float]


def _quad_bounds(quad: Any) -> Segment:
    """Bounds of a quad given as four points (cdrawings) or a Quad object (drawings)."""
    pts = [(p[0], p[1]) for p in quad]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _segments(d: dict[str, Any], page_area: float) -> list[Segment]:
    """Axis-parallel segments (x0, y0, x1, y1, unrotated points) of one path."""
    out: list[Segment] = []
    kind = d.get("type", "")
    for it in d.get("items", ()):
        op = it[0]
        if op == "l":
            (ax, ay), (bx, by) = it[1], it[2]
            if abs(ay - by) <= _SLANT or abs(ax - bx) <= _SLANT:
                out.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        elif op in ("re", "qu"):
            x0, y0, x1, y1 = _quad_bounds(it[1]) if op == "qu" else it[1][:4]
            w, h = x1 - x0, y1 - y0
            if w <= THIN or h <= THIN:
                out.append((x0, y0, x1, y1))  # a filled or stroked bar is one rule
            elif "s" in kind or w * h < 0.5 * page_area:
                # A stroked box, or a shaded cell/row: its edges bound rows and columns.
                out += [(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)]
    return out


def extract_ruling(drawings: Sequence[dict[str, Any]], page_area: float, to_box: Callable[[Segment], Box]) -> list[Box]:
    """Normalised boxes of horizontal and vertical rules, at most ``MAX_RULINGS``.

    Args:
        drawings: ``page.get_cdrawings()``.
        page_area: the page's area in square points (a fill larger than half of it is a background).
        to_box: unrotated points → normalised displayed box.
    """
    if len(drawings) > MAX_PATHS:
        return []
    out: list[Box] = []
    seen: set[tuple[int, int, int, int]] = set()
    for d in drawings:
        for seg in _segments(d, page_area):
            if max(seg[2] - seg[0], seg[3] - seg[1]) < MIN_LENGTH:
                continue
            # Adjacent cells share their edges: drop repeats (to a quarter point) before converting.
            key = (round(seg[0] * 4), round(seg[1] * 4), round(seg[2] * 4), round(seg[3] * 4))
            if key in seen:
                continue
            seen.add(key)
            out.append(to_box(seg))
            if len(out) >= MAX_RULINGS:
                return out
    return out
