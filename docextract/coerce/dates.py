"""Dates: numeric (12.03.2024, 03/12/2024, 2024-03-12), written in many languages ("12. März 2024",
"March 12, 2024", "3 de marzo de 2024") and CJK (2024年3月12日).

Month and weekday names come from CLDR through babel, built once on first use. dateparser is only a
fallback for ``parse_date`` on short texts the regexes did not read, and is imported then.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache

from docextract.coerce.parsed import LangPrefs, Parsed, primary_language

MIN_YEAR, MAX_YEAR = 1990, 2100
# Locales whose month names are recognised; babel gives wide and abbreviated, format and stand-alone forms
# (the format form is the genitive where a language has one: Polish "marca", Czech "března").
_LOCALES = ("en", "de", "fr", "es", "it", "nl", "pt", "da", "sv", "nb", "pl", "cs", "fi", "ro")
# Abbreviations seen on invoices that CLDR does not list.
_EXTRA_MONTHS = {"sept": 9, "mrz": 3, "maerz": 3, "sep": 9, "setiembre": 9, "juil": 7, "jui": 7, "dez": 12}
_FILLER_WORDS = frozenset({"le", "am", "den", "the", "on", "el", "il", "op", "du", "vom", "del", "of", "de", "em",
                           "a", "at", "um", "alle", "las", "om", "as", "kl", "uhr"})

# Every pattern starts at a digit and looks behind it from there ("\d(?<![\w.,/-]\d)"): a pattern that
# starts with a look-behind or a letter is tried at every position of the line, which costs 5-10x more.
_ISO = re.compile(
    r"(?P<y>\d(?<![\w.,/-]\d)\d{3})(?P<s>[-./])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d|[.,/-]\d|[^\W\dT_])"
)
# A "-" before the day is only taken after another date (a range: "01.03.-31.03.2024", "2024-31.03.2024").
_NUMERIC = re.compile(
    r"(?P<a>\d(?:(?<![\w.,/-]\d)|(?<=\.-\d)|(?<=\d{4}-\d))\d?)(?P<s>[./-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})"
    r"(?!\d|[.,/]\d|[^\W\d_])(?:(?<=\d{4})|(?!-\d))"  # "-" after a 4-digit year: a range
)
_DMY = re.compile(
    r"(?P<d>\d(?<![\w.,/-]\d)\d?)(?:\.|(?:er|st|nd|rd|th|º|°|ª)\.?)?(?:\s*|[-/.])(?:(?:de|of|del)\s+)?"
    r"(?=(?P<m>[^\W\d_]{3,12}))(?P=m)\.?(?:,?\s*|[-/.])(?:(?:de|del)\s+)?[’']?(?P<y>\d{4}|\d{2})(?!\d|[.,/-]\d|[^\W\d_])",
    re.IGNORECASE,
)
# "March 12, 2024": found from the day, then the month is looked for just before it.
_MDY = re.compile(
    r"(?P<d>\d(?<![\w.,/]\d)\d?)(?!\d)(?:st|nd|rd|th)?(?:\s*,\s*|\s+|[-/])[’']?(?P<y>\d{4}|\d{2})"
    r"(?!\d|[.,/-]\d|[^\W\d_])",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(r"(?<![\w.,/-])(?P<m>[^\W\d_]{3,12})(?:\.?\s+|[-/]|\.)\Z")
_CJK = re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]?")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
# A time after the date ("12.03.2024 10:15", "2024-03-12T10:15:00Z", "3 pm") is allowed when parsing.
_TIME = re.compile(
    r"(?:T|\b)\d{1,2}[:h.]\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?(?:\s*(?:am|pm|uhr|h)\b)?"
    r"|\b\d{1,2}\s*(?:am|pm)\b",
    re.IGNORECASE,
)


def _fold(word: str) -> str:
    """Case- and accent-insensitive key: "Mär." and "MAR" and "mär" meet."""
    word = word.casefold().rstrip(".")
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


@cache
def month_names() -> dict[str, int]:
    """Folded month name (wide or abbreviated, every locale in ``_LOCALES``) → month number."""
    from babel.dates import get_month_names

    table: dict[str, int] = {}
    for loc in _LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, locale=loc).items():
                    key = _fold(name)
                    if len(key) >= 3 and key.isalpha():
                        table.setdefault(key, month)
    for key, month in _EXTRA_MONTHS.items():
        table.setdefault(key, month)
    return table


@cache
def _weekday_names() -> frozenset[str]:
    from babel.dates import get_day_names

    return frozenset(
        _fold(name) for loc in _LOCALES for width in ("wide", "abbreviated")
        for name in get_day_names(width, "format", locale=loc).values()
    )


def _year(text: str) -> tuple[int, float]:
    if len(text) == 4:
        return int(text), 1.0
    yy = int(text)
    return (2000 + yy if yy < 90 else 1900 + yy), 0.85  # two digits: 1990..2089


def _make(year: int, month: int, day: int) -> dt.date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None  # 31.02.


def _numeric(m: re.Match[str], prefs: LangPrefs) -> tuple[dt.date, float] | None:
    a, b, sep = int(m["a"]), int(m["b"]), m["s"]
    year, quality = _year(m["y"])
    if a > 12 and b <= 12:
        day, month = a, b
    elif b > 12 and a <= 12:
        day, month = b, a
        quality *= 0.7 if sep == "." else 0.95  # month-first with dots is unusual
    elif a == b:
        day = month = a
    elif sep == ".":
        day, month = a, b  # dotted dates are day-first wherever they are written
        quality *= 0.9
    elif prefs.month_first:
        day, month = b, a
        quality *= 0.75
    else:
        day, month = a, b
        quality *= 0.6
    value = _make(year, month, day)
    return None if value is None else (value, quality)


def _written(month_name: str, day: str, year_text: str) -> tuple[dt.date, float] | None:
    month = month_names().get(_fold(month_name))
    if month is None:
        return None
    year, quality = _year(year_text)
    value = _make(year, month, int(day))
    return None if value is None else (value, quality)


def _iso(m: re.Match[str]) -> tuple[dt.date, float] | None:
    value = _make(int(m["y"]), int(m["m"]), int(m["d"]))
    return None if value is None else (value, 1.0 if m.groupdict().get("s", "-") == "-" else 0.95)


def scan_dates(text: str, prefs: LangPrefs) -> list[Parsed]:
    """Every date in a line, left to right, non-overlapping."""
    found: list[Parsed] = []
    for m in _ISO.finditer(text):
        if (got := _iso(m)) is not None:
            found.append(Parsed(got[0], m.group(), m.start(), m.end(), got[1]))
    for m in _NUMERIC.finditer(text):
        if (got := _numeric(m, prefs)) is not None:
            found.append(Parsed(got[0], m.group(), m.start(), m.end(), got[1]))
    if _HAS_LETTER.search(text):
        found.extend(_scan_written(text))
    if "年" in text or "년" in text:
        for m in _CJK.finditer(text):
            if (got := _iso(m)) is not None:
                found.append(Parsed(got[0], m.group(), m.start(), m.end(), got[1]))
    return _non_overlapping(found)


def _scan_written(text: str) -> list[Parsed]:
    out = []
    pos = 0
    while (m := _DMY.search(text, pos)) is not None:
        got = _written(m["m"], m["d"], m["y"])
        if got is None:
            pos = m.start() + 1  # a word that is no month may hide a real date that starts inside it
            continue
        out.append(Parsed(got[0], m.group(), m.start(), m.end(), got[1]))
        pos = m.end()
    pos = 0
    while (m := _MDY.search(text, pos)) is not None:
        pos = start = m.start()
        pos += 1
        # Cheap test first: the day must follow a separator that follows a letter ("Mar 12", "März-12").
        if start < 4 or text[start - 1] not in " -/." or not (text[start - 2].isalpha() or text[start - 2] in " ."):
            continue
        before = _MONTH_BEFORE.search(text, max(0, start - 16), start)
        if before is None or (got := _written(before["m"], m["d"], m["y"])) is None:
            continue
        out.append(Parsed(got[0], text[before.start() : m.end()], before.start(), m.end(), got[1]))
        pos = m.end()
    return out


def _non_overlapping(found: list[Parsed]) -> list[Parsed]:
    if len(found) < 2:
        return found
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    out = [found[0]]
    for p in found[1:]:
        if p.start >= out[-1].end:
            out.append(p)
    return out


def parse_date(text: str, prefs: LangPrefs, languages: tuple[str, ...] = ()) -> Parsed | None:
    """The whole text as one date; weekday names and fillers ("le", "am", "the") around it are allowed."""
    found = scan_dates(text, prefs)
    if len(found) == 1 and _only_filler(text[: found[0].start] + " " + text[found[0].end :]):
        return found[0]
    if found:
        return None
    stripped = text.strip()
    # dateparser only for a short text with a month name in it: anything else it reads slowly and wrongly.
    if 6 <= len(stripped) <= 40 and any(c.isdigit() for c in stripped) and any(
        _fold(w) in month_names() for w in _WORD.findall(stripped)
    ):
        return _dateparser(stripped, text.find(stripped), prefs, languages)
    return None


def _only_filler(rest: str) -> bool:
    rest = _TIME.sub(" ", rest)
    words = _WORD.findall(rest)
    return all(_fold(w) in _FILLER_WORDS or _fold(w) in _weekday_names() for w in words) and not re.search(r"\d", rest)


def _dateparser(text: str, offset: int, prefs: LangPrefs, languages: tuple[str, ...]) -> Parsed | None:
    import dateparser

    settings = {
        "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_LOCALE_DATE_ORDER": False,
        "DATE_ORDER": "MDY" if prefs.month_first else "DMY", "RETURN_AS_TIMEZONE_AWARE": False,
    }
    # Without languages dateparser would try all ~200 it knows (seconds); ours are the ones with month tables.
    langs = sorted({primary_language(tag) for tag in languages} & set(_LOCALES)) or list(_LOCALES)
    try:
        got = dateparser.parse(text, languages=langs, settings=settings)
    except (ValueError, TypeError, OverflowError):
        return None
    if got is None or not MIN_YEAR <= got.year <= MAX_YEAR:
        return None
    return Parsed(got.date(), text, offset, offset + len(text), 0.6)
