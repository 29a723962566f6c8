"""Values of a field's kind in text, and the finders that need no label of the field's own.

``read_value`` reads the value that starts a piece of text. The finders read the invoice number and date
from a title line ("Handelsrechnung Nr. 99877 vom 30.05.2026", "Facture n°562044387 du 02 Juillet 2015"),
and the currency that every amount on the page is written in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docextract.tiers import lexicon
from docextract.tiers.rules.context import Context, Raw
from docextract.tiers.rules.labels import Seg, label_tail_is_colon, norm_label, rest_after, words_in_span

if TYPE_CHECKING:
    from docextract.schema import FieldSpec

TYPED = frozenset({"date", "amount", "number", "integer", "percent", "currency", "iban", "vat_id"})
_ID_WORDS = re.compile(r"(^|_)(number|no|nr|num|id|code|ref|reference|key)($|_)")
_CURRENCY_PREFIX = re.compile(r"^(?:[A-Z]{3}|[€$£¥₹]|CHF|Fr\.|SFr\.|\()\s*$")
_ID_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/._]*[A-Za-z0-9]$|^[0-9]$")
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
# "Invoice No. 123 of 2024-01-05", "Rechnung Nr. 12 vom 05.01.2024", "Facture n° 7 du 05/01/2024"
_DATED = re.compile(r"(?<=\s)(?:vom|du|del|dated|of|issued(?: at| on)?|van|de|dal|d[eo]|em)\s+", re.IGNORECASE)
# The word that titles a document as an invoice, alone or closing a compound ("Handelsrechnung").
_TITLE_STEMS = ("rechnung", "invoice", "facture", "factura", "fattura", "factuur", "fatura")
_GLUED = re.compile(r"^.*?(?:n[°º]|#|nr\.|no\.|:)\s*", re.IGNORECASE)


def is_id_field(f: FieldSpec) -> bool:
    return f.kind == "string" and bool(_ID_WORDS.search(f.name.lower()))


def looks_like_label(text: str) -> bool:
    return text.rstrip().endswith(":")


def read_value(f: FieldSpec, text: str) -> tuple[Any, str, int, int, float] | None:
    """The first value of ``f``'s kind at the start of ``text``: (value, raw, start, end, quality)."""
    text = text.strip()
    if not text:
        return None
    kind = f.kind
    if kind in TYPED:
        from docextract import coerce

        skip_to = 0
        for p in coerce.scan(text, kind):
            if p.start < skip_to:
                continue
            if kind == "amount" and (p.raw.endswith("%") or text[p.end :].lstrip().startswith("%")):
                skip_to = text.index("%", p.start) + 1  # a tax rate belongs to the label ("VAT 19 %")
                continue
            prefix = text[skip_to : p.start].strip(" :=")
            if prefix and not _CURRENCY_PREFIX.match(prefix):
                return None
            return p.value, p.raw, p.start, p.end, float(p.quality)
        return None
    if kind == "enum":
        low = text.casefold()
        for v in f.enum_values:
            if low.startswith(v.casefold()):
                return v, text[: len(v)], 0, len(v), 0.9
        return None
    if kind in ("boolean",):
        return None
    if is_id_field(f):
        tok = text.split()[0].strip(".,;:")
        if not _ID_TOKEN.match(tok) or not any(ch.isdigit() for ch in tok):
            return None
        if _DATE_LIKE.match(tok):
            return None
        start = text.find(tok)
        return tok, tok, start, start + len(tok), 1.0
    # A name or free text: the rest of the segment.
    clean = text.strip(" :;,")
    letters = sum(ch.isalpha() for ch in clean)
    if letters < 2 or looks_like_label(clean):
        return None
    start = text.find(clean)
    return clean, clean, start, start + len(clean), 0.7


def glued_value(seg: Seg, word_idx: int) -> str:
    """The value written into the label's last word ("n°562044387", "Nr.123"), or ""."""
    text = seg.words[word_idx].text
    m = _GLUED.match(text)
    rest = text[m.end() :] if m else ""
    return rest if rest and any(ch.isdigit() for ch in rest) else ""


