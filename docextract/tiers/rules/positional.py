"""Fields found by where they are printed, not by a label: a receipt's header and its date stamp.

A shop receipt opens with a header block: the business name (often with a legal form, "SDN BHD",
"GmbH", or a trade word, "TRADING", "RESTAURANT"), sometimes a registration number, the address lines,
and then the contact / tax / title lines ("TEL", "GST ID", "TAX INVOICE"). The name is the field
``position="top"``, the address ``position="after:<name field>"``. The receipt's date is often printed
unlabelled beside the time of day ("25-12-18 14:02"): ``position="timestamp"``. A total that the receipt's
own arithmetic confirms is ``position="payable"`` (:mod:`docextract.tiers.rules.positional_totals`).

These finds carry no label, so their confidence comes from the structure they sit in (a business name
over a complete address block, closed by a contact line) and from the OCR confidence of every word: one
misread character makes a name or address wrong, so the least sure word counts most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docextract.document import Box, Word
from docextract.tiers.rules.context import Context, Raw
from docextract.tiers.rules.positional_totals import checked_totals
from docextract.tiers.rules.rowtext import RowText, words_at
from docextract.tiers.rules.values import read_value

if TYPE_CHECKING:
    from docextract.schema import FieldSpec

LEGAL_FORM = re.compile(
    r"\b(GmbH|AG|KG|OHG|UG|e\.K\.|Ltd|Limited|LLC|Inc|Corp|PLC|LLP|B\.?V\.?|N\.?V\.?|S\.?A\.?S?|SARL|S\.?L\.?|"
    r"S\.?r\.?l\.?|S\.?p\.?A\.?|Oy|AB|A/S|ApS|Sdn\.?\s?Bhd|Bhd|Pte|Pty|Co\.|Company|GmbH & Co\. KG|"
    r"GMBH|LTD|LIMITED|INC|CORP|SDN\.?\s?BHD|BHD|S/B|PTE|PTY|LDA|KFT|COMPANY)\b\.?",
)
TRADE = re.compile(r"(?i)\b(enterprise|trading|restoran|restaurants?|kedai|store|stores|mart|pharmacy|bakery|"
                   r"caf[eé]|hardware|supermarket|marketing|industries|services|perniagaan|shop|boutique|"
                   r"market|bistro|pizzeria|deli|hotel|station|stationery|bookstore|optical|clinic|"
                   r"minimarket|superstore|b[aä]ckerei|apotheke|boulangerie|pharmacie|farmacia|panader[ií]a|"
                   r"tienda|supermercado|ristorante|trattoria|emporium|outlet)\b")
# A line that ends the header's address: contact, tax registration, the document's title, the date.
_STOP = re.compile(r"(?i)\b(tel|phone|fax|e-?mail|www|http|gst|vat|tax|invoice|receipt|date|cashier|"
                   r"ust|mwst|tva|iva|btw|abn|siret|siren|nif|cif|steuer|bill|order|table|server|"
                   r"no\.?\s*:|reg\.?\s*no|h/?p)\b|@|https?:")
# A registration number between the name and the address: "(CO.REG : 933109-X)", "(65351-M)", "JN0328956-V".
_REGISTRATION = re.compile(r"(?i)^[(\[{]?\s*(co\.?\s*reg\.?|company\s+no\.?|reg\.?\s*no\.?|roc|brn)?\s*[:.]?\s*"
                           r"[\w-]*\d[\w\s-]*[)\]}]?$")
_PHONE_ONLY = re.compile(r"^[+(]?\d[\d\s()./-]{6,}\d$")
_POSTCODE = re.compile(r"\b\d{5}\b|\b\d{4}\s+[A-Za-z]|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\b\d{3}\s?\d{2}\b")
_TIME = re.compile(r"(?<![\d.,])\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp][Mm])?(?![\d.,])")
_HEADER_ROWS = 14
# Signals of a header find whose structure is complete (business name over an address block with a
# postcode, closed by a contact line): with every word read at OCR confidence >= ~0.83 it scores >= 0.8.
# The structure stands in for a label; its strength is carried by the prior (scoring has no weight of its
# own for it).
_COMPLETE = {"positional": 1.0, "parse": 0.8, "label": 1.0, "prior": 2.3}
_DOUBT = 0.8  # OCR confidence under which a word is as good as unread


@dataclass(slots=True)
class Header:
    """The receipt's header: the name row, the address rows under it, and how complete the block is."""

    name: RowText
    business: bool
    address: list[RowText]
    closed: bool  # the address ended at a contact / tax / title line, not at a gap or the page's end
    postcode: bool
    # the address ended at a clear vertical gap, with its postcode in one of its last two rows
    gap_closed: bool = False


