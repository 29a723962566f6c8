"""Tier 0 end to end: PDFs with embedded CII and UBL e-invoices (built here), XML alone, credit notes,
the page/XML cross-check, a user's own schema, and profiles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest
from pydantic import BaseModel, Field

import docextract
from docextract.errors import CorruptEInvoiceError
from docextract.load.einvoice.model import profile_name
from docextract.load.einvoice.parse import parse_einvoice

SELLER_VAT = "DE136695976"
BUYER_VAT = "DE987654328"
IBAN = "DE89370400440532013000"
OTHER_IBAN = "DE02120300000000202051"

LINES = [("Beratung", "10", "120.00", "1200.00"), ("Reisekosten", "1", "56.70", "56.70")]
TOTALS = {"net": "1256.70", "tax": "238.77", "gross": "1495.47", "due": "1495.47"}


def cii_xml(*, number: str = "RE-2024-0042", type_code: str = "380", iban: str = IBAN, gross: str = TOTALS["gross"],
            guideline: str = "urn:cen.eu:en16931:2017", lines: bool = True) -> bytes:
    """A Factur-X / ZUGFeRD 2.x EN 16931 invoice."""
    items = "".join(f"""
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>{i + 1}</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>{name}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>{price}</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="HUR">{qty}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>19</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{total}</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>""" for i, (name, qty, price, total) in enumerate(LINES)) if lines else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{guideline}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{number}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20241006</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>{items}
    <ram:ApplicableHeaderTradeAgreement>
      <ram:BuyerReference>04011000-12345-34</ram:BuyerReference>
      <ram:SellerTradeParty>
        <ram:Name>ACME Beratung GmbH</ram:Name>
        <ram:PostalTradeAddress><ram:PostcodeCode>10115</ram:PostcodeCode><ram:LineOne>Hauptstraße 5</ram:LineOne>
          <ram:CityName>Berlin</ram:CityName><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{SELLER_VAT}</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>Kunde AG</ram:Name>
        <ram:PostalTradeAddress><ram:PostcodeCode>80331</ram:PostcodeCode><ram:LineOne>Marktplatz 1</ram:LineOne>
          <ram:CityName>München</ram:CityName><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{BUYER_VAT}</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:BuyerTradeParty>
      <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>PO-7781</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>
        <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{iban}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
      </ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:ApplicableTradeTax><ram:CalculatedAmount>{TOTALS["tax"]}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>{TOTALS["net"]}</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>19</ram:RateApplicablePercent></ram:ApplicableTradeTax>
      <ram:SpecifiedTradePaymentTerms>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20241105</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>{TOTALS["net"]}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>{TOTALS["net"]}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">{TOTALS["tax"]}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{gross}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>{gross}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>""".encode()


