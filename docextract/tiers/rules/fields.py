"""Labelled fields: label cues, values found next to a label, competition between them, the final candidates.

For each wanted field, label cues come from the field's name, its ``labels`` hints and the multilingual
lexicon. Values of the field's kind are looked for after a matching label on the same line, in the next
segment to the right on the same row, or on the line below in the same column. Every candidate carries
signals (label quality, direction, parse quality, competition…) that ``weights.rules_probability`` maps
to a probability. Party fields (``seller.name`` …) live in ``parties``, fields found by position
(``FieldSpec.position``) in ``positional``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from docextract.compare import same_value
from docextract.document import Box, Word
from docextract.result import Candidate, Evidence
from docextract.tiers import lexicon
from docextract.tiers.rules.context import Context, Raw
from docextract.tiers.rules.labels import (
    LabelHit,
    Seg,
    label_tail_is_colon,
    norm_label,
    rest_after,
    words_in_span,
)
from docextract.tiers.rules.values import (
    currency_of_amounts,
    date_after_number,
    glued_value,
    is_id_field,
    looks_like_label,
    read_value,
    title_number,
)
from docextract.tiers.rules.weights import rules_probability

if TYPE_CHECKING:
    from docextract.schema import FieldSpec, SchemaSpec

# "VAT 19 %:", "VAT @ 20%", "IVA al 21%", "TVA à 5,5 %": the rate belongs to the label.
_RATE = re.compile(r"^(?:(?:@|at|à|a|al|zu|van|of)\s*)?\(?\d{1,2}(?:[.,]\d{1,2})?\s?%\)?\s*:?$", re.IGNORECASE)
# "BTW 21% over € 31.465,20", "MwSt. auf 10.684,24": the base the rate applies to; the tax is further right.
_ON_BASE = re.compile(r"^(?:over|auf|on|sur|su|sobre|van|von|de|from)\s+\S*\s*-?[\d.,' ]*\d\s*\S{0,3}\s*:?$",
                      re.IGNORECASE)
_SEPARATOR = re.compile(r"^[·|•●/–-]$|[,;|]$")
_ROUNDED = frozenset({"rounded", "round", "rounding", "arrondi", "gerundet", "redondeado", "arrotondato"})
_BIG_TOTALS = frozenset({"total_gross", "amount_due"})
# Words in a label phrase that say nothing about which field it is ("Steuerbetrag in EUR").
_NEUTRAL = frozenset({"in", "en", "eur", "usd", "gbp", "chf", "aud", "cad", "myr", "rm", "sgd", "the", "this", "for",
                      "der", "die", "des", "du", "de", "la", "le", "del", "a", "zzgl", "zuzuglich", "plus"})


def unlabelled(ctx: Context, f: FieldSpec, found: list[Raw]) -> list[Raw]:
    """Finders that need no label of the field's own: title lines, the currency of all amounts."""
    key = concept_key(f)
    if key == "issue_date" and f.kind == "date":
        return date_after_number(ctx, f)
    if key == "invoice_number" and f.kind == "string":
        return title_number(ctx, f)
    if f.kind == "currency":
        return currency_of_amounts(ctx, f)
    return []


# ---------------------------------------------------------------------------------------------------------
# Cues


def cues(spec: SchemaSpec, f: FieldSpec) -> list[tuple[tuple[str, ...], float]]:
    """Label token lists for a field with a prior weight each, longest first."""
    return list(_cues(f))


