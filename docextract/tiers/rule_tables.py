"""Rules for list-of-model fields (``line_items``, ``transactions``): the page tables whose header maps to
the item's fields, one item per body row, stitched across pages into one list.

Wrapped descriptions are joined; carried-forward / subtotal rows, repeated headers and the totals under
the body are dropped. Scores are conservative: header match x parse quality, raised when the row's own
arithmetic (qty x unit price = line total) holds and lowered when it fails.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from docextract.document import Box, Document, Table, TableCell, Word
from docextract.layout.columns import CONCEPTS, concept_of, header_score, norm
from docextract.layout.rows import is_numeric
from docextract.options import ExtractOptions
from docextract.result import Candidate, Evidence, Issue
from docextract.schema import FieldSpec, TableSpec
from docextract.tiers.rule_sublines import label_line, read_line

_NUMERIC_KINDS = frozenset({"amount", "number", "integer", "percent"})
_MIN_HEADER = 0.6
_SKIP = re.compile(
    r"\b(?:ubertrag|uebertrag|carried forward|brought forward|carry forward|a reporter|report|reporte|riporto|"
    r"zwischensumme|sub ?total|subtotaal|sous total|vortrag|suma y sigue|page total|seitensumme|"
    r"opening balance|closing balance|anfangssaldo|endsaldo|alter kontostand|neuer kontostand|"
    r"solde precedent|ancien solde|nouveau solde|saldo anterior)\b"
)
_TOTAL = re.compile(
    r"^(?:net |grand |sub ?)?(?:total|totaal|totale|summe|gesamt\w*|endbetrag|rechnungsbetrag|nettobetrag|"
    r"bruttobetrag|amount due|balance due|montant total|importe total|net a payer|te betalen|zu zahlen|"
    r"mwst|vat|tva|iva|btw|ust|tax)\b"
)


@dataclass(slots=True)
class _Mapping:
    table: Table
    columns: dict[str, int]  # item field path → column
    scores: dict[str, float]
    desc_line: int = 0  # the item line the description is on (a stacked header's second line labels it)
    desc_x: float = 0.0  # where on that line it starts

    @property
    def strength(self) -> float:
        return sum(self.scores.values())


@dataclass(slots=True)
class _Line:
    text: str
    box: Box
    first_word: float  # width of its first word, for the word-wrap test


@dataclass(slots=True)
class _Item:
    page: int
    cells: dict[str, tuple[str, Any, float, Box]] = field(default_factory=dict)  # path → (raw, value, quality, box)
    desc_lines: list[_Line] = field(default_factory=list)  # the description's lines, as joined
    ocr: bool = False  # read by OCR, not from a text layer
    notes: int = 0  # text lines under the description not taken into it (notes, references)


def table_candidates(
    doc: Document, table: TableSpec, options: ExtractOptions
) -> tuple[list[Candidate], list[Issue]]:
    """Candidates for every cell of a list-of-model field, read from the document's tables.

    Args:
        doc: a document whose pages carry ``tables`` (detected here from the words if layout found none).
        table: the list field, e.g. ``line_items`` with its item fields.
        options: extraction options (the threshold is not applied here).

    Returns:
        One candidate per cell, path ``"{table.path}[{i}].{field}"``, score a probability; and issues
        (``table_not_found`` when no table's header matches the item fields).
    """
    del options  # no option changes how tables are read yet
    concepts = {f.path: concept_of(f.name, f.labels) for f in table.item_fields}
    tables = _all_tables(doc)
    fields = {f.path: f for f in table.item_fields}
    maps = [m for t in tables if (m := _map(t, table, concepts)) is not None]
    if not maps:
        maps = _headerless(tables, concepts, fields, doc)
    if not maps:
        return [], [Issue(code="table_not_found", severity="info", fields=(table.path,),
                          message=f"no table whose header matches the fields of {table.path}")]
    best = max(maps, key=lambda m: m.strength)
    group = [m for m in maps if set(m.columns) == set(best.columns)]
    group += _headerless_continuations(tables, group)
    group.sort(key=lambda m: (m.table.page, m.table.box.y0))
    items: list[_Item] = []
    for m in group:
        items.extend(_items(m, fields, concepts, doc))
    return _candidates(items, table, fields, concepts, best), []


def _headerless(
    tables: list[Table], concepts: dict[str, str | None], fields: dict[str, FieldSpec], doc: Document
) -> list[_Mapping]:
    """When no table's header maps: the header-less table that reads as the most items (see
    ``rule_headerless``); none when none reads as two items or more."""
    from docextract.tiers.rule_headerless import infer_columns

    best: tuple[int, _Mapping] | None = None
    for t in tables:
        got = infer_columns(t, concepts, _num, _clean, _holds, _is_summary)
        if got is None:
            continue
        m = _Mapping(*got)
        n = len(_items(m, fields, concepts, doc))
        if n >= 2 and (best is None or n > best[0]):
            best = (n, m)
    return [best[1]] if best else []


def _is_summary(text: str) -> bool:
    """A total, tax, subtotal or carried-forward line, not an item."""
    t = norm(text)
    return bool(_TOTAL.match(t) or _SKIP.search(t))


def _all_tables(doc: Document) -> list[Table]:
    out: list[Table] = []
    for page in doc.pages:
        if page.tables:
            out.extend(page.tables)
        elif page.words:
            from docextract.layout.tables import detect_tables

            out.extend(detect_tables(page))
    return out


def _labels(f: FieldSpec, concept: str | None) -> tuple[str, ...]:
    extra = CONCEPTS[concept][1] if concept else ()
    return (*f.labels, f.name.replace("_", " "), *extra)


# A cell border a scan kept reads as "|" stuck to the words beside it ("30,00|", "|NOM").
_BORDER = re.compile(r"(?:^|(?<=\s))[|¦]+|[|¦]+(?=\s|$)")


def _clean(text: str) -> str:
    """A cell's text without the border strokes OCR read as characters."""
    return " ".join(_BORDER.sub("", text).split())


