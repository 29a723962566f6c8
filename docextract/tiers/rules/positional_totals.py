"""A receipt's total confirmed by the receipt's own arithmetic or by the same amount printed twice.

Every amount on a receipt is printed (and read by OCR) on its own, so when two of them agree, or three
add up, a misread digit is all but ruled out. The confirmations, each needing the total to be the final
one (nothing after it changes the amount to pay, see ``_final_unchallenged``):

- rounding: total, rounding adjustment, rounded total: three rows that add up;
- tendered less change: the cash handed over less the change given back is a printed total;
- items: the item amounts printed over the total add up to it;
- tender: the amount paid by cash or card is the total itself (nothing given back);
- repeated: another total row ("Sub Total", "Total (incl GST)") prints the same amount.

Part of the ``position="payable"`` finder of :mod:`docextract.tiers.rules.positional`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from docextract.tiers.rules.context import Raw
from docextract.tiers.rules.rowtext import RowText, words_at

if TYPE_CHECKING:
    from docextract.document import Word
    from docextract.tiers.rules.context import Context

_TOTAL_WORDS = frozenset({"total", "totals", "grand", "nett", "net", "payable", "due", "rounded", "amount", "jumlah",
                          "summe", "gesamt", "montant", "importe", "totale", "totaal", "sum", "balance"})
_ROUND_WORDS = frozenset({"round", "rounding", "rounded", "adj", "adjustment", "adjustments", "pembundaran"})
_TENDER_WORDS = frozenset({"cash", "tendered", "tender", "paid", "received", "tunai", "bar", "gegeben", "espèces",
                           "especes", "efectivo", "contanti", "card", "visa", "mastercard", "amex", "debit", "credit",
                           "eftpos", "maestro", "kreditkarte", "ec", "girocard", "cb", "tarjeta", "carte"})
_CHANGE_WORDS = frozenset({"change", "baki", "rückgeld", "ruckgeld", "wechselgeld", "rendu", "monnaie", "cambio",
                           "resto", "wisselgeld"})
# A total row that is a part of the amount to pay ("Sub Total", "Total excl. GST") ...
_PART_WORDS = frozenset({"sub", "subtotal", "s", "excl", "excluding", "exclusive", "excluded", "before", "ht",
                         "zwischensumme", "netto"})
# ... or not an amount paid at all: a count, a saving, loyalty points, a tip line.
_OTHER_WORDS = frozenset({"qty", "quantity", "items", "item", "pcs", "menge", "anzahl", "articles", "artikel", "units",
                          "discount", "disc", "saving", "savings", "saved", "rabatt", "remise", "descuento", "sconto",
                          "points", "point", "tip", "tips"})
_TAX_WORDS = frozenset({"gst", "vat", "tax", "mwst", "ust", "tva", "iva", "btw", "sst"})
_INCL_WORDS = frozenset({"incl", "inclusive", "including", "inkl", "ttc", "inc"})
# Rows above the items: the header, the date and time, the column titles. Item rows stop there.
_ITEMS_END = re.compile(r"(?i)\b(tel|phone|fax|cashier|invoice|receipt|bill|table|order|date|time|qty|price|"
                        r"description|desc|item|artikel|menge|preis|article|prix|server)\b|\d{1,2}:\d{2}")
_DECIMAL = re.compile(r"\d[.,]\d\d$")  # amounts printed with cents: item rows, not counts or codes
_MAX_ITEMS = 40


@dataclass(slots=True)
class _Amount:
    """One row of the page and its last amount (None: the row has none)."""

    value: Any
    words: list[Word]
    tokens: frozenset[str]
    index: int
    page: int
    text: str
    cents: bool  # printed with two decimals

    @property
    def at(self) -> tuple[int, int]:
        return (self.page, self.index)

    @property
    def tender(self) -> bool:
        return bool(self.tokens & _TENDER_WORDS) and not self.tokens & _CHANGE_WORDS

    @property
    def change(self) -> bool:
        return bool(self.tokens & _CHANGE_WORDS)

    @property
    def totalish(self) -> bool:
        """A row labelled as some total, not a payment or change row."""
        return bool(self.tokens & _TOTAL_WORDS) and not self.tokens & (_TENDER_WORDS | _CHANGE_WORDS)

    @property
    def tax_only(self) -> bool:
        return bool(self.tokens & _TAX_WORDS) and not self.tokens & _INCL_WORDS

    @property
    def same_total(self) -> bool:
        """A total row that prints the amount to pay or a part of it ("Sub Total", "Total incl GST")."""
        return self.totalish and self.cents and not self.tax_only and not self.tokens & _OTHER_WORDS

    @property
    def final(self) -> bool:
        """A total row that may be the amount to pay (not a part, count, saving or the tax alone)."""
        return self.same_total and not self.tokens & _PART_WORDS

    @property
    def rounding(self) -> bool:
        """A rounding adjustment row (not the rounded total)."""
        return bool(self.tokens & _ROUND_WORDS) and not self.tokens & _TOTAL_WORDS


def _row_amounts(ctx: Context) -> list[_Amount]:
    """Every row with its last amount and that amount's words, top to bottom."""
    from docextract import coerce
    from docextract.tiers.rules.labels import norm_word

    out = []
    for p, page in enumerate(ctx.pages):
        for i, row in enumerate(page.rows):
            r = RowText.of(row, i)
            found = coerce.scan(r.text, "amount")
            if not found:
                out.append(_Amount(None, [], frozenset(), i, p, r.text, False))
                continue
            last = found[-1]
            toks = frozenset(t for w in r.text[: last.start].split() for t in norm_word(w))
            out.append(_Amount(last.value, words_at(r, last.start, last.end), toks, i, p, r.text,
                               bool(_DECIMAL.search(last.raw))))
    return out


