"""Currency symbols and codes → ISO 4217 codes."""

from __future__ import annotations

import re
from functools import cache

from docextract.coerce.parsed import Parsed

# Symbol or word → (code, quality). Quality is lower where a symbol names several currencies
# ($: USD, CAD, AUD, MXN...; ¥: JPY, CNY; kr: SEK, NOK, DKK, ISK).
_SYMBOLS: dict[str, tuple[str, float]] = {
    "€": ("EUR", 0.95), "euro": ("EUR", 0.95), "euros": ("EUR", 0.95), "eur": ("EUR", 1.0),
    "$": ("USD", 0.5), "us$": ("USD", 1.0), "usd": ("USD", 1.0), "a$": ("AUD", 0.95), "au$": ("AUD", 1.0),
    "c$": ("CAD", 0.9), "ca$": ("CAD", 1.0), "hk$": ("HKD", 1.0), "s$": ("SGD", 0.95), "nz$": ("NZD", 1.0),
    "nt$": ("TWD", 1.0), "mx$": ("MXN", 1.0), "r$": ("BRL", 1.0),
    "£": ("GBP", 0.9), "gbp": ("GBP", 1.0), "¥": ("JPY", 0.6), "￥": ("JPY", 0.6), "円": ("JPY", 0.9),
    "元": ("CNY", 0.8), "₹": ("INR", 0.95), "rs": ("INR", 0.5), "rs.": ("INR", 0.5), "₩": ("KRW", 0.95),
    "₽": ("RUB", 0.95), "₺": ("TRY", 0.95), "₪": ("ILS", 0.95), "₫": ("VND", 0.95), "฿": ("THB", 0.95),
    "₱": ("PHP", 0.9), "₦": ("NGN", 0.95), "₴": ("UAH", 0.95), "₸": ("KZT", 0.95), "zł": ("PLN", 0.95),
    "kč": ("CZK", 0.95), "ft": ("HUF", 0.8), "lei": ("RON", 0.8), "kr": ("SEK", 0.3), "kr.": ("DKK", 0.3),
    "chf": ("CHF", 1.0), "fr.": ("CHF", 0.7), "sfr": ("CHF", 0.9), "sfr.": ("CHF", 0.9), "rm": ("MYR", 0.9),
    "s/": ("PEN", 0.8), "s/.": ("PEN", 0.8),
}
# Codes that are also English words: an upper-case heading ("ALL PRICES") is not a currency.
_WORDLIKE = frozenset({"ALL", "TOP", "CUP", "MAD", "TRY", "SOS", "BOB", "PEN", "GEL", "MOP", "DOP", "BAM", "NET"})

# Longest alternatives first: "US$" before "$", "EURO" before a 3-letter code.
CURRENCY_PATTERN = (
    r"(?:US\$|AU\$|A\$|CA\$|C\$|HK\$|S\$|NZ\$|NT\$|MX\$|R\$|S/\.?|SFr\.?|Fr\.|[Ee]uros?|EUROS?|"
    r"€|\$|£|¥|￥|円|元|₹|₩|₽|₺|₪|₫|฿|₱|₦|₴|₸|zł|Kč|kr\.?|Kr\.?|Ft|lei|Rs\.?|RM|"
    r"[A-Z]{3}|[Ee]ur|[Uu]sd|[Cc]hf|[Gg]bp)"
)
_SCAN = re.compile(rf"(?<![^\W\d_]){CURRENCY_PATTERN}(?![^\W\d_])")


@cache
def iso_codes() -> frozenset[str]:
    """Every ISO 4217 code CLDR knows (babel), historic ones included (DEM, FRF)."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def currency_code(token: str) -> tuple[str, float] | None:
    """The ISO code a symbol, word or code stands for, with the quality of that reading."""
    hit = _SYMBOLS.get(token.casefold())
    if hit is not None:
        return hit
    if len(token) == 3 and token.isalpha() and token.isupper() and token in iso_codes():
        return token, (0.4 if token in _WORDLIKE else 1.0)
    return None


def parse_currency(text: str) -> Parsed | None:
    """The whole text as one currency symbol, code or name ("EUR", "€", "Euro", "eur")."""
    stripped = text.strip().rstrip(":;,")
    if not stripped:
        return None
    start = text.find(stripped)
    token = stripped
    hit = currency_code(token) or (currency_code(token.upper()) if len(token) == 3 else None)
    if hit is None:
        return None
    code, quality = hit
    if not token.isupper() and len(token) == 3 and token.casefold() not in _SYMBOLS:
        quality = min(quality, 0.7)
    return Parsed(code, stripped, start, start + len(stripped), quality, currency=code)


def scan_currency(text: str) -> list[Parsed]:
    """Every currency symbol or code in a line."""
    out = []
    for m in _SCAN.finditer(text):
        hit = currency_code(m.group())
        if hit is not None:
            out.append(Parsed(hit[0], m.group(), m.start(), m.end(), hit[1], currency=hit[0]))
    return out