def _numeric_share(table: Table, col: int) -> float:
    texts = [x for r in table.body if col < len(r) and (x := _clean(r[col].text))]
    return sum(1 for t in texts if _leads_number(t)) / len(texts) if texts else 0.0


def _leads_number(text: str) -> bool:
    """A number, or a number with its unit ("2 Stk", "10000,0000 KWh")."""
    parts = text.split()
    return is_numeric(text) or (0 < len(parts) <= 3 and is_numeric(parts[0]))


def _map(t: Table, spec: TableSpec, concepts: dict[str, str | None]) -> _Mapping | None:
    header = t.header
    if not header or not t.body:
        return None
    pairs: list[tuple[float, int, str, int]] = []
    shares = [_numeric_share(t, c) for c in range(len(header))]
    for f in spec.item_fields:
        labels = _labels(f, concepts[f.path])
        for c, text in enumerate(header):
            s = header_score(text, labels)
            if s < _MIN_HEADER:
                continue
            numeric_field = f.kind in _NUMERIC_KINDS
            if (numeric_field and shares[c] < 0.5) or (not numeric_field and shares[c] >= 0.5):
                s *= 0.3  # the column's content contradicts its header
            rightmost = concepts[f.path] in ("line_total", "balance")
            pairs.append((s, c if rightmost else -c, f.path, c))
    pairs.sort(reverse=True)
    columns: dict[str, int] = {}
    scores: dict[str, float] = {}
    for s, _, path, c in pairs:
        if s >= _MIN_HEADER and path not in columns and c not in columns.values():
            columns[path], scores[path] = c, s
    _infer_by_arithmetic(t, concepts, columns, scores, shares)
    if len(columns) < 2 or not any(concepts[p] != "description" for p in columns):
        return None
    desc = next((p for p in columns if concepts[p] == "description"), None)
    line, x = (0, 0.0)
    if desc is not None:
        named = {f.path: _labels(f, concepts[f.path]) for f in spec.item_fields if f.path in columns}
        line, x = label_line(t, columns, named, desc, header_score, _MIN_HEADER)
    return _Mapping(t, columns, scores, line, x)