def checked_totals(ctx: Context) -> list[Raw]:
    """Totals that the receipt's own arithmetic, or a second printing of the same amount, confirms (see
    the module docstring). Each amount is read independently, so a misread digit almost never still
    adds up."""
    every = _row_amounts(ctx)
    rows = [a for a in every if a.value is not None]
    totals = [a for a in rows if a.totalish]
    out: list[Raw] = []
    seen: set[int] = set()

    def add(a: _Amount, how: str) -> None:
        if id(a) in seen or not a.value > 0:
            return
        seen.add(id(a))
        conf = min((w.confidence for w in a.words), default=0.0)
        sig = {"label": 1.0, "parse": 1.0, "dir_same": 1.0, "label_start": 1.0, "joint": 1.0, "prior": 0.6,
               "ocr": conf - 1.0}
        out.append(Raw(a.value, how, a.page, a.words, sig, (a.page, a.index, -5), tuple(sorted(a.tokens))))

    for a in rows:
        if not a.tokens & _ROUND_WORDS or a.tokens & _TOTAL_WORDS or abs(a.value) >= Decimal("0.10"):
            continue
        # total, rounding adjustment, rounded total: three rows, read one by one, that add up
        before = [t for t in totals if t.at < a.at][-1:]
        after = [t for t in totals if t.at > a.at][:1]
        for b in before:
            for f in after:
                if f.value != b.value + a.value and f.value != b.value - a.value:
                    continue
                if f.value != b.value or a.value == 0:
                    add(f, "rounding")
    for t, u in itertools.pairwise(totals):
        # "Total 26.60 / Total rounded 26.60": nothing to round, and the two rows agree
        if u.tokens & _ROUND_WORDS and u.value == t.value and (u.page, u.index - t.index) == (t.page, 1):
            add(u, "rounding")
    for n, cash in enumerate(rows):
        if not cash.tender:
            continue
        change = next((c for c in rows[n + 1 : n + 3] if c.change), None)
        if change is None or not cash.value > change.value:
            continue
        paid = cash.value - change.value
        for t in totals:
            if t.at < cash.at and t.value == paid:
                add(t, "tendered less change")
    for n, t in enumerate(rows):
        if not (t.final and _final_unchallenged(rows, n)):
            continue
        if _items_add_up(every, every.index(t)):
            add(t, "items add up")
        elif _tendered_exactly(rows, n):
            add(t, "tendered exactly")
        elif any(o is not t and o.same_total and o.value == t.value for o in totals):
            add(t, "printed twice")
    return out


