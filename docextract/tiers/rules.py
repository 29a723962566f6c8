"""The rules tier: schema-guided label/value matching on the page words (CPU, no model).

For each wanted field, label cues come from the field's name, its ``labels`` hints and the multilingual
lexicon. Values of the field's kind are looked for after a matching label on the same line, in the next
segment to the right on the same row, or on the line below in the same column. Every candidate carries
signals (label quality, direction, parse quality, competition…) that ``scoring.rules_probability`` maps
to a probability. Party fields (``seller.name`` …) and position-only fields live in ``rules_parties``.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from docextract import scoring
from docextract.document import Box, Document, Word
from docextract.layout.heuristic import rows_of
from docextract.result import Candidate, Evidence, Issue
from docextract.tiers import lexicon
from docextract.tiers.rules_text import (
    LabelHit,
    Seg,
    close_tokens,
    find_label,
    label_tail_is_colon,
    make_seg,
    norm_label,
    rest_after,
    words_in_span,
)

if TYPE_CHECKING:
    from docextract.options import ExtractOptions
    from docextract.schema import FieldSpec, SchemaSpec

_TYPED = frozenset({"date", "amount", "number", "integer", "percent", "currency", "iban", "vat_id"})
_ID_WORDS = re.compile(r"(^|_)(number|no|nr|num|id|code|ref|reference|key)($|_)")
_CURRENCY_PREFIX = re.compile(r"^(?:[A-Z]{3}|[€$£¥₹]|CHF|Fr\.|SFr\.|\()\s*$")
_ID_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/._]*[A-Za-z0-9]$|^[0-9]$")
_RATE = re.compile(r"^\(?\d{1,2}(?:[.,]\d{1,2})?\s?%\)?\s*:?$")
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_SEPARATOR = re.compile(r"^[·|•●/–-]$|[,;|]$")
_ROUNDED = frozenset({"rounded", "round", "rounding", "arrondi", "gerundet", "redondeado", "arrotondato"})
_BIG_TOTALS = frozenset({"total_gross", "amount_due"})


@dataclass(slots=True)
class PageIndex:
    """The segments of one page, with their rows."""

    segs: list[Seg]
    rows: list[list[Seg]]
    row_of: dict[int, int] = field(default_factory=dict)  # id(seg) → row index


class Context:
    """Per-document working state shared by the field finders."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.pages: list[PageIndex] = []
        for page in doc.pages:
            lines = page.lines or []
            rows = [[make_seg(page.index, ln) for ln in row] for row in rows_of(lines)]
            idx = PageIndex([s for r in rows for s in r], rows)
            for i, r in enumerate(rows):
                for s in r:
                    idx.row_of[id(s)] = i
            self.pages.append(idx)
        # token → [(seg, position)], and tokens bucketed by first letter for one-edit lookups
        self._where: dict[str, list[tuple[Seg, int]]] = {}
        for idx in self.pages:
            for seg in idx.segs:
                for i, tok in enumerate(seg.tokens):
                    self._where.setdefault(tok, []).append((seg, i))
        self._vocab: dict[str, list[str]] = {}
        for tok in self._where:
            if len(tok) >= 4:
                self._vocab.setdefault(tok[0], []).append(tok)
        self._hits: dict[tuple[str, ...], list[LabelHit]] = {}

    def find(self, label: tuple[str, ...]) -> list[LabelHit]:
        """Every occurrence of ``label`` in the document (cached; hits are shared, do not mutate)."""
        got = self._hits.get(label)
        if got is None:
            starts: dict[int, tuple[Seg, list[int]]] = {}
            for tok in close_tokens(label[0], self._vocab):
                for seg, i in self._where.get(tok, ()):
                    starts.setdefault(id(seg), (seg, []))[1].append(i)
            got = [h for seg, pos in starts.values() for h in find_label(seg, label, sorted(pos))]
            self._hits[label] = got
        return got

    def right_of(self, seg: Seg) -> list[Seg]:
        idx = self.pages[seg.page]
        row = idx.rows[idx.row_of[id(seg)]]
        return [s for s in row if s.box.x0 >= seg.box.x1 - 1e-6]

    def below(self, seg: Seg, box: Box, max_rows: int = 2) -> list[Seg]:
        """Segments on the next rows under ``box``, overlapping it horizontally or left-aligned with it."""
        idx = self.pages[seg.page]
        r = idx.row_of[id(seg)]
        h = seg.box.height
        out: list[Seg] = []
        for row in idx.rows[r + 1 : r + 1 + max_rows]:
            for s in row:
                if s.box.y0 - seg.box.y1 > 2.5 * h:
                    return out
                aligned = abs(s.box.x0 - box.x0) < 0.02 or s.box.horizontal_overlap(seg.box) > 0.3
                if aligned:
                    out.append(s)
            if out:
                return out
        return out


