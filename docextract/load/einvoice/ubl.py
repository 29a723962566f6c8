"""OASIS UBL 2.1 Invoice and CreditNote (XRechnung UBL, Peppol BIS Billing 3.0) → EInvoice."""

from __future__ import annotations

from lxml import etree

from docextract.load.einvoice.model import (
    NS_UBL,
    UBL_CREDIT,
    UBL_INVOICE,
    EInvoice,
    XmlReader,
    XmlValue,
    profile_name,
    text_of,
)


def read_ubl(root: etree._Element, *, credit: bool) -> EInvoice:
    """Read a parsed UBL tree (root ``Invoice`` or ``CreditNote``)."""
    r = XmlReader(NS_UBL, root_ns=UBL_CREDIT if credit else UBL_INVOICE)
    f: dict[str, XmlValue] = {}
    custom = r.first(root, "cbc:CustomizationID")
    profile_id = text_of(custom) if custom is not None else ""

    r.read(f, root, "invoice_number", "cbc:ID")
    r.read(f, root, "document_type", "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode")
    r.read(f, root, "issue_date", "cbc:IssueDate", "date")
    r.read(f, root, "due_date", "cbc:DueDate", "date")
    r.read(f, root, "due_date", "cac:PaymentMeans/cbc:PaymentDueDate", "date")
    r.read(f, root, "delivery_date", "cac:Delivery/cbc:ActualDeliveryDate", "date")
    r.read(f, root, "currency", "cbc:DocumentCurrencyCode")
    r.read(f, root, "buyer_reference", "cbc:BuyerReference")
    r.read(f, root, "order_number", "cac:OrderReference/cbc:ID")
    r.read(f, root, "contract_reference", "cac:ContractDocumentReference/cbc:ID")
    r.read(f, root, "payment_reference", "cac:PaymentMeans/cbc:PaymentID")
    r.read(f, root, "payment_terms", "cac:PaymentTerms/cbc:Note")
    r.read(f, root, "iban", "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", "compact")
    r.read(f, root, "bic", "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID",
           "compact")
    _party(r, f, r.first(root, "cac:AccountingSupplierParty/cac:Party"), "seller")
    _party(r, f, r.first(root, "cac:AccountingCustomerParty/cac:Party"), "buyer")

    total = r.first(root, "cac:LegalMonetaryTotal")
    for key, tag in (("total_lines", "LineExtensionAmount"), ("allowance_total", "AllowanceTotalAmount"),
                     ("charge_total", "ChargeTotalAmount"), ("total_net", "TaxExclusiveAmount"),
                     ("total_gross", "TaxInclusiveAmount"), ("prepaid", "PrepaidAmount"),
                     ("amount_due", "PayableAmount")):
        r.read(f, total, key, f"cbc:{tag}", "amount")
    r.put_in_currency(f, "total_tax", r.all(root, "cac:TaxTotal/cbc:TaxAmount"))

    tag = "cac:CreditNoteLine" if credit else "cac:InvoiceLine"
    qty_tag = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    lines = [_line(r, item, qty_tag) for item in r.all(root, tag)]
    code = f["document_type"].value if "document_type" in f else ("381" if credit else None)
    return EInvoice(
        syntax="UBL", profile=profile_name(profile_id), profile_id=profile_id,
        type_code=str(code) if code is not None else None, credit_note=credit or code == "381", source="",
        fields=f, lines=lines,
    )


def _party(r: XmlReader, f: dict[str, XmlValue], party: etree._Element | None, who: str) -> None:
    if party is None:
        return
    r.read(f, party, f"{who}.name", "cac:PartyLegalEntity/cbc:RegistrationName")
    r.read(f, party, f"{who}.name", "cac:PartyName/cbc:Name")
    r.read(f, party, f"{who}.id", "cac:PartyIdentification/cbc:ID")
    r.read(f, party, f"{who}.vat_id", "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID", "compact")
    r.read(f, party, f"{who}.tax_number", "cac:PartyTaxScheme[not(cac:TaxScheme/cbc:ID='VAT')]/cbc:CompanyID",
           "compact")
    r.read(f, party, f"{who}.email", "cac:Contact/cbc:ElectronicMail")
    addr = r.first(party, "cac:PostalAddress")
    if addr is None:
        return
    street = [text_of(e) for e in r.all(addr, "cbc:StreetName | cbc:AdditionalStreetName | cac:AddressLine/cbc:Line")]
    r.read(f, addr, f"{who}.street", "cbc:StreetName")
    r.put_address(f, who, addr, street, ("cbc:PostalZone", "cbc:CityName", "cac:Country/cbc:IdentificationCode"))


def _line(r: XmlReader, item: etree._Element, qty_tag: str) -> dict[str, XmlValue]:
    out: dict[str, XmlValue] = {}
    r.read(out, item, "line_id", "cbc:ID")
    r.read(out, item, "description", "cac:Item/cbc:Name")
    r.read(out, item, "description", "cac:Item/cbc:Description")
    r.read(out, item, "item_id", "cac:Item/cac:SellersItemIdentification/cbc:ID")
    qty = r.first(item, qty_tag)
    r.put(out, "quantity", qty, "amount")
    if qty is not None and qty.get("unitCode"):
        out["unit"] = XmlValue(str(qty.get("unitCode")), str(qty.get("unitCode")), r.element_path(qty) + "/@unitCode")
    r.read(out, item, "unit_price", "cac:Price/cbc:PriceAmount", "amount")
    r.read(out, item, "price_basis_quantity", "cac:Price/cbc:BaseQuantity", "amount")
    r.read(out, item, "line_total", "cbc:LineExtensionAmount", "amount")
    r.read(out, item, "tax_rate", "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", "amount")
    return out
