"""Tier 0: the e-invoice XML a PDF carries (ZUGFeRD / Factur-X / XRechnung, UBL), or an XML file alone.

Reading the XML is exact and free, but the XML is a second channel a fraudster can fill differently
from the page. So every value is looked for on the visible page: printed the same → accepted at
high confidence with the page box as evidence; not printed → accepted a little lower; the page printing
a different IBAN, VAT id or total for the field → an ``einvoice_mismatch`` error that sends the document
to review, and a low score so the later tiers read the page too.

A PDF whose attachment is malformed or hostile is still read from its page (with an issue); a
standalone XML file that is malformed raises ``CorruptEInvoiceError``.
"""

from __future__ import annotations

from collections.abc import Set
from typing import TYPE_CHECKING

from docextract.backend import Backend, TierOutput
from docextract.document import Attachment, Document
from docextract.errors import CorruptEInvoiceError, UnsupportedFormatError
from docextract.load.einvoice.model import EInvoice
from docextract.load.einvoice.parse import has_doctype, is_einvoice_name, looks_like_einvoice, parse_einvoice
from docextract.result import Candidate, Evidence, Issue
from docextract.tiers.einvoice.mapping import HEADER_ALIASES, Mapped, map_einvoice

if TYPE_CHECKING:
    from docextract.evidence import PageText
    from docextract.options import ExtractOptions
    from docextract.schema import SchemaSpec

SCORE_PRINTED = 0.99  # the XML value is printed on the page
SCORE_XML_ONLY = 0.99  # a standalone XML file: the XML is the whole document
SCORE_UNPRINTED = 0.9  # not printed (many fields legitimately are not): the XML is still the legal invoice
SCORE_MISMATCH = 0.5  # the page prints something else: below any threshold, so the page is read too


class EInvoiceTier(Backend):
    """Candidates from embedded or standalone e-invoice XML, cross-checked against the visible page."""

    name = "einvoice"

    def extract(self, document: Document, spec: SchemaSpec, wanted: Set[str], options: ExtractOptions) -> TierOutput:
        """Map the e-invoice XML onto the wanted fields.

        Raises:
            CorruptEInvoiceError: a standalone XML file that is malformed, hostile or too large.
            UnsupportedFormatError: a standalone XML file that is not a CII or UBL invoice.
        """
        attachment = pick_attachment(document)
        if attachment is None:
            return TierOutput()
        try:
            inv = parse_einvoice(attachment.data, document.path)
        except (CorruptEInvoiceError, UnsupportedFormatError) as exc:
            if document.kind == "xml":
                raise
            hostile = has_doctype(attachment.data)
            return TierOutput(issues=[Issue(
                code="einvoice_hostile" if hostile else "einvoice_corrupt", severity="error" if hostile else "warning",
                message=f"embedded {attachment.name} not used ({exc.message}); the page is read instead",
            )])
        inv.source = attachment.name
        issues = [profile_issue(inv)]
        mapped = map_einvoice(inv, spec, frozenset(wanted))
        page: PageText | None = None
        if document.pages:
            from docextract.evidence import PageText

            page = PageText(document)
            if not page.has_text:
                issues.append(Issue(code="einvoice_unchecked", severity="info",
                                    message="the pages have no readable text; the XML values were not cross-checked"))
        labels = _labels(spec, inv, mapped)
        candidates = [self._candidate(m, page, labels, issues) for m in mapped]
        return TierOutput(candidates, issues)

    def _candidate(
        self, m: Mapped, page: PageText | None, labels: dict[str, list[str]], issues: list[Issue]
    ) -> Candidate:
        evidence = [Evidence(xpath=m.source.xpath, text=m.source.raw)]
        signals = {"xml": 1.0}
        if page is None:
            score = SCORE_XML_ONLY
        elif not page.has_text:
            score = SCORE_UNPRINTED
        else:
            found = page.locate(m.key, m.source.value, m.source.raw)
            signals["printed"] = 1.0 if found else 0.0
            score = SCORE_PRINTED if found else SCORE_UNPRINTED
            if found is not None:
                evidence.append(found)
            elif m.key in _checked():
                from docextract.tiers.einvoice.check import conflict as find_conflict

                conflict = find_conflict(page, m.key, m.source.value, labels)
                if conflict is not None:
                    score = SCORE_MISMATCH
                    signals["mismatch"] = 1.0
                    evidence.append(conflict.evidence)
                    issues.append(mismatch_issue(m, conflict.evidence))
                elif m.key in ("total_gross", "amount_due") and page.printed("amount"):
                    # Every invoice prints what is to be paid; an XML total that the page never shows
                    # is how a changed total looks when its label was not recognised.
                    issues.append(Issue(
                        code="einvoice_unconfirmed", severity="warning", fields=(m.path,),
                        message=f"{m.path}: the amount in the embedded e-invoice XML is not printed on the page",
                    ))
        return Candidate(path=m.path, value=m.value, raw=m.source.raw, score=score, source="einvoice",
                         evidence=tuple(evidence), signals=signals)


