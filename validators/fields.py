"""Finding the values a rule needs by field name or kind, so that rules work on any schema whose fields
are named or typed like the built-in ones (a user's PurchaseOrder with ``total_net`` and ``line_items``)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from docextract.schema import SchemaSpec

# Field names each role goes by, most specific first.
NET = ("total_net", "net_total", "subtotal", "sub_total", "net_amount", "total_excl_tax")
TAX = ("total_tax", "tax_total", "total_vat", "vat_total", "tax_amount", "vat_amount", "tax", "vat")
GROSS = ("total_gross", "gross_total", "grand_total", "total_incl_tax", "gross_amount", "total_amount", "total")
DUE = ("amount_due", "balance_due", "total_due", "amount_payable")
LINE_TOTAL = ("line_total", "line_amount", "total", "amount")
QUANTITY = ("quantity", "qty")
UNIT_PRICE = ("unit_price", "price", "unit_cost")
ISSUE_DATE = ("issue_date", "invoice_date", "document_date", "order_date", "date")
DUE_DATE = ("due_date", "payment_due_date", "payment_due", "due")

_CELL = re.compile(r"^(?P<table>[^\[\]]+)\[(?P<row>\d+)\]\.(?P<field>[^\[\]]+)$")


def name_of(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def scalar_path(spec: SchemaSpec, values: Mapping[str, Any], names: Sequence[str]) -> str | None:
    """The path of the first of ``names`` that the schema (or, failing that, the values) has outside a
    table; a top-level field wins over a nested one (``total_net`` over ``summary.total_net``)."""
    known = [f.path for f in spec.fields] or [p for p in values if "[" not in p]
    for name in names:
        hits = sorted((p for p in known if name_of(p) == name), key=lambda p: (p.count("."), len(p)))
        if hits:
            return hits[0]
    return None


def paths_of_kind(spec: SchemaSpec, values: Mapping[str, Any], kind: str, name_part: str) -> list[str]:
    """Paths with a value whose field has ``kind`` (table cells included); where the schema says
    nothing of that kind, value paths whose field name contains ``name_part``."""
    kinds = {f.path: f.kind for f in spec.fields}
    for table in spec.tables:
        for item in table.item_fields:
            kinds[f"{table.path}[].{item.path}"] = item.kind
    out = []
    for path in values:
        cell = _CELL.match(path)
        key = f"{cell['table']}[].{cell['field']}" if cell else path
        if kinds.get(key) == kind or (key not in kinds and name_part in name_of(path).lower()):
            out.append(path)
    return sorted(out)


def table_rows(values: Mapping[str, Any]) -> dict[str, dict[int, dict[str, str]]]:
    """table path → row index → field name → value path, for every table cell in ``values``."""
    rows: dict[str, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for path in values:
        cell = _CELL.match(path)
        if cell:
            rows[cell["table"]][int(cell["row"])][cell["field"]] = path
    return rows


def first_of(row: Mapping[str, str], names: Iterable[str]) -> str | None:
    return next((row[n] for n in names if n in row), None)


def to_decimal(value: Any) -> Decimal | None:
    """A number as Decimal (floats through their shortest repr), or None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, (int, float)):
        return to_decimal(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    if isinstance(value, str):
        from docextract.coerce import parse

        parsed = parse(value, "amount")
        return None if parsed is None else to_decimal(parsed.value)
    try:
        return to_decimal(Decimal(str(value)))
    except InvalidOperation:
        return None


def to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def rounding_tolerance(reference: Decimal) -> Decimal:
    """What rounding explains: 2 cents, or 0.05 % of the amount for large ones."""
    return max(Decimal("0.02"), abs(reference) * Decimal("0.0005"))


def money(value: Decimal) -> str:
    return f"{value:,.2f}"
