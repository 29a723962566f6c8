"""Party fields: the seller's and the buyer's name, address and VAT id.

A party is anchored by its label ("Bill to", "Verkäufer", "Fournisseur" …): its name is the value after
the label or the first name-like line under it; its VAT id is the one whose nearest party anchor above
(same column) is its own. The seller without an anchor is the letterhead: the most prominent line at
the top of page 1. These finds are weaker than a labelled value, and are scored so.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from docextract.compare import loose_text
from docextract.tiers import lexicon
from docextract.tiers.rules import names
from docextract.tiers.rules.context import Context, Raw
from docextract.tiers.rules.fields import best_hits, field_candidates
from docextract.tiers.rules.labels import LabelHit, Seg, label_tail_is_colon, norm_label, rest_after

if TYPE_CHECKING:
    from docextract.schema import FieldSpec, SchemaSpec

_PARTIES = ("seller", "buyer")
_LEGAL_FORM = re.compile(
    r"\b(GmbH|AG|KG|OHG|UG|e\.K\.|Ltd|Limited|LLC|Inc|Corp|PLC|LLP|B\.?V\.?|N\.?V\.?|S\.?A\.?S?|SARL|S\.?L\.?|"
    r"S\.?r\.?l\.?|S\.?p\.?A\.?|Oy|AB|A/S|ApS|Sdn\.? Bhd|Bhd|Pte|Co\.|Company|GmbH & Co\. KG|"
    r"GMBH|LTD|LIMITED|INC|CORP|SDN\.? BHD|BHD|COMPANY)\b\.?",
)
_CONTACT = re.compile(r"(?i)\b(tel|phone|fax|e-?mail|www\.|http|@|telefon|t[eé]l[eé]phone|mobil)")
# A heading's value to its right sits close by; far over, it is another column ("Customer:  …  Credit Note No: 7").
_NEAR = 0.15
_NAME_GAP = 3.0  # line heights: the rest of a name set apart by a wide space, not another column
_LABELLED = re.compile(r"\w[:#]\s*\S*\d")  # "Credit Note No: CN-885": a labelled number, not a name
# A salutation or "care of" line over the addressee's name: "Herrn", "Firma", "Spett.le", "Attn".
_SALUTATION = frozenset({"herrn", "herr", "frau", "firma", "familie", "fam", "mr", "mrs", "ms", "miss", "messrs",
                         "monsieur", "madame", "mme", "m", "mm", "sr", "sra", "sres", "srs", "don", "dona",
                         "spett", "spettabile", "sig", "sigra", "egr", "gentile", "dhr", "mevr", "heer",
                         "mevrouw", "de", "le", "la", "to", "an", "a", "al", "aan", "z", "hd", "c", "o", "attn"})
_NAME_LABEL = frozenset({("name",), ("nom",), ("nombre",), ("nome",), ("naam",), ("firma",), ("company",)})
# Page heights: the letterhead is printed above _LETTERHEAD on page 1, the footer below _FOOTER.
_LETTERHEAD = 0.25
_FOOTER = 0.85


def party_of(spec: SchemaSpec, f: FieldSpec) -> str | None:
    """"seller" or "buyer" when the field belongs to (or is) a party."""
    parts = f.path.split(".")
    for part in reversed(parts[:-1] if len(parts) > 1 else parts):
        c = lexicon.concept_for(part)
        if c is not None and c.key in _PARTIES:
            return c.key
    return None


def is_party_field(spec: SchemaSpec, f: FieldSpec) -> bool:
    return party_of(spec, f) is not None and f.kind in ("string", "text", "vat_id")


def _anchor_labels(spec: SchemaSpec, party: str, path: str) -> list[tuple[tuple[str, ...], float]]:
    labels = {norm_label(x) for x in lexicon.BY_KEY[party].labels}
    parent = path.split(".", maxsplit=1)[0]
    info = spec.model.model_fields.get(parent)
    extra = info.json_schema_extra if info is not None and isinstance(info.json_schema_extra, dict) else {}
    for lab in extra.get("labels", ()) or ():  # type: ignore[union-attr]
        labels.add(norm_label(str(lab)))
    labels.discard(())
    return sorted(((lab, 1.0) for lab in labels), key=lambda kv: (-len(kv[0]), kv[0]))


def anchors(ctx: Context, spec: SchemaSpec, path: str) -> dict[str, list[LabelHit]]:
    """Party label occurrences per party: labels that stand alone on their segment (a heading)."""
    out: dict[str, list[LabelHit]] = {p: [] for p in _PARTIES}
    for party in _PARTIES:
        labels = _anchor_labels(spec, party, path)
        for hit in best_hits(ctx, labels):
            extra = len(hit.seg.tokens) - (hit.end - hit.start)
            rest, _ = rest_after(hit.seg, hit.end_word)
            # A heading ("Bill to:") or a label with the name after it; "Customer: 2" is a number, not a party.
            if hit.start == 0 and extra <= 3 and (not rest or _name_like(rest)):
                out[party].append(hit)
    return out


def party_candidates(ctx: Context, spec: SchemaSpec, f: FieldSpec) -> list[Raw]:
    party = party_of(spec, f)
    assert party is not None
    found = anchors(ctx, spec, f.path)
    own = found[party]
    buyer_area = {id(s) for hit in found["buyer"] for s in [hit.seg, *_column_under(ctx, hit.seg, 6)]}
    if f.name == "address" and f.kind in ("string", "text"):
        return _address(ctx, party, found, buyer_area)
    if f.kind == "vat_id" or (f.name != "name" and f.kind != "text" and f.path.count(".") > 0):
        return _assigned(ctx, spec, f, found, party)
    raws = [r for hit in own for r in _name_under(ctx, f, hit)]
    if party == "seller":
        raws.extend(r for r in _letterhead(ctx) if r.hit_key[1] not in buyer_area)
    elif not own:
        raws.extend(_window(ctx))
    return raws


def _name_under(ctx: Context, f: FieldSpec, hit: LabelHit) -> list[Raw]:
    seg = hit.seg
    rest, _ = rest_after(seg, hit.end_word)
    base = {"label": hit.quality, "parse": 0.7, "label_start": 1.0}
    if rest and sum(ch.isalpha() for ch in rest) >= 3 and label_tail_is_colon(seg, hit.end_word):
        return [Raw(rest.strip(), rest.strip(), seg.page, seg.words[hit.end_word + 1 :],
                    {**base, "dir_same": 1.0}, (seg.page, id(seg), hit.start))]
    right = [r for r in ctx.right_of(seg)[:1] if r.box.x0 - seg.box.x1 < _NEAR and not _LABELLED.search(r.text)]
    if right and _name_like(right[0].text) and hit.end_word == len(seg.words) - 1 and not _is_party_label(right[0]):
        r = right[0]
        return [Raw(r.text.strip(), r.text, seg.page, r.words,
                    {**base, "dir_right": 1.0, "colon": float(seg.text.rstrip().endswith(":"))},
                    (seg.page, id(seg), hit.start))]
    under = _column_under(ctx, seg, 6)
    for depth, line in enumerate(under):
        toks = tuple(line.tokens[:1])
        if toks in _NAME_LABEL:
            after, _ = rest_after(line, 0)
            target = after or next((s.text for s in ctx.right_of(line)[:1]), "")
            if target:
                words = line.words[1:] if after else ctx.right_of(line)[0].words
                return [Raw(target.strip(), target.strip(), seg.page, words,
                            {**base, "dir_below": 1.0, "gap": 0.5 * depth, "prior": 0.3},
                            (seg.page, id(seg), hit.start))]
            continue
        if not _name_like(line.text) or (names.is_contact_line(line.text) and not names.has_legal_form(line.text)):
            continue  # "Einkauf ATTN …", "z. Hd. …": the company is on another line of the block
        prior = 0.4 if _LEGAL_FORM.search(line.text) else 0.0
        key = (seg.page, id(seg), hit.start)
        out = _whole(ctx, line, {**base, "dir_below": 1.0, "gap": 0.5 * depth, "prior": prior}, key)
        if not names.has_legal_form(line.text):
            # A person or department over the company line ("Hans Muster" / "Muster AG"): the company is the party.
            for k, nxt in enumerate(under[depth + 1 : depth + 3], start=depth + 1):
                if "name_street" in names.name_flags(nxt.text) or not _name_like(nxt.text):
                    break
                if names.has_legal_form(nxt.text):
                    out[0].signals["name_contact"] = 1.0
                    out.extend(_whole(ctx, nxt, {**base, "dir_below": 1.0, "gap": 0.5 * k, "prior": 0.4}, key))
                    break
        return out
    return []


def _whole(ctx: Context, seg: Seg, sig: dict[str, float], key: tuple[int, int, int]) -> list[Raw]:
    """The name on ``seg``, and, where the name goes on past it (the rest of its line set apart by a wide
    space, or a company name wrapped onto the line under it, ending in its legal form), the whole name as
    a second candidate; the part then carries ``name_cut``."""
    one = Raw(seg.text.strip(), seg.text, seg.page, seg.words, dict(sig), key)
    nxt = _rest_of_name(ctx, seg)
    if nxt is None:
        return [one]
    text = f"{seg.text.strip()} {nxt.text.strip()}"
    one.signals["name_cut"] = 1.0
    return [one, Raw(text, text, seg.page, [*seg.words, *nxt.words], dict(sig), key)]


def _rest_of_name(ctx: Context, seg: Seg) -> Seg | None:
    """The segment that continues the name on ``seg``, or None (see ``_whole``)."""
    h = max(seg.box.height, 1e-6)
    page = ctx.doc.pages[seg.page] if seg.page < len(ctx.doc.pages) else None
    aspect = page.height / page.width if page is not None and page.width else 1.0
    # Past the layout's cut (1.2 line heights) but well short of a column gap.
    right = next((r for r in ctx.right_of(seg)[:1] if r.box.x0 - seg.box.x1 < _NAME_GAP * h * aspect), None)
    if right is not None and not names.has_legal_form(seg.text) and not any(ch.isdigit() for ch in right.text) \
            and _name_like(right.text) \
            and not _is_party_label(right) and not names.name_flags(right.text):
        return right
    below = _column_under(ctx, seg, 1)
    nxt = below[0] if below and below[0].box.y0 - seg.box.y1 < 0.6 * h else None
    if nxt is None or names.has_legal_form(seg.text) or not names.has_legal_form(nxt.text) \
            or abs(nxt.box.height - h) > 0.15 * h or not _name_like(nxt.text) or names.name_flags(nxt.text):
        return None
    return nxt


def _name_like(text: str) -> bool:
    t = text.strip()
    first = norm_label(" ".join(t.split()[:2]))
    vocab = _label_vocab()
    if first and (first[0] in vocab or all(tok in vocab or len(tok) < 3 for tok in first)):
        return False  # a label ("Invoice date", "N° de facture"), not a name
    letters = sum(ch.isalpha() for ch in t)
    digits = sum(ch.isdigit() for ch in t)
    if re.match(r"\d+[a-zA-Z]?\s", t):
        return False  # "58 rue de la mer": a street line, not a name
    if t[:1] in "([*" or t.startswith(("ATTN", "Attn")):
        return False  # a remark or an attention line, not a name
    if all(tok in _SALUTATION for tok in norm_label(t)):
        return False  # "Herrn", "Firma", "Spett.le": the name is on the next line
    return letters >= 3 and digits <= letters / 3 and not t.endswith(":") and not _CONTACT.search(t) \
        and not re.match(r"(?i)^(gln|ust|vat|tva|iva|btw|nif|siren|siret|id)\b", t)


def _is_party_label(seg: Seg) -> bool:
    """A heading of the other party beside this one ("Lieferant | Käufer"), not a name."""
    return tuple(t for t in seg.tokens if t.isalnum()) in _party_labels()


@cache
def _party_labels() -> frozenset[tuple[str, ...]]:
    return frozenset(norm_label(lab) for p in _PARTIES for lab in lexicon.BY_KEY[p].labels)


@cache
def _label_vocab() -> frozenset[str]:
    """Words of non-party labels: a line starting with one is a labelled field, not a name."""
    return frozenset(t for c in lexicon.CONCEPTS if c.key not in _PARTIES for lab in c.labels
                     for t in norm_label(lab) if len(t) > 2)


def _column_under(ctx: Context, seg: Seg, n: int) -> list[Seg]:
    """Up to ``n`` segments under ``seg``, left-aligned with it, stopping at a wide vertical gap."""
    idx = ctx.pages[seg.page]
    r = idx.row_of[id(seg)]
    out: list[Seg] = []
    last = seg
    for row in idx.rows[r + 1 :]:
        match = [s for s in row if abs(s.box.x0 - seg.box.x0) < 0.03 or
                 (s.box.x0 >= seg.box.x0 - 0.01 and s.box.x0 < seg.box.x1 and s.box.horizontal_overlap(seg.box) > 0.5)]
        if not match:
            continue
        s = match[0]
        if s.box.y0 - last.box.y1 > 2.5 * max(last.box.height, 1e-6):
            break
        out.append(s)
        last = s
        if len(out) >= n:
            break
    return out


def _address(ctx: Context, party: str, found: dict[str, list[LabelHit]], buyer_area: set[int]) -> list[Raw]:
    """A party's postal address (``address``): under its heading; the seller's also from its letterhead,
    return line and footer; the buyer's, with no heading, from the address window."""
    from docextract.tiers.rules import address

    raws = [r for hit in found[party] for r in address.under_heading(ctx, hit, _name_like)]
    names = [s for s in _letterhead_lines(ctx) if id(s) not in buyer_area]
    if party == "seller":
        if not found["seller"]:
            raws.extend(address.seller_candidates(ctx, names, buyer_area, _name_like))
        return raws
    if not raws:  # no heading, or only one that is no address block ("Klantnummer:"): the window
        theirs = {loose_text(r.value) for r in address.seller_candidates(ctx, names, buyer_area, _name_like)
                  if r.prob >= 0.5}
        senders = address.senders(ctx, names, _name_like)
        raws.extend(r for r in address.window(ctx, _name_like, senders) if loose_text(r.value) not in theirs)
    return raws