@dataclass(slots=True)
class Raw:
    """A candidate before competition is known."""

    value: Any
    raw: str
    page: int
    words: list[Word]
    signals: dict[str, float]
    hit_key: tuple[int, int, int] = (0, 0, 0)  # (page, id of seg, label start): one vote per label occurrence
    label_words: tuple[str, ...] = ()  # the normalised words of the label phrase

    @property
    def prob(self) -> float:
        return scoring.rules_probability(self.signals)


class RulesTier:
    """Schema-guided label/value matching; see the module docstring."""

    name = "rules"

    def available(self, options: ExtractOptions) -> str | None:
        return None

    def extract(
        self, document: Document, spec: SchemaSpec, wanted: Set[str], options: ExtractOptions
    ) -> tuple[list[Candidate], list[Issue]]:
        """Candidates for the wanted scalar fields and tables of ``spec``."""
        from docextract.tiers import rules_parties

        ctx = Context(document)
        candidates: list[Candidate] = []
        issues: list[Issue] = []
        for f in spec.fields:
            if f.path not in wanted:
                continue
            if f.position:
                raws = field_candidates(ctx, spec, f) + rules_parties.positional(ctx, f, f.position)
            elif rules_parties.is_party_field(spec, f):
                raws = rules_parties.party_candidates(ctx, spec, f)
            else:
                raws = field_candidates(ctx, spec, f)
                concept = lexicon.concept_for(f.path)
                if concept is not None and concept.key == "issue_date" and f.kind == "date":
                    raws.extend(date_after_number(ctx, f))
                if f.kind == "currency" and not any(r.prob > 0.5 for r in raws):
                    raws.extend(currency_of_amounts(ctx, f))
            candidates.extend(finish(f, raws))
        for table in spec.tables:
            if table.path not in wanted:
                continue
            try:
                from docextract.tiers.rule_tables import table_candidates
            except ImportError:  # the table reader is not in this build yet
                continue
            cands, tissues = table_candidates(document, table, options)
            candidates.extend(cands)
            issues.extend(tissues)
        return candidates, issues


# ---------------------------------------------------------------------------------------------------------
# Cues


def cues(spec: SchemaSpec, f: FieldSpec) -> list[tuple[tuple[str, ...], float]]:
    """Label token lists for a field with a prior weight each, longest first."""
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
    return sorted(out.items(), key=lambda kv: -len(kv[0]))


_ALL_LABEL_TOKENS: set[str] = set()


def rivals(f: FieldSpec, own: list[tuple[tuple[str, ...], float]]) -> frozenset[str]:
    """Words that, in a label's text, say it belongs to another field."""
    if not _ALL_LABEL_TOKENS:
        _ALL_LABEL_TOKENS.update(t for c in lexicon.CONCEPTS for lab in c.labels for t in norm_label(lab) if len(t) > 2)
    own_toks = {t for lab, _ in own for t in lab}
    concept = lexicon.concept_for(f.path)
    explicit = {t for r in (concept.rivals if concept else ()) for t in norm_label(r)}
    return frozenset((_ALL_LABEL_TOKENS - own_toks) | (explicit - own_toks))


