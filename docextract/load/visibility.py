"""Which text on a PDF page paints visible ink, and which does not.

Hidden text is never evidence: white or low-contrast text, invisible render mode, transparent or tiny
text, text off the page, and text covered by an opaque image or filled rectangle drawn after it can carry
injected instructions or a fraudster's IBAN. Everything here works in pymupdf's unrotated page
coordinates (points, origin top-left of the CropBox); the caller normalises.

The decision is made per span of ``page.get_texttrace()`` (style, render mode and paint order), then
carried onto the words of ``TextPage.extractWORDS()`` by character position, so a word that mixes visible
and hidden characters is split instead of being taken whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Rect = tuple[float, float, float, float]
# (x0, y0, x1, y1, text, (block, line, word)) in unrotated page points.
RawWord = tuple[float, float, float, float, str, tuple[int, int, int]]

MIN_FONT_SIZE = 3.0  # points; below this nobody reads it
MIN_CONTRAST = 1.4  # WCAG contrast ratio; white on white is 1.0, mid-grey on white about 4
MIN_OPACITY = 0.1
COVERED_SHARE = 0.7  # share of a span's area under a later opaque box to count as covered
MIN_COVER_AREA = 20.0  # square points; smaller fills cannot hide a glyph
_INVISIBLE_MODES = (3, 7)  # PDF 32000 text rendering modes that paint no ink


@dataclass(slots=True)
class Fill:
    """An opaque filled rectangle or image, with its place in the paint order."""

    rect: Rect
    seqno: int
    luminance: float | None  # None for an image: its colours are unknown here
    rect_like: bool = True  # False: a curved or slanted shape, whose bounding box overstates what it covers


@dataclass(slots=True)
class Span:
    """One text span from the trace, with why it is hidden (None when it is visible)."""

    rect: Rect
    seqno: int
    chars: Sequence[Any]  # (unicode, glyph, origin, bbox) tuples from get_texttrace
    reason: str | None = None
    used: bool = field(default=False)


def _luminance(colorspace: int, color: Sequence[float] | None) -> float:
    if not color:
        return 0.0
    if colorspace == 4 and len(color) == 4:
        c, m, y, k = color
        r, g, b = (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    elif len(color) >= 3:
        r, g, b = color[0], color[1], color[2]
    else:
        r = g = b = color[0]
    # Rough sRGB linearisation; precision does not matter at these thresholds.
    return float(0.2126 * r**2.2 + 0.7152 * g**2.2 + 0.0722 * b**2.2)


def _contrast(l1: float, l2: float) -> float:
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def _area(r: Rect) -> float:
    return max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])


def _inter(a: Rect, b: Rect) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _is_rect_path(items: Sequence[Any]) -> bool:
    """A rectangle, however drawn: ``re``/``qu`` items, or a few axis-parallel line segments."""
    if not items:
        return False
    if all(it[0] in ("re", "qu") for it in items):
        return True
    return len(items) <= 5 and all(
        it[0] == "l" and (abs(it[1][0] - it[2][0]) < 0.5 or abs(it[1][1] - it[2][1]) < 0.5) for it in items
    )


def collect_fills(bboxlog: Sequence[tuple[str, Rect]], drawings: Sequence[dict[str, Any]]) -> list[Fill]:
    """Opaque filled shapes (from the drawings) and images (from the paint log), in paint order."""
    fills: list[Fill] = []
    for d in drawings:
        if "f" not in d.get("type", "") or d.get("fill") is None:
            continue
        if (d.get("fill_opacity") or 0.0) < 0.9:
            continue
        rect = tuple(d["rect"])
        if _area(rect) >= MIN_COVER_AREA:  # type: ignore[arg-type]
            lum = _luminance(3, d["fill"])
            fills.append(Fill(rect, int(d.get("seqno", -1)), lum, _is_rect_path(d.get("items", ()))))  # type: ignore[arg-type]
    for seqno, (kind, rect) in enumerate(bboxlog):
        if kind in ("fill-image", "fill-shade") and _area(rect) >= MIN_COVER_AREA:
            fills.append(Fill(tuple(rect), seqno, None))  # type: ignore[arg-type]
    fills.sort(key=lambda f: f.seqno)
    return fills


def classify_spans(trace: Sequence[dict[str, Any]], fills: Sequence[Fill], page: Rect) -> list[Span]:
    """Every span of the trace, each with the reason it is hidden or None."""
    spans: list[Span] = []
    for s in trace:
        rect: Rect = tuple(s["bbox"])  # type: ignore[assignment]
        seqno = int(s.get("seqno", -1))
        span = Span(rect, seqno, s.get("chars", ()))
        spans.append(span)
        area = _area(rect)
        if s.get("type", 0) in _INVISIBLE_MODES:
            span.reason = "invisible render mode"
        elif (1.0 if s.get("opacity") is None else float(s["opacity"])) < MIN_OPACITY:
            span.reason = "transparent"
        elif 0 < s.get("size", 12.0) < MIN_FONT_SIZE:
            span.reason = "tiny"
        elif area > 0 and _inter(rect, page) < 0.5 * area:
            span.reason = "off page"
        else:
            span.reason = _paint_reason(span, _luminance(s.get("colorspace", 3), s.get("color")), fills)
    return spans


def _paint_reason(span: Span, text_lum: float, fills: Sequence[Fill]) -> str | None:
    """Low contrast against what lies beneath, or covered by an opaque box painted later."""
    x0, y0, x1, y1 = span.rect
    area = (x1 - x0) * (y1 - y0)
    if area <= 0:
        return None
    background = 1.0  # paper
    for f in fills:
        r = f.rect
        if r[0] >= x1 or r[2] <= x0 or r[1] >= y1 or r[3] <= y0:
            continue
        share = (min(x1, r[2]) - max(x0, r[0])) * (min(y1, r[3]) - max(y0, r[1])) / area
        if f.seqno < span.seqno:
            if share >= 0.5:
                background = f.luminance if f.luminance is not None else -1.0
        elif f.rect_like and share >= COVERED_SHARE:
            return "covered by an image" if f.luminance is None else "covered by a filled shape"
    if background >= 0 and _contrast(text_lum, background) < MIN_CONTRAST:
        return "low contrast"
    return None


def split_words(words: Sequence[RawWord], spans: Sequence[Span]) -> tuple[list[RawWord], list[RawWord]]:
    """Words as (visible, hidden), splitting words that mix visible and hidden characters.

    Hidden spans that touch no word (text the text page clipped away, e.g. off the page) become hidden
    words of their own, so that nothing hidden is lost from view of the checks downstream.
    """
    hidden_spans = [s for s in spans if s.reason]
    if not hidden_spans:
        return list(words), []
    visible_spans = [s for s in spans if not s.reason]
    if not visible_spans:  # an OCR layer over a scan: nothing to split
        return [], list(words)
    visible: list[RawWord] = []
    hidden: list[RawWord] = []
    for w in words:
        box = (w[0], w[1], w[2], w[3])
        hid = _chars_in(box, hidden_spans)
        if not hid:
            visible.append(w)
            continue
        vis = _chars_in(box, visible_spans)
        if not vis:
            hidden.append(w)
            continue
        visible.extend(_words_from_chars(vis, w[5]))
        hidden.extend(_words_from_chars(hid, w[5]))
    for s in hidden_spans:
        if not s.used:
            hidden.extend(_words_from_chars(list(s.chars), (-1, -1, -1)))
    return visible, hidden


def _chars_in(box: Rect, spans: Sequence[Span]) -> list[Any]:
    """Characters of ``spans`` whose centre lies in ``box``, in paint order."""
    out: list[Any] = []
    x0, y0, x1, y1 = box
    for s in spans:
        r = s.rect
        if r[0] > x1 or r[2] < x0 or r[1] > y1 or r[3] < y0:
            continue
        for ch in s.chars:
            b = ch[3]
            cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            if x0 <= cx <= x1 and y0 <= cy <= y1 and not chr(ch[0]).isspace():
                out.append(ch)
                s.used = True
    return out


def _words_from_chars(chars: Sequence[Any], order: tuple[int, int, int]) -> list[RawWord]:
    """Whitespace-separated words from trace characters, boxes the union of their glyphs."""
    out: list[RawWord] = []
    text: list[str] = []
    box: list[float] = []
    for ch in [*chars, None]:
        if ch is None or chr(ch[0]).isspace():
            if text:
                out.append((box[0], box[1], box[2], box[3], "".join(text), order))
            text, box = [], []
            continue
        b = ch[3]
        text.append(chr(ch[0]))
        box = list(b) if not box else [min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3])]
    return out
