"""UN/CEFACT CII → EInvoice: ZUGFeRD 1.0 (``CrossIndustryDocument``) and ZUGFeRD 2.x / Factur-X /
XRechnung CII (``CrossIndustryInvoice``, D16B). The two differ in element names, not in meaning, so one
reader takes a table of the names that differ."""

from __future__ import annotations

from lxml import etree

from docextract.load.einvoice.model import (
    CREDIT_NOTE_CODES,
    EInvoice,
    XmlReader,
    XmlValue,
    profile_name,
    text_of,
)

# The element names that differ between ZUGFeRD 1.0 and CII D16B.
_NAMES = {
    False: {
        "context": "rsm:ExchangedDocumentContext", "document": "rsm:ExchangedDocument",
        "transaction": "rsm:SupplyChainTradeTransaction", "agreement": "ram:ApplicableHeaderTradeAgreement",
        "delivery": "ram:ApplicableHeaderTradeDelivery", "settlement": "ram:ApplicableHeaderTradeSettlement",
        "summation": "ram:SpecifiedTradeSettlementHeaderMonetarySummation", "ref_id": "ram:IssuerAssignedID",
        "line_agreement": "ram:SpecifiedLineTradeAgreement", "line_delivery": "ram:SpecifiedLineTradeDelivery",
        "line_settlement": "ram:SpecifiedLineTradeSettlement",
        "line_summation": "ram:SpecifiedTradeSettlementLineMonetarySummation", "rate": "ram:RateApplicablePercent",
    },
    True: {
        "context": "rsm:SpecifiedExchangedDocumentContext", "document": "rsm:HeaderExchangedDocument",
        "transaction": "rsm:SpecifiedSupplyChainTradeTransaction",
        "agreement": "ram:ApplicableSupplyChainTradeAgreement", "delivery": "ram:ApplicableSupplyChainTradeDelivery",
        "settlement": "ram:ApplicableSupplyChainTradeSettlement",
        "summation": "ram:SpecifiedTradeSettlementMonetarySummation", "ref_id": "ram:ID",
        "line_agreement": "ram:SpecifiedSupplyChainTradeAgreement",
        "line_delivery": "ram:SpecifiedSupplyChainTradeDelivery",
        "line_settlement": "ram:SpecifiedSupplyChainTradeSettlement",
        "line_summation": "ram:SpecifiedTradeSettlementMonetarySummation", "rate": "ram:ApplicablePercent",
    },
}


def read_cii(root: etree._Element, ns: dict[str, str], *, zugferd1: bool) -> EInvoice:
    """Read a parsed CII tree (root ``CrossIndustryInvoice`` or ZUGFeRD 1 ``CrossIndustryDocument``)."""
    n = _NAMES[zugferd1]
    r = XmlReader(ns)
    f: dict[str, XmlValue] = {}
    ctx = r.first(root, f"{n['context']}/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")
    profile_id = text_of(ctx) if ctx is not None else ""

    doc = r.first(root, n["document"])
    r.read(f, doc, "invoice_number", "ram:ID")
    r.read(f, doc, "document_type", "ram:TypeCode")
    r.read(f, doc, "issue_date", "ram:IssueDateTime/udt:DateTimeString", "date")
    r.read(f, doc, "issue_date", "ram:IssueDateTime", "date")

    trade = r.first(root, n["transaction"])
    agreement = r.first(trade, n["agreement"])
    r.read(f, agreement, "buyer_reference", "ram:BuyerReference")
    r.read(f, agreement, "order_number", f"ram:BuyerOrderReferencedDocument/{n['ref_id']}")
    r.read(f, agreement, "contract_reference", f"ram:ContractReferencedDocument/{n['ref_id']}")
    _party(r, f, r.first(agreement, "ram:SellerTradeParty"), "seller")
    _party(r, f, r.first(agreement, "ram:BuyerTradeParty"), "buyer")

    delivery = r.first(trade, n["delivery"])
    r.read(f, delivery, "delivery_date", "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString",
           "date")

    settlement = r.first(trade, n["settlement"])
    r.read(f, settlement, "currency", "ram:InvoiceCurrencyCode")
    r.read(f, settlement, "payment_reference", "ram:PaymentReference")
    for means in r.all(settlement, "ram:SpecifiedTradeSettlementPaymentMeans"):
        r.read(f, means, "iban", "ram:PayeePartyCreditorFinancialAccount/ram:IBANID", "compact")
        r.read(f, means, "bic", "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID", "compact")
    for terms in r.all(settlement, "ram:SpecifiedTradePaymentTerms"):
        r.read(f, terms, "due_date", "ram:DueDateDateTime/udt:DateTimeString", "date")
        r.read(f, terms, "payment_terms", "ram:Description")

    total = r.first(settlement, n["summation"])
    for key, tag in (("total_lines", "LineTotalAmount"), ("charge_total", "ChargeTotalAmount"),
                     ("allowance_total", "AllowanceTotalAmount"), ("total_net", "TaxBasisTotalAmount"),
                     ("total_gross", "GrandTotalAmount"), ("prepaid", "TotalPrepaidAmount"),
                     ("amount_due", "DuePayableAmount")):
        r.read(f, total, key, f"ram:{tag}", "amount")
    r.put_in_currency(f, "total_tax", r.all(total, "ram:TaxTotalAmount"))

    lines = [_line(r, item, n) for item in r.all(trade, "ram:IncludedSupplyChainTradeLineItem")]
    code = f["document_type"].value if "document_type" in f else None
    return EInvoice(
        syntax="CII-ZUGFeRD1" if zugferd1 else "CII", profile=profile_name(profile_id), profile_id=profile_id,
        type_code=str(code) if code is not None else None, credit_note=str(code) in CREDIT_NOTE_CODES, source="",
        fields=f, lines=[ln for ln in lines if _is_item(ln)],
    )


