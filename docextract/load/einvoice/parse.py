"""E-invoice XML (ZUGFeRD 1, ZUGFeRD 2.x / Factur-X / XRechnung CII, and UBL 2.1) → a neutral record.

The XML is untrusted input. It is parsed with lxml with entity resolution, DTD loading and network
access off, after refusing any DOCTYPE outright (no e-invoice syntax needs one, and a DOCTYPE is where
entity-expansion and external-entity attacks live), and after a size cap. Nothing here opens a file or
a socket: the bytes come from the loader.

The record keeps each value typed (``str``, ``Decimal``, ``date``), with the raw text and the XML path
it came from, under syntax-neutral names (``total_gross``, ``seller.vat_id``, ...); the mapping onto a
user's schema is ``docextract.tiers.einvoice.mapping``. Amounts are kept as the document states them: a
credit note (CII TypeCode 381, UBL CreditNote) states positive amounts, and so do we; ``credit_note``
says what the document is.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from docextract.errors import CorruptEInvoiceError, UnsupportedFormatError
from docextract.load.einvoice.model import (
    KNOWN_NAMES,
    NS_CII,
    NS_ZF1,
    UBL_CREDIT,
    UBL_INVOICE,
    EInvoice,
)

MAX_XML_BYTES = 10 * 1024 * 1024

_ROOT_MARKERS = (b"CrossIndustryInvoice", b"CrossIndustryDocument", UBL_INVOICE.encode(), UBL_CREDIT.encode())
_DOCTYPE_MARKERS = tuple(
    s.encode(enc) for s in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)


# ---------------------------------------------------------------------------------------------------------
# Detection and safe parsing


def looks_like_einvoice(data: bytes) -> bool:
    """Whether ``data`` looks like e-invoice XML (CII or UBL root), from its first few kilobytes.

    A cheap sniff for loaders; ``parse_einvoice`` is the real test.
    """
    head = data[:8192]
    if b"<" not in head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.replace(b"\x00", b"")
    return any(m in head for m in _ROOT_MARKERS)


def is_einvoice_name(name: str) -> bool:
    """Whether an attachment name is one e-invoices are embedded under."""
    return Path(name).name.lower() in KNOWN_NAMES


def has_doctype(data: bytes) -> bool:
    """Whether ``data`` declares a DOCTYPE or entities (never needed by an e-invoice; the attack surface)."""
    return any(m in data for m in _DOCTYPE_MARKERS)


def safe_parse(data: bytes, where: str | Path) -> etree._Element:
    """Parse untrusted XML: no DOCTYPE, no entities, no DTD, no network, bounded size.

    Raises:
        CorruptEInvoiceError: over ``MAX_XML_BYTES``, carries a DOCTYPE or entity declaration, or is not
            well-formed XML. The message names ``where``.
    """
    if len(data) > MAX_XML_BYTES:
        raise CorruptEInvoiceError(
            f"e-invoice XML is {len(data):,} bytes, over the {MAX_XML_BYTES:,} byte limit", path=where,
            hint="e-invoices are kilobytes; this file is not one, or is hostile",
        )
    # Refused before parsing: the internal subset is where billion-laughs and XXE attacks live.
    if has_doctype(data):
        raise CorruptEInvoiceError(
            "e-invoice XML declares a DOCTYPE or entities, which e-invoices never need; refused unparsed",
            path=where, hint="possible entity-expansion or external-entity attack",
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_comments=True, remove_pis=True, collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptEInvoiceError(f"e-invoice XML is not well-formed: {exc}", path=where) from exc
    if root is None:
        raise CorruptEInvoiceError("e-invoice XML has no root element", path=where)
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
        raise CorruptEInvoiceError("e-invoice XML declares a DOCTYPE; refused", path=where)
    return root


def parse_einvoice(data: bytes, where: str | Path) -> EInvoice:
    """Parse CII (ZUGFeRD 1, ZUGFeRD 2.x / Factur-X / XRechnung) or UBL 2.1 (Invoice, CreditNote) XML.

    Args:
        data: the XML bytes.
        where: the file or attachment name, for messages.

    Returns:
        The neutral record.

    Raises:
        CorruptEInvoiceError: malformed or hostile XML.
        UnsupportedFormatError: well-formed XML that is not a CII or UBL invoice.
    """
    root = safe_parse(data, where)
    ns = etree.QName(root).namespace
    local = etree.QName(root).localname
    if ns == NS_CII["rsm"] and local == "CrossIndustryInvoice":
        from docextract.load.einvoice.cii import read_cii

        inv = read_cii(root, NS_CII, zugferd1=False)
    elif ns == NS_ZF1["rsm"] and local == "CrossIndustryDocument":
        from docextract.load.einvoice.cii import read_cii

        inv = read_cii(root, NS_ZF1, zugferd1=True)
    elif ns in (UBL_INVOICE, UBL_CREDIT) and local in ("Invoice", "CreditNote"):
        from docextract.load.einvoice.ubl import read_ubl

        inv = read_ubl(root, credit=local == "CreditNote")
    else:
        raise UnsupportedFormatError(
            f"XML root {local!r} ({ns or 'no namespace'}) is not a CII or UBL invoice", path=where,
            hint="supported: ZUGFeRD 1/2.x, Factur-X, XRechnung (CII and UBL), Peppol BIS UBL Invoice/CreditNote",
        )
    inv.source = Path(str(where)).name
    return inv


