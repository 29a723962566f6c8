"""IBANs and VAT identification numbers, checked with python-stdnum."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from docextract.coerce.parsed import Parsed

_IBAN = re.compile(r"(?<![^\W_])(?P<cc>[A-Z]{2})(?P<ck>\d{2})(?P<rest>(?:[ \u00a0-]?[A-Z0-9]){8,34})")
_IBAN_ANYCASE = re.compile(r"(?<![^\W_])(?P<cc>[A-Za-z]{2})\s?(?P<ck>\d{2})(?P<rest>(?:[ \u00a0-]?[A-Za-z0-9]){8,34})")
_IBAN_LENGTH = re.compile(r"(\d+)!")
# Characters OCR confuses with digits, tried where the IBAN structure wants a digit.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8",
                                   "G": "6"})

# VAT prefixes that python-stdnum validates: EU member states (Greece as EL), Northern Ireland (XI), and
# the United Kingdom, Switzerland and Norway.
_VAT_PREFIX = r"(?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|GR|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI|GB|CHE|NO)"
_VAT = re.compile(
    rf"(?<![^\W_])(?P<cc>{_VAT_PREFIX})(?P<body>[ \u00a0.-]?[0-9A-Z](?:[ \u00a0./-]?[0-9A-Z]){{5,14}})"
    r"(?P<suffix>\s?(?:MWST|TVA|IVA|MVA))?(?![^\W_])"
)
_VAT_MODULE = {"el": "gr", "xi": "gb", "che": "ch"}  # prefix → stdnum country module
_VAT_SUFFIX = re.compile(r"(MWST|TVA|IVA|MVA)$")


@cache
def _iban_structure(cc: str) -> str | None:
    from stdnum import numdb

    info = numdb.get("iban").info(cc)[0][1]
    bban = info.get("bban")
    return str(bban) if bban else None


def _iban_length(cc: str) -> int | None:
    structure = _iban_structure(cc)
    return None if structure is None else 4 + sum(int(n) for n in _IBAN_LENGTH.findall(structure))


def _iban_quality(number: str) -> tuple[str, float]:
    """The IBAN as it should read and how sure: 1.0 valid, 0.7 valid after fixing OCR look-alikes, 0.3 not."""
    from stdnum import iban
    from stdnum.exceptions import ValidationError

    if iban.is_valid(number):
        return number, 1.0
    structure = _iban_structure(number[:2]) or ""
    # Only where every BBAN position is a digit can look-alikes be mapped safely.
    if structure and all(kind == "n" for kind in re.findall(r"\d+!([nac])", structure)):
        fixed = number[:2] + number[2:].translate(_DIGIT_LOOKALIKES)
        try:
            return iban.validate(fixed), 0.7
        except ValidationError:
            pass
    return number, 0.3


def _read_iban(m: re.Match[str], text: str) -> Parsed | None:
    cc = m["cc"].upper()
    length = _iban_length(cc)
    if length is None:
        return None
    chars: list[str] = []
    end = m.start()
    for i in range(m.start(), m.end()):
        ch = text[i]
        if ch.isalnum():
            chars.append(ch.upper())
            end = i + 1
            if len(chars) == length:
                break
    number = "".join(chars)
    value, quality = _iban_quality(number)
    if len(number) != length or (end < len(text) and text[end].isalnum()):
        quality = min(quality, 0.2)
    return Parsed(value, text[m.start() : end], m.start(), end, quality)


def scan_ibans(text: str) -> list[Parsed]:
    """Every IBAN in a line, compact and upper-case in ``value`` ("DE89370400440532013000")."""
    out = []
    for m in _IBAN.finditer(text):
        parsed = _read_iban(m, text)
        if parsed is not None:
            out.append(parsed)
    return out


def parse_iban(text: str) -> Parsed | None:
    """The whole text as one IBAN; spaces, hyphens and lower case allowed."""
    stripped = text.strip().rstrip(".,;:")
    m = _IBAN_ANYCASE.fullmatch(stripped)
    if m is None:
        return None
    offset = text.find(stripped)
    parsed = _read_iban(m, stripped)
    if parsed is None or parsed.end != len(stripped):
        return None
    return Parsed(parsed.value, parsed.raw, parsed.start + offset, parsed.end + offset, parsed.quality)


def vat_module(prefix: str) -> Any:
    """python-stdnum's VAT module for a VAT id's country prefix ("DE", "EL", "CHE"), or None when stdnum
    has none for that country."""
    from stdnum.util import get_cc_module

    cc = prefix.lower()
    try:
        return get_cc_module(_VAT_MODULE.get(cc, cc), "vat")
    except (ImportError, ValueError):
        return None


def _check_vat(cc: str, body: str) -> tuple[str, float] | None:
    """(normalised id, quality) or None when it is not even the right shape."""
    from stdnum.exceptions import InvalidChecksum, ValidationError

    module = vat_module(cc)
    if module is None:
        return None
    number = cc + body
    try:
        module.validate(number)
        quality = 1.0
    except InvalidChecksum:
        quality = 0.4
    except ValidationError:
        return None
    compact = _VAT_SUFFIX.sub("", module.compact(number))
    if not compact.startswith(cc):
        compact = cc + compact
    return compact, quality


def _read_vat(m: re.Match[str], text: str) -> Parsed | None:
    """The longest reading that passes the country's check (1.0) or fails only its check digits (0.4);
    else, for a long run of digits, the whole token at 0.2: sample invoices print ids of the wrong shape,
    and the vat_id_format rule reports them."""
    cc, body_start = m["cc"], m.start("body")
    # Try the longest reading first, then shorter ones that end where a separator was: a VAT id is often
    # followed by more capitals and digits on the same line.
    ends = [m.end("body")] + [i for i in range(m.end("body") - 1, body_start, -1) if not text[i].isalnum()]
    for end in ends:
        body = re.sub(r"[^0-9A-Z]", "", text[body_start:end])
        got = _check_vat(cc, body)
        if got is not None:
            if end == m.end("body") and m["suffix"]:
                end = m.end()
            return Parsed(got[0], text[m.start() : end], m.start(), end, got[1])
    body = re.sub(r"[^0-9A-Z]", "", m["body"])
    if sum(c.isdigit() for c in body) >= 8 and not any(c in " \u00a0" for c in m["body"]):
        return Parsed(cc + body, text[m.start() : m.end("body")], m.start(), m.end("body"), 0.2)
    return None


def scan_vat_ids(text: str) -> list[Parsed]:
    """Every VAT id with a country prefix in a line; ``value`` is compact ("DE123456789")."""
    out = []
    for m in _VAT.finditer(text):
        if (parsed := _read_vat(m, text)) is not None:
            out.append(parsed)
    return out


def parse_vat_id(text: str) -> Parsed | None:
    """The whole text as one VAT id. Without a country prefix the id cannot be checked (quality 0.3)."""
    stripped = text.strip().rstrip(".,;:")
    offset = text.find(stripped)
    upper = stripped.upper()
    m = _VAT.fullmatch(upper)
    if m is not None:
        parsed = _read_vat(m, upper)
        if parsed is not None and parsed.end == len(upper):
            return Parsed(parsed.value, stripped, offset, offset + len(stripped), parsed.quality)
        return Parsed(re.sub(r"[^0-9A-Z]", "", upper), stripped, offset, offset + len(stripped), 0.2)
    compact = re.sub(r"[\s.\-/]", "", upper)
    if 8 <= len(compact) <= 14 and compact.isalnum() and sum(c.isdigit() for c in compact) >= 6:
        return Parsed(compact, stripped, offset, offset + len(stripped), 0.3)
    return None