def paid_amounts(ctx: Context) -> set[Decimal]:
    """The amounts the receipt's own arithmetic says were paid: the cash handed over less the change given
    back, and every total that ``checked_totals`` confirms. Empty when the receipt prints neither."""
    rows = [a for a in _row_amounts(ctx) if a.value is not None]
    out = {Decimal(str(r.value)) for r in checked_totals(ctx)}
    for n, cash in enumerate(rows):
        change = next((c for c in rows[n + 1 : n + 3] if c.change), None) if cash.tender else None
        # Both printed with cents: a misread change ("20. is" for 20.10) would contradict the right total.
        if change is not None and cash.cents and change.cents and cash.value > change.value >= 0:
            out.add(cash.value - change.value)
    return out


def largest_item_over(ctx: Context, page: int, y: float) -> Decimal | None:
    """The largest amount printed with cents on an item row (not a total, tax, payment, change, rounding or
    discount row) above height ``y`` of ``page``: no total to pay is smaller than one of its items."""
    best: Decimal | None = None
    for a in _row_amounts(ctx):
        if a.value is None or a.page != page or not a.cents or not a.words or a.words[0].box.y1 > y:
            continue
        if a.totalish or a.tender or a.change or a.rounding or a.tokens & (_TAX_WORDS | _OTHER_WORDS | _PART_WORDS):
            continue
        v = Decimal(str(a.value))
        if v > 0 and (best is None or v > best):
            best = v
    return best


def _final_unchallenged(rows: list[_Amount], n: int) -> bool:
    """Whether nothing after total ``rows[n]`` changes the amount to pay: no later total that differs,
    no rounding by a non-zero amount, and before the payment rows no larger amount at all.

    A later total that differs is forgiven only after a zero rounding adjustment (which says the
    rounded total equals this one) and when it is at least 0.10 off (no rounding makes that: a misread)."""
    t = rows[n]
    zero_round = False
    paying = False
    for r in rows[n + 1 :]:
        paying = paying or r.tender or r.change
        if r.rounding:
            if r.value != 0:
                return False
            zero_round = True
            continue
        if r.final and r.value != t.value:
            if not (zero_round and abs(r.value - t.value) >= Decimal("0.10")):
                return False
        elif not paying and not r.totalish and r.value > t.value:
            return False  # "Service charge 10% 9.90"? a larger amount under the total: what is paid is unclear
    return True


def _items_add_up(every: list[_Amount], n: int) -> bool:
    """Whether the item amounts printed directly over total ``every[n]`` add up to it (the rows from the
    one above it upwards, stopping at the header, the column titles or another total). ``every`` holds
    all rows, with an amount or without (an item's description, the column titles)."""
    t = every[n]
    run = Decimal(0)
    for r in reversed(every[max(0, n - _MAX_ITEMS) : n]):
        if r.page != t.page or _ITEMS_END.search(r.text):
            return False
        if r.value is None or not r.cents:
            continue  # a description line, an article code, a quantity
        # (payment words are no stop: "SOAP BAR", "GIFT CARD" are items; payments come after the total)
        if r.totalish or r.change or r.rounding or r.tokens & _TAX_WORDS:
            return False  # a total or a tax row between the items and the total: not a plain sum
        run += r.value
        if run == t.value:
            return True
    return False


def _tendered_exactly(rows: list[_Amount], n: int) -> bool:
    """Whether the first payment row after total ``rows[n]`` pays exactly that amount, and no change
    (or a zero change) follows it."""
    t = rows[n]
    after = rows[n + 1 :]
    pay = next((i for i, r in enumerate(after) if r.tender), None)
    if pay is None or after[pay].value != t.value:
        return False
    change = next((r for r in after[pay + 1 : pay + 3] if r.change), None)
    return change is None or change.value == 0


__all__ = ["checked_totals", "largest_item_over", "paid_amounts"]
