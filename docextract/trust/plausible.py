"""Value-level plausibility: what a field's value should not look like, as features for the learned model.

General checks only, never aimed at one document: a party name that is a street or postcode line, a phone
number, an e-mail, a URL, a registration or tax number, a bare label word or a contact line; an address that
holds a date or ends in a company's legal form; a date years away from the document's other dates or far in
the future or past; an amount that is tiny next to the document's other amounts. Each check gives a feature
(0 or 1, or a bounded number); the model weighs it, there is no fixed penalty here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from docextract.result import Candidate

_STREET = re.compile(
    r"(stra(ss|ß)e|str\.|weg\b|gasse|allee|platz\b|ring\b|damm\b|ufer\b|\brue\b|\bavenue\b|\bave\b|\bboulevard\b|"
    r"\bblvd\b|\broad\b|\brd\b|\bstreet\b|\bst\b\.?|\blane\b|\bjalan\b|\bjln\b|\btaman\b|\blorong\b|\bchemin\b|"
    r"\bstraat\b|\blaan\b|\bplein\b|\bp\.?o\.? box\b|\bpostfach\b|\bbp\b|\bcedex\b)",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"(^|\s)(\d{4,5}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})(\s|,|$)")
_PHONE = re.compile(r"(\b(tel|phone|fax|telefon|t[ée]l[ée]phone|hp|mobile)\b|\+?\d[\d ()/.-]{7,}\d)", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_URL = re.compile(r"(https?://|www\.|\.(com|de|fr|net|org|my|nl|eu)\b)", re.IGNORECASE)
_REG = re.compile(
    r"(\b(reg|regn|registration|gst|vat|ust|tax|siret|siren|hrb|hra|co\.? ?no|company no|roc|ust-?id|steuer|"
    r"tva|kvk|btw|iban|bic|swift)\b|\bno\s*[.:]|\d{5,}-[a-z]\b)",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"^\s*(attn|attention|z\.? ?hd|zhd|zu h[äa]nden|contact|c/o|herr|frau|mr|mrs|ms|dr|m\.|mme|monsieur|madame|"
    r"ansprechpartner|einkauf|buyer|seller|customer|kunde|client|bill to|ship to|sold to)\b",
    re.IGNORECASE,
)
_LABEL_WORDS = {
    "invoice", "rechnung", "facture", "factuur", "receipt", "customer", "kunde", "client", "buyer", "seller",
    "supplier", "lieferant", "vendor", "bill", "billing", "ship", "shipping", "address", "adresse", "name", "date",
    "datum", "total", "cashier", "tax", "page", "seite", "an", "to", "from", "von", "line", "copy", "original",
}
_LEGAL_FORM = re.compile(
    r"\b(gmbh|ag|kg|ohg|ug|e\.?\s?k|mbh|sarl|sas|sa|eurl|bv|nv|ltd|llc|inc|plc|corp|sdn\.? ?bhd|bhd|"
    r"enterprise|trading|a\.?g)\b\.?",
    re.IGNORECASE,
)
_AMOUNT_IN_TEXT = re.compile(r"\b\d+[.,]\d{2}\b|\b(total|subtotal|amount|cash|change|gst|tax)\b", re.IGNORECASE)
# Punctuation no address writes: a comma and a full stop side by side, or a lone mark between spaces (specks
# an OCR engine read as text).
_NOISE = re.compile(r"[,.;:][,.;:]|\s[^\w\s(]\s|[^\w\s,.()'/&#-]")
_DATE_IN_TEXT = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_TODAY = date.today()


@dataclass(frozen=True, slots=True)
class DocValues:
    """The document's other values a candidate is checked against: every date and amount the tiers found."""

    dates: tuple[tuple[str, date], ...]
    amounts: tuple[tuple[str, float], ...]

    @classmethod
    def of(cls, cands: Sequence[Candidate], kinds: dict[str, str]) -> DocValues:
        dates, amounts = [], []
        for c in cands:
            kind = kinds.get(c.path, "")
            if kind == "date" and isinstance(c.value, date):
                dates.append((c.path, c.value))
            elif kind == "amount" and "[" not in c.path and _num(c.value) is not None:
                amounts.append((c.path, abs(_num(c.value) or 0.0)))
        return cls(tuple(dates), tuple(amounts))


