"""Postal addresses of the parties (``seller.address``, ``buyer.address``): the printed lines under the
party's name, joined with ", " in reading order.

An address block is read as a run of *pieces* after the party's name: the rows of a column under it
("Bill to" / name / street / postcode + city / country), or the parts of a one-line address split at its
separators ("12 Market Street · EC1A 1BB London"); ``address_lines`` classifies the pieces and
reads the block. Where the block was found decides whose it is:

- under a party heading ("Bill to", "Rechnungsempfänger", "From"), in its column: that party's;
- under the letterhead name at the top of page 1 (multi-line, or one line split at "·", "|", "-"), on the
  sender's return line over the address window ("Name · street · city"), or under / after the company's
  name in the footer: the seller's;
- with no buyer heading, the addressee's block in the window (a name over an address, nothing over it but
  a salutation or the return line): the buyer's.

Precision first: a value is exactly the printed lines, nothing else. A block that is complete (name,
street, locality, then a contact / tax / label line, a gap or the column's end) scores over the
threshold; anything doubtful (an unknown line inside, a leading tagline dropped, a block running on,
found by position alone) scores under it, and agreement between sources (the letterhead and the return
line, the footer) lifts it back.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from docextract.compare import loose_text
from docextract.document import Word
from docextract.tiers.rules.address_lines import Block, Piece, kind_of, read_block
from docextract.tiers.rules.context import Context, Raw
from docextract.tiers.rules.labels import LabelHit, Seg, rest_after
from docextract.tiers.rules.positional import ocr_doubt

# An OCR'd word that looks misread: a capital inside a lower-case word ("LindenstraBe"), a symbol or a letter
# among digits ("2°", "1O"), a stray mark.
_ODD = re.compile(r"[a-zß-ÿ][A-Z]|[°º>«»<~^_=*\\]|\d[A-Za-z]\d|^[^\w(]")
_SEPARATOR = frozenset({"·", "|", "•", "●", "◦", "▪", "-", "–", "—", "/", "∙", "‧"})
_GAP = 1.5  # a vertical gap of this many line heights ends a block
_ALIGN = 0.02  # page widths: a line under another starts, ends or centres within this of it to be its column's
_FOOTER = 0.8  # the footer's company lines start below this share of the last page's height

NameLike = Callable[[str], bool]  # whether a line's text reads as a party's name


def signals(block: Block, anchored: bool, source: str) -> dict[str, float]:
    """The rules tier's signals for a block: see the module docstring for what makes it sure."""
    prior = 1.0 if block.complete else 0.0
    prior -= 0.9 * block.others + 0.6 * block.trimmed + 0.2 * block.skipped + 0.4 * (block.streets == 0)
    prior -= 0.8 * (not block.closed)
    read = [w for w in block.words if w.confidence < 1.0]
    if read:
        # OCR'd: one misread character makes an address wrong, and misreads of "º", "ß", "é" come with high
        # word confidence. Only agreement between two independently read sources lifts it over the threshold.
        prior -= 0.5 + 0.6 * sum(bool(_ODD.search(w.text)) for w in read)
    sig = {"label": 1.0 if anchored else 0.8, "parse": 0.9, "prior": prior, "ocr": ocr_doubt(block.words)}
    if not anchored:
        sig["positional"] = 1.0
        # The letterhead's and the footer's company blocks are the seller's by convention; a block found in
        # the window without a heading is the addressee's only by its place.
        sig["prior"] += {"letterhead": 1.1, "return": 0.9, "footer": 0.9, "window": 0.6, "unsure": 0.0}[source]
    return sig


# ---------------------------------------------------------------------------------------------------------
# Pieces from the page


def parts_of(seg: Seg) -> list[Piece]:
    """A segment cut at its separators ("·", "|", " - "): one piece per part (the whole segment if none)."""
    out: list[Piece] = []
    cur: list[Word] = []
    for w in seg.words:
        if w.text in _SEPARATOR:
            if cur:
                out.append(Piece(" ".join(x.text for x in cur), cur))
            cur = []
            continue
        cur.append(w)
    if cur:
        out.append(Piece(" ".join(x.text for x in cur), cur))
    if len(out) > 1:
        for p in out:
            p.split = True
    return out


