"""VAT ids of the parties: which printed VAT id is the seller's, which the buyer's.

Every labelled VAT id on the page is a candidate for both parties; where it is printed decides whose it is:

- under a party heading ("Verkäufer", "Bill to", "Adresse du client") in the same column, within a short
  reach and with no other party heading in between: that party's;
- in the footer (the seller's company line, bank details, registration): the seller's;
- otherwise, when it is the only VAT id of the document: the seller's, weakly (a buyer's VAT id is printed
  only next to the seller's, on cross-border or reverse-charge invoices);
- a second, distinct VAT id printed in the buyer's address block (under the addressee in the window)
  while the seller's is accounted for: the buyer's.

Headings are matched against the party's own labels only (the lexicon's and the schema's hints of that
party's field), so a label of one party never anchors the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docextract.document import Box
from docextract.tiers import lexicon
from docextract.tiers.rules.context import Context, Raw
from docextract.tiers.rules.labels import LabelHit, norm_label, rest_after

if TYPE_CHECKING:
    from docextract.schema import FieldSpec, SchemaSpec

PARTIES = ("seller", "buyer")
_REACH = 0.3  # a heading anchors what is printed at most this far (page heights) under it
_COLUMN = 0.2  # … and whose left edge is at most this far (page widths) from the heading's
_FOOTER = 0.85  # page heights: below this, a VAT id is in the footer's company lines
_POSTCODE = re.compile(r"\b\d{4,5}\b|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\b\d{4} ?[A-Z]{2}\b")


@dataclass(frozen=True, slots=True)
class Heading:
    """A party heading: which party, on which page, where."""

    party: str
    page: int
    box: Box


def vat_candidates(ctx: Context, spec: SchemaSpec, f: FieldSpec, party: str) -> list[Raw]:
    """Candidates for a party's VAT id field (``seller.vat_id``, ``buyer.vat_id``).

    Args:
        ctx: the document's working state.
        spec: the schema (its party fields' label hints anchor headings).
        f: the VAT id field of ``party``.
        party: "seller" or "buyer".

    Returns:
        Raw candidates, each with a ``prior`` saying how sure the assignment to ``party`` is.
    """
    from docextract.tiers.rules.fields import field_candidates

    raws = [r for r in field_candidates(ctx, spec, f) if r.words]
    if not raws:
        return []
    heads = headings(ctx, spec)
    owner = [_owner(r, heads) for r in raws]
    values = _distinct(raws)
    seller_values = {_key(r.value) for r, o in zip(raws, owner, strict=True) if o in ("seller", "footer")}
    out = []
    for r, o in zip(raws, owner, strict=True):
        prior = r.signals.get("prior", 0.0)
        if o == party:
            prior += 0.3
        elif o == "footer" and party == "seller":
            prior += 0.2
        elif o is None and party == "seller" and len(values) == 1:
            prior -= 0.4  # the only VAT id, with no heading: usually the seller's
        elif o is None and party == "buyer" and len(values) == 2 and seller_values \
                and _key(r.value) not in seller_values and _in_buyer_block(ctx, r):
            prior -= 0.6  # a second VAT id, in the addressee's block: whose it is was inferred, not read
            r.signals["positional"] = 1.0
        else:
            continue
        r.signals["prior"] = prior
        out.append(r)
    return out


def headings(ctx: Context, spec: SchemaSpec) -> list[Heading]:
    """Party headings of the document: a party label that opens its segment, followed by little or no text."""
    from docextract.tiers.rules.fields import best_hits

    out: list[Heading] = []
    for party in PARTIES:
        for hit in best_hits(ctx, _labels(spec, party)):
            if _is_heading(hit):
                out.append(Heading(party, hit.seg.page, hit.box))
    # A segment read as a heading of both parties ("Client" is also in "Client / Supplier" lists) is neither.
    both = {(h.page, h.box) for h in out if h.party == "seller"} & {(h.page, h.box) for h in out if h.party == "buyer"}
    return [h for h in out if (h.page, h.box) not in both]


def _labels(spec: SchemaSpec, party: str) -> list[tuple[tuple[str, ...], float]]:
    labels = {norm_label(x) for x in lexicon.BY_KEY[party].labels}
    for name, info in spec.model.model_fields.items():
        concept = lexicon.concept_for(name)
        if concept is None or concept.key != party:
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        hints = extra.get("labels", ())
        if isinstance(hints, (list, tuple)):
            labels.update(norm_label(str(x)) for x in hints)
    labels.discard(())
    return sorted(((lab, 1.0) for lab in labels), key=lambda kv: (-len(kv[0]), kv[0]))


def _is_heading(hit: LabelHit) -> bool:
    seg = hit.seg
    if hit.start != 0 or len(seg.tokens) - (hit.end - hit.start) > 3:
        return False
    rest, _ = rest_after(seg, hit.end_word)
    return not any(ch.isdigit() for ch in rest)  # "Customer: 2041" is a number, not a heading


def _owner(r: Raw, heads: list[Heading]) -> str | None:
    """"seller", "buyer" (by heading), "footer", or None."""
    box = r.label_box or r.box
    assert box is not None
    best: tuple[float, str] | None = None
    for h in heads:
        dy = box.y0 - h.box.y0
        if h.page != r.page or dy < -1e-6 or dy > _REACH or abs(h.box.x0 - box.x0) > _COLUMN:
            continue
        if best is None or dy < best[0]:
            best = (dy, h.party)
    if best is not None:
        return best[1]
    return "footer" if box.y0 > _FOOTER else None


def _in_buyer_block(ctx: Context, r: Raw) -> bool:
    """Whether the VAT id closes an address block (a postcode line a few lines over it, in its column) in
    the upper half of page 1, where the addressee of a windowed letter is printed."""
    box = r.label_box or r.box
    if box is None or r.page != 0 or not 0.1 <= box.y0 <= 0.5:
        return False
    here = next((s for s in ctx.pages[0].segs if id(s) == r.hit_key[1]), None)  # the label's segment
    if here is None:
        return False
    over = ctx.column(here, here.box, up=True, max_gap=2.0)[:4]
    return len(over) >= 2 and any(_POSTCODE.search(s.text) for s in over)


def _distinct(raws: list[Raw]) -> set[str]:
    return {_key(r.value) for r in raws}


def _key(value: object) -> str:
    return "".join(ch for ch in str(value).upper() if ch.isalnum())


__all__ = ["headings", "vat_candidates"]