def ocr_doubt(words: list[Word]) -> float:
    """The ``ocr`` signal of a name or address: one misread character makes the whole field wrong, so the
    least sure word counts twice, and every further doubtful word costs more."""
    if not words:
        return -1.0
    confs = sorted(w.confidence for w in words)
    return 2.0 * (confs[0] - 1.0) - 0.5 * sum(c < _DOUBT for c in confs[1:])


_STRAY = re.compile(r"[.,;:'`][.,;:'`]")  # ",." "..": no printed name or address has these; a speck read as ink


def _marked(words: list[Word]) -> list[Word]:
    """The words with those that hold stray marks as good as unread (a speck beside a comma)."""
    return [Word(w.text, w.box, min(w.confidence, _DOUBT - 0.2), w.order) if _STRAY.search(w.text) else w
            for w in words]


def positional(ctx: Context, f: FieldSpec, position: str) -> list[Raw]:
    """Candidates for a field declared by ``position``: "top" (the business name), "after:<field>" (the
    lines under it: the address), "timestamp" (a date printed beside a time of day) or "payable" (a total
    that the receipt's own arithmetic confirms)."""
    if not ctx.pages or not ctx.pages[0].segs:
        return []
    if position == "timestamp":
        return stamped_dates(ctx, f)
    if position == "payable":
        return checked_totals(ctx)
    head = header(ctx)
    if head is None:
        return []
    if position == "top":
        return _company_whole(ctx, head)
    if position.startswith("after:"):
        return _address(head, f)
    return []


def _name_line(text: str) -> bool:
    t = text.strip()
    letters = sum(ch.isalpha() for ch in t)
    digits = sum(ch.isdigit() for ch in t)
    if letters < 3 or digits > letters / 3 or _STOP.search(t) or t.endswith(":"):
        return False
    return not re.match(r"\d+[a-zA-Z]?[\s,]", t)  # "58 rue de la mer", "27, JALAN": a street line


def _address_like(text: str) -> bool:
    t = text.strip()
    return bool(t.endswith(",") or re.match(r"(?i)(no\.?\s*)?\d", t) or _POSTCODE.search(t))


def header(ctx: Context) -> Header | None:
    """The header block at the top of page 1, or None when no line there reads as a business name."""
    idx = ctx.pages[0]
    rows = [RowText.of(r, i) for i, r in enumerate(idx.rows[:_HEADER_ROWS]) if r]
    names = [r for r in rows if r.box.y0 < 0.4 and _name_line(r.text)]
    if not names:
        return None
    tallest = max(r.box.height for r in names)

    def score(r: RowText) -> float:
        letters = [ch for ch in r.text if ch.isalpha()]
        upper = sum(ch.isupper() for ch in letters) / max(len(letters), 1)
        business = LEGAL_FORM.search(r.text) is not None or TRADE.search(r.text) is not None
        under = _address_rows(rows, r)[0]
        return (2.0 * business + 1.0 * (upper > 0.7) + 0.5 * (r.box.height / tallest) - 2.0 * _address_like(r.text)
                + 1.5 * any(_address_like(a.text) for a in under[:2]) - 0.1 * names.index(r))

    best = max(names, key=score)
    body, closed = _address_rows(rows, best)
    business = LEGAL_FORM.search(best.text) is not None or TRADE.search(best.text) is not None
    gap_closed = not closed and _ends_at_gap(rows, body) and any(_POSTCODE.search(r.text) for r in body[-2:])
    return Header(best, business, body, closed, any(_POSTCODE.search(r.text) for r in body), gap_closed)


def _ends_at_gap(rows: list[RowText], body: list[RowText]) -> bool:
    """Whether a clear vertical gap (or nothing) follows the last address row: the block ends there."""
    if not body:
        return False
    last = body[-1]
    after = [r for r in rows if r.index > last.index]
    if not after:
        return False
    height = max(min(last.box.height, after[0].box.height), 1e-6)
    return after[0].box.y0 - last.box.y1 > 2.5 * height


def _address_rows(rows: list[RowText], head: RowText) -> tuple[list[RowText], bool]:
    """The address rows under the name, and whether a contact / tax / title line closed them."""
    body: list[RowText] = []
    last = head
    for r in rows[rows.index(head) + 1 :]:
        height = max(min(last.box.height, r.box.height), 1e-6)
        if r.box.y0 - last.box.y1 > 2.5 * height:
            return body, False
        text = r.text.strip()
        if _STOP.search(text) or _PHONE_ONLY.match(text):
            return body, bool(body)
        if not body and _REGISTRATION.match(text) and sum(c.isalpha() for c in text) < 12:
            last = r
            continue  # the registration number between the name and the address
        if not any(ch.isalnum() for ch in text):
            return body, False
        body.append(r)
        last = r
        if len(body) >= 7:
            return body, False
    return body, False