def title_number(ctx: Context, f: FieldSpec) -> list[Raw]:
    """The invoice number in a title line: "Handelsrechnung (380) Nr. 99877", "INVOICE 2024-117"."""
    out: list[Raw] = []
    for stem in _TITLE_STEMS:
        for seg, i in ctx.tokens_like(stem):
            if i > 1:
                continue  # a title opens its line
            j = i + 1
            owner = seg.owner
            # skip a bracketed type code: "(380)"
            while j < len(seg.tokens) and seg.words[owner[j]].text.startswith("(") and owner[j] - owner[i] <= 2:
                j += 1
            numbered = j < len(seg.tokens) and seg.tokens[j] == "no"
            if numbered:
                if label_tail_is_colon(seg, owner[j]):
                    continue  # "FACTURE N° :" is a label; the labelled search reads its value
                j += 1
            if j >= len(seg.tokens):
                continue
            w = owner[j]
            if w == owner[j - 1]:
                text = glued_value(seg, w)
                start = seg.starts[w] + len(seg.words[w].text) - len(text)
            else:
                text, start = seg.text[seg.starts[w] :], seg.starts[w]
            val = read_value(f, text)
            if val is None or not any(ch.isdigit() for ch in str(val[0])):
                continue
            value, raw, s, e, q = val
            words = words_in_span(seg, start + s, start + e)
            compound = seg.tokens[i] != stem
            prominent = seg.box.height >= 1.2 * _median_height(ctx, seg.page)
            sig = {"label": 0.9 if numbered else 0.6, "parse": q, "dir_same": 1.0, "label_start": 1.0,
                   "prior": 0.3 * prominent + 0.3 * numbered - 0.3 * compound, "title": 1.0,
                   "ocr": min((x.confidence for x in words), default=1.0) - 1.0}
            out.append(Raw(value, raw, seg.page, words, sig, (seg.page, id(seg), i), (seg.tokens[i], "no"),
                           seg.box))
    return out


