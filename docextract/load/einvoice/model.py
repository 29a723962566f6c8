"""The neutral e-invoice record (``EInvoice``, ``XmlValue``), the namespaces and keys of the syntaxes, and the
helpers the CII and UBL readers share. Typed values keep their raw text and XML path."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal

from lxml import etree

Syntax = Literal["CII", "CII-ZUGFeRD1", "UBL"]

NS_CII = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
NS_ZF1 = {
    "rsm": "urn:ferd:CrossIndustryDocument:invoice:1p0",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
}
UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_UBL = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}

# File names PDF/A-3 e-invoices are embedded under (compared case-insensitively).
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "order-x.xml")

# UNTDID 1001 codes of credit notes (and their corrections) in CII.
CREDIT_NOTE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"})



@dataclass(frozen=True, slots=True)
class XmlValue:
    """One value read from the XML: typed, with the text it was read from and where."""

    value: str | Decimal | dt.date
    raw: str
    xpath: str


@dataclass(slots=True)
class EInvoice:
    """An e-invoice, syntax-neutral. ``fields`` and each line are keyed by semantic names
    (see ``HEADER_KEYS`` and ``LINE_KEYS``); a key the XML lacks is absent."""

    syntax: Syntax
    profile: str  # MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED, XRECHNUNG, PEPPOL BIS, COMFORT, or UNKNOWN
    profile_id: str  # the guideline / customization identifier as written
    type_code: str | None
    credit_note: bool
    source: str  # the attachment or file name
    fields: dict[str, XmlValue] = field(default_factory=dict)
    lines: list[dict[str, XmlValue]] = field(default_factory=list)


HEADER_KEYS = (
    "invoice_number", "document_type", "issue_date", "due_date", "delivery_date", "currency", "buyer_reference",
    "order_number", "contract_reference", "payment_reference", "payment_terms", "iban", "bic",
    "total_lines", "allowance_total", "charge_total", "total_net", "total_tax", "total_gross", "prepaid",
    "amount_due",
    *(f"{party}.{key}" for party in ("seller", "buyer") for key in
      ("name", "address", "street", "postcode", "city", "country", "vat_id", "tax_number", "id", "email")),
)
LINE_KEYS = (
    "line_id", "parent_line_id", "description", "item_id", "quantity", "unit", "unit_price",
    "price_basis_quantity", "line_total", "tax_rate",
)



# ---------------------------------------------------------------------------------------------------------
# Helpers shared by the CII and UBL readers


def profile_name(profile_id: str) -> str:
    """The profile a guideline / customization identifier names."""
    pid = profile_id.lower()
    if "xrechnung" in pid:
        return "XRECHNUNG"
    if "peppol" in pid:
        return "PEPPOL BIS"
    for marker, name in ((":extended", "EXTENDED"), (":basicwl", "BASIC WL"),
                         (":basic", "BASIC"), (":minimum", "MINIMUM"), (":comfort", "COMFORT")):
        if marker in pid:
            return name
    if "en16931" in pid:
        return "EN 16931"
    return "UNKNOWN"


def element_path(el: etree._Element, prefixes: dict[str, str]) -> str:
    """A readable XPath of ``el`` with conventional prefixes and [n] only where a name repeats."""
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None:
        q = etree.QName(node)
        prefix = prefixes.get(q.namespace or "", "")
        name = f"{prefix}:{q.localname}" if prefix else q.localname
        parent = node.getparent()
        if parent is not None:
            same = [s for s in parent if s.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))


def text_of(el: etree._Element) -> str:
    """The element's text with whitespace runs collapsed."""
    return " ".join("".join(str(t) for t in el.itertext()).split())


def to_decimal(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def to_date(raw: str, fmt: str | None = None) -> dt.date | None:
    """A date from CII format 102 (YYYYMMDD) or ISO 8601; None for periods (610, 616) and bad dates."""
    text = raw.strip()
    try:
        if fmt in (None, "102") and re.fullmatch(r"\d{8}", text):
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        m = _ISO_DATE.match(text)
        if m and fmt in (None, "102"):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def join_address(parts: list[str]) -> str | None:
    out = ", ".join(p for p in parts if p)
    return out or None


class XmlReader:
    """Reads typed values at XPaths relative to a context element into a dict of ``XmlValue``."""

    def __init__(self, ns: dict[str, str], root_ns: str | None = None) -> None:
        self.ns = ns
        self.prefixes = {uri: prefix for prefix, uri in ns.items()}
        if root_ns:
            self.prefixes[root_ns] = ""

    def first(self, ctx: etree._Element | None, path: str) -> etree._Element | None:
        if ctx is None:
            return None
        found = ctx.xpath(path, namespaces=self.ns)
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            return found[0]
        return None

    def all(self, ctx: etree._Element | None, path: str) -> list[etree._Element]:
        if ctx is None:
            return []
        found = ctx.xpath(path, namespaces=self.ns)
        return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []

    def put(self, out: dict[str, XmlValue], key: str, el: etree._Element | None, kind: str = "text") -> None:
        """Store ``el``'s value under ``key`` as ``kind`` (text, compact, amount, date); skip what does not parse."""
        if el is None or key in out:
            return
        raw = text_of(el)
        if not raw:
            return
        value: str | Decimal | dt.date | None
        if kind == "amount":
            value = to_decimal(raw)
        elif kind == "date":
            value = to_date(raw, el.get("format"))
        elif kind == "compact":  # identifiers written with spaces for reading: IBAN, VAT id
            value = re.sub(r"\s+", "", raw).upper()
        else:
            value = raw
        if value is not None:
            out[key] = XmlValue(value, raw, element_path(el, self.prefixes))

    def read(
        self, out: dict[str, XmlValue], ctx: etree._Element | None, key: str, path: str, kind: str = "text"
    ) -> None:
        self.put(out, key, self.first(ctx, path), kind)

    def put_in_currency(self, out: dict[str, XmlValue], key: str, amounts: list[etree._Element]) -> None:
        """Store the amount in the invoice's currency: a tax total is repeated in the tax currency
        (BT-111) when that differs."""
        currency = out.get("currency")
        same = [a for a in amounts if currency is not None and a.get("currencyID") == currency.value]
        self.put(out, key, next(iter(same or amounts), None), "amount")

    def put_address(
        self, out: dict[str, XmlValue], who: str, addr: etree._Element, street: list[str], parts: tuple[str, str, str]
    ) -> None:
        """Store a party's postcode, city and country, and its joined postal address, under ``who``.

        ``parts`` are the paths of the postcode, city and country code inside ``addr``."""
        for key, path in zip(("postcode", "city", "country"), parts, strict=True):
            self.read(out, addr, f"{who}.{key}", path)
        town = " ".join(str(out[k].value) for k in (f"{who}.postcode", f"{who}.city") if k in out)
        country = str(out[f"{who}.country"].value) if f"{who}.country" in out else ""
        joined = join_address([*street, town, country])
        if joined:
            out[f"{who}.address"] = XmlValue(joined, joined, self.element_path(addr))

    def element_path(self, el: etree._Element) -> str:
        return element_path(el, self.prefixes)