def _company(ctx: Context, head: Header) -> Raw:
    r = head.name
    # The block ending at a clear gap closes it as well as a contact line does, for the name: it is the
    # line over the address either way. (The address itself keeps the contact line: a gap may split it.)
    complete = head.business and (head.closed or head.gap_closed) and head.postcode
    again = second_printing(ctx, r)
    # The name printed again ("THANK YOU FOR SHOPPING AT ...") says it is the business's, as a complete
    # header block does; with a business form or an address it stands in for the missing part.
    complete = complete or (again is not None and (head.business or head.postcode))
    sig = dict(_COMPLETE) if complete else {"positional": 1.0, "parse": 0.8, "label": 0.5,
                                            "prior": 0.2 + 0.6 * head.business + 0.4 * head.postcode}
    if again is None:
        sig["ocr"] = ocr_doubt(_marked(r.words))
    else:
        # Two printings read independently to the same letters: each word is as sure as its surer reading.
        sig["repeated"] = 1.0
        sig["ocr"] = ocr_doubt(_marked([Word(w.text, w.box, max(w.confidence, v.confidence), w.order)
                                        for w, v in zip(r.words, again, strict=True)]))
    return Raw(r.text.strip(), r.text, 0, r.words, sig, (0, r.index, -2))


# A registration number printed after the name on its row: "… SDN BHD (123456-X)", "… (CO.REG 933109-X)".
_TRAILING_REG = re.compile(r"\s*[(\[{][^()\[\]{}]*\d{3,}[^()\[\]{}]*(?:[)\]}]|$)\s*$")


_LEADING_REG = re.compile(r"\s*[(\[{][^()\[\]{}]*\d{3,}[^()\[\]{}]*[)\]}]\s*")


def _company_whole(ctx: Context, head: Header) -> list[Raw]:
    """The company candidate, without a registration number run onto its row; and where the name goes on
    over two rows (a first row without a legal form over one that ends in it, or the legal form alone on
    the row under it), the two rows joined as a second candidate, the one-row name then carrying
    ``name_cut``."""
    name = head.name
    cut = _TRAILING_REG.search(name.text)
    if cut is not None and sum(ch.isalpha() for ch in name.text[: cut.start()]) >= 3:
        kept = words_at(name, 0, cut.start())
        head = Header(RowText(name.text[: cut.start()], kept, Box.enclosing(w.box for w in kept), name.index),
                      head.business, head.address, head.closed, head.postcode, head.gap_closed)
    one = _company(ctx, head)
    other = _other_half(ctx, head)
    if other is None:
        return [one]
    first, second = (other, head.name) if other.index < head.name.index else (head.name, other)
    text = f"{first.text.strip()} {second.text.strip()}"
    whole = Raw(text, text, 0, [*first.words, *second.words], dict(one.signals), one.hit_key)
    one.signals["name_cut"] = 1.0
    return [one, whole]


def _other_half(ctx: Context, head: Header) -> RowText | None:
    """The row that holds the rest of the company's name, or None: the row right over it when the name's
    row ends in a legal form and that row is set as tight and as large, with no legal form of its own; or
    the row right under it when that row is a legal form alone ("SDN. BHD.")."""
    rows = ctx.pages[0].rows
    name = head.name
    h = max(name.box.height, 1e-6)
    i = name.index
    if i + 1 < len(rows) and rows[i + 1]:
        below = RowText.of(rows[i + 1], i + 1)
        rest = LEGAL_FORM.sub("", _TRAILING_REG.sub("", below.text)).strip(" .,")
        if not rest and LEGAL_FORM.search(below.text) and not LEGAL_FORM.search(name.text) \
                and below.box.y0 - name.box.y1 < 0.8 * h:
            return below
    if i > 0 and rows[i - 1] and LEGAL_FORM.search(name.text):
        above = RowText.of(rows[i - 1], i - 1)
        if name.box.y0 - above.box.y1 < 0.6 * h and abs(above.box.height - h) < 0.2 * h \
                and _name_line(above.text) and not LEGAL_FORM.search(above.text) \
                and not any(ch.isdigit() for ch in above.text):
            return above
    return None


def second_printing(ctx: Context, name: RowText) -> list[Word] | None:
    """The words of the name as printed a second time on the receipt (a footer, a "thank you" line): the
    same words in the same order, letter for letter (case aside). None when it is printed once, or when
    the name is too short to tell a repeat from chance."""
    want = [w.text.casefold() for w in name.words]
    if sum(len(t) for t in want) < 6:
        return None
    for p, page in enumerate(ctx.pages):
        for i, row in enumerate(page.rows):
            if (p, i) == (0, name.index) or not row:
                continue
            words = RowText.of(row, i).words
            texts = [w.text.casefold() for w in words]
            for k in range(len(texts) - len(want) + 1):
                if texts[k : k + len(want)] == want:
                    return words[k : k + len(want)]
    return None


