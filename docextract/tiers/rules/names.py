"""What a party name is not: the shape of a line that reads as a street, a contact line, a registration or
tax number, or a label, in the languages the lexicon covers.

Each test is a signal on the candidate (``name_street``, ``name_contact``, ``name_id``, ``name_label``),
weighed with the others; none is a veto, since a real company name may contain a number or a word that
looks like a label. A line with a legal form ("GmbH", "Sdn Bhd") is a company line, and only the tests
that a company line can still fail apply to it.
"""

from __future__ import annotations

import re
from functools import cache

from docextract.tiers import lexicon
from docextract.tiers.rules.labels import norm_label

_LEGAL = re.compile(
    r"(?i)\b(GmbH|AG|KG|OHG|UG|e\.K\.|Ltd|Limited|LLC|Inc|Corp|PLC|LLP|B\.?V|N\.?V|SAS?|SARL|S\.?L|S\.?r\.?l|"
    r"S\.?p\.?A|Oy|AB|A/S|ApS|Sdn|Bhd|Pte|Pty|S/B|a\.G)\b\.?"
)
# Street words, whole or as the end of a compound ("Kundenstraße", "Kerkstraat", "Schillerplatz").
_STREET_END = ("straße", "strasse", "str.", "str", "weg", "allee", "platz", "gasse", "damm", "ufer", "straat", "laan",
               "plein", "gracht", "kade", "singel", "steeg")
_STREET_WORDS = frozenset({
    "rue", "avenue", "av", "ave", "boulevard", "bd", "blvd", "chemin", "allée", "allee", "place", "impasse", "quai",
    "route", "street", "st", "road", "rd", "lane", "ln", "drive", "dr", "way", "court", "ct", "square", "sq",
    "highway", "suite", "calle", "c", "avenida", "avda", "plaza", "paseo", "carretera", "camino", "via", "viale",
    "piazza", "corso", "vicolo", "largo", "jalan", "jln", "lorong", "taman", "lot", "persiaran", "lebuh", "postfach",
    "bp", "po", "box", "apartado", "casella",
})
_HOUSE_FIRST = re.compile(r"^\s*(?:no\.?\s*)?\d+[a-zA-Z]?(?:[-/]\d+)?[\s,]+\S")  # "58 rue …", "No. 12, Jalan …"
_POSTCODE_TOWN = re.compile(r"^\s*(?:[A-Z]{1,2}-)?\d{4,5}\s+[^\W\d_]{2,}|^\s*[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
# Words a template or a form leaves where a name should be, beside a party word ("Buyer line 2", "Contact Acheteur").
_TEMPLATE = frozenset({"line", "zeile", "ligne", "linea", "regel", "contact", "kontakt", "contacto", "contatto",
                       "name", "nom", "naam", "nombre", "nome", "address", "adresse", "street", "city"})
_CONTACT = re.compile(
    r"(?i)(?:\b(?:attn|att|attention|z\.?\s?hd|zu\s+h(?:ä|ae|a)nden|c/o|contact|kontakt|ansprechpartner(?:in)?|"
    r"t\.?a\.?v|ter\s+attentie|atenci[oó]n|all['’]attenzione|alla\s+c\.?a|tel|phone|telefon|t[eé]l[eé]?phone?|"
    r"fax|mobil[e]?|handy|e-?mail|mail|www)\b|@|https?:|\.(?:com|de|fr|nl|es|it|my|co\.uk)\b)"
)
# "Reg. No. : 725186-V", "No : SA0099552-P", "(GST ID …)", "USt-IdNr. DE…", "SIRET 123 …"
_ID_WORDS = re.compile(
    r"(?i)\b(?:reg(?:istration)?\.?\s*no|co\.?\s*reg|company\s+(?:no|reg)|roc|brn|gst|sst|vat|tva|ust|mwst|iva|btw|"
    r"nif|cif|siret|siren|rcs|hrb|hra|kvk|abn|tax\s*id|id\s*no|steuer\w*|n[°º]|no\s*[:.])"
)
_ID_TOKEN = re.compile(r"\b[A-Z]{1,4}\d{5,}(?:-?[A-Z])?\b|\b\d{4,}-?[A-Z]\b")


def name_flags(text: str) -> dict[str, float]:
    """The ``name_*`` signals of a party-name candidate's text (only those that fire)."""
    t = text.strip()
    out: dict[str, float] = {}
    legal = _LEGAL.search(t) is not None
    toks = norm_label(t)
    if not legal and (_HOUSE_FIRST.match(t) or _POSTCODE_TOWN.match(t) or _street_with_number(t)):
        out["name_street"] = 1.0
    if _CONTACT.search(t):
        out["name_contact"] = 1.0
    letters = sum(ch.isalpha() for ch in t)
    digits = sum(ch.isdigit() for ch in t)
    if _ID_TOKEN.search(t) or (_ID_WORDS.search(t) and digits) or (t[:1] in "([" and _ID_WORDS.search(t)) \
            or digits > letters:
        out["name_id"] = 1.0
    party = [w for w in toks if w in _party_words()]
    template = [w for w in toks if w in _TEMPLATE or w.isdigit()]
    # A party word with a template word or a number, or two party words: a label phrase ("Contact Acheteur",
    # "Buyer line 2"). A party word alone may be a sample's name ("Le Fournisseur").
    # A party word standing alone, or a compound of one ("Warenempfänger"): a heading.
    alone = len(toks) == 1 and len(toks[0]) > 3 and toks[0].endswith(tuple(_party_words()))
    if (alone or (party and (template or len(party) >= 2))) and not _business(t):
        out["name_label"] = 1.0
    return out


def _street_with_number(t: str) -> bool:
    """A street word (or compound) beside a house number: "Kundenstraße 15", "Jalan Besar 12"."""
    if not re.search(r"\d", t):
        return False
    for raw in re.split(r"[\s,]+", t.casefold()):
        w = raw.strip(".,;:")
        if w in _STREET_WORDS or (raw.endswith(_STREET_END) and len(w) > 3):
            return True
    return False


def is_contact_line(text: str) -> bool:
    """An attention or contact line ("Attn: …", "z. Hd. …", "Einkauf ATTN …", "Tel …")."""
    return _CONTACT.search(text) is not None


def has_legal_form(text: str) -> bool:
    return _LEGAL.search(text) is not None


def _business(text: str) -> bool:
    """A legal form or a trade word ("Trading", "Restoran", "Company"): the line names a business."""
    from docextract.tiers.rules.positional import LEGAL_FORM, TRADE

    return bool(_LEGAL.search(text) or LEGAL_FORM.search(text) or TRADE.search(text))


@cache
def _party_words() -> frozenset[str]:
    """Words of the party labels ("buyer", "acheteur", "kunde")."""
    return frozenset(t for p in ("seller", "buyer") for lab in lexicon.BY_KEY[p].labels for t in norm_label(lab)
                     if len(t) > 3)


__all__ = ["has_legal_form", "is_contact_line", "name_flags"]