def concept_key(f: FieldSpec) -> str | None:
    c = lexicon.concept_for(f.path)
    return c.key if c is not None else None


def is_id_field(f: FieldSpec) -> bool:
    return f.kind == "string" and bool(_ID_WORDS.search(f.name.lower()))


# ---------------------------------------------------------------------------------------------------------
# Label → value


def field_candidates(ctx: Context, spec: SchemaSpec, f: FieldSpec) -> list[Raw]:
    """Raw candidates for one field from every label occurrence in the document."""
    labels = cues(spec, f)
    rival_words = rivals(f, labels)
    return [r for hit in best_hits(ctx, labels) for r in values_for_hit(ctx, f, hit, rival_words)]


def best_hits(ctx: Context, labels: list[tuple[tuple[str, ...], float]]) -> list[LabelHit]:
    """Label occurrences in the document, longest labels first, never two overlapping in one segment."""
    taken: dict[int, list[tuple[int, int]]] = {}
    out = []
    for lab, weight in labels:
        for hit in ctx.find(lab):
            spans = taken.setdefault(id(hit.seg), [])
            if any(hit.start < e and s < hit.end for s, e in spans):
                continue
            spans.append((hit.start, hit.end))
            out.append(LabelHit(hit.seg, hit.start, hit.end, hit.quality * weight, hit.label))
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
    rest, offset = rest_after(seg, hit.end_word)
    rate = _RATE.match(rest)
    if rate:  # "VAT 19 %:" — the rate is part of the label, the value is further right
        colon = colon or rest.endswith(":")
        base["colon"] = float(colon)
        rest = ""
    if rest:
        val = read_value(f, rest)
        if val is not None:
            value, raw, s, e, q = val
            words = words_in_span(seg, offset + s, offset + e)
            extra = [t for t in before + _tokens_before(seg, hit.end, words) if t.isalnum()]
            return [_raw(hit, extra, rival_words, (value, raw, words, q), {**base, "dir_same": 1.0})]
        # Text after the label that is not a value: the label is part of a phrase ("Invoice date: see…").
        if len(rest) > 3 and not colon:
            return []
    extra_all = [t for t in before + seg.tokens[hit.end :] if t.isalnum()]
    rights = ctx.right_of(seg)[:4]
    crowded = False
    if f.kind == "amount":
        amounts = [r for r in rights if read_value(f, r.text) is not None]
        crowded = len(amounts) > 1
        if crowded and concept_key(f) in _BIG_TOTALS:
            rights = amounts[-1:]  # a totals row "net | tax | gross": the grand total is the last column
    for right in rights[:2]:
        val = read_value(f, right.text)
        if val is not None:
            value, raw, s, e, q = val
            words = words_in_span(right, s, e)
            gap = (right.box.x0 - seg.box.x1) / max(seg.box.height, 1e-6) / 3
            sig = {**base, "dir_right": 1.0, "gap": min(gap, 3.0), "crowded": float(crowded)}
            return [_raw(hit, extra_all, rival_words, (value, raw, words, q), sig)]
        if _looks_like_label(right.text):
            break
    if rest and not colon:
        return []
    if f.kind == "amount" and len(ctx.right_of(seg)) + _row_len_left(ctx, seg) >= 2:
        return []  # a column header of a table: the value below is a line item, not the field
    for below in ctx.below(seg, hit.box):
        val = read_value(f, below.text)
        if val is None:
            continue
        value, raw, s, e, q = val
        words = words_in_span(below, s, e)
        gap = (below.box.y0 - seg.box.y1) / max(seg.box.height, 1e-6)
        sig = {**base, "dir_below": 1.0, "gap": max(0.0, gap)}
        return [_raw(hit, extra_all, rival_words, (value, raw, words, q), sig)]
    return []


# "Invoice No. 123 of 2024-01-05", "Rechnung Nr. 12 vom 05.01.2024", "Facture n° 7 du 05/01/2024"
_DATED = re.compile(r"^\S+\s+(?:vom|du|del|dated|of|issued(?: at| on)?|van|de|dal|d[eo]|em)\s+", re.IGNORECASE)


