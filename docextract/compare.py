"""Whether two values are the same: typed values compared by type, texts by their letters and digits; a typed
number as Decimal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any


def same_value(a: Any, b: Any) -> bool:
    """Whether two typed values are the same (numbers compared as decimals, strings loosely)."""
    if a is None or b is None:
        return False
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except InvalidOperation:
            return False
    if isinstance(a, date) or isinstance(b, date):
        return bool(a == b)
    return loose_text(a) == loose_text(b)


def as_decimal(value: Any) -> Decimal | None:
    """A typed number as Decimal, or None for anything else (booleans, None, text that is no number)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def loose_text(value: Any) -> str:
    """The comparison key of a text: its letters and digits, casefolded (``"ACME GmbH."`` → ``"acmegmbh"``)."""
    return "".join(ch for ch in str(value).casefold() if ch.isalnum())