def _median_height(ctx: Context, page: int) -> float:
    hs = sorted(s.box.height for s in ctx.pages[page].segs)
    return hs[len(hs) // 2] if hs else 0.0


def date_after_number(ctx: Context, f: FieldSpec) -> list[Raw]:
    """The issue date written right after the invoice number, on the same line."""
    out = []
    starts = [(hit.seg, hit.end_word, hit.quality, hit.start) for lab in lexicon.BY_KEY["invoice_number"].labels
              for hit in ctx.find(norm_label(lab))]
    for stem in _TITLE_STEMS:
        starts.extend((seg, seg.owner[i], 0.9, i) for seg, i in ctx.tokens_like(stem) if i <= 1)
    for seg, end_word, quality, start in starts:
        rest, offset = rest_after(seg, end_word)
        m = _DATED.search(rest)
        between = rest[: m.start()].split() if m else []
        if not m or len(between) > 3 or not any(ch.isdigit() for w in between for ch in w):
            continue  # the number must come between: "Rechnung gemäß Fahrt vom 29.10." dates the ride
        tail = rest[m.end() :]
        val = read_value(f, tail)
        if val is None:
            continue
        value, raw, s, e, q = val
        base = offset + m.end() + (len(tail) - len(tail.lstrip()))
        words = words_in_span(seg, base + s, base + e)
        sig = {"label": 0.8 * quality, "parse": q, "dir_same": 1.0, "label_start": float(start == 0), "gap": 1.0,
               "ocr": min((x.confidence for x in words), default=1.0) - 1.0}
        out.append(Raw(value, raw, seg.page, words, sig, (seg.page, id(seg), start), (), seg.box))
    return out


_NUMERIC_DATE = re.compile(r"(?<![\d.,/-])(\d{1,2})([/-])(\d{1,2})\2(\d{2}|\d{4})(?![\d/-])")


# Where no date on the page settles the order, the money does: these currencies, and amounts written with a
# decimal comma, belong to places that write the day first; US dollars next to a US state and ZIP code do not.
_DAY_FIRST_MONEY = re.compile(
    r"€|£|₹|\b(?:EUR|GBP|CHF|INR|MYR|RM|SGD|AUD|NZD|ZAR)\b|\d[.\s]?\d{3},\d{2}\b|\b\d+,\d{2}\b"
)
_MONTH_FIRST_MONEY = re.compile(r"\bUSD\b|\$\s?\d")
_US_ADDRESS = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")


def date_order(ctx: Context) -> str | None:
    """"dmy" or "mdy": the order the document's unambiguous numeric dates (a part over 12) agree on, or, when
    there are none, the order its money implies; None when nothing settles it or the clues disagree."""
    seen: set[str] = set()
    for idx in ctx.pages:
        for seg in idx.segs:
            for m in _NUMERIC_DATE.finditer(seg.text):
                a, b = int(m[1]), int(m[3])
                if a > 12 >= b >= 1:
                    seen.add("dmy")
                elif b > 12 >= a >= 1:
                    seen.add("mdy")
    if seen:
        return seen.pop() if len(seen) == 1 else None
    day_first = month_first = us_address = False
    for idx in ctx.pages:
        for seg in idx.segs:
            day_first = day_first or _DAY_FIRST_MONEY.search(seg.text) is not None
            month_first = month_first or _MONTH_FIRST_MONEY.search(seg.text) is not None
            us_address = us_address or _US_ADDRESS.search(seg.text) is not None
    if day_first and not month_first:
        return "dmy"
    if month_first and us_address and not day_first:
        return "mdy"
    return None


def settle_date_order(ctx: Context, raws: list[Raw]) -> None:
    """Re-read dates like 07/06/2025, where day and month could be either way round, in the order the
    document's other dates show; where nothing shows it, the reading is a guess and is marked weak."""
    import datetime as dt

    order: str | bool | None = False  # False: not computed yet
    for r in raws:
        m = _NUMERIC_DATE.search(r.raw) if isinstance(r.value, dt.date) else None
        if m is None:
            continue
        a, b = int(m[1]), int(m[3])
        if a > 12 or b > 12 or a == b:
            continue
        if order is False:
            order = date_order(ctx)
        if order is None:
            r.signals["parse_weak"] = 1.0
            r.signals["order_guess"] = 1.0
            r.signals["parse"] = min(r.signals.get("parse", 1.0), 0.5)
            continue
        day, month = (a, b) if order == "dmy" else (b, a)
        try:
            r.value = r.value.replace(month=month, day=day)
        except ValueError:
            continue
        r.signals["parse"] = max(r.signals.get("parse", 0.0), 0.9)


def currency_of_amounts(ctx: Context, f: FieldSpec) -> list[Raw]:
    """The currency the amounts are written in, when no label names it.

    Evidence, strongest first: amounts printed with a currency ("€ 12,00", "12,00 EUR"), and a currency
    written on a row of the totals ("Total EUR 108,00", "Montant EUR TTC"). Codes that are English words
    ("ALL") barely count. Any second currency on the page makes this a guess (conversions, foreign fees).
    """

    seen: dict[str, list[tuple[Seg, Any]]] = {}  # code → its currency marks
    attached: dict[str, int] = {}  # code → amounts written with it
    weak = 0.0
    for idx in ctx.pages:
        for seg in idx.segs:
            text = seg.text
            marks = ctx.scan(text, "currency")
            if not marks:
                continue
            for p in marks:
                if p.quality < 0.45:
                    weak += 1
                    continue
                seen.setdefault(str(p.value), []).append((seg, p))
            for p in ctx.scan(text, "amount"):
                if p.currency:
                    attached[p.currency] = attached.get(p.currency, 0) + 1
    if not seen:
        return []
    code, hits = max(seen.items(), key=lambda kv: (attached.get(kv[0], 0), len(kv[1])))
    others = sum(len(v) for k, v in seen.items() if k != code)
    if len(hits) < 2 and attached.get(code, 0) < 1:
        return []
    if others and len(hits) < 4 * others:
        return []
    totals = _totals_rows(ctx)
    in_totals = [(s, p) for s, p in hits if (s.page, ctx.pages[s.page].row_of[id(s)]) in totals and p.quality >= 0.9]
    seg, p = (in_totals or hits)[-1]
    words = words_in_span(seg, p.start, p.end)
    n = attached.get(code, 0) + len(in_totals)
    quality = min(float(q.quality) for _, q in hits)
    sig = {"label": 0.5, "parse": quality, "positional": 1.0, "prior": 1.0 - 0.5 * bool(others) - 0.2 * bool(weak),
           "consensus": min(1.0, max(0.0, (n - 1) / 4)) * (not others), "totals_code": float(bool(in_totals)),
           "ocr": min((w.confidence for w in words), default=1.0) - 1.0}
    if quality < 0.6:
        sig["parse_weak"] = 1.0  # "$" alone: USD, CAD, AUD, MXN …
    return [Raw(code, p.raw, seg.page, words, sig, (seg.page, id(seg), -1))]


_TOTAL_KEYS = ("total_gross", "amount_due", "total_net")


def _totals_rows(ctx: Context) -> set[tuple[int, int]]:
    """(page, row) of every row holding a label of the net, gross or due total."""
    out: set[tuple[int, int]] = set()
    for key in _TOTAL_KEYS:
        for lab in lexicon.BY_KEY[key].labels:
            for hit in ctx.find(norm_label(lab)):
                idx = ctx.pages[hit.seg.page]
                out.add((hit.seg.page, idx.row_of[id(hit.seg)]))
    return out