def column(ctx: Context, seg: Seg, n: int = 8) -> tuple[list[Seg], bool]:
    """Segments under ``seg`` aligned with it (left, right or centred), and whether they end at a gap or
    the page's end rather than at ``n``."""
    idx = ctx.pages[seg.page]
    out: list[Seg] = []
    last = seg
    for row in idx.rows[idx.row_of[id(seg)] + 1 :]:
        match = [s for s in row if abs(s.box.x0 - seg.box.x0) < _ALIGN or abs(s.box.x1 - seg.box.x1) < _ALIGN
                 or abs(s.box.cx - seg.box.cx) < _ALIGN]
        if not match:
            if any(s.box.horizontal_overlap(seg.box) > 0 and s.box.x0 < seg.box.x0 for s in row):
                return out, True  # a wider line under the block (a table, a paragraph) closes it
            continue
        s = match[0]
        height = max(min(last.box.height, s.box.height), 1e-6)
        if s.box.y0 - last.box.y1 > _GAP * height:
            return out, True
        out.append(s)
        last = s
        if len(out) >= n:
            return out, False
    return out, True


def _raw(block: Block, sig: dict[str, float], page: int, key: tuple[int, int, int]) -> Raw:
    if block.streets == 0 and "positional" in sig:
        sig["prior"] -= 3.0  # a city alone, found by position: more likely a stray line than an address
    return Raw(block.value, block.value, page, block.words, sig, key)


# ---------------------------------------------------------------------------------------------------------
# Finders


def under_heading(ctx: Context, hit: LabelHit, name_like: NameLike) -> list[Raw]:
    """The address under a party heading: the heading's column, after the name (which is the value after
    the label, the segment right of it, or the first name line under it).

    Args:
        ctx: the document's working state.
        hit: the party's heading.
        name_like: a predicate on a line's text: whether it reads as a party's name.
    """
    seg = hit.seg
    rest, _ = rest_after(seg, hit.end_word)
    rows, ended = column(ctx, seg)
    if not rest and not rows:
        right = [r for r in ctx.right_of(seg)[:1] if r.box.x0 - seg.box.x1 < 0.15]
        if right and name_like(right[0].text):
            rows, ended = column(ctx, right[0])  # "Customer:   Kestrel Ltd": the block hangs under the name
    elif not rest:
        # Identifiers ("GLN 4304171000002") and a salutation ("Firma", "Herrn", "Spett.le") over the name
        while rows and (kind_of(rows[0].text) == "stop" or _salutation(rows[0].text)):
            rows = rows[1:]
        if not rows:
            return []
        rows = rows[1:]  # the name
    pieces = [Piece(s.text, s.words) for s in rows]
    block = read_block(pieces, ended)
    if block is None:
        return []
    return [_raw(block, signals(block, True, "heading"), seg.page, (seg.page, id(seg), -10))]


def prominent(ctx: Context, name_seg: Seg) -> bool:
    """Whether a name is printed larger than the line under it, as a letterhead is (an addressee's name is
    printed in the size of its address)."""
    rows, _ = column(ctx, name_seg, 1)
    return bool(rows) and name_seg.box.height >= 1.3 * rows[0].box.height


def letterhead(ctx: Context, name_seg: Seg, confirmed: bool) -> list[Raw]:
    """The seller's address under (or after) its letterhead name; ``confirmed``: the return line names it."""
    parts = parts_of(name_seg)
    rows, ended = column(ctx, name_seg)
    pieces = parts[1:] + [p for s in rows for p in parts_of(s)]
    block = read_block(pieces, ended)
    if block is None:
        return []
    # A name over its address in the same size may as well be the addressee's block: whose it is is a guess.
    source = "letterhead" if confirmed or (len(parts) == 1 and prominent(ctx, name_seg)) else "unsure"
    return [_raw(block, signals(block, False, source), name_seg.page, (name_seg.page, id(name_seg), -11))]


def one_line(seg: Seg, name_like: NameLike, source: str) -> tuple[str, Raw] | None:
    """The name and address of a "Name · street · city" line (the sender's return line over the window, a
    footer's company line), or None."""
    parts = parts_of(seg)
    if len(parts) < 3 or not name_like(parts[0].text):
        return None
    block = read_block(parts[1:], False)
    if block is None or block.streets == 0:
        return None
    return parts[0].text, _raw(block, signals(block, False, source), seg.page, (seg.page, id(seg), -12))