@lru_cache(maxsize=1024)
def _cues(f: FieldSpec) -> tuple[tuple[tuple[str, ...], float], ...]:
    out: dict[tuple[str, ...], float] = {}
    concept = lexicon.concept_for(f.path)
    for lab in f.labels:
        out[norm_label(lab)] = 1.0
    if concept is not None:
        for lab in concept.labels:
            out.setdefault(norm_label(lab), 1.0)
    human = norm_label(f.name.replace("_", " "))
    out.setdefault(human, 0.9)
    out.pop((), None)
    return tuple(sorted(out.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def rivals(f: FieldSpec, own: list[tuple[tuple[str, ...], float]]) -> frozenset[str]:
    """Words that, in a label's text, say it belongs to another field."""
    return _rivals(f.path, tuple(own))


@lru_cache(maxsize=1024)
def _rivals(path: str, own: tuple[tuple[tuple[str, ...], float], ...]) -> frozenset[str]:
    own_toks = {t for lab, _ in own for t in lab}
    concept = lexicon.concept_for(path)
    explicit = {t for r in (concept.rivals if concept else ()) for t in norm_label(r)}
    return frozenset((_all_label_tokens() - own_toks) | (explicit - own_toks))


@cache
def _all_label_tokens() -> frozenset[str]:
    return frozenset(t for c in lexicon.CONCEPTS for lab in c.labels for t in norm_label(lab) if len(t) > 2)


def concept_key(f: FieldSpec) -> str | None:
    c = lexicon.concept_for(f.path)
    return c.key if c is not None else None


# ---------------------------------------------------------------------------------------------------------
# Label → value


def field_candidates(ctx: Context, spec: SchemaSpec, f: FieldSpec) -> list[Raw]:
    """Raw candidates for one field from every label occurrence in the document."""
    labels = cues(spec, f)
    rival_words = rivals(f, labels)
    return [r for hit in best_hits(ctx, labels) for r in values_for_hit(ctx, f, hit, rival_words)]


def best_hits(ctx: Context, labels: list[tuple[tuple[str, ...], float]]) -> list[LabelHit]:
    """Label occurrences in the document, longest labels first, never two overlapping in one segment
    (memoised per document: the hits are shared, do not mutate them)."""
    memo = ctx.best_hits(labels)
    if memo is not None:
        return memo
    taken: dict[int, list[tuple[int, int]]] = {}
    out = []
    for lab, weight in labels:
        for hit in ctx.find(lab):
            spans = taken.setdefault(id(hit.seg), [])
            if any(hit.start < e and s < hit.end for s, e in spans):
                continue
            spans.append((hit.start, hit.end))
            out.append(LabelHit(hit.seg, hit.start, hit.end, hit.quality * weight, hit.label))
    ctx.remember_best_hits(labels, out)
    return out


def values_for_hit(ctx: Context, f: FieldSpec, hit: LabelHit, rival_words: frozenset[str]) -> list[Raw]:
    seg = hit.seg
    colon = label_tail_is_colon(seg, hit.end_word)
    # Only the words since the last separator ("·", "|", ",") belong to this label's phrase.
    first_word = seg.owner[hit.start]
    cut = max((i for i in range(first_word) if _SEPARATOR.search(seg.words[i].text)), default=-1)
    before = [t for t, o in zip(seg.tokens[: hit.start], seg.owner[: hit.start], strict=False) if o > cut]
    base = {
        "colon": float(colon),
        "label_start": float(not before),
    }
    if f.kind == "amount" and "%" in seg.words[hit.end_word].text:
        return []  # a rate column ("MwSt-%"), not an amount
    if hit.end < len(seg.tokens) and seg.owner[hit.end] == hit.end_word:
        glued = glued_value(seg, hit.end_word)  # "n°562044387": the value shares the label's word
        val = read_value(f, glued) if glued else None
        if val is None:
            return []
        sig = {**base, "dir_same": 1.0, "glued": 1.0}
        return [_raw(hit, before, rival_words, (val[0], val[1], [seg.words[hit.end_word]], val[4]), sig)]
    rest, offset = rest_after(seg, hit.end_word)
    head, _, tail = rest.partition("%")
    rate = _RATE.match(rest) or (tail and _RATE.match(head + "%") and _ON_BASE.match(tail.strip()))
    if rate or (f.kind == "amount" and _ON_BASE.match(rest)):
        # "VAT 19 %:", "BTW 21% over € 31.465,20": the rate (and base) belong to the label; the value is right
        colon = colon or rest.endswith(":")
        base["colon"] = float(colon)
        base["rate_row"] = 1.0
        rest = ""
    if rest:
        val = read_value(f, rest)
        words = words_in_span(seg, offset + val[2], offset + val[3]) if val is not None else []
        if val is not None and _ghost(words, seg.words[seg.owner[hit.start] : hit.end_word + 1]):
            val, rest = None, ""  # an OCR ghost drawn inside the label's own box, not a value after it
        if val is not None:
            value, raw, s, e, q = val
            extra = [t for t in before + _tokens_before(seg, hit.end, words) if t.isalnum()]
            return [_raw(hit, extra, rival_words, (value, raw, words, q), {**base, "dir_same": 1.0})]
        # Text after the label that is not a value: the label is part of a phrase ("Invoice date: see…").
        if len(rest) > 3 and not colon:
            return []
    # After a rate and its base ("BTW 21% over € 31.465,20") nothing more of the label's phrase follows.
    extra_all = [t for t in (before if "rate_row" in base else before + seg.tokens[hit.end :]) if t.isalnum()]
    rights = ctx.right_of(seg)[:4]
    crowded = False
    if f.kind == "amount":
        amounts = [r for r in rights if read_value(f, r.text) is not None]
        crowded = len(amounts) > 1
        if crowded and concept_key(f) in _BIG_TOTALS:
            rights = amounts[-1:]  # a totals row "net | tax | gross": the grand total is the last column
    # A lone ":" set apart from its label ("Total  :  9.00") is the label's colon, not a segment in the way.
    if rights and not any(ch.isalnum() for ch in rights[0].text):
        colon = True
        base["colon"] = 1.0
        rights = rights[1:]
    for right in rights[:2]:
        val = read_value(f, right.text)
        if val is not None:
            value, raw, s, e, q = val
            words = words_in_span(right, s, e)
            gap = (right.box.x0 - seg.box.x1) / max(seg.box.height, 1e-6) / 3
            sig = {**base, "dir_right": 1.0, "gap": min(gap, 3.0), "crowded": float(crowded)}
            return [_raw(hit, extra_all, rival_words, (value, raw, words, q), sig)]
        if looks_like_label(right.text):
            break
    if rest and not colon:
        return []
    if f.kind == "amount" and len(ctx.right_of(seg)) + _row_len_left(ctx, seg) + _header_words(seg, hit) >= 2:
        return []  # a column header of a table ("QTY ITEM PRICE TOTAL"): the value below is a line item
    for below in ctx.below(seg, hit.box):
        val = read_value(f, below.text)
        if val is None:
            continue
        value, raw, s, e, q = val
        words = words_in_span(below, s, e)
        gap = (below.box.y0 - seg.box.y1) / max(seg.box.height, 1e-6)
        sig = {**base, "dir_below": 1.0, "gap": max(0.0, gap)}
        return [_raw(hit, extra_all, rival_words, (value, raw, words, q), sig)]
    return _above(ctx, f, hit, extra_all, rival_words, base)


def _above(ctx: Context, f: FieldSpec, hit: LabelHit, extra: list[str], rival_words: frozenset[str],
           base: dict[str, float]) -> list[Raw]:
    """A small caption under its value, as in boxed forms: the nearest segment over the label."""
    seg = hit.seg
    over = ctx.column(seg, hit.box, up=True, max_gap=1.2)[:1]
    if not over or over[0].box.height < 0.9 * seg.box.height or looks_like_label(over[0].text):
        return []
    val = read_value(f, over[0].text)
    if val is None:
        return []
    value, raw, s, e, q = val
    words = words_in_span(over[0], s, e)
    gap = (seg.box.y0 - over[0].box.y1) / max(seg.box.height, 1e-6)
    return [_raw(hit, extra, rival_words, (value, raw, words, q), {**base, "dir_above": 1.0, "gap": max(0.0, gap)})]


def _header_words(seg: Seg, hit: LabelHit) -> int:
    """Words of the label's own segment outside the label: other column headers run into one segment."""
    return sum(1 for i, t in enumerate(seg.tokens) if not hit.start <= i < hit.end and t.isalpha() and len(t) > 1)


def _row_len_left(ctx: Context, seg: Seg) -> int:
    idx = ctx.pages[seg.page]
    row = idx.rows[idx.row_of[id(seg)]]
    return sum(1 for s in row if s.box.x1 <= seg.box.x0 + 1e-6)


def _tokens_before(seg: Seg, end: int, words: list[Word]) -> list[str]:
    """Tokens between the label and the value."""
    if not words:
        return []
    first = next(i for i, w in enumerate(seg.words) if w is words[0])
    return [t for t, o in zip(seg.tokens[end:], seg.owner[end:], strict=False) if o < first]


def _raw(hit: LabelHit, extra: list[str], rival_words: frozenset[str], found: tuple[Any, str, list[Word], float],
         sig: dict[str, float]) -> Raw:
    value, raw, words, quality = found
    seg = hit.seg
    n = hit.end - hit.start
    rated = any(t.isdigit() for t in extra)  # "zzgl. 19 % MwSt.": the "%" is the rate's, not a rate column's
    extra = [t for t in extra if not t.isdigit() and t not in _NEUTRAL and not (rated and t == "%")]
    coverage = n / (n + len(extra))
    sig["label"] = hit.quality * coverage**1.5
    sig["parse"] = quality
    if quality < 0.6:
        sig["parse_weak"] = 1.0  # e.g. a VAT id or IBAN whose checksum fails
    if any(t in rival_words for t in extra):
        sig["rival"] = 1.0
    conf = min((w.confidence for w in words), default=1.0)
    sig["ocr"] = conf - 1.0
    phrase = tuple(extra) + hit.label
    return Raw(value, raw, seg.page, words, sig, (seg.page, id(seg), hit.start), phrase, hit.box)


# ---------------------------------------------------------------------------------------------------------
# Competition and the final candidates


def finish(f: FieldSpec, raws: list[Raw]) -> list[Candidate]:
    """Group raw candidates by value, add support/conflict/prior signals, keep the best per value."""
    if not raws:
        return []
    concept = lexicon.concept_for(f.path)
    if f.kind == "amount" and concept is not None and concept.key in _BIG_TOTALS:
        _total_priors(raws)
    groups: list[list[Raw]] = []
    for r in raws:
        for g in groups:
            if same_value(g[0].value, r.value):
                g.append(r)
                break
        else:
            groups.append([r])
    bests = []
    for g in groups:
        g.sort(key=lambda r: -r.prob)
        votes = len({r.hit_key for r in g if r.prob > 0.3})
        bests.append((g[0], votes))
    out = []
    for best, votes in bests:
        rival_p = max((b.prob for b, _ in bests if b is not best), default=0.0)
        sig = dict(best.signals)
        # Other label occurrences agreeing add support; a find that has none (or is weak itself) loses nothing.
        sig["support"] = max(sig.get("support", 0.0), float(min(max(votes - 1, 0), 2)))
        if rival_p > 0:
            sig["conflict"] = min(1.0, rival_p / max(best.prob, 1e-6)) * rival_p
        prose = f.kind in ("string", "text") and not is_id_field(f) and "positional" not in sig
        if prose and any(w.confidence < 1.0 for w in best.words):
            sig["ocr_text"] = 1.0
        score = rules_probability(sig)
        box = Box.enclosing(w.box for w in best.words) if best.words else None
        out.append(Candidate(
            path=f.path, value=best.value, raw=best.raw, score=round(score, 4), source="rules",
            evidence=(Evidence(page=best.page, box=(box.x0, box.y0, box.x1, box.y1) if box else None, text=best.raw),),
            signals={k: round(v, 4) for k, v in sig.items()},
        ))
    out.sort(key=lambda c: -c.score)
    return out[:3]


def _total_priors(raws: list[Raw]) -> None:
    """The grand total is the largest of the totals and sits low on the last pages."""
    vals = [r.value for r in raws if isinstance(r.value, (int, float)) or hasattr(r.value, "as_tuple")]
    if not vals:
        return
    rounded = [r for r in raws if _ROUNDED & set(r.label_words)]
    near = [r for r in raws if r.box is not None and any(_cash_rounded(r.value, x.value) for x in raws)]
    if near and not rounded:  # "Total incl GST 186.21 / Rounding -0.01 / Total 186.20": the later one is paid
        rounded = [max(near, key=lambda r: (r.page, r.box.y0 if r.box else 0.0))]
    top = max(abs(v) for v in vals)
    for r in raws:
        try:
            r.signals["prior"] = 0.4 if abs(r.value) == top else -0.8
            # Cash rounding: "Total 30.91" then "Total rounded 30.90": the rounded one is what was paid.
            if rounded and any(abs(abs(r.value) - abs(x.value)) < Decimal("0.05") for x in rounded):
                r.signals["prior"] = 0.6 if r in rounded else -1.0
        except TypeError:
            continue


def _cash_rounded(a: Any, b: Any) -> bool:
    try:
        return bool(0 < abs(abs(a) - abs(b)) < Decimal("0.05"))
    except TypeError:
        return False


def _ghost(words: list[Word], label: list[Word]) -> bool:
    """Whether a value word lies mostly inside a label word's box (OCR read one glyph run twice)."""
    for w in words:
        area = max(w.box.width * w.box.height, 1e-9)
        for lw in label:
            ix = min(w.box.x1, lw.box.x1) - max(w.box.x0, lw.box.x0)
            iy = min(w.box.y1, lw.box.y1) - max(w.box.y0, lw.box.y0)
            if ix > 0 and iy > 0 and ix * iy > 0.5 * area:
                return True
    return False