def _letterhead_lines(ctx: Context) -> list[Seg]:
    """Name lines at the top of page 1 that carry a legal form or are the most prominent, highest first."""
    if not ctx.pages:
        return []
    top = [s for s in ctx.pages[0].segs if s.box.y1 < _LETTERHEAD and _name_like(s.text.split(" · ")[0])]
    tallest = max((s.box.height for s in top), default=0.0)
    return sorted((s for s in top if _LEGAL_FORM.search(s.text) or s.box.height >= 0.95 * tallest),
                  key=lambda s: s.box.y0)


def _letterhead(ctx: Context) -> list[Raw]:
    """The seller by position: prominent or legal-form name lines at the top of page 1, strongest when the
    same name comes back elsewhere (the footer's company line, the return address over the window)."""
    if not ctx.pages:
        return []
    top = [s for s in ctx.pages[0].segs if s.box.y1 < _LETTERHEAD and _name_like(s.text)]
    tallest = max((s.box.height for s in top), default=0.0)
    everywhere = [x.text for idx in ctx.pages for x in idx.segs]
    out = []
    for s in top:
        legal = _LEGAL_FORM.search(s.text) is not None
        prominent = s.box.height >= 0.95 * tallest
        if not (legal or prominent):
            continue
        name = s.text.strip()
        repeated = sum(name in t for t in everywhere) > 1
        prior = 0.8 * legal + 0.6 * prominent + 1.2 * repeated - 0.3 * (s.box.y0 > 0.12)
        out.append(Raw(name, s.text, s.page, s.words, {"positional": 1.0, "parse": 0.7, "prior": prior,
                                                       "label": 0.6, "repeated": float(repeated)},
                       (s.page, id(s), 0)))
    # The footer's company line ("Nordwind GmbH · Geschäftsführer … · USt-IdNr …"): its first part.
    for s in ctx.pages[-1].segs:
        name = re.split(r"\s+[·|•–-]\s+|,\s", s.text.strip())[0]
        if s.box.y0 > _FOOTER and _LEGAL_FORM.search(name) and _name_like(name) and len(name) < 60:
            repeated = sum(name in t for t in everywhere) > 1
            words = s.words[: len(name.split())]
            out.append(Raw(name, name, s.page, words, {"positional": 1.0, "parse": 0.7, "label": 0.6,
                                                       "prior": 0.6 + 1.2 * repeated, "repeated": float(repeated)},
                           (s.page, id(s), 0)))
    return out


