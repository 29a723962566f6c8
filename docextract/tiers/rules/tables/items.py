"""A mapped table's body read as items: one item per row with numbers, wrapped description lines joined,
notes under an item counted (never joined), repeated headers, carried-forward and total lines dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from docextract.document import Box, Document, TableCell, Word
from docextract.layout.columns import header_score, norm
from docextract.layout.rows import is_numeric
from docextract.schema import FieldSpec
from docextract.tiers.rules.tables.cells import (
    NUMERIC_KINDS,
    SKIP,
    TEXT_KINDS,
    TOTAL,
    clean,
    had_border,
    parse_cell,
    read_confidence,
)
from docextract.tiers.rules.tables.columns import Mapping, field_labels
from docextract.tiers.rules.tables.sublines import read_line


@dataclass(slots=True)
class Line:
    """One visual line of a description."""

    text: str
    box: Box
    first_word: float  # width of its first word, for the word-wrap test


@dataclass(slots=True)
class Item:
    """One item as read, before scoring: its cells and what the reading of its description went through."""

    page: int
    desc: str | None = None  # the field path its description is read into
    by_header: bool = True  # its table's columns were named by a header
    cells: dict[str, tuple[str, Any, float, Box]] = field(default_factory=dict)  # path → (raw, value, quality, box)
    desc_lines: list[Line] = field(default_factory=list)  # the description's lines, as joined
    wrap_guessed: bool = False  # a line was joined on the word-wrap test alone, not at the column's edge
    aspect: float = 1.0  # its page's height / width (a length in y as a length in x)
    ocr: bool = False  # read by OCR, not from a text layer
    notes: int = 0  # text lines under the description not taken into it (notes, references)
    desc_border: bool = False  # a border stroke was taken out of the description's text
    desc_shape: float = 1.0  # how sure its text's shape reads (see tables.descriptions)


def read_items(m: Mapping, fields: dict[str, FieldSpec], concepts: dict[str, str | None], doc: Document) -> list[Item]:
    """The items of one mapped table, top to bottom.

    Args:
        m: the table and its column mapping.
        fields: item field path → spec.
        concepts: item field path → concept.
        doc: the document (for the page's aspect ratio).

    Returns:
        One ``Item`` per body row that reads as an item.
    """
    t = m.table
    page = doc.pages[t.page] if t.page < len(doc.pages) else None
    aspect = page.height / page.width if page is not None and page.width else 1.0
    desc = next((p for p in m.columns if concepts[p] == "description"), None)
    if desc is None:
        desc = next((p for p in m.columns if fields[p].kind in TEXT_KINDS), None)
    qty = next((p for p in m.columns if concepts[p] == "quantity"), None)
    desc_col = m.columns[desc] if desc else None
    # How far the description column's text reaches: a line ends early when the next word would fit.
    desc_right = max((w.box.x1 for r in t.rows if desc_col is not None and desc_col < len(r)
                      for w in r[desc_col].words), default=0.0)
    header_labels = {p: field_labels(fields[p], concepts[p]) for p in m.columns}
    items: list[Item] = []
    consumed: set[int] = set()  # item lines read as a description already
    total = next((p for p in m.columns if concepts[p] == "line_total"), None)
    need_total = total is not None and _totals_usual(m, total, fields)
    for i, row in enumerate(t.body):
        if i in consumed:
            continue
        cells = {p: row[c] for p, c in m.columns.items() if c < len(row)}
        texts = {p: clean(cell.text) for p, cell in cells.items()}
        repeats = sum(1 for p, x in texts.items() if x and header_score(x, header_labels[p]) >= 0.8)
        if repeats >= max(2, len(texts) // 2):
            continue  # the header again, on a later page
        parsed = {p: parse_cell(texts[p], fields[p]) for p in cells if texts[p]}
        numeric = [p for p in parsed if fields[p].kind in NUMERIC_KINDS and parsed[p][0] is not None]
        priced = qty is not None and qty in numeric and len(numeric) >= 2
        row_text = norm(" ".join(cell.text for cell in row))
        if SKIP.search(row_text) and not priced:
            continue  # carried forward, a page total; a priced "Subtotal hardware" line is an item
        first = norm(next((cell.text for cell in row if cell.text.strip()), ""))
        if TOTAL.match(first) and (qty is None or qty not in numeric):
            if items:
                break
            continue
        if not numeric:
            if desc and texts.get(desc) and items and _only_text_in(row, desc_col):
                _continue_desc(items[-1], desc, _lines(cells[desc]), desc_right, aspect)
            elif items and any(texts.values()):
                items[-1].notes += 1
            continue
        if not (desc and texts.get(desc)) and len(numeric) < 2:
            continue
        if need_total and total not in numeric:
            if items:  # a figure in a note ("Bruttopreis: 15,00 €, Rabatt: -3,00 €") where items have totals
                items[-1].notes += 1
            continue
        item = Item(page=t.page, desc=desc, by_header=m.by_header, aspect=aspect,
                    ocr=any(w.confidence < 1.0 for c in cells.values() for w in c.words))
        for p, (value, quality) in parsed.items():
            if value is not None:
                item.cells[p] = (texts[p], value, quality * m.scores[p] * read_confidence(cells[p]), cells[p].box)
        if desc and m.desc_line:
            item.cells.pop(desc, None)  # the first line's text under the label is a code, not the name
            got = _sub_line_desc(t.body, i, m, desc, aspect)
            if got is not None:
                text, box, conf = got
                item.cells[desc] = (text, text, m.scores[desc] * conf, box)
                consumed.update(range(i + 1, i + 1 + m.desc_line))
        elif desc and desc in item.cells:
            item.desc_border = had_border(cells[desc].text)
            lines = _lines(cells[desc])
            quality = item.cells[desc][2]
            item.cells[desc] = (lines[0].text, lines[0].text, quality, lines[0].box)
            item.desc_lines.append(lines[0])
            _continue_desc(item, desc, lines[1:], desc_right, aspect)
        items.append(item)
    return items


def _totals_usual(m: Mapping, total: str, fields: dict[str, FieldSpec]) -> bool:
    """Whether nearly every row with a number in a mapped column has a line total (then a row without
    one is a note that quotes a figure, not an item)."""
    cols = [c for p, c in m.columns.items() if fields[p].kind in NUMERIC_KINDS]
    tc = m.columns[total]
    rows = [r for r in m.table.body if any(c < len(r) and is_numeric(clean(r[c].text)) for c in cols)]
    with_total = sum(1 for r in rows if tc < len(r) and is_numeric(clean(r[tc].text)))
    return len(rows) >= 3 and with_total >= 0.8 * len(rows)


def _row_box(row: list[TableCell]) -> Box | None:
    ws = [w.box for cell in row for w in cell.words]
    return Box.enclosing(ws) if ws else None


def _sub_line_desc(
    body: list[list[TableCell]], i: int, m: Mapping, desc: str, aspect: float
) -> tuple[str, Box, float] | None:
    """The description of the item on body row ``i`` read on its ``m.desc_line``-th line below: lines
    stacked tight under it, none holding a number in a mapped column."""
    prev = _row_box(body[i])
    for j in range(i + 1, i + 1 + m.desc_line):
        if j >= len(body) or prev is None:
            return None
        box = _row_box(body[j])
        if box is None or box.y0 - prev.y1 > 0.9 * prev.height or any(
                is_numeric(clean(body[j][c].text)) for p, c in m.columns.items() if p != desc and c < len(body[j])):
            return None
        prev = box
    got = read_line(body[i + m.desc_line], m.desc_x, aspect)
    if got is None:
        return None
    conf = min((w.confidence for cell in body[i + m.desc_line] for w in cell.words), default=1.0)
    return got[0], got[1], conf


def _only_text_in(row: list[TableCell], col: int | None) -> bool:
    return all(not cell.text.strip() for c, cell in enumerate(row) if c != col)


def _lines(cell: TableCell) -> list[Line]:
    """A cell's words as visual lines, top to bottom (a ruled cell may hold several)."""
    if not cell.words:
        return [Line(cell.text.strip(), cell.box, 0.0)]
    groups: list[list[Word]] = []
    for w in sorted(cell.words, key=lambda w: w.box.y0 + w.box.y1):
        g = groups[-1] if groups else None
        if g is not None and abs((w.box.y0 + w.box.y1) - (g[0].box.y0 + g[0].box.y1)) / 2 < 0.5 * g[0].box.height:
            g.append(w)
        else:
            groups.append([w])
    out = []
    for g in groups:
        g.sort(key=lambda w: w.box.x0)
        out.append(Line(clean(" ".join(w.text for w in g)), Box.enclosing(w.box for w in g), g[0].box.width))
    return out


# A line that opens with a label ("Serial no: …", "• Description: …", "Date début : …") is a note.
_NOTE = re.compile(r"^(?:[•·*\-–>]\s*|\S+\s*:\s|\S+(?:\s\S+){0,2}\s?:(?:\s|$))")


def _continue_desc(item: Item, desc: str, lines: list[Line], desc_right: float, aspect: float) -> None:
    """Join lines to the item's description while they are the same text wrapped: right under the last
    line, starting where it starts, and the last line ended only because the next word did not fit (the
    word-wrap test against how far the column's text reaches). Anything else, and every line after it,
    is a note: counted, never joined. A join is a guess until the list's other lines show where the
    column wraps (``tables.descriptions``)."""
    for line in lines:
        if item.notes or desc not in item.cells or not item.desc_lines:
            item.notes += 1
            continue
        first, last = item.desc_lines[0], item.desc_lines[-1]
        h = last.box.height
        space = 0.25 * h * aspect
        wraps = last.box.x1 + space + line.first_word > desc_right + 0.3 * space
        if (line.box.y0 - last.box.y1 > 0.9 * h or abs(line.box.x0 - first.box.x0) > 0.8 * h * aspect
                or not wraps or _NOTE.match(line.text)):
            item.notes += 1
            continue
        raw, _, quality, box = item.cells[desc]
        joined = f"{raw} {line.text}"
        item.cells[desc] = (joined, joined, quality, box.union(line.box))
        item.desc_lines.append(line)
        item.wrap_guessed = True
