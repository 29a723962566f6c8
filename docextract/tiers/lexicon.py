"""Label wordings of common business fields, in the languages the default OCR reads (en, de, fr, es, it, nl, pt).

A schema field is mapped to a concept by its name (``invoice_number``, ``po_number``, ``iban`` …); the
concept's labels are then added to the field's own hints. Labels are written as printed; matching
normalises case, accents, punctuation and the many spellings of "number" (see ``labels.norm_label``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Concept:
    """A business field: the field names that mean it, and how documents label it."""

    key: str
    names: tuple[str, ...]  # normalised field names (snake_case words joined by "_") that mean this concept
    labels: tuple[str, ...]
    # Words that, next to a label, mean the label is about something else ("Delivery date" is no issue date).
    rivals: tuple[str, ...] = ()


CONCEPTS: tuple[Concept, ...] = (
    Concept("invoice_number", ("invoice_number", "invoice_no", "invoice_id", "bill_number", "document_number"), (
        "Invoice number", "Invoice No", "Invoice #", "Invoice", "Inv No", "Bill No", "Document No", "Tax invoice No",
        "Rechnungsnummer", "Rechnungs-Nr", "Rechnung Nr", "Rechnung", "Beleg-Nr", "Belegnummer",
        "Numéro de facture", "N° de facture", "Facture N°", "Facture", "Nº factura", "Número de factura", "Factura",
        "Numero fattura", "Fattura n.", "Fattura", "Factuurnummer", "Factuur nr", "Factuur", "Número da fatura",
        "Fatura", "Nota fiscal",
        # Credit notes: their own number is the document's number.
        "Credit note No", "Credit note number", "Credit memo No", "Gutschrift Nr", "Gutschriftsnummer",
        "Avoir N°", "N° d'avoir", "Nº abono", "Nota di credito n.", "Creditnota nr", "Creditnotanummer",
    ), ("order", "customer", "client", "account", "delivery", "vat", "tax id", "contract", "page",
        # "Original invoice: INV-1", "Bezug: Rechnung 7": the number of another document.
        "original", "originale", "origine", "ursprunglich", "bezug", "related", "corrected")),
    Concept("order_number", ("order_number", "po_number", "purchase_order", "order_no", "po", "order_id",
                             "purchase_order_number"), (
        "Order number", "Order No", "Order #", "PO number", "PO No", "PO #", "P.O. No", "Purchase order",
        "Purchase order number", "Your order", "Bestellnummer", "Bestell-Nr", "Bestellung", "Auftragsnummer",
        "Auftrags-Nr", "Auftrag Nr", "Numéro de commande", "N° de commande", "Bon de commande", "Commande",
        "Número de pedido", "Pedido", "Numero ordine", "Ordine", "Bestelnummer", "Ordernummer", "Bestelling",
        "Número da encomenda", "Encomenda",
    ), ("delivery", "invoice")),
    Concept("customer_number", ("customer_number", "customer_id", "customer_no", "client_number"), (
        "Customer number", "Customer No", "Customer ID", "Account number", "Kundennummer", "Kunden-Nr",
        "Numéro client", "N° client", "Número de cliente", "Codice cliente", "Klantnummer", "Klant nr",
    )),
    Concept("issue_date", ("issue_date", "invoice_date", "date", "document_date", "bill_date", "date_issued",
                           "receipt_date", "purchase_date", "transaction_date"), (
        "Invoice date", "Date of issue", "Issue date", "Date", "Dated", "Bill date", "Document date",
        "Rechnungsdatum", "Datum", "Ausstellungsdatum", "Belegdatum", "Beleg-Datum", "Date de facture",
        "Date de facturation", "Date d'émission", "Fecha de factura", "Fecha de emisión", "Fecha", "Data fattura",
        "Data documento", "Data", "Factuurdatum", "Datum factuur", "Data da fatura", "Data de emissão",
    ), ("due", "delivery", "order", "service", "payment", "contract", "shipping", "leistungs", "liefer",
        "faellig", "echeance", "vencimiento", "scadenza", "verval", "livraison", "entrega", "consegna",
        "levering", "from", "to", "period", "birth", "vertrags", "lieferschein", "auftrag", "commande")),
    Concept("due_date", ("due_date", "payment_due", "payment_due_date", "pay_by"), (
        "Due date", "Payment due", "Due", "Pay by", "Payment due date", "Fällig am", "Fällig", "Fälligkeitsdatum",
        "Fälligkeit", "Zahlbar bis", "Zahlungsziel", "Date d'échéance", "Échéance", "Fecha de vencimiento",
        "Vencimiento", "Scadenza", "Data di scadenza", "Vervaldatum", "Te betalen voor", "Data de vencimento",
        "Please remit until", "Remit until", "Pay until", "Payable until", "Payable by", "Zahlbar bis zum",
        "À payer avant le", "Payable avant le", "Scadenza pagamento", "Data scadenza", "Due by",
        "Payment due by", "Fecha vencimiento", "Vencimento",
    )),
    Concept("order_date", ("order_date", "po_date"), (
        "Order date", "PO date", "Date of order", "Bestelldatum", "Auftragsdatum", "Date de commande",
        "Fecha de pedido", "Data ordine", "Besteldatum", "Data da encomenda", "Date", "Datum", "Fecha", "Data",
    )),
    Concept("delivery_date", ("delivery_date", "service_date", "shipping_date", "ship_date"), (
        "Delivery date", "Service date", "Date of supply", "Ship date", "Lieferdatum", "Leistungsdatum",
        "Liefer- und Leistungsdatum", "Date de livraison", "Fecha de entrega", "Data di consegna", "Leverdatum",
        "Leveringsdatum", "Data de entrega",
    )),
    Concept("statement_date", ("statement_date",), (
        "Statement date", "Date of statement", "Auszugsdatum", "Kontoauszug vom", "Date du relevé",
        "Fecha del extracto", "Data estratto", "Datum afschrift", "Date", "Datum", "Fecha", "Data",
    )),
    Concept("statement_period", ("statement_period", "period", "billing_period"), (
        "Statement period", "Period", "Billing period", "Zeitraum", "Abrechnungszeitraum", "Période",
        "Periodo", "Periode",
    )),
    Concept("currency", ("currency", "currency_code"), (
        "Currency", "Währung", "Devise", "Monnaie", "Moneda", "Valuta", "Divisa", "Munt", "Moeda",
    )),
    Concept("iban", ("iban", "bank_iban"), ("IBAN", "IBAN-Nr", "IBAN No", "IBAN number")),
    Concept("bic", ("bic", "swift", "swift_code", "bic_swift"), ("BIC", "SWIFT", "BIC/SWIFT", "SWIFT code")),
    Concept("account_number", ("account_number", "account_no", "bank_account"), (
        "Account number", "Account No", "Account", "Kontonummer", "Konto-Nr", "Konto", "Numéro de compte",
        "N° de compte", "Compte", "Número de cuenta", "Cuenta", "Numero di conto", "Conto", "Rekeningnummer",
        "Rekening", "Número da conta",
    ), ("customer", "kunden", "client", "holder", "inhaber", "titulaire", "titular")),
    Concept("account_holder", ("account_holder", "account_name", "holder"), (
        "Account holder", "Account name", "Kontoinhaber", "Inhaber", "Titulaire du compte", "Titulaire",
        "Titular de la cuenta", "Titular", "Intestatario", "Rekeninghouder", "Ten name van",
    )),
    Concept("opening_balance", ("opening_balance", "start_balance", "previous_balance", "balance_start"), (
        "Opening balance", "Previous balance", "Balance brought forward", "Starting balance", "Alter Kontostand",
        "Anfangssaldo", "Saldo alt", "Alter Saldo", "Solde initial", "Ancien solde", "Solde précédent",
        "Saldo inicial", "Saldo anterior", "Saldo iniziale", "Beginsaldo", "Vorig saldo", "Oud saldo",
    )),
    Concept("closing_balance", ("closing_balance", "end_balance", "new_balance", "balance_end", "balance"), (
        "Closing balance", "New balance", "Ending balance", "Balance", "Neuer Kontostand", "Endsaldo",
        "Saldo neu", "Neuer Saldo", "Solde final", "Nouveau solde", "Solde", "Saldo final", "Saldo finale",
        "Eindsaldo", "Nieuw saldo", "Saldo",
    ), ("opening", "previous", "alt", "alter", "ancien", "anterior", "inicial", "iniziale", "begin", "oud",
        "vorig", "brought", "starting", "initial")),
    Concept("total_net", ("total_net", "net_total", "subtotal", "net_amount", "total_excl_tax", "total_ht",
                          "amount_net"), (
        "Subtotal", "Sub-total", "Sub total", "Net total", "Total net", "Net amount", "Net", "Total excl. VAT",
        "Total excl. tax", "Total before tax", "Nettobetrag", "Netto", "Summe netto", "Gesamt netto",
        "Zwischensumme", "Nettosumme", "Warenwert", "Total HT", "Montant HT", "Sous-total", "Total hors taxes",
        "Base imponible", "Subtotal", "Importe neto", "Imponibile", "Totale imponibile", "Subtotaal",
        "Totaal excl. BTW", "Netto bedrag", "Total sem IVA", "Exclusief BTW", "Excl. BTW", "Total excl. BTW",
        "Rechnungssumme ohne USt", "Summe ohne USt", "Summe ohne MwSt", "Betrag ohne MwSt", "Gesamt ohne MwSt",
        "Basisbetrag", "Steuerbasisbetrag", "Bemessungsgrundlage", "Base TVA", "Base HT", "Montant EUR HT",
        "Total hors TVA", "Taxable amount", "Net total", "Totale imponibile", "Base imponibile",
    ), ("tax", "vat", "gross", "ttc", "mwst", "ust", "iva", "tva", "btw", "brutto", "incl", "inkl")),
    Concept("total_tax", ("total_tax", "tax", "tax_amount", "vat", "vat_amount", "total_vat", "sales_tax", "gst"), (
        "VAT", "Tax", "Sales tax", "Total VAT", "Total tax", "Tax amount", "VAT amount", "GST", "MwSt", "MwSt.-Betrag",
        "USt", "Umsatzsteuer", "Mehrwertsteuer", "Steuerbetrag", "Summe MwSt", "TVA", "Montant TVA", "Total TVA",
        "IVA", "Cuota IVA", "Total IVA", "VAT total", "Tax total", "Total tax amount", "MwSt gesamt",
        "Importe IVA", "Totale IVA", "Imposta", "BTW", "Totaal BTW", "BTW bedrag", "USt.-Betrag", "MwSt-Betrag",
        "Tax total", "Total GST", "GST amount", "Sales tax amount",
    ), ("incl", "inkl", "excl", "id", "no", "number", "reg", "nr", "ident", "rate", "%", "base", "ttc", "gross",
        "brutto", "net", "netto")),
    Concept("total_gross", ("total_gross", "gross_total", "grand_total", "total", "total_amount", "gross_amount",
                            "invoice_total", "total_incl_tax", "total_ttc", "amount_total"), (
        "Total", "Grand total", "Total incl. VAT", "Total incl. tax", "Invoice total", "Gross amount",
        "Total amount", "Total (incl. VAT)", "Gesamtbetrag", "Bruttobetrag", "Brutto", "Rechnungsbetrag",
        "Endbetrag", "Gesamtsumme", "Summe brutto", "Gesamt brutto", "Rechnungssumme", "Total TTC", "Montant TTC",
        "Total factura", "Importe total", "Total a pagar", "Totale fattura", "Totale documento", "Totale",
        "Totaal incl. BTW", "Totaalbedrag", "Totaal", "Total com IVA", "Inclusief BTW", "Total for this invoice",
        "Bruttosumme", "Gesamtbrutto", "Montant EUR TTC", "Total facture", "Total invoice amount",
        "Total (incl. GST)", "Total incl. GST", "Total inclusive",
    ), ("net", "netto", "ht", "excl", "exkl", "sub", "tax", "vat", "mwst", "ust", "tva", "iva", "btw", "zwischen",
        "hors", "imponible", "imponibile", "lines", "positionen", "carried", "ubertrag", "forward", "page", "qty",
        "quantity", "items", "discount", "rabatt")),
    Concept("amount_due", ("amount_due", "balance_due", "total_due", "amount_payable", "due_amount", "to_pay"), (
        "Amount due", "Balance due", "Total due", "Amount payable", "Please pay", "Total payable", "Zahlbetrag",
        "Zu zahlen", "Zu zahlender Betrag", "Offener Betrag", "Restbetrag", "Montant dû", "Reste à payer",
        "Net à payer", "Montant à payer", "Importe a pagar", "Total a pagar", "Da pagare", "Totale da pagare",
        "Importo da pagare", "Te betalen", "Openstaand bedrag", "Valor a pagar", "Due payable", "Total amount due",
        "Payable amount", "Zahlbetrag brutto", "Somme à payer", "Net a payer", "Total amount due", "Montant à régler",
        "Amount to pay",
    )),
    Concept("vat_id", ("vat_id", "vat_number", "tax_id", "vat_no", "vat_reg_no"), (
        "VAT ID", "VAT No", "VAT number", "VAT Reg No", "VAT registration number", "Tax ID", "USt-IdNr",
        "USt-ID", "USt.-Id.-Nr", "UID", "Umsatzsteuer-ID", "N° TVA", "TVA intracommunautaire", "N° de TVA",
        "Numéro de TVA", "NIF", "CIF", "Partita IVA", "P.IVA", "BTW-nummer", "BTW nr", "BTW-id", "NIPC",
        "N° TVA intracom", "TVA intracom", "N° TVA intracommunautaire", "Numéro de TVA intracommunautaire",
        "VAT Registration No", "NIF/CIF", "CIF/NIF", "BTW nummer", "USt-Id",
    )),
    Concept("seller", ("seller", "supplier", "vendor", "issuer", "company", "merchant", "from"), (
        "From", "Seller", "Supplier", "Vendor", "Issued by", "Service provider", "Anbieter", "Absender",
        "Lieferant", "Verkäufer", "Rechnungssteller",
        "Fournisseur", "Vendeur", "Émetteur", "Proveedor", "Emisor", "Vendedor", "Fornitore", "Cedente",
        "Leverancier", "Verkoper", "Fornecedor",
    )),
    Concept("buyer", ("buyer", "customer", "client", "bill_to", "recipient", "purchaser"), (
        "Bill to", "Billed to", "Invoice to", "Invoice address", "Customer", "Buyer", "Sold to", "Recipient",
        "Rechnungsempfänger", "Rechnungsadresse", "Kunde", "Käufer", "Leistungsempfänger", "Empfänger",
        "Client", "Facturé à", "Adresse de facturation", "Adresse du client", "Adresse client", "Customer address",
        "Billing address", "Kundenadresse", "Dirección del cliente", "Indirizzo cliente",
        "Acheteur", "Destinataire", "Cliente", "Facturar a",
        "Comprador", "Cessionario", "Committente", "Klant", "Factuuradres", "Koper", "Afnemer",
        "Spett.le", "Spettabile",
    )),
)

BY_KEY = {c.key: c for c in CONCEPTS}


def concept_for(path: str) -> Concept | None:
    """The concept a field path names, by its last part and, for party fields, its parent.

    ``seller.vat_id`` → vat_id; ``po_number`` → order_number; ``statement_date`` → statement_date.
    """
    name = path.rsplit(".", 1)[-1].lower()
    for c in CONCEPTS:
        if name in c.names:
            return c
    return None
