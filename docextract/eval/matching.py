"""Normalising and matching values the way a reviewer would: dates as ISO, amounts numerically, identifiers
without spaces or punctuation, text case- and space-insensitively."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from docextract.eval.scores import AMOUNT_TOLERANCE, IDENTIFIER_NAME, FieldScore, MatchKind
from docextract.schema import FieldSpec


def normalise_text(value: Any) -> str:
    """Casefold, punctuation to spaces, whitespace collapsed: ``"ACME  GmbH & Co."`` → ``"acme gmbh co"``."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    text = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text)
    return " ".join(text.split())


def normalise_identifier(value: Any) -> str:
    """Letters and digits only, casefolded: ``"DE 123.456-789"`` → ``"de123456789"``."""
    return "".join(c for c in unicodedata.normalize("NFKC", str(value)).casefold() if c.isalnum())


def to_decimal(value: Any) -> Decimal | None:
    """A number from a number or a plain numeric string; None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def to_iso_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` from a date, a datetime or an ISO string."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        return None


def similarity(a: Any, b: Any) -> float:
    """Lenient 0..1 similarity of two texts after normalisation."""
    na, nb = normalise_text(a), normalise_text(b)
    if na == nb:
        return 1.0
    return difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()


def match_kind(spec: FieldSpec) -> MatchKind:
    """How a field is compared, from its kind and name."""
    if spec.kind == "date":
        return "date"
    if spec.kind in ("amount", "number", "integer", "percent"):
        return "amount"
    if spec.kind in ("iban", "vat_id") or IDENTIFIER_NAME.search(spec.name.lower()):
        return "identifier"
    if spec.kind in ("currency", "enum", "boolean"):
        return "code"
    return "text"


def values_match(kind: MatchKind, gold: Any, predicted: Any) -> bool:
    """Strict equality of a predicted value with the gold one, for the given kind of field."""
    if kind == "date":
        g = to_iso_date(gold)
        return g is not None and g == to_iso_date(predicted)
    if kind == "amount":
        gd, pd = to_decimal(gold), to_decimal(predicted)
        return gd is not None and pd is not None and abs(gd - pd) < AMOUNT_TOLERANCE
    if kind == "identifier":
        return normalise_identifier(gold) == normalise_identifier(predicted) != ""
    if kind == "code":
        return str(gold).strip().casefold() == str(predicted).strip().casefold()
    return normalise_text(gold) == normalise_text(predicted)


# ---------------------------------------------------------------------------------------------------------
# Gold lookup


def gold_value(gold: Mapping[str, Any] | None, path: str) -> Any:
    """The gold value at a dotted path (``seller.name``), or its flat twin (``seller_name``); None if absent."""
    if not gold:
        return None
    node: Any = gold
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
        if node is None:
            break
    if node is None and "." in path:
        node = gold.get(path.replace(".", "_"))
    if isinstance(node, str) and not node.strip():
        return None
    return node


def score_value(
    path: str, generic: str, kind: MatchKind, *, gold: Any, full: Any, pred: Any, conf: float
) -> FieldScore:
    """The verdict on one field: against ``gold`` where it has a value, else against ``full`` (gold_full).

    Raises:
        ValueError: neither ``gold`` nor ``pred`` holds a value (there is nothing to score).
    """
    if gold is not None:
        if pred is None:
            return FieldScore(path, generic, kind, "missing", gold=gold)
        ok = values_match(kind, gold, pred)
        sim = similarity(gold, pred) if kind == "text" else float(ok)
        return FieldScore(path, generic, kind, "correct" if ok else "wrong", gold, pred, conf, sim)
    if pred is None:
        raise ValueError("nothing to score")  # callers skip fields with neither gold nor prediction
    if full is None:
        return FieldScore(path, generic, kind, "unverifiable", None, pred, conf)
    ok = values_match(kind, full, pred)
    sim = similarity(full, pred) if kind == "text" else float(ok)
    return FieldScore(path, generic, kind, "extra" if ok else "contradicted", full, pred, conf, sim)
