"""How sure each item cell is: its column's header match x its parse x how the engine read it; numbers
raised when the row's arithmetic (qty x unit price = line total) holds and lowered when it fails; text
lowered for what may have gone wrong in reading it, and raised only when nothing could have."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from docextract.result import Candidate, Evidence
from docextract.schema import FieldSpec, TableSpec
from docextract.tiers.rules.tables.cells import TEXT_KINDS, holds
from docextract.tiers.rules.tables.columns import Mapping
from docextract.tiers.rules.tables.items import Item
from docextract.tiers.rules.weights import shifted

# "Name: details", "Name - details": where the item's name ends is a matter of taste.
COMPOSITE = re.compile(r"\S:\s|\s[-–—|]\s")
# "--- Non Food ---", "*** Getränke ***", "== Services ==", "Hardware:": a section heading, not an item.
_HEADING = re.compile(r"^\s*([-=*#_~•·]{2,}).*?\1\s*$|^[^\d:]{2,40}:\s*$")


def item_candidates(
    items: list[Item], spec: TableSpec, fields: dict[str, FieldSpec], concepts: dict[str, str | None], best: Mapping
) -> list[Candidate]:
    """One candidate per cell of every item, path ``"{spec.path}[{i}].{field}"``.

    Args:
        items: the list's items, in order.
        spec: the list field.
        fields: item field path → spec.
        concepts: item field path → concept.
        best: the mapping with the strongest header (its columns are the pattern a row should fill).

    Returns:
        The candidates, each scored as a probability of being right.
    """
    role = {concepts[p]: p for p in fields if concepts[p]}
    arith = [role.get(r) for r in ("quantity", "unit_price", "line_total")]
    out: list[Candidate] = []
    for i, item in enumerate(items):
        check = _row_check(item, arith)
        plaus = _not_an_item(item, arith)
        for path, (raw, value, quality, box) in item.cells.items():
            s = 0.92 * min(1.0, quality)
            text = fields[path].kind in TEXT_KINDS
            if text:
                s *= text_doubt(item, str(value), path == item.desc)
                if check is True and path == item.desc and plain_text(item, str(value)):
                    # Nothing in how it was read leaves doubt, and the row it sits in is an item whose
                    # columns are confirmed: the rest of the doubt is the header's.
                    s = 1.0 - (1.0 - s) * 0.7
                if item.ocr:
                    s = 1.0 - ocr_text_odds(str(value)) * (1.0 - s)
            if check is True and not text:
                s = 1.0 - (1.0 - s) * (0.3 if path in arith else 0.6)
            elif check is False and path in arith:
                s *= 0.6
            pattern = sum(1 for p in best.columns if p in item.cells) / len(best.columns)
            s *= 0.8 + 0.2 * pattern  # a row missing most of its columns is less like the others
            s = shifted(s, plaus)
            out.append(Candidate(
                path=f"{spec.path}[{i}].{path}", value=value, raw=raw, score=round(min(0.98, max(0.0, s)), 4),
                source="rules", evidence=(Evidence(page=item.page, box=(box.x0, box.y0, box.x1, box.y1), text=raw),),
                signals={"parse": round(quality, 3), "arithmetic": {True: 1.0, False: -1.0, None: 0.0}[check],
                         "row_pattern": round(pattern, 3), **plaus},
            ))
    return out


def text_doubt(item: Item, text: str, is_desc: bool) -> float:
    """How much less sure a text cell is than its parse: lines joined on the word-wrap test alone may
    have swallowed a note, notes under the item may belong to it, a composite text may be wanted in part
    only; and for the description, a stroke taken out as a border may have been a letter, and a text cut
    to a shape the rows share is a reading of that shape."""
    f = 1.0
    if item.wrap_guessed:
        f *= 0.9
    if item.notes:
        f *= 0.95
    if COMPOSITE.search(text):
        f *= 0.8
    if is_desc:
        f *= item.desc_shape * (0.9 if item.desc_border else 1.0)
    return f


def ocr_text_odds(text: str) -> float:
    """How many times likelier an OCR'd free text is wrong than its word confidences say. Nothing checks
    free text: a dropped or changed letter is read with high word confidence and makes the value wrong (a
    quarter more odds); an accent is a few pixels the engine weighs little in a word's confidence, and
    is the letter it most often gets wrong ("Revisiön" for "Revisión"): half as much again."""
    odds = 1.25
    if any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text)):
        odds *= 1.5
    return odds


def plain_text(item: Item, raw: str) -> bool:
    """A text read with nothing to doubt: one cell of a column a header named (one line, or lines that
    wrap at the column's edge), from a text layer, nothing under it, no composite punctuation, nothing
    taken out or cut off."""
    return (item.by_header and not item.ocr and not item.wrap_guessed and not item.notes
            and not item.desc_border and item.desc_shape == 1.0 and not COMPOSITE.search(raw))


def _not_an_item(item: Item, arith: list[str | None]) -> dict[str, float]:
    """``row_no_numbers``: the row holds no quantity, unit price or amount; ``row_heading``: its description
    reads as a section heading. Either says the row is a heading, a note or a sub-total, not an item."""
    out: dict[str, float] = {}
    if not any(p is not None and p in item.cells for p in arith):
        out["row_no_numbers"] = 1.0
    desc = item.cells.get(item.desc) if item.desc else None
    if desc is not None and _HEADING.match(str(desc[1])):
        out["row_heading"] = 1.0
    return out


def _row_check(item: Item, arith: list[str | None]) -> bool | None:
    """qty x unit price = line total on this row: True, False, or None when a part is missing."""
    vals: list[Decimal] = []
    for p in arith:
        if p is None or p not in item.cells:
            return None
        try:
            vals.append(Decimal(str(item.cells[p][1])))
        except InvalidOperation:
            return None
    return holds(*vals)
