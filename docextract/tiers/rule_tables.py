"""Rules for list-of-model fields (``line_items``, ``transactions``): the page tables whose header maps to
the item's fields, one item per body row, stitched across pages into one list.

Wrapped descriptions are joined; carried-forward / subtotal rows, repeated headers and the totals under
the body are dropped. Scores are conservative: header match x parse quality, raised when the row's own
arithmetic (qty x unit price = line total) holds and lowered when it fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from docextract.document import Box, Document, Table, TableCell
from docextract.layout.columns import CONCEPTS, concept_of, header_score, norm
from docextract.layout.rows import is_numeric
from docextract.options import ExtractOptions
from docextract.result import Candidate, Evidence, Issue
from docextract.schema import FieldSpec, TableSpec

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

    @property
    def strength(self) -> float:
        return sum(self.scores.values())


@dataclass(slots=True)
class _Item:
    page: int
    cells: dict[str, tuple[str, Any, float, Box]] = field(default_factory=dict)  # path → (raw, value, quality, box)
    desc_boxes: list[Box] = field(default_factory=list)
    desc_boxes_multi: set[str] = field(default_factory=set)  # text fields read from a multi-line cell


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
    maps = [m for t in tables if (m := _map(t, table, concepts)) is not None]
    if not maps:
        return [], [Issue(code="table_not_found", severity="info", fields=(table.path,),
                          message=f"no table whose header matches the fields of {table.path}")]
    best = max(maps, key=lambda m: m.strength)
    group = [m for m in maps if set(m.columns) == set(best.columns)]
    group += _headerless_continuations(tables, group)
    group.sort(key=lambda m: (m.table.page, m.table.box.y0))
    fields = {f.path: f for f in table.item_fields}
    items: list[_Item] = []
    for m in group:
        items.extend(_items(m, fields, concepts, doc))
    return _candidates(items, table, fields, concepts, best), []


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


def _numeric_share(table: Table, col: int) -> float:
    texts = [r[col].text for r in table.body if col < len(r) and r[col].text.strip()]
    return sum(1 for t in texts if is_numeric(t)) / len(texts) if texts else 0.0


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
            if (numeric_field and shares[c] < 0.5) or (concepts[f.path] == "description" and shares[c] >= 0.5):
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
    return _Mapping(t, columns, scores)


def _num(text: str) -> Decimal | None:
    from docextract.coerce import parse

    p = parse(text, "amount") if text.strip() else None
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
    """A quantity (or unit price) column whose header names nothing we know ("Amount" as a count) is
    found by qty x price = total holding on most rows."""
    by_concept = {concepts[p]: p for p in concepts if concepts[p]}
    roles = ("quantity", "unit_price", "line_total")
    if not all(r in by_concept for r in roles):
        return
    missing = [r for r in roles if by_concept[r] not in columns]
    if len(missing) != 1:
        return
    free = [c for c in range(len(shares)) if shares[c] >= 0.5 and c not in columns.values()]
    for c in free:
        got = {r: c if r == missing[0] else columns[by_concept[r]] for r in roles}
        ok = n = 0
        for row in t.body:
            vals = [_num(row[got[r]].text) if got[r] < len(row) else None for r in roles]
            if any(v is None for v in vals):
                continue
            n += 1
            ok += _holds(*vals)  # type: ignore[arg-type]
        if n and ok >= max(1, 0.6 * n):
            columns[by_concept[missing[0]]], scores[by_concept[missing[0]]] = c, 0.7
            return


def _headerless_continuations(tables: list[Table], group: list[_Mapping]) -> list[_Mapping]:
    """A table without a header on a later page, with the same columns as the list so far: it goes on."""
    out: list[_Mapping] = []
    last = max(group, key=lambda m: m.table.page)
    for t in tables:
        if t.header_rows or t.page <= last.table.page or t.page > last.table.page + 1 + len(out):
            continue
        if len(t.rows[0]) != len(last.table.rows[0]) or not _same_columns(t, last.table):
            continue
        out.append(_Mapping(t, dict(last.columns), {p: s * 0.9 for p, s in last.scores.items()}))
    return out


def _same_columns(a: Table, b: Table) -> bool:
    tol = 0.03
    xa = [max((r[c].box.x1 for r in a.body if r[c].words), default=0.0) for c in range(len(a.rows[0]))]
    xb = [max((r[c].box.x1 for r in b.body if r[c].words), default=0.0) for c in range(len(b.rows[0]))]
    return all(abs(p - q) <= tol for p, q in zip(xa, xb, strict=False) if p and q)


def _items(m: _Mapping, fields: dict[str, FieldSpec], concepts: dict[str, str | None], doc: Document) -> list[_Item]:
    t = m.table
    page = doc.pages[t.page] if t.page < len(doc.pages) else None
    aspect = page.height / page.width if page is not None and page.width else 1.0
    desc = next((p for p in m.columns if concepts[p] == "description"), None)
    if desc is None:
        desc = next((p for p in m.columns if fields[p].kind in ("string", "text")), None)
    qty = next((p for p in m.columns if concepts[p] == "quantity"), None)
    desc_col = m.columns[desc] if desc else None
    desc_right = max((r[desc_col].box.x1 for r in t.body if desc_col is not None and r[desc_col].words), default=0.0)
    header_labels = {p: _labels(fields[p], concepts[p]) for p in m.columns}
    items: list[_Item] = []
    for row in t.body:
        cells = {p: row[c] for p, c in m.columns.items() if c < len(row)}
        texts = {p: cell.text.strip() for p, cell in cells.items()}
        repeats = sum(1 for p, x in texts.items() if x and header_score(x, header_labels[p]) >= 0.8)
        if repeats >= max(2, len(texts) // 2):
            continue  # the header again, on a later page
        row_text = norm(" ".join(cell.text for cell in row))
        if _SKIP.search(row_text):
            continue
        first = norm(next((cell.text for cell in row if cell.text.strip()), ""))
        parsed = {p: _parse(texts[p], fields[p]) for p in cells if texts[p]}
        numeric = [p for p in parsed if fields[p].kind in _NUMERIC_KINDS and parsed[p][0] is not None]
        if _TOTAL.match(first) and (qty is None or qty not in numeric):
            if items:
                break
            continue
        if not numeric:
            if desc and texts.get(desc) and items and _only_text_in(row, desc_col):
                _maybe_join(items[-1], desc, cells[desc], desc_right, aspect)
            continue
        if not (desc and texts.get(desc)) and len(numeric) < 2:
            continue
        item = _Item(page=t.page)
        for p, (value, quality) in parsed.items():
            if value is not None:
                item.cells[p] = (texts[p], value, quality * m.scores[p], cells[p].box)
        if desc and desc in item.cells:
            item.desc_boxes.append(cells[desc].box)
            if len({round(w.box.cy, 3) for w in cells[desc].words}) > 1:
                item.desc_boxes_multi.add(desc)
        items.append(item)
    return items


def _only_text_in(row: list[TableCell], col: int | None) -> bool:
    return all(not cell.text.strip() for c, cell in enumerate(row) if c != col)


def _maybe_join(prev: _Item, desc: str, cell: TableCell, desc_right: float, aspect: float) -> None:
    """Join a description-only row to the item above when it is the same cell wrapped: right under it,
    aligned with it, and the line above ran (nearly) to the column's right edge. Indented or short-line
    notes ("Serial no: …") are not part of the description."""
    if desc not in prev.cells or not prev.desc_boxes:
        return
    first, last = prev.desc_boxes[0], prev.desc_boxes[-1]
    h = last.height
    if cell.box.y0 - last.y1 > 0.9 * h or abs(cell.box.x0 - first.x0) > 0.8 * h * aspect:
        return
    if last.x1 < first.x0 + 0.7 * (desc_right - first.x0):
        return
    raw, _, quality, box = prev.cells[desc]
    joined = f"{raw} {cell.text.strip()}"
    prev.cells[desc] = (joined, joined, quality, box.union(cell.box))
    prev.desc_boxes.append(cell.box)


def _parse(text: str, f: FieldSpec) -> tuple[Any, float]:
    if f.kind in ("string", "text"):
        return text, 1.0
    from docextract.coerce import parse

    p = parse(text, f.kind, enum_values=f.enum_values)
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
            if len(item.desc_boxes) > 1 or (path in item.desc_boxes_multi):
                s *= 0.85  # a joined or multi-line description may have swallowed a note
            if check is True:
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