# A quantity with its unit ("2 Stk", "10 KWH", "10000,0000 KWh", "27,5 Std."): the number is the value.
_NUM_UNIT = re.compile(r"^([-+−]?\d[\d.,'’]*(?:\s\d{3})*)\s*([^\W\d_]{1,6}\.?)$")


def _strip_unit(text: str) -> str | None:
    """The number of a number-and-unit cell, None when the cell is not one."""
    m = _NUM_UNIT.match(text.strip())
    return m.group(1) if m else None


def _num(text: str) -> Decimal | None:
    from docextract.coerce import parse

    p = parse(text, "amount") if text.strip() else None
    if (p is None or p.value is None) and (bare := _strip_unit(text)) is not None:
        p = parse(bare, "amount")
    if p is None or p.value is None:
        return None
    try:
        return Decimal(str(p.value))
    except InvalidOperation:
        return None


def _holds(q: Decimal, p: Decimal, t: Decimal) -> bool:
    return abs(q * p - t) <= Decimal("0.011") + abs(t) * Decimal("0.002")


def _infer_by_arithmetic(
    t: Table, concepts: dict[str, str | None], columns: dict[str, int], scores: dict[str, float], shares: list[float]
) -> None:
    """Quantity, unit price or line total columns whose header names nothing we know ("Amount" as a
    count, a header the scan garbled) are found by qty x price = total holding on most rows. With two
    of the three missing, the pair that holds on the most rows wins, only when no other pair ties it
    and the line total lies right of the other two (as every invoice sets them)."""
    by_concept = {concepts[p]: p for p in concepts if concepts[p]}
    roles = ("quantity", "unit_price", "line_total")
    if not all(r in by_concept for r in roles):
        return
    missing = [r for r in roles if by_concept[r] not in columns]
    if not missing or len(missing) > 2:
        return
    free = [c for c in range(len(shares)) if shares[c] >= 0.5 and c not in columns.values()]
    results: list[tuple[int, tuple[int, ...]]] = []
    for combo in itertools.permutations(free, len(missing)):
        got = {r: columns[by_concept[r]] for r in roles if r not in missing}
        got.update(zip(missing, combo, strict=True))
        if len(missing) == 2 and got["line_total"] < max(got["quantity"], got["unit_price"]):
            continue
        ok = n = 0
        for row in t.body:
            vals = [_num(_clean(row[got[r]].text)) if got[r] < len(row) else None for r in roles]
            if any(v is None for v in vals):
                continue
            n += 1
            ok += _holds(*vals)  # type: ignore[arg-type]
        if n and ok >= max(len(missing), 0.6 * n):
            results.append((ok, combo))
    if not results:
        return
    results.sort(reverse=True)
    if len(results) > 1 and results[1][0] == results[0][0] and len(missing) == 2:
        return  # two readings hold as well: the arithmetic does not tell which
    for r, c in zip(missing, results[0][1], strict=True):
        columns[by_concept[r]], scores[by_concept[r]] = c, 0.7


def _headerless_continuations(tables: list[Table], group: list[_Mapping]) -> list[_Mapping]:
    """A table without a header on a later page whose columns line up with the list's so far: it goes on.
    Columns are matched by position, not by index (a header-only column may be missing on the next page)."""
    out: list[_Mapping] = []
    last = max(group, key=lambda m: m.table.page)
    for t in tables:
        if t.header_rows or t.page <= last.table.page or t.page > last.table.page + 1 + len(out):
            continue
        if any(u.page == t.page and u.box.y0 < t.box.y0 for u in tables) or any(m.table.page == t.page for m in out):
            continue  # a list goes on at the top of the next page, in its first table there
        columns = _match_columns(last, t)
        if columns is None:
            continue
        out.append(_Mapping(t, columns, {p: s * 0.9 for p, s in last.scores.items() if p in columns}))
    return out


