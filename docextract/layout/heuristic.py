"""Words → visual lines, blocks and reading order, by geometry alone (no model, ~1 ms per page).

Lines are split where the horizontal gap between two words is large, so a row holding several
label/value columns becomes several ``Line`` objects. Blocks group vertically adjacent lines that are
aligned; reading order is a recursive XY-cut over the blocks, so two columns read one after the other.
OCR words (slightly skewed, noisy heights) are grouped by comparing each word with its horizontal
neighbour in a row rather than with one row-wide baseline.
"""

from __future__ import annotations

import bisect
import itertools
from statistics import median

from docextract.backend import Backend
from docextract.document import Block, Box, Document, Line, Page, Word
from docextract.layout.tables import detect_tables

# A gap wider than this many line heights separates two segments of one visual row. Label/value
# gaps inside one phrase are ~0.3 heights; tab-aligned columns are usually well over 1.5.
_SPLIT_GAP = 1.2
# Two words share a row when their vertical extents overlap by at least this fraction.
_ROW_OVERLAP = 0.45


class HeuristicLayout(Backend):
    """Geometric layout: lines, blocks and reading order from word boxes, then tables."""

    name = "heuristic"

    def analyze(self, page: Page, document: Document) -> None:
        """Fill ``page.lines`` (in reading order), ``page.blocks`` and ``page.tables``."""
        if not page.words:
            page.lines, page.blocks = [], []
        else:
            aspect = page.height / page.width if page.width > 0 else 1.0
            rows = group_rows(page.words)
            lines = [seg for row in rows for seg in split_row(row, aspect)]
            blocks = build_blocks(lines, aspect)
            blocks = reading_order(blocks)
            page.blocks = blocks
            page.lines = [ln for b in blocks for ln in b.lines]
        page.tables = detect_tables(page)


class _OpenRow:
    """A row still taking words: its words, their centres sorted by x (for the nearest-neighbour test),
    and its lowest bottom edge."""

    __slots__ = ("bottom", "by_cx", "cxs", "words")

    def __init__(self, w: Word) -> None:
        self.words = [w]
        self.cxs = [w.box.cx]
        self.by_cx = [w]
        self.bottom = w.box.y1

    def add(self, w: Word) -> None:
        self.words.append(w)
        i = bisect.bisect(self.cxs, w.box.cx)
        self.cxs.insert(i, w.box.cx)
        self.by_cx.insert(i, w)
        self.bottom = max(self.bottom, w.box.y1)

    def nearest(self, cx: float) -> Word:
        """The row word whose centre is nearest in x to ``cx``."""
        i = bisect.bisect(self.cxs, cx)
        if i == 0:
            return self.by_cx[0]
        if i == len(self.cxs) or cx - self.cxs[i - 1] <= self.cxs[i] - cx:
            return self.by_cx[i - 1]
        return self.by_cx[i]


def group_rows(words: list[Word]) -> list[list[Word]]:
    """Group words into visual rows; each row sorted left to right, rows top to bottom."""
    order = sorted(words, key=lambda w: (w.box.cy, w.box.x0))
    rows: list[list[Word]] = []
    # Rows still open for new words: their lowest bottom edge is below the current word's top.
    open_rows: list[_OpenRow] = []
    for w in order:
        best: _OpenRow | None = None
        best_ov = _ROW_OVERLAP
        y0 = w.box.y0
        still_open = []
        for entry in open_rows:
            if entry.bottom < y0:
                continue  # words come sorted by centre: nothing later can overlap this row
            still_open.append(entry)
            ov = _row_overlap(entry, w)
            if ov > best_ov:
                best, best_ov = entry, ov
        open_rows = still_open
        if best is None:
            best = _OpenRow(w)
            rows.append(best.words)
            open_rows.append(best)
        else:
            best.add(w)
    for row in rows:
        row.sort(key=lambda x: x.box.x0)
    rows.sort(key=lambda r: (min(x.box.y0 for x in r), r[0].box.x0))
    return rows