def ubl_xml(*, credit: bool = False, number: str = "RE-2024-0042") -> bytes:
    """An XRechnung 3.0 UBL invoice, or a credit note (positive amounts, as UBL credit notes state them)."""
    root, line_tag, qty_tag = ("CreditNote", "CreditNoteLine", "CreditedQuantity") if credit else (
        "Invoice", "InvoiceLine", "InvoicedQuantity")
    type_el = "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>" if credit else (
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>")
    due = "" if credit else "<cbc:DueDate>2024-11-05</cbc:DueDate>"
    items = "".join(f"""
  <cac:{line_tag}><cbc:ID>{i + 1}</cbc:ID><cbc:{qty_tag} unitCode="HUR">{qty}</cbc:{qty_tag}>
    <cbc:LineExtensionAmount currencyID="EUR">{total}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>{name}</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">{price}</cbc:PriceAmount></cac:Price>
  </cac:{line_tag}>""" for i, (name, qty, price, total) in enumerate(LINES))

    def party(name: str, street: str, zone: str, city: str, vat: str) -> str:
        return f"""<cac:Party>
      <cac:PostalAddress><cbc:StreetName>{street}</cbc:StreetName><cbc:CityName>{city}</cbc:CityName>
        <cbc:PostalZone>{zone}</cbc:PostalZone><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme><cbc:CompanyID>{vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>{name}</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>"""

    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>{number}</cbc:ID><cbc:IssueDate>2024-10-06</cbc:IssueDate>{due}{type_el}
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode><cbc:BuyerReference>04011000-12345-34</cbc:BuyerReference>
  <cac:AccountingSupplierParty>{party("ACME Beratung GmbH", "Hauptstraße 5", "10115", "Berlin", SELLER_VAT)}
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>{party("Kunde AG", "Marktplatz 1", "80331", "München", BUYER_VAT)}
  </cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
    <cac:PayeeFinancialAccount><cbc:ID>{IBAN}</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">{TOTALS["tax"]}</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">{TOTALS["net"]}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">{TOTALS["net"]}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">{TOTALS["gross"]}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">{TOTALS["due"]}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>{items}
</{root}>""".encode()


def invoice_pdf(path: Path, xml: bytes | None, *, iban_printed: str = "DE89 3704 0044 0532 0130 00",
                gross_printed: str = "1.495,47 €", name: str = "factur-x.xml") -> Path:
    """A one-page German invoice printing the values of the templates, with ``xml`` embedded."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)

    def put(x: float, y: float, text: str) -> None:
        page.insert_text((x, y), text, fontsize=10, fontname="helv")

    put(50, 60, "ACME Beratung GmbH")
    put(50, 74, "Hauptstraße 5, 10115 Berlin")
    put(50, 88, f"USt-IdNr.: {SELLER_VAT}")
    put(50, 130, "Rechnung an:")
    put(50, 144, "Kunde AG")
    put(50, 158, "Marktplatz 1, 80331 München")
    put(50, 172, f"USt-IdNr.: {BUYER_VAT}")
    put(350, 130, "Rechnungsnummer: RE-2024-0042")
    put(350, 144, "Rechnungsdatum: 06.10.2024")
    put(350, 158, "Fällig am: 05.11.2024")
    put(350, 172, "Bestellnummer: PO-7781")
    y = 230
    for x, head in ((50, "Bezeichnung"), (260, "Menge"), (340, "Einzelpreis"), (470, "Betrag")):
        put(x, y, head)
    for desc, qty, price, total in (("Beratung", "10", "120,00", "1.200,00"), ("Reisekosten", "1", "56,70", "56,70")):
        y += 18
        for x, text in ((50, desc), (260, qty), (340, price), (470, total)):
            put(x, y, text)
    put(340, 320, "Nettobetrag")
    put(470, 320, "1.256,70 €")
    put(340, 338, "MwSt 19 %")
    put(470, 338, "238,77 €")
    put(340, 356, "Gesamtbetrag")
    put(470, 356, gross_printed)
    put(50, 420, "Bitte überweisen Sie den Betrag bis zum 05.11.2024.")
    put(50, 438, f"IBAN: {iban_printed}")
    if xml is not None:
        doc.embfile_add(name, xml, filename=name, ufilename=name, desc="Factur-X invoice")
    doc.save(path)
    doc.close()
    return path


def _issues(result: docextract.ExtractionResult, code: str) -> list[docextract.Issue]:
    return [i for i in result.issues if i.code == code]


def test_cii_in_pdf_is_read_exactly_with_xpath_and_page_evidence(tmp_path: Path) -> None:
    result = docextract.extract(invoice_pdf(tmp_path / "cii.pdf", cii_xml()), schema="Invoice")
    data = result.data
    assert data.invoice_number == "RE-2024-0042"
    assert (data.issue_date, data.due_date) == (dt.date(2024, 10, 6), dt.date(2024, 11, 5))
    assert data.currency == "EUR"
    assert (data.seller.name, data.buyer.name) == ("ACME Beratung GmbH", "Kunde AG")
    assert data.seller.address == "Hauptstraße 5, 10115 Berlin, DE"
    assert (data.seller.vat_id, data.buyer.vat_id, data.iban) == (SELLER_VAT, BUYER_VAT, IBAN)
    assert (data.total_net, data.total_tax, data.total_gross, data.amount_due) == (
        Decimal("1256.70"), Decimal("238.77"), Decimal("1495.47"), Decimal("1495.47"))
    assert [(li.description, li.quantity, li.unit_price, li.line_total) for li in data.line_items] == [
        ("Beratung", Decimal(10), Decimal("120.00"), Decimal("1200.00")),
        ("Reisekosten", Decimal(1), Decimal("56.70"), Decimal("56.70")),
    ]
    gross = result.fields["total_gross"]
    assert gross.source is not None and gross.source.startswith("einvoice")
    assert gross.evidence[0].xpath is not None and gross.evidence[0].xpath.endswith("ram:GrandTotalAmount")
    printed = [e for e in gross.evidence if e.box is not None]
    assert printed and printed[0].page == 0 and "1.495,47" in printed[0].text
    # The IBAN is printed with spaces, the date in German form: both are still found on the page.
    assert any(e.box is not None for e in result.fields["iban"].evidence)
    assert any(e.box is not None for e in result.fields["issue_date"].evidence)
    assert gross.confidence >= 0.95
    assert result.status == "ok", result.issues
    (profile,) = _issues(result, "einvoice_profile")
    assert "syntax=CII" in profile.message and "profile=EN 16931" in profile.message
    assert not _issues(result, "einvoice_mismatch")


def test_ubl_in_pdf_reports_xrechnung_and_reads_the_same_values(tmp_path: Path) -> None:
    result = docextract.extract(invoice_pdf(tmp_path / "ubl.pdf", ubl_xml(), name="xrechnung.xml"), schema="Invoice")
    data = result.data
    assert (data.invoice_number, data.due_date, data.iban) == ("RE-2024-0042", dt.date(2024, 11, 5), IBAN)
    assert data.buyer.address == "Marktplatz 1, 80331 München, DE"
    assert (data.total_net, data.total_gross) == (Decimal("1256.70"), Decimal("1495.47"))
    assert [li.line_total for li in data.line_items] == [Decimal("1200.00"), Decimal("56.70")]
    assert result.fields["total_net"].evidence[0].xpath == "/Invoice/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"
    (profile,) = _issues(result, "einvoice_profile")
    assert "syntax=UBL" in profile.message and "profile=XRECHNUNG" in profile.message
    assert result.status == "ok", result.issues


def test_xml_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "invoice.xml"
    path.write_bytes(cii_xml())
    result = docextract.extract(path, schema="Invoice")
    assert result.status == "ok", result.issues
    assert result.data.total_gross == Decimal("1495.47")
    assert result.data.seller.vat_id == SELLER_VAT
    assert all(e.page is None and e.xpath for f in result.fields.values() for e in f.evidence)


@pytest.mark.parametrize("syntax", ["cii", "ubl"])
def test_credit_note_keeps_the_sign_the_document_states(tmp_path: Path, syntax: str) -> None:
    path = tmp_path / "credit.xml"
    path.write_bytes(cii_xml(type_code="381") if syntax == "cii" else ubl_xml(credit=True))
    result = docextract.extract(path, schema="Invoice")
    assert result.data.total_gross == Decimal("1495.47")  # stated positive; the type code makes it a credit
    assert result.data.line_items[0].line_total == Decimal("1200.00")
    (profile,) = _issues(result, "einvoice_profile")
    assert "type=381 (credit note)" in profile.message


def test_xml_that_disagrees_with_the_page_goes_to_review(tmp_path: Path) -> None:
    # The fraud pattern: the attached XML pays a different account, and claims a different total.
    xml = cii_xml(iban=OTHER_IBAN, gross="1594.47")
    result = docextract.extract(invoice_pdf(tmp_path / "fraud.pdf", xml), schema="Invoice")
    mismatched = {f for i in _issues(result, "einvoice_mismatch") for f in i.fields}
    assert {"iban", "total_gross"} <= mismatched
    assert all(i.severity == "error" for i in _issues(result, "einvoice_mismatch"))
    assert result.status == "review"
    # The field carries the issue whichever tier's value it ends with (the page's, read by the rules tier).
    assert any(i.code == "einvoice_mismatch" for i in result.fields["iban"].issues)
    # Nothing that agrees is flagged, and the message does not leak the account numbers.
    assert "invoice_number" not in mismatched and "seller.vat_id" not in mismatched
    assert not any(OTHER_IBAN in i.message or IBAN in i.message for i in result.issues)


def test_a_pdf_with_malformed_xml_is_still_read_from_its_page(tmp_path: Path) -> None:
    broken = cii_xml()[:-40]  # truncated: not well-formed
    result = docextract.extract(invoice_pdf(tmp_path / "broken.pdf", broken), schema="Invoice")
    (issue,) = _issues(result, "einvoice_corrupt")
    assert issue.severity == "warning" and "factur-x.xml" in issue.message
    assert all(f.source != "einvoice" for f in result.fields.values())
    assert result.status != "failed"


def test_a_standalone_malformed_xml_file_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(cii_xml()[:-40])
    with pytest.raises(CorruptEInvoiceError, match=r"broken\.xml"):
        docextract.extract(path, schema="Invoice")


class Supplier(BaseModel):
    name: str | None = None
    vat: str | None = None


class Item(BaseModel):
    name: str | None = None
    qty: Decimal | None = None
    amount: Decimal | None = None


class PurchaseInvoice(BaseModel):
    """A user's own schema: other names, a label hint, a nested party under another word."""

    po_number: str | None = None
    leitweg: str | None = Field(None, json_schema_extra={"labels": ["Buyer reference"]})
    invoice_date: dt.date | None = None
    supplier: Supplier = Field(default_factory=Supplier)
    customer_name: str | None = None
    grand_total: Decimal | None = None
    is_credit_note: bool | None = None
    items: list[Item] = Field(default_factory=list)


def test_a_users_own_schema_picks_up_fields_by_name_and_label(tmp_path: Path) -> None:
    path = tmp_path / "invoice.xml"
    path.write_bytes(cii_xml())
    result = docextract.extract(path, schema=PurchaseInvoice)
    data = result.data
    assert (data.po_number, data.leitweg) == ("PO-7781", "04011000-12345-34")
    assert data.invoice_date == dt.date(2024, 10, 6)
    assert (data.supplier.name, data.supplier.vat, data.customer_name) == ("ACME Beratung GmbH", SELLER_VAT, "Kunde AG")
    assert data.grand_total == Decimal("1495.47")
    assert data.is_credit_note is False
    assert [(i.name, i.qty, i.amount) for i in data.items] == [
        ("Beratung", Decimal(10), Decimal("1200.00")), ("Reisekosten", Decimal(1), Decimal("56.70"))]
    xpath = str(result.fields["po_number"].evidence[0].xpath)
    assert xpath.endswith("ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID")


def test_a_profile_without_lines_leaves_them_to_the_page(tmp_path: Path) -> None:
    xml = cii_xml(guideline="urn:factur-x.eu:1p0:basicwl", lines=False)
    result = docextract.extract(invoice_pdf(tmp_path / "basicwl.pdf", xml), schema="Invoice")
    assert "profile=BASIC WL" in _issues(result, "einvoice_profile")[0].message
    assert str(result.fields["total_gross"].source).startswith("einvoice")
    line_sources = {f.source for p, f in result.fields.items() if p.startswith("line_items[")}
    assert "einvoice" not in line_sources


@pytest.mark.parametrize(("guideline", "name"), [
    ("urn:factur-x.eu:1p0:minimum", "MINIMUM"),
    ("urn:factur-x.eu:1p0:basicwl", "BASIC WL"),
    ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", "BASIC"),
    ("urn:cen.eu:en16931:2017", "EN 16931"),
    ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", "EXTENDED"),
    ("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", "XRECHNUNG"),
    ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", "PEPPOL BIS"),
    ("urn:ferd:CrossIndustryDocument:invoice:1p0:comfort", "COMFORT"),
])
def test_profile_names(guideline: str, name: str) -> None:
    assert profile_name(guideline) == name
    assert parse_einvoice(cii_xml(guideline=guideline), "x.xml").profile == name


def test_zugferd_1_namespaces() -> None:
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
  <rsm:SpecifiedExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
    <ram:ID>urn:ferd:CrossIndustryDocument:invoice:1p0:basic</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:SpecifiedExchangedDocumentContext>
  <rsm:HeaderExchangedDocument><ram:ID>471102</ram:ID><ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20130305</udt:DateTimeString></ram:IssueDateTime>
  </rsm:HeaderExchangedDocument>
  <rsm:SpecifiedSupplyChainTradeTransaction>
    <ram:ApplicableSupplyChainTradeAgreement><ram:SellerTradeParty><ram:Name>Lieferant GmbH</ram:Name>
      </ram:SellerTradeParty></ram:ApplicableSupplyChainTradeAgreement>
    <ram:ApplicableSupplyChainTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementMonetarySummation>
        <ram:TaxBasisTotalAmount currencyID="EUR">198.00</ram:TaxBasisTotalAmount>
        <ram:GrandTotalAmount currencyID="EUR">235.62</ram:GrandTotalAmount>
      </ram:SpecifiedTradeSettlementMonetarySummation></ram:ApplicableSupplyChainTradeSettlement>
  </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>"""
    inv = parse_einvoice(xml, "ZUGFeRD-invoice.xml")
    assert (inv.syntax, inv.profile) == ("CII-ZUGFeRD1", "BASIC")
    assert inv.fields["issue_date"].value == dt.date(2013, 3, 5)
    assert inv.fields["total_gross"].value == Decimal("235.62")
    assert inv.fields["seller.name"].xpath == (
        "/rsm:CrossIndustryDocument/rsm:SpecifiedSupplyChainTradeTransaction/"
        "ram:ApplicableSupplyChainTradeAgreement/ram:SellerTradeParty/ram:Name")
