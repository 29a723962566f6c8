"""The value a parse produced, with the text it came from, and what the caller's ``languages`` imply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class Parsed:
    """One typed value read from text.

    ``raw`` is ``text[start:end]`` of the text that was scanned; ``quality`` (0..1) says how unambiguous
    the reading was (1.0 clean; lower for a day/month order that had to be guessed, a bare number read as
    an amount, a 2-digit year, a failed checksum, ...). ``currency`` is the ISO 4217 code of a symbol or
    code written next to an amount.
    """

    value: Any
    raw: str
    start: int
    end: int
    quality: float
    currency: str | None = None


# Tesseract's 3-letter codes, so that OCR language settings can be passed straight through.
_TESSERACT = {
    "eng": "en", "deu": "de", "fra": "fr", "spa": "es", "ita": "it", "nld": "nl", "por": "pt", "dan": "da",
    "swe": "sv", "nor": "nb", "fin": "fi", "pol": "pl", "ces": "cs", "msa": "ms", "jpn": "ja", "chi_sim": "zh",
}
_DECIMAL_COMMA = frozenset({"de", "fr", "es", "it", "nl", "pt", "da", "sv", "nb", "no", "nn", "fi", "pl", "cs",
                            "sk", "ro", "hu", "ru", "tr", "el", "hr", "sl", "bg", "uk", "id", "lt", "lv", "et"})
_DECIMAL_POINT = frozenset({"en", "ja", "zh", "ko", "ms", "th", "he", "hi", "tl"})
# Regions that write numbers 1'234.56 or 1,234.56 although their language usually has a decimal comma.
_POINT_REGIONS = frozenset({"ch", "li", "mx", "pr", "gt", "do", "ni", "sv", "hn", "pa", "pe"})
_MONTH_FIRST_REGIONS = frozenset({"us", "ph", "fm", "pw", "mh", "as", "gu", "um", "vi"})


@dataclass(frozen=True, slots=True)
class LangPrefs:
    """What the document's languages say about ambiguous formats."""

    month_first: bool = False  # 03/04/2024 read as March 4
    decimal_comma: bool | None = None  # None: unknown, decide from the digits alone


def primary_language(tag: str) -> str:
    """"de-CH" → "de", "deu" → "de", "en_US" → "en"."""
    tag = tag.lower().replace("_", "-")
    return _TESSERACT.get(tag, tag).split("-")[0]


@lru_cache(maxsize=256)
def _prefs(languages: tuple[str, ...]) -> LangPrefs:
    month_first = False
    commas: set[bool] = set()
    for tag in languages:
        tag = _TESSERACT.get(tag.lower(), tag.lower()).replace("_", "-")
        lang, _, region = tag.partition("-")
        if region in _MONTH_FIRST_REGIONS or tag == "us":
            month_first = True
        if region in _POINT_REGIONS:
            commas.add(False)
        elif lang in _DECIMAL_COMMA:
            commas.add(True)
        elif lang in _DECIMAL_POINT:
            commas.add(False)
    return LangPrefs(month_first, commas.pop() if len(commas) == 1 else None)


def lang_prefs(languages: Sequence[str] | None) -> LangPrefs:
    """The preferences implied by BCP 47 tags ("de", "en-US", "fr_CH") or Tesseract codes ("deu")."""
    if not languages:
        return LangPrefs()
    return _prefs(tuple(languages))