def _num(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    return None


def checks(cand: Candidate, kind: str, doc: DocValues) -> dict[str, float]:
    """Plausibility features of one candidate's value (kind: the field's kind, ``"date"``, ``"amount"``…)."""
    name = cand.path.rsplit(".", 1)[-1]
    if kind == "date" and isinstance(cand.value, date):
        return date_checks(cand.value, cand.path, doc)
    if kind == "amount" and "[" not in cand.path and (v := _num(cand.value)) is not None:
        return amount_checks(abs(v), cand.path, doc)
    if isinstance(cand.value, str) and kind in ("string", "text") and "[" not in cand.path:
        if "address" in name:
            return address_checks(cand.value)
        if not name.endswith(("_number", "_id", "number")):
            return party_checks(cand.value)
    return {}


def party_checks(text: str) -> dict[str, float]:
    """What a company or person's name should not be."""
    t = text.strip()
    words = t.split()
    letters = sum(ch.isalpha() for ch in t)
    digits = sum(ch.isdigit() for ch in t)
    street = bool(_STREET.search(t)) and digits > 0
    return {
        "p_street": 1.0 if street or (_POSTCODE.search(t) and digits >= 4 and len(words) <= 4) else 0.0,
        "p_phone": 1.0 if _PHONE.search(t) and digits >= 6 else 0.0,
        "p_email": 1.0 if _EMAIL.search(t) else 0.0,
        "p_url": 1.0 if _URL.search(t) else 0.0,
        "p_regno": 1.0 if _REG.search(t) or (digits >= 5 and digits > letters) else 0.0,
        "p_label": 1.0 if words and all(w.strip(":.,#").casefold() in _LABEL_WORDS for w in words) else 0.0,
        "p_contact": 1.0 if _CONTACT.search(t) else 0.0,
        "p_legal_form": 1.0 if _LEGAL_FORM.search(t) else 0.0,
        "p_digits": round(digits / max(len(t), 1), 3),
        "p_words": float(min(len(words), 8)) / 8.0,
        "p_short": 1.0 if letters < 3 else 0.0,
        # "GmbH", "SDN BHD": the end of a name whose words went elsewhere, never a name.
        "p_form_only": 1.0 if _LEGAL_FORM.search(t) and sum(ch.isalpha() for ch in _LEGAL_FORM.sub("", t)) < 2 else 0.0,
    }


def address_checks(text: str) -> dict[str, float]:
    """What an address should not hold: a date, a company's legal form glued on, a phone number."""
    return {
        "p_has_date": 1.0 if _DATE_IN_TEXT.search(text) else 0.0,
        "p_has_amount": 1.0 if _AMOUNT_IN_TEXT.search(text) else 0.0,
        "p_noise": 1.0 if _NOISE.search(text) else 0.0,
        "p_legal_form": 1.0 if _LEGAL_FORM.search(text) else 0.0,
        "p_phone": 1.0 if _PHONE.search(text) and sum(ch.isdigit() for ch in text) >= 8 else 0.0,
        "p_words": float(min(len(text.split()), 16)) / 16.0,
        "p_street": 1.0 if _STREET.search(text) else 0.0,
    }


def date_checks(value: date, path: str, doc: DocValues) -> dict[str, float]:
    """A date years away from the document's other dates, or far in the future or the past."""
    others = [d for p, d in doc.dates if d != value]
    gap = min((abs((value - d).days) for d in others), default=0) / 365.25
    return {
        "p_date_gap": round(min(gap, 5.0), 3),
        "p_date_far": 1.0 if gap > 1.0 else 0.0,
        "p_date_alone": 0.0 if others else 1.0,
        "p_date_future": 1.0 if (value - _TODAY).days > 366 else 0.0,
        "p_date_past": 1.0 if _TODAY.year - value.year > 30 else 0.0,
    }


def amount_checks(value: float, path: str, doc: DocValues) -> dict[str, float]:
    """An amount's share of the largest amount the document holds (a total far below it is suspect)."""
    top = max((v for _, v in doc.amounts), default=0.0)
    share = value / top if top > 0 else 1.0
    return {
        "p_share": round(min(share, 1.0), 4),
        "p_tiny": 1.0 if share < 0.05 else 0.0,
        "p_zero": 1.0 if value == 0 else 0.0,
        "p_round": 1.0 if value == math.floor(value) else 0.0,
    }