def date_after_number(ctx: Context, f: FieldSpec) -> list[Raw]:
    """The issue date written right after the invoice number, on the same line."""
    out = []
    for lab in lexicon.BY_KEY["invoice_number"].labels:
        for hit in ctx.find(norm_label(lab)):
            rest, offset = rest_after(hit.seg, hit.end_word)
            m = _DATED.match(rest)
            if not m:
                continue
            val = read_value(f, rest[m.end() :])
            if val is None:
                continue
            value, raw, s, e, q = val
            base = offset + m.end() + (len(rest[m.end() :]) - len(rest[m.end() :].lstrip()))
            words = words_in_span(hit.seg, base + s, base + e)
            sig = {"label": 0.8 * hit.quality, "parse": q, "dir_same": 1.0, "label_start": float(hit.start == 0),
                   "gap": 1.0}
            out.append(Raw(value, raw, hit.seg.page, words, sig, (hit.seg.page, id(hit.seg), hit.start)))
    return out


def currency_of_amounts(ctx: Context, f: FieldSpec) -> list[Raw]:
    """The currency every amount is written in, when no label names it."""
    from docextract import coerce

    seen: dict[str, list[tuple[Seg, Any]]] = {}
    for idx in ctx.pages:
        for seg in idx.segs:
            if not any(ch.isdigit() for ch in seg.text):
                continue
            for p in coerce.scan(seg.text, "currency"):
                seen.setdefault(str(p.value), []).append((seg, p))
    if not seen:
        return []
    total = sum(len(v) for v in seen.values())
    code, hits = max(seen.items(), key=lambda kv: len(kv[1]))
    if len(hits) < 2 or len(hits) / total < 0.8:
        return []
    seg, p = hits[-1]
    words = words_in_span(seg, p.start, p.end)
    prior = 1.0 + 0.6 * (len(seen) == 1) + 0.4 * (len(hits) >= 3)
    sig = {"label": 0.5, "parse": float(p.quality), "positional": 1.0, "prior": prior,
           "support": float(min(len(hits) - 1, 2))}
    return [Raw(code, p.raw, seg.page, words, sig, (seg.page, id(seg), -1))]


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


def _looks_like_label(text: str) -> bool:
    return text.rstrip().endswith(":")


def _raw(hit: LabelHit, extra: list[str], rival_words: frozenset[str], found: tuple[Any, str, list[Word], float],
         sig: dict[str, float]) -> Raw:
    value, raw, words, quality = found
    seg = hit.seg
    n = hit.end - hit.start
    extra = [t for t in extra if not t.isdigit()]
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
    return Raw(value, raw, seg.page, words, sig, (seg.page, id(seg), hit.start), phrase)


def read_value(f: FieldSpec, text: str) -> tuple[Any, str, int, int, float] | None:
    """The first value of ``f``'s kind at the start of ``text``: (value, raw, start, end, quality)."""
    text = text.strip()
    if not text:
        return None
    kind = f.kind
    if kind in _TYPED:
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
    if letters < 2 or _looks_like_label(clean):
        return None
    start = text.find(clean)
    return clean, clean, start, start + len(clean), 0.7


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
            if scoring.same_value(g[0].value, r.value):
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
        sig["support"] = float(min(votes - 1, 2))
        if rival_p > 0:
            sig["conflict"] = min(1.0, rival_p / max(best.prob, 1e-6)) * rival_p
        score = scoring.rules_probability(sig)
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
    top = max(abs(v) for v in vals)
    for r in raws:
        try:
            r.signals["prior"] = 0.4 if abs(r.value) == top else -0.8
            # Cash rounding: "Total 30.91" then "Total rounded 30.90": the rounded one is what was paid.
            if rounded and any(abs(abs(r.value) - abs(x.value)) < Decimal("0.05") for x in rounded):
                r.signals["prior"] = 0.6 if r in rounded else -1.0
        except TypeError:
            continue