def _address(head: Header, f: FieldSpec) -> list[Raw]:
    rows, glued = _unglued(head)
    if not rows:
        return []
    text = ", ".join(t.strip().rstrip(",") for t, _ in rows)
    val: Any = text
    if f.kind not in ("string", "text"):
        parsed = read_value(f, text)
        if parsed is None:
            return []
        val = parsed[0]
    words = [w for _, ws in rows for w in ws]
    complete = head.closed and head.postcode
    sig = dict(_COMPLETE) if complete else {"positional": 1.0, "parse": 0.6, "label": 0.5, "prior": 0.4}
    sig["ocr"] = ocr_doubt(_marked(words))
    if glued:
        sig["address_glued"] = 1.0
    return [Raw(val, text, 0, words, sig, (0, head.address[0].index, -3))]


def _unglued(head: Header) -> tuple[list[tuple[str, list[Word]]], bool]:
    """The address rows' text and words without what OCR glued onto them: the company's name run into
    the first row, and a date (with all that follows it) run into a row; and whether anything was taken
    out. A row that held nothing else is dropped, and the address ends at a row with a date."""
    from docextract import coerce

    out: list[tuple[str, list[Word]]] = []
    glued = False
    name = head.name.text.strip()
    for n, r in enumerate(head.address):
        text, start = r.text, 0
        if n == 0 and len(name) >= 6 and text.casefold().startswith(name.casefold()):
            start, glued = len(name), True
        legal = LEGAL_FORM.search(text, start) if n == 0 else None
        if legal is not None and any(ch.isdigit() for ch in text[legal.end() :]):
            start, glued = legal.end(), True  # "… SDN BHD (1234-X) NO. 5, JALAN …": a company's name, then the address
        if n == 0 and (reg := _LEADING_REG.match(text, start)) is not None:
            start, glued = reg.end(), True  # "(123456-X) NO. 5, JALAN …": the registration, then the address
        dates = coerce.scan(text, "date")
        end = dates[0].start if dates else len(text)
        if dates:
            glued = True
        part = text[start:end].strip(" ,;")
        if part and any(ch.isalnum() for ch in part):
            out.append((part, words_at(r, start, end)))
        if dates:
            break
    return out, glued


def stamped_dates(ctx: Context, f: FieldSpec) -> list[Raw]:
    """Dates printed beside a time of day on the same row ("18-11-18 13:58", "25/12/2018 8:13:39 PM").

    Such a date is surer when it is the only date on the receipt, printed in a layout that cannot be read
    another way (a four-digit year, a day over 12), beside a time that is a real time of day (a misread
    row often gives itself away there: "29:49")."""
    from docextract import coerce

    found: list[tuple[int, int, RowText, Any]] = []
    dates: set[Any] = set()
    for n, page in enumerate(ctx.pages):
        for i, row in enumerate(page.rows):
            r = RowText.of(row, i)
            scanned = coerce.scan(r.text, "date")
            dates.update(p.value for p in scanned)
            if scanned and _TIME.search(r.text):
                found.extend((n, i, r, p) for p in scanned)
    out: list[Raw] = []
    for n, i, r, p in found:
        after = r.text[p.end : p.end + 16]
        before = r.text[max(0, p.start - 14) : p.start]
        time = _TIME.match(after.lstrip(" ,;|-")) or _TIME.search(before)
        if not time:
            continue
        words = words_at(r, p.start, p.end)
        conf = min((w.confidence for w in words), default=0.0)
        sole = len(dates) == 1 and _unambiguous(p.raw, p.value) and _time_of_day(time.group())
        sig = {"label": 0.7, "parse": float(p.quality), "dir_same": 1.0, "label_start": 0.0,
               "positional": 1.0, "prior": 1.4 + 0.4 * sole, "ocr": conf - 1.0}
        at = ctx.pages[n].segs[0].page if ctx.pages[n].segs else 0
        out.append(Raw(p.value, p.raw, at, words, sig, (at, i, -4)))
    return out


def _unambiguous(raw: str, value: Any) -> bool:
    """A date with a four-digit year whose day and month cannot trade places (or a month name)."""
    if not re.search(r"\d{4}", raw):
        return False
    return bool(re.search(r"[^\W\d_]{3}", raw)) or value.day > 12 or value.day == value.month


def _time_of_day(text: str) -> bool:
    nums = [int(x) for x in re.findall(r"\d+", text)]
    hours = 12 if re.search(r"[AaPp][Mm]", text) else 23
    return len(nums) >= 2 and 0 <= nums[0] <= hours and all(0 <= x <= 59 for x in nums[1:3])


__all__ = ["LEGAL_FORM", "TRADE", "Header", "header", "ocr_doubt", "positional", "stamped_dates"]