def _row_overlap(row: _OpenRow, w: Word) -> float:
    # Compare with the row word nearest in x: a skewed line drifts, its neighbours do not.
    near = row.nearest(w.box.cx)
    ov = near.box.vertical_overlap(w.box)
    if ov <= 0.0:
        return 0.0
    # Very different heights (a big title next to small text) share a row only when well centred.
    hs = sorted((near.box.height, w.box.height))
    if hs[0] > 0 and hs[1] / hs[0] > 2.2 and abs(near.box.cy - w.box.cy) > hs[0] / 2:
        return 0.0
    return ov


def split_row(row: list[Word], aspect: float) -> list[Line]:
    """Cut a row into Lines where the gap between neighbours exceeds ``_SPLIT_GAP`` line heights.

    ``aspect`` is page height / width: gaps are measured in x units, heights in y units.
    """
    height = median(w.box.height for w in row) * aspect
    out: list[Line] = []
    cur: list[Word] = [row[0]]
    for prev, w in itertools.pairwise(row):
        gap = w.box.x0 - prev.box.x1
        if gap > _SPLIT_GAP * height:
            out.append(_line(cur))
            cur = [w]
        else:
            cur.append(w)
    out.append(_line(cur))
    return out


def _line(words: list[Word]) -> Line:
    return Line(words=words, box=Box.enclosing(w.box for w in words))


def build_blocks(lines: list[Line], aspect: float) -> list[Block]:
    """Group lines stacked closely one under the other with overlapping or aligned left edges."""
    by_top = sorted(lines, key=lambda ln: (ln.box.y0, ln.box.x0))
    blocks: list[list[Line]] = []
    for ln in by_top:
        h = ln.box.height
        target = None
        for blk in reversed(blocks[-12:]):
            last = blk[-1]
            gap = ln.box.y0 - last.box.y1
            if gap > 0.9 * max(h, last.box.height) or gap < -0.5 * h:
                continue
            same_left = abs(ln.box.x0 - last.box.x0) < 1.5 * h * aspect
            if same_left or ln.box.horizontal_overlap(last.box) > 0.6:
                target = blk
                break
        if target is None:
            blocks.append([ln])
        else:
            target.append(ln)
    return [Block(lines=b, box=Box.enclosing(x.box for x in b)) for b in blocks]


def reading_order(blocks: list[Block]) -> list[Block]:
    """Order blocks by a recursive XY-cut: horizontal bands top to bottom, columns left to right."""
    if len(blocks) <= 1:
        return list(blocks)
    return _xy_cut(blocks, horizontal=True, depth=0)


def _xy_cut(blocks: list[Block], horizontal: bool, depth: int) -> list[Block]:
    if len(blocks) <= 1 or depth > 12:
        return sorted(blocks, key=lambda b: (b.box.y0, b.box.x0))
    groups = _cut(blocks, horizontal)
    if len(groups) == 1:
        other = _cut(blocks, not horizontal)
        if len(other) == 1:
            return sorted(blocks, key=lambda b: (b.box.y0, b.box.x0))
        return [b for g in other for b in _xy_cut(g, horizontal, depth + 1)]
    return [b for g in groups for b in _xy_cut(g, not horizontal, depth + 1)]


def _cut(blocks: list[Block], horizontal: bool) -> list[list[Block]]:
    """Split where the projection on one axis has a gap (y for horizontal bands, x for columns)."""
    a, z = (1, 3) if horizontal else (0, 2)  # Box fields: (x0, y0, x1, y1)
    items = sorted(blocks, key=lambda b: b.box[a])
    groups: list[list[Block]] = [[items[0]]]
    reach = items[0].box[z]
    for b in items[1:]:
        if b.box[a] >= reach - 1e-6:
            groups.append([b])
        else:
            groups[-1].append(b)
        reach = max(reach, b.box[z])
    return groups


def rows_of(lines: list[Line]) -> list[list[Line]]:
    """Lines that share a visual row, each row left to right, rows top to bottom (for label/value search)."""
    order = sorted(lines, key=lambda ln: ln.box.cy)
    rows: list[list[Line]] = []
    for ln in order:
        # Same row: overlapping vertically, and not stacked over a line of that row (a tall title beside
        # two small lines must not pull them into one row).
        if rows and any(ln.box.vertical_overlap(o.box) > 0.5 for o in rows[-1]) and \
                not any(ln.box.horizontal_overlap(o.box) > 0 for o in rows[-1]):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    for r in rows:
        r.sort(key=lambda ln: ln.box.x0)
    return rows