def _spans(t: Table) -> list[tuple[float, float] | None]:
    out: list[tuple[float, float] | None] = []
    for c in range(len(t.rows[0])):
        ws = [w for r in t.body if c < len(r) for w in r[c].words]
        out.append((min(w.box.x0 for w in ws), max(w.box.x1 for w in ws)) if ws else None)
    return out


def _match_columns(prev: _Mapping, t: Table) -> dict[str, int] | None:
    """prev's mapped columns → t's columns at the same place (same right edge for numbers, same left edge
    for text, within 3% of the page width); None when a mapped column has no counterpart."""
    tol = 0.03
    a, b = _spans(prev.table), _spans(t)
    out: dict[str, int] = {}
    for path, c in prev.columns.items():
        sa = a[c] if c < len(a) else None
        if sa is None:
            continue
        numeric = _numeric_share(prev.table, c) >= 0.5
        hits = [k for k, sb in enumerate(b) if sb is not None
                and abs((sa[1] - sb[1]) if numeric else (sa[0] - sb[0])) <= tol
                and (_numeric_share(t, k) >= 0.5) == numeric]
        if len(hits) != 1:
            return None
        out[path] = hits[0]
    if len(out) < 2 or len(set(out.values())) != len(out):
        return None
    return out


def _items(m: _Mapping, fields: dict[str, FieldSpec], concepts: dict[str, str | None], doc: Document) -> list[_Item]:
    t = m.table
    page = doc.pages[t.page] if t.page < len(doc.pages) else None
    aspect = page.height / page.width if page is not None and page.width else 1.0
    desc = next((p for p in m.columns if concepts[p] == "description"), None)
    if desc is None:
        desc = next((p for p in m.columns if fields[p].kind in ("string", "text")), None)
    qty = next((p for p in m.columns if concepts[p] == "quantity"), None)
    desc_col = m.columns[desc] if desc else None
    # How far the description column's text reaches: a line ends early when the next word would fit.
    desc_right = max((w.box.x1 for r in t.rows if desc_col is not None and desc_col < len(r)
                      for w in r[desc_col].words), default=0.0)
    header_labels = {p: _labels(fields[p], concepts[p]) for p in m.columns}
    items: list[_Item] = []
    consumed: set[int] = set()  # item lines read as a description already
    total = next((p for p in m.columns if concepts[p] == "line_total"), None)
    need_total = total is not None and _totals_usual(t, m, total, fields)
    for i, row in enumerate(t.body):
        if i in consumed:
            continue
        cells = {p: row[c] for p, c in m.columns.items() if c < len(row)}
        texts = {p: _clean(cell.text) for p, cell in cells.items()}
        repeats = sum(1 for p, x in texts.items() if x and header_score(x, header_labels[p]) >= 0.8)
        if repeats >= max(2, len(texts) // 2):
            continue  # the header again, on a later page
        parsed = {p: _parse(texts[p], fields[p]) for p in cells if texts[p]}
        numeric = [p for p in parsed if fields[p].kind in _NUMERIC_KINDS and parsed[p][0] is not None]
        priced = qty is not None and qty in numeric and len(numeric) >= 2
        row_text = norm(" ".join(cell.text for cell in row))
        if _SKIP.search(row_text) and not priced:
            continue  # carried forward, a page total; a priced "Subtotal hardware" line is an item
        first = norm(next((cell.text for cell in row if cell.text.strip()), ""))
        if _TOTAL.match(first) and (qty is None or qty not in numeric):
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
        item = _Item(page=t.page, ocr=any(w.confidence < 1.0 for c in cells.values() for w in c.words))
        for p, (value, quality) in parsed.items():
            if value is not None:
                item.cells[p] = (texts[p], value, quality * m.scores[p] * _read_confidence(cells[p]), cells[p].box)
        if desc and m.desc_line:
            item.cells.pop(desc, None)  # the first line's text under the label is a code, not the name
            got = _sub_line_desc(t.body, i, m, desc, aspect)
            if got is not None:
                text, box, conf = got
                item.cells[desc] = (text, text, m.scores[desc] * conf, box)
                consumed.update(range(i + 1, i + 1 + m.desc_line))
        elif desc and desc in item.cells:
            lines = _lines(cells[desc])
            quality = item.cells[desc][2]
            item.cells[desc] = (lines[0].text, lines[0].text, quality, lines[0].box)
            item.desc_lines.append(lines[0])
            _continue_desc(item, desc, lines[1:], desc_right, aspect)
        items.append(item)
    return items


def _totals_usual(t: Table, m: _Mapping, total: str, fields: dict[str, FieldSpec]) -> bool:
    """Whether nearly every row with a number in a mapped column has a line total (then a row without
    one is a note that quotes a figure, not an item)."""
    cols = [c for p, c in m.columns.items() if fields[p].kind in _NUMERIC_KINDS]
    tc = m.columns[total]
    rows = [r for r in t.body if any(c < len(r) and is_numeric(_clean(r[c].text)) for c in cols)]
    with_total = sum(1 for r in rows if tc < len(r) and is_numeric(_clean(r[tc].text)))
    return len(rows) >= 3 and with_total >= 0.8 * len(rows)


def _row_box(row: list[TableCell]) -> Box | None:
    ws = [w.box for cell in row for w in cell.words]
    return Box.enclosing(ws) if ws else None


def _sub_line_desc(
    body: list[list[TableCell]], i: int, m: _Mapping, desc: str, aspect: float
) -> tuple[str, Box, float] | None:
    """The description of the item on body row ``i`` read on its ``m.desc_line``-th line below: lines
    stacked tight under it, none holding a number in a mapped column."""
    prev = _row_box(body[i])
    for j in range(i + 1, i + 1 + m.desc_line):
        if j >= len(body) or prev is None:
            return None
        box = _row_box(body[j])
        if box is None or box.y0 - prev.y1 > 0.9 * prev.height or any(
                is_numeric(_clean(body[j][c].text)) for p, c in m.columns.items() if p != desc and c < len(body[j])):
            return None
        prev = box
    got = read_line(body[i + m.desc_line], m.desc_x, aspect)
    if got is None:
        return None
    conf = min((w.confidence for cell in body[i + m.desc_line] for w in cell.words), default=1.0)
    return got[0], got[1], conf


def _read_confidence(cell: TableCell) -> float:
    """The least sure word of the cell as the engine read it (1.0 on a text layer): one misread letter
    makes the whole cell wrong."""
    return min((w.confidence for w in cell.words), default=1.0)


def _only_text_in(row: list[TableCell], col: int | None) -> bool:
    return all(not cell.text.strip() for c, cell in enumerate(row) if c != col)


def _lines(cell: TableCell) -> list[_Line]:
    """A cell's words as visual lines, top to bottom (a ruled cell may hold several)."""
    if not cell.words:
        return [_Line(cell.text.strip(), cell.box, 0.0)]
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
        out.append(_Line(_clean(" ".join(w.text for w in g)), Box.enclosing(w.box for w in g), g[0].box.width))
    return out


# A line that opens with a label ("Serial no: …", "• Description: …", "Date début : …") is a note.
_NOTE = re.compile(r"^(?:[•·*\-–>]\s*|\S+\s*:\s|\S+(?:\s\S+){0,2}\s?:(?:\s|$))")


def _continue_desc(item: _Item, desc: str, lines: list[_Line], desc_right: float, aspect: float) -> None:
    """Join lines to the item's description while they are the same text wrapped: right under the last
    line, starting where it starts, and the last line ended only because the next word did not fit (the
    word-wrap test against how far the column's text reaches). Anything else, and every line after it,
    is a note: counted, never joined."""
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


def _parse(text: str, f: FieldSpec) -> tuple[Any, float]:
    if f.kind in ("string", "text"):
        return text, 1.0
    from docextract.coerce import parse

    p = parse(text, f.kind, enum_values=f.enum_values)
    if (p is None or p.value is None) and f.kind in _NUMERIC_KINDS and (bare := _strip_unit(text)) is not None:
        q = parse(bare, f.kind, enum_values=f.enum_values)
        return (q.value, float(q.quality)) if q is not None and q.value is not None else (None, 0.0)
    if p is None or p.value is None:
        return None, 0.0
    # A number read from a small part of the cell ("3 PCE" is fine, "see note 3" is not) is doubtful.
    covered = (p.end - p.start) / max(1, len(text)) if p.end > p.start else 1.0
    return p.value, float(p.quality) * (1.0 if covered >= 0.5 else 0.6)


def _candidates(
    items: list[_Item], spec: TableSpec, fields: dict[str, FieldSpec], concepts: dict[str, str | None], best: _Mapping
) -> list[Candidate]:
    role = {concepts[p]: p for p in fields if concepts[p]}
    arith = [role.get(r) for r in ("quantity", "unit_price", "line_total")]
    out: list[Candidate] = []
    for i, item in enumerate(items):
        check = _row_check(item, arith)
        for path, (raw, value, quality, box) in item.cells.items():
            s = 0.92 * min(1.0, quality)
            text = fields[path].kind in ("string", "text")
            if text:
                s *= _text_doubt(item, raw)
                if item.ocr:
                    # Nothing checks OCR'd free text: a dropped accent or letter is read with high word
                    # confidence and makes the value wrong: a quarter more odds of being wrong.
                    s = 1.0 - 1.25 * (1.0 - s)
            if check is True and not text:
                s = 1.0 - (1.0 - s) * (0.3 if path in arith else 0.6)
            elif check is False and path in arith:
                s *= 0.6
            pattern = sum(1 for p in best.columns if p in item.cells) / len(best.columns)
            s *= 0.8 + 0.2 * pattern  # a row missing most of its columns is less like the others
            out.append(Candidate(
                path=f"{spec.path}[{i}].{path}", value=value, raw=raw, score=round(min(0.98, max(0.0, s)), 4),
                source="rules", evidence=(Evidence(page=item.page, box=(box.x0, box.y0, box.x1, box.y1), text=raw),),
                signals={"parse": round(quality, 3), "arithmetic": {True: 1.0, False: -1.0, None: 0.0}[check],
                         "row_pattern": round(pattern, 3)},
            ))
    return out


# "Name: details", "Name - details": where the item's name ends is a matter of taste.
_COMPOSITE = re.compile(r"\S:\s|\s[-–—|]\s")


def _text_doubt(item: _Item, raw: str) -> float:
    """How much less sure a text cell is than its parse: joined wrapped lines may have swallowed a note,
    notes under the item may belong to it, and a composite text may be wanted in part only. The row's
    arithmetic says nothing about where a description ends, so it never raises these."""
    f = 1.0
    if len(item.desc_lines) > 1:
        f *= 0.9
    if item.notes:
        f *= 0.95
    if _COMPOSITE.search(raw):
        f *= 0.8
    return f


def _row_check(item: _Item, arith: list[str | None]) -> bool | None:
    """qty x unit price = line total on this row: True, False, or None when a part is missing."""
    vals: list[Decimal] = []
    for p in arith:
        if p is None or p not in item.cells:
            return None
        try:
            vals.append(Decimal(str(item.cells[p][1])))
        except InvalidOperation:
            return None
    return _holds(*vals)
