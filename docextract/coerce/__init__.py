"""Text → typed values, with the raw text and its offsets kept beside each value.

    parse(text, kind)   the whole text is one value of that kind ("12. März 2024", "€ 1.234,56")
    scan(text, kind)    every value of that kind inside a longer line, left to right, non-overlapping

Both return ``Parsed`` (value, raw, start, end, quality, currency). Kinds are ``FieldKind``: string, text,
date, amount, number, integer, percent, currency, iban, vat_id, enum, boolean. Amounts, numbers and
percentages come back as ``Decimal``, integers as ``int``, dates as ``datetime.date``, currencies as ISO 4217
codes, IBANs and VAT ids compact and upper-case.

Results are cached per (text, kind, enum values, languages): the rules tier scans the same lines for
several kinds, and an amount scan reuses the date scan of the same line to skip dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import get_args

from docextract.coerce.currency import currency_code, iso_codes, parse_currency, scan_currency
from docextract.coerce.dates import parse_date, scan_dates
from docextract.coerce.identifiers import parse_iban, parse_vat_id, scan_ibans, scan_vat_ids
from docextract.coerce.numbers import parse_amount, parse_percent, scan_amounts, scan_percents
from docextract.coerce.parsed import Parsed, lang_prefs
from docextract.coerce.words import parse_boolean, parse_enum, parse_string, scan_booleans, scan_enum
from docextract.errors import ConfigError
from docextract.schema import FieldKind

_KINDS = frozenset(get_args(FieldKind))
_NUMERIC_KINDS = frozenset({"amount", "number", "integer"})
_DIGIT = re.compile(r"\d")
_PHONE = re.compile(
    r"(?:(?<![^\W\d_])(?:tel|phone|fon|fax|mobil|mobile|handy|tél|téléphone|telefon|telefono|teléfono|telefoon|gsm)"
    r"\.?\s*[:.]?\s*|(?<![\w+])\+)\(?\d[\d\s()/.-]{5,}\d",
    re.IGNORECASE,
)
_PHONE_WORDS = ("tel", "fon", "fax", "phone", "mobil", "handy", "gsm", "tél")
_IBAN_HINT = re.compile(r"[A-Z]{2}\d{2}")


def parse(
    text: str, kind: FieldKind, *, enum_values: Sequence[str] = (), languages: Sequence[str] | None = None
) -> Parsed | None:
    """Read the whole of ``text`` (stripped) as one value of ``kind``.

    Currency symbols and codes around an amount, a weekday before a date and label punctuation at the
    ends are allowed; anything else left over means no value.

    Args:
        text: a cell, a value next to a label, or a model's answer.
        kind: the field kind (see ``docextract.schema.FieldKind``).
        enum_values: the allowed members, for kind "enum".
        languages: BCP 47 tags or Tesseract codes of the document ("de", "en-US", "fra"); they decide
            03/04/2024 (month first only for US English) and "1.234" (a decimal where the language
            writes a decimal point).

    Returns:
        The value, or None when the text is not one value of that kind.

    Raises:
        ConfigError: ``kind`` is not a FieldKind.
    """
    _check_kind(kind)
    return _parse(text, kind, tuple(enum_values), tuple(languages or ()))


def scan(
    text: str, kind: FieldKind, *, enum_values: Sequence[str] = (), languages: Sequence[str] | None = None
) -> list[Parsed]:
    """Every value of ``kind`` inside ``text``, left to right, non-overlapping.

    Numbers that are part of a date, a phone number, an IBAN, a postcode ("12345 Berlin") or a code
    glued to letters are not amounts; a percentage is not an amount either.

    Args:
        text: one line of text (any length; offsets in the results index into it).
        kind: the field kind.
        enum_values: the allowed members, for kind "enum".
        languages: as for ``parse``.

    Returns:
        The values found, possibly none. "string" and "text" give the whole line as one value.

    Raises:
        ConfigError: ``kind`` is not a FieldKind.
    """
    _check_kind(kind)
    return list(_scan(text, kind, tuple(enum_values), tuple(languages or ())))


def is_iso_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 code (current or historic) that CLDR knows."""
    return code in iso_codes()


def _check_kind(kind: str) -> None:
    if kind not in _KINDS:
        raise ConfigError(f"unknown field kind {kind!r}; known: {', '.join(sorted(_KINDS))}")


@lru_cache(maxsize=8192)
def _parse(text: str, kind: str, enum_values: tuple[str, ...], languages: tuple[str, ...]) -> Parsed | None:
    prefs = lang_prefs(languages)
    if kind in _NUMERIC_KINDS:
        return parse_amount(text, kind, prefs)
    if kind == "date":
        return parse_date(text, prefs, languages)
    if kind == "percent":
        return parse_percent(text)
    if kind == "currency":
        return parse_currency(text)
    if kind == "iban":
        return parse_iban(text)
    if kind == "vat_id":
        return parse_vat_id(text)
    if kind == "enum":
        return parse_enum(text, enum_values)
    if kind == "boolean":
        return parse_boolean(text)
    return parse_string(text, multiline=kind == "text")


@lru_cache(maxsize=8192)
def _scan(text: str, kind: str, enum_values: tuple[str, ...], languages: tuple[str, ...]) -> tuple[Parsed, ...]:
    if kind in _NUMERIC_KINDS or kind in ("date", "percent"):
        if not _DIGIT.search(text):
            return ()
        prefs = lang_prefs(languages)
        if kind == "date":
            return tuple(scan_dates(text, prefs))
        if kind == "percent":
            return tuple(scan_percents(text, prefs))
        return tuple(scan_amounts(text, kind, prefs, _masked_spans(text, languages)))
    if kind == "currency":
        return tuple(scan_currency(text))
    if kind == "iban":
        return tuple(scan_ibans(text)) if _IBAN_HINT.search(text) else ()
    if kind == "vat_id":
        return tuple(scan_vat_ids(text))
    if kind == "enum":
        return tuple(scan_enum(text, enum_values))
    if kind == "boolean":
        return tuple(scan_booleans(text))
    parsed = parse_string(text, multiline=kind == "text")
    return () if parsed is None else (parsed,)


def _masked_spans(text: str, languages: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of dates, phone numbers and IBANs: numbers inside them are not amounts."""
    spans = [(p.start, p.end) for p in _scan(text, "date", (), languages)]
    lowered = text.lower()
    if "+" in text or any(word in lowered for word in _PHONE_WORDS):
        spans.extend(m.span() for m in _PHONE.finditer(text))
    if _IBAN_HINT.search(text):
        spans.extend((p.start, p.end) for p in _scan(text, "iban", (), ()))
    return spans


__all__ = ["Parsed", "currency_code", "is_iso_currency", "parse", "scan"]
