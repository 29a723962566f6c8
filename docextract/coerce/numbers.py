"""Amounts, plain numbers, integers and percentages, in any of the usual digit-grouping conventions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from docextract.coerce.currency import CURRENCY_PATTERN, currency_code
from docextract.coerce.parsed import LangPrefs, Parsed

# Thousands groups of exactly 3 digits with one consistent mark (the back-reference), or plain digits.
_INT = r"(?P<int>\d{1,3}(?:(?P<ts>[.,'’\u00a0\u202f\u2009 ])\d{3})(?:(?P=ts)\d{3})*|\d+)"
# "12,-" and "12,--" are German for a whole amount.
_FRAC = r"(?:(?P<ds>[.,])(?P<frac>\d+|[-–]{1,2}(?![\d-])))?"

_AMOUNT = re.compile(
    rf"""
    (?=[\d(\-−–€$£¥￥円元₹₩₽₺₪₫฿₱₦₴₸A-Zezklucg])  # cheap first-character test: see dates.py
    (?<![\w.,'’/#-])(?<!\d:)          # not the tail of a word, a number, a date, a time or a range
    (?P<lp>\((?=[^()]{{1,40}}\)))?     # (12.50): an accounting negative
    (?P<neg1>[-−–](?=\S))?
    (?:(?P<pre>{CURRENCY_PATTERN})\s?)?
    (?P<neg2>[-−–])?
    {_INT}{_FRAC}
    (?!\d|[.,/:-]\d|\s?%)             # not the head of a date, a time, a range or a percentage
    (?:\s?(?P<post>{CURRENCY_PATTERN})(?![^\W\d_]))?
    (?P<trail>-(?![\w-])|\s(?:CR|Cr)\b)?
    (?P<rp>\s?\))?
    (?![^\W\d_])                      # a number glued to letters is a code, not an amount
    """,
    re.VERBOSE,
)
_PERCENT = re.compile(
    rf"(?=[-−–\d])(?<![\w.,'’/#-])(?P<neg2>[-−–])?{_INT}{_FRAC}"
    r"\s?(?P<pct>%|‰|(?i:prozent|percent|pourcent|por ciento))(?!\w)"
)
# A number with a unit after it ("2 Stk", "1,5 h") is still a quantity when parsed on its own.
_UNIT_SUFFIX = re.compile(r"\s*(?P<unit>[^\W\d_]{1,6}\.?)$")
_POSTCODE_AFTER = re.compile(r"\s+[A-ZÄÖÜÉ][a-zäöüßéèàíóú]")


def _decimal(g: dict[str, str | None], kind: str, prefs: LangPrefs) -> tuple[Decimal, float] | None:
    """The unsigned value of a number match's groups and how sure its separators are."""
    int_text, ts, ds, frac = g["int"] or "", g["ts"], g["ds"], g["frac"]
    amount = kind == "amount"
    digits = int_text.replace(ts, "") if ts else int_text
    if frac is not None and not frac[0].isdigit():  # "12,-"
        return Decimal(digits), 0.9
    quality = 1.0
    if ts and frac is not None:
        quality = 0.5 if ts == ds else (1.0 if len(frac) == 2 else 0.85)  # "1.234.56": an OCR'd comma
        if ts == " ":
            quality *= 0.75
        text = f"{digits}.{frac}"
    elif ts:
        groups = int_text.count(ts)
        if groups == 1 and ts in ".," and (int_text.startswith("0") or _decimal_mark(ts, prefs)):
            # One mark and three digits: "1.234" is a thousand or a decimal; the language decides.
            value = _to_decimal(int_text.replace(ts, "."))
            return None if value is None else (value, 0.9 if int_text.startswith("0") else 0.6)
        text = digits
        if groups == 1 and ts in ".,":
            quality = 0.6
        elif ts == " ":
            quality = 0.6 if amount else 0.7
        elif amount:
            quality = 0.8
    elif frac is not None:
        text = f"{digits}.{frac}"
        if amount and len(frac) != 2:
            quality = 0.85 if len(frac) == 1 else 0.8
    else:
        text = digits
        if amount:
            quality = 0.75 if (g.get("pre") or g.get("post")) else 0.5
    value = _to_decimal(text)
    return None if value is None else (value, quality)


def _decimal_mark(mark: str, prefs: LangPrefs) -> bool:
    if prefs.decimal_comma is None:
        return False
    return (mark == ",") == prefs.decimal_comma


def _to_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _amount(m: re.Match[str], kind: str, prefs: LangPrefs, whole: bool) -> Parsed | None:
    """A Parsed from an _AMOUNT match, or None when it is not a number of this kind."""
    g = m.groupdict()
    start, end = m.span()
    pre, post, neg1, neg2, lp, rp, trail = g["pre"], g["post"], g["neg1"], g["neg2"], g["lp"], g["rp"], g["trail"]
    currency = None
    if pre is not None:
        hit = currency_code(pre)
        if hit is None:
            if whole or m.end("pre") == m.start("neg2" if neg2 else "int"):
                return None  # "ABC12": glued to letters
            start, neg1 = m.start("neg2" if neg2 else "int"), None
        else:
            currency = hit[0]
    if post is not None:
        hit = currency_code(post)
        if hit is None or (currency is not None and hit[0] != currency):
            return None
        currency = hit[0]
    if kind != "amount" and currency is not None:
        return None  # money is not a quantity
    if lp and not rp:
        start += 1
    if rp and not lp:
        end = m.start("rp")
    int_text = g["int"] or ""
    if not whole and not g["ts"] and g["frac"] is None:
        if len(int_text) > 1 and int_text[0] == "0":
            return None  # "030": a dialling code or an id
        if currency is None and len(int_text) >= 8:
            return None  # an order or account number
        if currency is None and 4 <= len(int_text) <= 5 and not (neg1 or neg2) and _POSTCODE_AFTER.match(m.string, end):
            return None  # "12345 Berlin"
    got = _decimal(g, kind, prefs)
    if got is None:
        return None
    value, quality = got
    if trail:
        quality *= 0.85 if trail.strip() in ("CR", "Cr") else 0.9
    if neg1 or neg2 or (lp and rp) or trail:
        value = -value
    if kind == "integer":
        if value != value.to_integral_value():
            return None
        return Parsed(int(value), m.string[start:end], start, end, quality if g["ds"] is None else 0.9)
    return Parsed(value, m.string[start:end], start, end, quality, currency)


def scan_amounts(text: str, kind: str, prefs: LangPrefs, masked: Sequence[tuple[int, int]]) -> list[Parsed]:
    """Every amount (kind "amount"), number or integer in a line; numbers inside the ``masked`` spans
    (dates, phone numbers, IBANs) are skipped."""
    out = []
    for m in _AMOUNT.finditer(text):
        if masked:
            s, e = m.span("int")
            if any(s < me and e > ms for ms, me in masked):
                continue
        if m["ds"] == "." and text.startswith(".", m.end()):
            continue  # "12.03." a date without its year
        parsed = _amount(m, kind, prefs, whole=False)
        if parsed is not None:
            out.append(parsed)
    return out


def parse_amount(text: str, kind: str, prefs: LangPrefs) -> Parsed | None:
    """The whole (stripped) text as one amount, number or integer."""
    stripped, offset = _strip(text)
    m = _AMOUNT.fullmatch(stripped)
    unit = None
    if m is None and kind != "amount":
        unit = _UNIT_SUFFIX.search(stripped)
        if unit is not None and unit.start() > 0:
            m = _AMOUNT.fullmatch(stripped, 0, unit.start())
    if m is None:
        return None
    parsed = _amount(m, kind, prefs, whole=True)
    if parsed is None:
        return None
    quality = parsed.quality
    if unit is not None:
        quality *= 0.9
    elif kind == "amount" and not m["ts"] and not m["ds"]:
        quality = max(quality, 0.7)  # asked for as an amount: a whole number is less suspicious here
    return Parsed(parsed.value, parsed.raw, parsed.start + offset, parsed.end + offset, quality, parsed.currency)


def parse_percent(text: str) -> Parsed | None:
    """The whole text as a percentage ("19 %", "19,0%", or a bare "19" at lower quality)."""
    stripped, offset = _strip(text)
    m = _PERCENT.fullmatch(stripped)
    if m is None:
        bare = _AMOUNT.fullmatch(stripped)
        if bare is None or bare["pre"] or bare["post"]:
            return None
        got = _percent(bare, offset, LangPrefs())
        return None if got is None else Parsed(got.value, got.raw, got.start, got.end, got.quality * 0.6)
    return _percent(m, offset, LangPrefs())


def scan_percents(text: str, prefs: LangPrefs) -> list[Parsed]:
    """Every percentage ("19 %") in a line."""
    return [p for m in _PERCENT.finditer(text) if (p := _percent(m, 0, prefs)) is not None]


def _percent(m: re.Match[str], offset: int, prefs: LangPrefs) -> Parsed | None:
    got = _decimal(m.groupdict(), "percent", prefs)
    if got is None:
        return None
    value, quality = got
    if m["neg2"]:
        value = -value
    if abs(value) > 100:
        quality *= 0.8
    return Parsed(value, m.group(), m.start() + offset, m.end() + offset, quality)


_LABEL_PUNCT = " \t\r\n:;=*"


def _strip(text: str) -> tuple[str, int]:
    """Surrounding space and label punctuation removed; and where what is left starts."""
    stripped = text.strip(_LABEL_PUNCT)
    if stripped.endswith(",") and not stripped[-2:-1].isdigit():
        stripped = stripped[:-1]
    return stripped, text.find(stripped) if stripped else 0


__all__ = ["parse_amount", "parse_percent", "scan_amounts", "scan_percents"]
