"""The Invoice schema: what a back office needs to book and pay an invoice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel, Field
from pydantic.config import JsonDict


def _hints(*labels: str, kind: str | None = None) -> JsonDict:
    extra: JsonDict = {"labels": list(labels)}
    if kind:
        extra["kind"] = kind
    return extra


class Party(BaseModel):
    """A seller or buyer."""

    name: str | None = Field(None, description="legal or trading name of the party")
    address: str | None = Field(None, description="postal address, lines joined with ', '")
    vat_id: str | None = Field(
        None,
        description="VAT identification number, with its country prefix",
        json_schema_extra=_hints(
            "VAT ID", "VAT No", "VAT number", "VAT Reg No", "Tax ID", "USt-IdNr", "USt-ID", "UID",
            "Umsatzsteuer-ID", "N° TVA", "TVA intracommunautaire", "N° de TVA", "NIF", "CIF", "Partita IVA",
            "P.IVA", "BTW-nummer", "BTW nr", "BTW", "NIPC",
            kind="vat_id",
        ),
    )


class Seller(Party):
    """The party that issued the invoice: its name is required (an invoice is booked against it)."""

    name: str = Field(description="legal or trading name of the party")


class LineItem(BaseModel):
    """One invoice line."""

    description: str | None = Field(
        None, description="what was sold",
        json_schema_extra=_hints("Description", "Item", "Product", "Article", "Service", "Bezeichnung",
                                 "Beschreibung", "Artikel", "Leistung", "Désignation", "Description", "Libellé",
                                 "Descripción", "Concepto", "Descrizione", "Omschrijving", "Artikel", "Produkt"),
    )
    quantity: Decimal | None = Field(
        None, description="number of units",
        json_schema_extra=_hints("Qty", "Quantity", "Menge", "Anzahl", "Qté", "Quantité", "Cantidad", "Cant.",
                                 "Quantità", "Q.tà", "Aantal", "Stück", "Units", kind="number"),
    )
    unit_price: Decimal | None = Field(
        None, description="price per unit",
        json_schema_extra=_hints("Unit price", "Price", "Rate", "Einzelpreis", "Preis", "E-Preis", "Stückpreis",
                                 "Prix unitaire", "P.U.", "Prix", "Precio unitario", "Precio", "Prezzo unitario",
                                 "Prezzo", "Stukprijs", "Prijs", "Unit cost", kind="amount"),
    )
    line_total: Decimal | None = Field(
        None, description="total of the line",
        json_schema_extra=_hints("Amount", "Total", "Line total", "Betrag", "Gesamt", "Gesamtpreis", "Summe",
                                 "Montant", "Total HT", "Importe", "Importo", "Bedrag", "Totaal", "Net amount",
                                 kind="amount"),
    )


class Invoice(BaseModel):
    """An invoice: identifiers, dates, parties, payment details, totals and lines."""

    # Required is what booking needs: the number, the issue date, the seller's name, the gross total and the
    # currency. The rest is optional, so below the threshold it is withheld from data, not a reason for review.

    docextract_rules: ClassVar[tuple[str, ...]] = (
        "totals_add_up", "lines_sum_to_net", "line_arithmetic", "iban_checksum", "vat_id_format",
        "due_after_issue", "currency_iso4217",
    )

    invoice_number: str = Field(
        description="the invoice's identifier",
        json_schema_extra=_hints("Invoice number", "Invoice No", "Invoice #", "Invoice", "Inv No", "Bill No",
                                 "Rechnungsnummer", "Rechnungs-Nr", "Rechnung Nr", "Rechnung", "Beleg-Nr",
                                 "Numéro de facture", "N° de facture", "Facture N°", "Facture", "Nº factura",
                                 "Número de factura", "Factura", "Numero fattura", "Fattura n.", "Fattura",
                                 "Factuurnummer", "Factuur nr", "Factuur"),
    )
    issue_date: dt.date = Field(
        description="the date the invoice was issued",
        json_schema_extra=_hints("Invoice date", "Date of issue", "Issue date", "Date", "Dated",
                                 "Rechnungsdatum", "Datum", "Ausstellungsdatum", "Date de facture",
                                 "Date de facturation", "Date d'émission", "Fecha de factura", "Fecha",
                                 "Data fattura", "Data", "Factuurdatum", "Datum factuur"),
    )
    due_date: dt.date | None = Field(
        None, description="the date payment is due",
        json_schema_extra=_hints("Due date", "Payment due", "Due", "Pay by", "Fällig am", "Fälligkeitsdatum",
                                 "Zahlbar bis", "Zahlungsziel", "Date d'échéance", "Échéance",
                                 "Fecha de vencimiento", "Vencimiento", "Scadenza", "Data di scadenza",
                                 "Vervaldatum", "Te betalen voor"),
    )
    currency: str = Field(
        description="ISO 4217 currency code of the amounts",
        json_schema_extra=_hints("Currency", "Währung", "Devise", "Moneda", "Valuta", kind="currency"),
    )
    seller: Seller = Field(
        description="who issued the invoice",
        json_schema_extra=_hints("From", "Seller", "Supplier", "Vendor", "Lieferant", "Verkäufer",
                                 "Fournisseur", "Vendeur", "Proveedor", "Fornitore", "Leverancier"),
    )
    buyer: Party = Field(
        default_factory=Party, description="who is billed",
        json_schema_extra=_hints("Bill to", "Billed to", "Invoice to", "Customer", "Buyer", "Sold to",
                                 "Rechnungsempfänger", "Kunde", "Client", "Facturé à", "Cliente", "Klant",
                                 "Factuuradres"),
    )
    iban: str | None = Field(
        None, description="IBAN to pay into",
        json_schema_extra=_hints("IBAN", "IBAN-Nr", "Bank account", "Konto", kind="iban"),
    )
    total_net: Decimal | None = Field(
        None, description="total before tax",
        json_schema_extra=_hints("Subtotal", "Sub-total", "Net total", "Total net", "Net amount", "Total excl. VAT",
                                 "Nettobetrag", "Netto", "Summe netto", "Gesamt netto", "Zwischensumme",
                                 "Total HT", "Montant HT", "Sous-total", "Base imponible", "Subtotal",
                                 "Imponibile", "Totale imponibile", "Subtotaal", "Totaal excl. BTW",
                                 kind="amount"),
    )
    total_tax: Decimal | None = Field(
        None, description="total tax (VAT) amount",
        json_schema_extra=_hints("VAT", "Tax", "Sales tax", "Total VAT", "Tax amount", "MwSt", "USt",
                                 "Umsatzsteuer", "Mehrwertsteuer", "TVA", "Montant TVA", "Total TVA", "IVA",
                                 "Cuota IVA", "Totale IVA", "BTW", "Totaal BTW", kind="amount"),
    )
    total_gross: Decimal = Field(
        description="grand total including tax",
        json_schema_extra=_hints("Total", "Grand total", "Total incl. VAT", "Invoice total", "Gross amount",
                                 "Gesamtbetrag", "Bruttobetrag", "Brutto", "Rechnungsbetrag", "Endbetrag",
                                 "Gesamtsumme", "Total TTC", "Montant TTC", "Net à payer", "Total factura",
                                 "Importe total", "Totale fattura", "Totale documento", "Totaal incl. BTW",
                                 "Totaalbedrag", kind="amount"),
    )
    amount_due: Decimal | None = Field(
        None, description="amount still to pay (after prepayments)",
        json_schema_extra=_hints("Amount due", "Balance due", "Total due", "Amount payable", "Please pay",
                                 "Zahlbetrag", "Zu zahlen", "Offener Betrag", "Restbetrag", "Montant dû",
                                 "Reste à payer", "Net à payer", "Importe a pagar", "Da pagare", "Te betalen",
                                 "Openstaand bedrag", kind="amount"),
    )
    line_items: list[LineItem] = Field(
        default_factory=list, description="the invoice lines",
        json_schema_extra=_hints("Items", "Positionen", "Articles", "Artículos", "Articoli", "Artikelen"),
    )