def pick_attachment(document: Document) -> Attachment | None:
    """The attachment holding the e-invoice: a standalone XML file's bytes, else a known name
    (factur-x.xml, zugferd-invoice.xml, xrechnung.xml), else any XML attachment with a CII or UBL root."""
    if document.kind == "xml":
        return document.attachments[0] if document.attachments else None
    named = [a for a in document.attachments if is_einvoice_name(a.name)]
    if named:
        return named[0]
    xml = [a for a in document.attachments
           if (a.name.lower().endswith(".xml") or "xml" in (a.mime or "")) and looks_like_einvoice(a.data)]
    return xml[0] if xml else None


def profile_issue(inv: EInvoice) -> Issue:
    """The syntax and profile, as an info issue."""
    kind = "credit note" if inv.credit_note else "invoice"
    return Issue(code="einvoice_profile", severity="info",
                 message=f"syntax={inv.syntax} profile={inv.profile} type={inv.type_code or '?'} ({kind}) "
                         f"source={inv.source} id={inv.profile_id}")


def mismatch_issue(m: Mapped, where: Evidence) -> Issue:
    """The page prints a different value for a field than the XML. Values stay out of the message:
    IBANs and VAT ids are personal data, and the evidence holds both for a reviewer."""
    page = (where.page or 0) + 1
    return Issue(code="einvoice_mismatch", severity="error", fields=(m.path,), page=where.page,
                 message=f"{m.path}: the embedded e-invoice XML ({m.source.xpath.rsplit('/', 1)[-1]}) disagrees "
                         f"with the value printed on page {page}; check which one is right before paying")


def _checked() -> frozenset[str]:
    from docextract.tiers.einvoice.check import CHECKED

    return frozenset(CHECKED)


def _labels(spec: SchemaSpec, inv: EInvoice, mapped: list[Mapped]) -> dict[str, list[str]]:
    """Label wordings of the checked amount keys (the schema's hints for the field, and the built-in
    aliases), and the IBANs / VAT ids the XML knows of (printed ones outside these are suspicious)."""
    from docextract.tiers.lexicon import BY_KEY

    out: dict[str, list[str]] = {}
    for key in ("total_gross", "amount_due", "total_net", "total_tax", "total_lines", "prepaid"):
        words = [a for a in HEADER_ALIASES.get(key, ()) if not a.startswith("bt ")]
        words += BY_KEY[key].labels if key in BY_KEY else ()
        out[key] = words + [lab for m in mapped if m.key == key for lab in _field_labels(spec, m.path)]
    out["_known_iban"] = [str(inv.fields[k].value) for k in ("iban",) if k in inv.fields]
    out["_known_vat_id"] = [str(inv.fields[k].value) for k in ("seller.vat_id", "buyer.vat_id") if k in inv.fields]
    return out


def _field_labels(spec: SchemaSpec, path: str) -> tuple[str, ...]:
    fs = spec.field(path)
    return fs.labels if fs is not None else ()
