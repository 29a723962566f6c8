"""The rules tier: schema-guided label/value matching on the page words (CPU, no model).

The tier's steps live beside it: ``fields`` (labelled values and their competition), ``parties`` and
``vat`` (seller and buyer), ``address``, ``totals`` (net + tax = gross read jointly), ``positional``
(receipts: fields found by position), ``tables`` (line items).
"""

from __future__ import annotations

from collections.abc import Set
from typing import TYPE_CHECKING

from docextract.backend import Backend, TierOutput
from docextract.document import Document
from docextract.result import Candidate, Issue
from docextract.tiers.rules.context import Context, Raw
from docextract.tiers.rules.fields import field_candidates, finish, unlabelled
from docextract.tiers.rules.values import settle_date_order

if TYPE_CHECKING:
    from docextract.options import ExtractOptions
    from docextract.schema import SchemaSpec


class RulesTier(Backend):
    """Schema-guided label/value matching; see the module docstring."""

    name = "rules"

    def extract(self, document: Document, spec: SchemaSpec, wanted: Set[str], options: ExtractOptions) -> TierOutput:
        """Candidates for the wanted scalar fields and tables of ``spec``."""
        from docextract.tiers.rules import parties, plausible, positional, totals, vat
        from docextract.tiers.rules.names import name_flags
        from docextract.tiers.rules.tables.candidates import table_candidates

        ctx = Context(document)
        candidates: list[Candidate] = []
        issues: list[Issue] = []
        for table in spec.tables:
            if table.path not in wanted:
                continue
            cands, tissues = table_candidates(document, table, options)
            candidates.extend(cands)
            issues.extend(tissues)
        raws: dict[str, list[Raw]] = {}
        for f in spec.fields:
            if f.path not in wanted:
                continue
            if f.position:
                raws[f.path] = field_candidates(ctx, spec, f) + positional.positional(ctx, f, f.position)
            elif f.kind == "vat_id" and (party := parties.party_of(spec, f)) is not None:
                raws[f.path] = vat.vat_candidates(ctx, spec, f, party)
            elif parties.is_party_field(spec, f):
                raws[f.path] = parties.party_candidates(ctx, spec, f)
            else:
                raws[f.path] = field_candidates(ctx, spec, f) + unlabelled(ctx, f, raws.get(f.path, []))
        for f in spec.fields:
            if f.kind == "date" and f.path in raws:
                settle_date_order(ctx, raws[f.path])
        totals.joint(ctx, spec, raws, candidates)
        plausible.mark(ctx, spec, raws, candidates)
        for f in spec.fields:
            if f.path in raws and (f.position == "top" or (f.name == "name" and parties.is_party_field(spec, f))):
                for r in raws[f.path]:
                    if isinstance(r.value, str):
                        r.signals.update(name_flags(r.value))
        for f in spec.fields:
            if f.path in raws:
                candidates.extend(finish(f, raws[f.path]))
        return TierOutput(candidates, issues)