def _party(r: XmlReader, f: dict[str, XmlValue], party: etree._Element | None, who: str) -> None:
    if party is None:
        return
    r.read(f, party, f"{who}.name", "ram:Name")
    r.read(f, party, f"{who}.id", "ram:ID")
    r.read(f, party, f"{who}.vat_id", "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']", "compact")
    r.read(f, party, f"{who}.tax_number", "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']", "compact")
    r.read(f, party, f"{who}.email", "ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID")
    r.read(f, party, f"{who}.email", "ram:URIUniversalCommunication/ram:URIID")
    addr = r.first(party, "ram:PostalTradeAddress")
    if addr is None:
        return
    street = [text_of(e) for tag in ("LineOne", "LineTwo", "LineThree") for e in r.all(addr, f"ram:{tag}")]
    r.read(f, addr, f"{who}.street", "ram:LineOne")
    r.put_address(f, who, addr, street, ("ram:PostcodeCode", "ram:CityName", "ram:CountryID"))


def _line(r: XmlReader, item: etree._Element, n: dict[str, str]) -> dict[str, XmlValue]:
    out: dict[str, XmlValue] = {}
    doc = r.first(item, "ram:AssociatedDocumentLineDocument")
    r.read(out, doc, "line_id", "ram:LineID")
    r.read(out, doc, "parent_line_id", "ram:ParentLineID")
    product = r.first(item, "ram:SpecifiedTradeProduct")
    r.read(out, product, "description", "ram:Name")
    r.read(out, product, "description", "ram:Description")
    r.read(out, product, "item_id", "ram:SellerAssignedID")
    price = r.first(item, f"{n['line_agreement']}/ram:NetPriceProductTradePrice")
    r.read(out, price, "unit_price", "ram:ChargeAmount", "amount")
    r.read(out, price, "price_basis_quantity", "ram:BasisQuantity", "amount")
    qty = r.first(item, f"{n['line_delivery']}/ram:BilledQuantity")
    r.put(out, "quantity", qty, "amount")
    if qty is not None and qty.get("unitCode"):
        out["unit"] = XmlValue(str(qty.get("unitCode")), str(qty.get("unitCode")), r.element_path(qty) + "/@unitCode")
    settlement = r.first(item, n["line_settlement"])
    r.read(out, settlement, "tax_rate", f"ram:ApplicableTradeTax/{n['rate']}", "amount")
    r.read(out, settlement, "line_total", f"{n['line_summation']}/ram:LineTotalAmount", "amount")
    return out


def _is_item(line: dict[str, XmlValue]) -> bool:
    """A line that only carries a note (ZUGFeRD 1 allows them) is not an item."""
    return any(k in line for k in ("description", "quantity", "unit_price", "line_total"))
