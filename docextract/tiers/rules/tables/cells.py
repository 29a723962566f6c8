"""What an item table's cell says: its text without border residue, its number (with or without a unit),
its value parsed for a field's kind, and whether a row is a total or carried-forward line, not an item."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from docextract.document import TableCell
from docextract.layout.columns import norm
from docextract.layout.rows import is_numeric
from docextract.schema import FieldSpec

NUMERIC_KINDS = frozenset({"amount", "number", "integer", "percent"})
TEXT_KINDS = frozenset({"string", "text"})

SKIP = re.compile(
    r"\b(?:ubertrag|uebertrag|carried forward|brought forward|carry forward|a reporter|report|reporte|riporto|"
    r"zwischensumme|sub ?total|subtotaal|sous total|vortrag|suma y sigue|page total|seitensumme|"
    r"opening balance|closing balance|anfangssaldo|endsaldo|alter kontostand|neuer kontostand|"
    r"solde precedent|ancien solde|nouveau solde|saldo anterior)\b"
)
TOTAL = re.compile(
    r"^(?:net |grand |sub ?)?(?:total|totaal|totale|summe|gesamt\w*|endbetrag|rechnungsbetrag|nettobetrag|"
    r"bruttobetrag|amount due|balance due|montant total|importe total|net a payer|te betalen|zu zahlen|"
    r"mwst|vat|tva|iva|btw|ust|tax)\b"
)

# A cell border a scan kept reads as "|" stuck to the words beside it ("30,00|", "|NOM").
_BORDER = re.compile(r"(?:^|(?<=\s))[|¦]+|[|¦]+(?=\s|$)")
# A quantity with its unit ("2 Stk", "10 KWH", "10000,0000 KWh", "27,5 Std."): the number is the value.
_NUM_UNIT = re.compile(r"^([-+−]?\d[\d.,'’]*(?:\s\d{3})*)\s*([^\W\d_]{1,6}\.?)$")


def is_summary(text: str) -> bool:
    """A total, tax, subtotal or carried-forward line, not an item."""
    t = norm(text)
    return bool(TOTAL.match(t) or SKIP.search(t))


def clean(text: str) -> str:
    """A cell's text without the border strokes OCR read as characters."""
    return " ".join(_BORDER.sub("", text).split())


def had_border(text: str) -> bool:
    """Whether ``clean`` took a stroke out of the text: on a scan that stroke may have been a letter
    ("l", "I") the engine read as a border."""
    return bool(_BORDER.search(text))


def leads_number(text: str) -> bool:
    """A number, or a number with its unit ("2 Stk", "10000,0000 KWh")."""
    parts = text.split()
    return is_numeric(text) or (0 < len(parts) <= 3 and is_numeric(parts[0]))


def strip_unit(text: str) -> str | None:
    """The number of a number-and-unit cell, None when the cell is not one."""
    m = _NUM_UNIT.match(text.strip())
    return m.group(1) if m else None


def num(text: str) -> Decimal | None:
    """A cell's number (a unit after it is allowed), None when it holds none."""
    from docextract.coerce import parse

    p = parse(text, "amount") if text.strip() else None
    if (p is None or p.value is None) and (bare := strip_unit(text)) is not None:
        p = parse(bare, "amount")
    if p is None or p.value is None:
        return None
    try:
        return Decimal(str(p.value))
    except InvalidOperation:
        return None


def holds(q: Decimal, p: Decimal, t: Decimal) -> bool:
    """qty x price = total, to the cent or 0.2% (rounded unit prices)."""
    return abs(q * p - t) <= Decimal("0.011") + abs(t) * Decimal("0.002")


def parse_cell(text: str, f: FieldSpec) -> tuple[Any, float]:
    """``(value, quality)`` of a cell read as field ``f``; ``(None, 0.0)`` when it does not parse."""
    if f.kind in TEXT_KINDS:
        return text, 1.0
    from docextract.coerce import parse

    p = parse(text, f.kind, enum_values=f.enum_values)
    if (p is None or p.value is None) and f.kind in NUMERIC_KINDS and (bare := strip_unit(text)) is not None:
        q = parse(bare, f.kind, enum_values=f.enum_values)
        return (q.value, float(q.quality)) if q is not None and q.value is not None else (None, 0.0)
    if p is None or p.value is None:
        return None, 0.0
    # A number read from a small part of the cell ("3 PCE" is fine, "see note 3" is not) is doubtful.
    covered = (p.end - p.start) / max(1, len(text)) if p.end > p.start else 1.0
    return p.value, float(p.quality) * (1.0 if covered >= 0.5 else 0.6)


def read_confidence(cell: TableCell) -> float:
    """The least sure word of the cell as the engine read it (1.0 on a text layer): one misread letter
    makes the whole cell wrong."""
    return min((w.confidence for w in cell.words), default=1.0)