def seller_candidates(ctx: Context, name_segs: list[Seg], buyer_area: set[int], name_like: NameLike) -> list[Raw]:
    """The seller's address without a heading: letterhead, return line and footer, each a separate source.

    Args:
        ctx: the document's working state.
        name_segs: name lines at the top of page 1, the likeliest letterhead first.
        buyer_area: ids of segments in the buyer's block (never the seller's).
        name_like: a predicate on a line's text: whether it reads as a party's name.
    """
    if not ctx.pages:
        return []
    returns = [got for s in ctx.pages[0].segs if id(s) not in buyer_area and 0.08 < s.box.y0 < 0.45
               and s.box.height < 0.015 and (got := one_line(s, name_like, "return")) is not None]
    senders = {loose_text(n) for n, _ in returns}
    # The letterhead whose name the return line repeats, else the likeliest one that has an address under it.
    ordered = [s for s in name_segs if loose_text(parts_of(s)[0].text) in senders] + name_segs[:1]
    out: list[Raw] = []
    name = next(iter(n for n, _ in returns), None)
    for head in ordered:
        found = letterhead(ctx, head, loose_text(parts_of(head)[0].text) in senders)
        if found:
            out.extend(found)
            name = parts_of(head)[0].text
            break
    for n, r in returns:
        if name is None or loose_text(n) != loose_text(name):
            r.signals["prior"] -= 0.4  # a return line naming someone other than the letterhead: less sure
        out.append(r)
    if name is None:
        return out
    for s in ctx.pages[-1].segs:
        if s.box.y0 < _FOOTER or id(s) in buyer_area:
            continue
        if len(parts_of(s)) > 2:
            got = one_line(s, name_like, "footer")
            if got is not None and loose_text(got[0]) == loose_text(name):
                out.append(got[1])
        elif loose_text(s.text) == loose_text(name):
            rows, ended = column(ctx, s, 5)
            block = read_block([Piece(r.text, r.words) for r in rows], ended)
            if block is not None:
                out.append(_raw(block, signals(block, False, "footer"), s.page, (s.page, id(s), -13)))
    return out


def senders(ctx: Context, name_segs: list[Seg], name_like: NameLike) -> set[str]:
    """Loose names of the seller: on return lines over the window, and the letterhead's."""
    out = {loose_text(got[0]) for s in ctx.pages[0].segs if (got := one_line(s, name_like, "return")) is not None} \
        if ctx.pages else set()
    out.update(loose_text(parts_of(s)[0].text) for s in name_segs[:1] if prominent(ctx, s))
    return out


def window(ctx: Context, name_like: NameLike, seller_names: set[str]) -> list[Raw]:
    """The addressee's block in the envelope window when the buyer has no heading: a name line in the upper
    part of page 1 over a complete address, nothing over it but a salutation or the sender's return line."""
    if not ctx.pages:
        return []
    idx = ctx.pages[0]
    for s in idx.segs:
        if not 0.1 <= s.box.y0 <= 0.45 or not name_like(s.text):
            continue
        if loose_text(s.text) in seller_names:
            continue
        rows, ended = column(ctx, s, 6)
        if not rows or rows[0].box.height * 1.25 < s.box.height:
            continue  # a letterhead: the name printed larger than its address
        over = ctx.column(s, s.box, up=True, max_gap=2.0)[:1]
        if over and not (len(parts_of(over[0])) > 2 or _salutation(over[0].text)):
            continue  # a heading or another block over it: not a window
        block = read_block([Piece(r.text, r.words) for r in rows], ended)
        if block is None or not block.complete:
            continue
        sig = signals(block, False, "window")
        sig["prior"] += 0.3 * bool(over)  # under the sender's return line or a salutation: an addressee
        return [_raw(block, sig, 0, (0, id(s), -14))]
    return []


def _salutation(text: str) -> bool:
    return bool(re.match(r"(?i)^(herrn?|frau|firma|familie|mr|mrs|ms|messrs|monsieur|madame|mme|sr|sra|"
                         r"spett\.?le|spettabile|egr\.?|dhr|mevr|de heer)\.?$", text.strip()))


__all__ = ["Block", "Piece", "kind_of", "letterhead", "prominent", "read_block", "seller_candidates", "senders",
           "under_heading", "window"]
