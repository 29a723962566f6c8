"""What one printed line of a postal address is, and the address a run of such lines holds.

An address block is read as a run of *pieces* after the party's name: the rows of a column under it, or
the parts of a one-line address split at its separators. Each piece is classified (street, locality,
country, stop, other); a block is an address when it holds a locality line (a postcode with its city, in
any of the usual national orders), preceded only by street-like lines and followed at most by a country
line. Where the pieces come from, and whose address a block is, is ``address``'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from docextract.document import Word

_L = r"[^\W\d_]"  # a letter, in any script
_LOCALITY = tuple(re.compile(p) for p in (
    rf"^(?:[A-Z]{{1,3}}[- ])?\d{{4,5}}\s+{_L}",  # 10115 Berlin, D-10115 Berlin, 1000 Bruxelles, CH-8001 Zürich
    rf"^\d{{4}}\s?[A-Z]{{2}}\s+{_L}",  # 1012 AB Amsterdam
    rf"^\d{{4}}-\d{{3}}\s+{_L}",  # 1000-001 Lisboa
    rf"^\d{{2}}-\d{{3}}\s+{_L}",  # 00-950 Warszawa
    rf"^\d{{3}}\s\d{{2}}\s+{_L}",  # 114 55 Stockholm
    rf"^[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[A-Z]{{2}}\s+{_L}",  # EC1A 1BB London
    rf"{_L}\.?,?\s+[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[A-Z]{{2}}$",  # London EC1A 1BB
    rf"{_L},?\s+[A-Z]{{2}}\.?\s+\d{{5}}(?:-\d{{4}})?$",  # Austin, TX 78701
    rf"{_L},?\s+\d{{5,6}}$",  # Singapore 018956
))
_STREET = re.compile(
    r"(?i)^\d+\s?[a-z]?(?:[-/]\d+[a-z]?)?[,\s]+" + _L  # 12 Market Street, 27, Jalan …, 12-14 rue …
    # Lindenstraße 12, Via Roma 21, Calle Mayor 15, 2º
    + r"|" + _L + r"\.?\s+\d+\s?[a-z]?(?:[-/]\d+[a-z]?)?(?:\s*,.*)?$"
    r"|\b(street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|boulevard|blvd|place|square|court|ct|terrace|"
    r"highway|hwy|parkway|close|crescent|row|mews|house|strasse|straße|str|weg|platz|allee|gasse|ring|damm|"
    r"ufer|chaussee|rue|avenue|bd|chemin|impasse|all[ée]e|quai|cours|route|calle|c/|avda|avenida|plaza|paseo|"
    r"carrer|camino|via|viale|piazza|corso|vicolo|largo|straat|laan|plein|gracht|kade|singel|dijk|rua|"
    r"travessa|ulica|ul|jalan|jln|lorong|taman)\b"
    r"|\b(p\.?\s?o\.?\s?box|post\s?box|postfach|postbus|bo[iî]te postale|b\.?p\.?\s\d|apartado|apdo|"
    r"casella postale|caixa postal|c/o|care of|unit|suite|ste|floor|fl|building|bldg|apt|apartment|room|"
    r"etage|stock|b[aâ]timent|b[aâ]t|escalier|piso|planta|puerta|scala|interno|piano|zone|zi|za|"
    r"industriepark|gewerbepark|business park)\b")
_STREET_TYPE = re.compile(
    r"(?i)\b(street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|boulevard|blvd|place|pl|square|sq|court|ct|"
    r"terrace|highway|hwy|freeway|fwy|parkway|pkwy|circle|cir|trail|loop|plaza|close|crescent|row)\b\.?")
_STOP = re.compile(
    r"(?i)\b(gln|ean|duns|tel|tél|telefon|telephone|téléphone|teléfono|telefono|phone|fon|fax|mobile?|mob|cell|handy|gsm|"
    r"e-?mail|mail|web|www|http|https|vat|ust|mwst|tva|iva|btw|uid|nif|cif|nie|p\.\s?iva|piva|c\.f|cod|siret|"
    r"siren|rcs|naf|kvk|hrb|hra|amtsgericht|registergericht|steuer-?nr|steuernummer|st\.?-?nr|tax|gst|abn|"
    r"acn|reg|registered|registration|company\s+no|iban|bic|swift|bank|konto|account|sort\s+code|blz|"
    r"attn|attention|z\.\s?hd|zu\s+h[äa]nden|l'attention|a/a|c\.a|t\.a\.v|invoice|rechnung|facture|factura|"
    r"fattura|factuur|order|bestell|date|datum|fecha|data|customer\s+no|kunden-?nr|page|seite|nummer|"
    r"number|num[ée]ro|ship\s+to|deliver\s+to|delivery\s+address|lieferadresse|lieferanschrift)\b|\w{3,}(?:nummer|nr)\b|@|:|^\+?\(?\d[\d\s()./-]{6,}\d$|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_ATTN = re.compile(r"(?i)^(attn|attention|z\.\s?hd|zu\s+h[äa]nden|[àa]\s+l'attention|a/a|alla\s+c\.a|t\.a\.v)\b")


@dataclass(slots=True)
class Piece:
    """One address candidate line: a row of a column, or a part of a one-line address."""

    text: str
    words: list[Word]
    split: bool = False  # a part of a line cut at its separators


@dataclass(slots=True)
class Block:
    """An address read from pieces, and how sure its reading is."""

    pieces: list[Piece]
    streets: int  # street / PO box / unit lines before the locality
    others: int  # lines of no recognised kind before the locality (a department, a district …)
    country: bool
    closed: bool  # ended at a stop line, a gap, or the column's end, not at an unknown line
    trimmed: bool = False  # a leading tagline of a one-line letterhead was dropped
    skipped: bool = False  # an attention line between the name and the address was left out
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def value(self) -> str:
        return ", ".join(p.text.strip().rstrip(",").strip() for p in self.pieces)

    @property
    def words(self) -> list[Word]:
        return [w for p in self.pieces for w in p.words]

    @property
    def complete(self) -> bool:
        return self.streets >= 1 and self.others == 0 and self.closed and not self.trimmed


def kind_of(text: str) -> str:
    """"stop", "locality", "country", "street" or "other": what one printed line (or part) is."""
    t = text.strip().rstrip(",").strip()
    if not t:
        return "stop"
    if _STOP.search(t):
        return "stop"
    if all(c.casefold().strip(".") in _countries() for c in re.split(r"\s*/\s*", t)):
        return "country"  # "Deutschland", "Deutschland / Germany"
    parts = [p.strip() for p in t.split(",") if p.strip()]
    last = parts[-1]
    # "1200 Market Street": a long house number, not a postcode, when a street word follows the city's place.
    postcode_first = any(rx.search(last) for rx in _LOCALITY[:6]) and not _STREET_TYPE.search(last.split(None, 2)[-1])
    if postcode_first or any(rx.search(last) for rx in _LOCALITY[6:]) \
            or (len(parts) > 1 and any(rx.search(t) for rx in _LOCALITY[6:])):
        return "locality"
    if _STREET.search(t):
        return "street"
    return "other"


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    """Country names in the languages of the lexicon (babel's CLDR data), and the usual short forms."""
    from babel import Locale

    names = {"usa", "u.s.a", "us", "uk", "u.k", "great britain", "england", "scotland", "wales", "holland",
             "the netherlands", "the united states", "united states of america"}
    for loc in ("en", "de", "fr", "es", "it", "nl", "pt"):
        names.update(v.casefold() for k, v in Locale.parse(loc).territories.items() if k.isalpha())
    return frozenset(names)


def read_block(pieces: list[Piece], ended: bool) -> Block | None:
    """The address in ``pieces`` (which follow the party's name), or None when they hold none.

    Args:
        pieces: the lines after the name, in reading order.
        ended: whether the pieces end at a gap or the column's end (nothing more belongs to the block).
    """
    body: list[tuple[Piece, str]] = []
    skipped = trimmed = False
    closed = ended
    for i, p in enumerate(pieces):
        kind = kind_of(p.text)
        if kind == "stop":
            if not body and _ATTN.match(p.text.strip()):
                skipped = True  # "Attn: J. Smith" between the name and the street: not part of the address
                continue
            closed = True
            break
        if kind == "other" and p.split and not body and i + 1 < len(pieces) and pieces[i + 1].split:
            trimmed = True  # "Meisterbetrieb · Lindenstraße 12 · 50674 Köln": a tagline before the street
            continue
        body.append((p, kind))
        if len(body) > 7:
            return None
    else:
        closed = closed or ended
    locs = [i for i, (_, k) in enumerate(body) if k == "locality"]
    if not locs:
        return None
    end = locs[-1] + 1
    country = end < len(body) and body[end][1] == "country"
    end += int(country)
    if end < len(body):
        closed = False  # an unknown line runs on after the locality: the block's end is a guess
    head = body[: locs[-1]]
    if any(k in ("locality", "country") for _, k in head):
        return None  # two localities: two addresses run together
    streets = sum(k == "street" for _, k in head)
    others = len(head) - streets
    return Block([p for p, _ in body[:end]], streets, others, country, closed, trimmed, skipped)


__all__ = ["Block", "Piece", "kind_of", "read_block"]