_POSTCODE = re.compile(r"\b\d{4,5}\b|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")


def _window(ctx: Context) -> list[Raw]:
    """The buyer without a heading: the name opening the address block in the envelope window."""
    if not ctx.pages:
        return []
    idx = ctx.pages[0]
    for s in idx.segs:
        if not (0.1 <= s.box.y0 <= 0.4 and s.box.x0 < 0.5) or not _name_like(s.text):
            continue
        under = _column_under(ctx, s, 3)
        if len(under) < 2 or not any(_POSTCODE.search(u.text) for u in under[:3]):
            continue
        if under[0].box.height > 1.25 * s.box.height:
            continue  # a small return-address line over the window, not the addressee
        legal = _LEGAL_FORM.search(s.text) is not None
        return [Raw(s.text.strip(), s.text, 0, s.words, {"positional": 1.0, "parse": 0.7, "label": 0.5,
                                                         "prior": 0.6 + 0.6 * legal, "window": 1.0},
                    (0, id(s), 0))]
    return []


def _assigned(ctx: Context, spec: SchemaSpec, f: FieldSpec, found: dict[str, list[LabelHit]], party: str) -> list[Raw]:
    """Labelled values (VAT ids …) given to the party whose anchor is nearest above, in the same column."""
    own, other = found[party], found["buyer" if party == "seller" else "seller"]
    out = []
    for r in field_candidates(ctx, spec, f):
        if not r.words:
            continue
        box = r.words[0].box
        mine = _nearest_above(own, r.page, box.y0, box.x0)
        theirs = _nearest_above(other, r.page, box.y0, box.x0)
        if mine is not None and (theirs is None or mine < theirs):
            r.signals["prior"] = r.signals.get("prior", 0.0) + 0.3
        elif theirs is not None and (mine is None or theirs < mine):
            continue
        elif party == "seller":
            # Unanchored: a footer's VAT id is the seller's; elsewhere it is anyone's guess.
            r.signals["prior"] = r.signals.get("prior", 0.0) + (0.2 if box.y0 > _FOOTER else -0.4)
        else:
            continue
        out.append(r)
    return out


def _nearest_above(hits: list[LabelHit], page: int, y: float, x: float) -> float | None:
    dists = [y - h.box.y0 for h in hits if h.seg.page == page and h.box.y0 <= y + 1e-6 and abs(h.box.x0 - x) < 0.25]
    return min(dists) if dists else None


__all__ = ["anchors", "is_party_field", "party_candidates", "party_of"]
