"""Free text, enum members and yes/no answers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from docextract.coerce.parsed import Parsed

_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_LABEL_PUNCT = " \t\r\n:;,|*"
_SEPARATORS = re.compile(r"[\s_-]+")
# Word → value, with a lower quality for marks that mean "yes" only in a tick box.
_BOOLEANS: dict[str, tuple[bool, float]] = {
    **dict.fromkeys(("yes", "y", "ja", "oui", "sí", "si", "sim", "true", "wahr", "vrai", "verdadero", "vero", "waar",
                     "j"), (True, 1.0)),
    **dict.fromkeys(("no", "n", "nein", "non", "false", "falsch", "faux", "falso", "nee", "não", "nao"), (False, 1.0)),
    **dict.fromkeys(("x", "☑", "☒", "✓", "✔", "[x]", "(x)"), (True, 0.7)),
    **dict.fromkeys(("☐", "[ ]", "( )"), (False, 0.6)),
    "1": (True, 0.6), "0": (False, 0.6),
}
_BOOLEAN_SCAN = re.compile(
    r"(?<![\w\[(])(?:yes|ja|oui|sí|true|wahr|vrai|nein|non|false|falsch|faux|nee|no(?![.\s]*\d))(?![\w\])])|[☑☒✓✔☐]",
    re.IGNORECASE,
)


def parse_string(text: str, *, multiline: bool = False) -> Parsed | None:
    """The text with whitespace collapsed and label punctuation stripped; line breaks kept for ``multiline``."""
    stripped = text.strip(_LABEL_PUNCT)
    if not stripped:
        return None
    start = text.find(stripped)
    if multiline:
        lines = (_SPACES.sub(" ", line).strip() for line in stripped.splitlines())
        value = "\n".join(line for line in lines if line)
    else:
        value = " ".join(stripped.split())
    return Parsed(value, stripped, start, start + len(stripped), 1.0)


@lru_cache(maxsize=512)
def _enum_pattern(values: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(
        {r"[\s_-]+".join(re.escape(part) for part in _SEPARATORS.split(v.strip())) for v in values if v.strip()},
        key=len, reverse=True,
    )
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def _enum_key(text: str) -> str:
    return _SEPARATORS.sub(" ", text.strip()).casefold()


def _enum_member(word: str, values: Sequence[str]) -> str | None:
    key = _enum_key(word)
    return next((v for v in values if _enum_key(v) == key), None)


def parse_enum(text: str, values: Sequence[str]) -> Parsed | None:
    """The text as one of ``values``, case-insensitively; a text that contains exactly one of them (as
    words) gives it at lower quality."""
    stripped = text.strip(_LABEL_PUNCT)
    if not stripped or not values:
        return None
    start = text.find(stripped)
    member = _enum_member(stripped, values)
    if member is not None:
        return Parsed(member, stripped, start, start + len(stripped), 1.0)
    hits = scan_enum(text, values)
    if len({h.value for h in hits}) == 1:
        hit = hits[0]
        return Parsed(hit.value, hit.raw, hit.start, hit.end, 0.8)
    return None


def scan_enum(text: str, values: Sequence[str]) -> list[Parsed]:
    """Every occurrence of a member of ``values`` as a whole word."""
    if not values:
        return []
    out = []
    for m in _enum_pattern(tuple(values)).finditer(text):
        member = _enum_member(m.group(), values)
        if member is not None:
            out.append(Parsed(member, m.group(), m.start(), m.end(), 1.0))
    return out


def parse_boolean(text: str) -> Parsed | None:
    """Yes/no in several languages, true/false, and tick-box marks."""
    stripped = text.strip(_LABEL_PUNCT + ".")
    hit = _BOOLEANS.get(stripped.casefold())
    if hit is None:
        return None
    start = text.find(stripped)
    return Parsed(hit[0], stripped, start, start + len(stripped), hit[1])


def scan_booleans(text: str) -> list[Parsed]:
    """Yes/no words and tick marks in a line (not "No." before a number)."""
    out = []
    for m in _BOOLEAN_SCAN.finditer(text):
        hit = _BOOLEANS.get(m.group().casefold())
        if hit is not None:
            out.append(Parsed(hit[0], m.group(), m.start(), m.end(), hit[1] * 0.8))
    return out
