"""Column concepts of item tables (description, quantity, unit price, …): the field names that mean each
one and the header wordings that label it, in en/de/fr/es/it/nl/pt; plus the header matching.

A schema's item field is mapped to a concept by its name (``qty`` → quantity); its own ``labels`` are
matched as well, so a user's schema works without touching this list.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CONCEPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # key: (field names, header labels)
    "description": (
        ("description", "desc", "item", "item_description", "product", "product_name", "name", "article", "details",
         "text", "memo", "narrative", "particulars", "service", "designation", "label", "purpose"),
        ("Description", "Item", "Items", "Product", "Article", "Service", "Details", "Particulars", "Item description",
         "Bezeichnung", "Beschreibung", "Artikel", "Leistung", "Artikelbezeichnung", "Produkt", "Text",
         "Buchungstext", "Verwendungszweck", "Désignation", "Libellé", "Nom & désignation", "Descripción", "Concepto",
         "Artículo", "Descrizione", "Articolo", "Omschrijving", "Produto", "Descrição", "Narrative", "Memo",
         "Transaction details"),
    ),
    "quantity": (
        ("quantity", "qty", "count", "units", "quantity_ordered", "hours", "pieces", "menge"),
        ("Qty", "Quantity", "Qté", "Quantité", "Menge", "Anzahl", "Stück", "Stk", "Cantidad", "Cant", "Quantità",
         "Q.tà", "Qtà", "Aantal", "Quantidade", "Qtd", "Units", "Pcs", "Hours", "Hrs", "Qty ordered"),
    ),
    "unit_price": (
        ("unit_price", "price", "rate", "unit_cost", "price_per_unit", "each", "unit_amount", "net_price"),
        ("Unit price", "Price", "Rate", "Unit cost", "Each", "Price per unit", "Einzelpreis", "Preis", "E-Preis",
         "Stückpreis", "Nettopreis", "Einzelpreis netto", "Prix unitaire", "P.U.", "P.U. HT", "PU HT", "Prix",
         "Prix unitaire HT", "Precio unitario", "Precio", "Prezzo unitario", "Prezzo", "Stukprijs", "Prijs",
         "Prijs per stuk", "Preço unitário", "Preço"),
    ),
    "line_total": (
        ("line_total", "total", "amount", "line_amount", "net_amount", "subtotal", "sum", "value", "total_price",
         "total_amount", "gross_amount", "line_net"),
        ("Amount", "Total", "Line total", "Net amount", "Amount net", "Betrag", "Gesamt", "Gesamtpreis", "Summe",
         "Nettobetrag", "Entgelt", "Montant", "Total HT", "Montant HT", "Montant EUR HT", "Importe", "Importe total",
         "Importo", "Totale", "Bedrag", "Totaal", "Valor", "Valor total", "Total incl. VAT", "Prijs incl. BTW",
         "incl. BTW", "Total price"),
    ),
    "tax_rate": (
        ("tax_rate", "vat_rate", "vat", "tax", "vat_percent", "tax_percent"),
        ("VAT %", "VAT", "VAT rate", "Tax %", "Tax", "Tax rate", "MwSt", "MwSt %", "MwSt.-%", "USt", "USt %", "Steuer",
         "Steuersatz", "TVA", "Taux TVA", "Taux", "IVA", "% IVA", "BTW", "BTW %"),
    ),
    "unit": (
        ("unit", "uom", "unit_of_measure", "unit_code"),
        ("Unit", "UoM", "Einheit", "ME", "Unité", "Unidad", "Unità", "Eenheid", "Unidade"),
    ),
    "sku": (
        ("sku", "article_number", "item_number", "product_code", "code", "part_number", "item_code", "ref",
         "reference", "product_id", "item_id", "article_no"),
        ("SKU", "Item no", "Item #", "Art. No", "Art.-Nr", "Art-Nr", "Artikelnummer", "Artikel-Nr", "Part No",
         "Product code", "Code", "Ref", "Référence", "Code article", "Referencia", "Código", "Codice", "Referenzen",
         "Artikelnr", "Item code"),
    ),
    "date": (
        ("date", "transaction_date", "booking_date", "value_date", "posting_date", "service_date", "delivery_date"),
        ("Date", "Datum", "Buchungstag", "Buchungsdatum", "Valuta", "Wertstellung", "Date opération", "Date valeur",
         "Fecha", "Data", "Booking date", "Value date", "Transaction date", "Posting date"),
    ),
    "balance": (
        ("balance", "running_balance", "saldo"),
        ("Balance", "Saldo", "Solde", "Kontostand", "Running balance"),
    ),
    "line_id": (
        ("line_id", "position", "pos", "line_number", "line_no", "line"),
        ("Pos", "Pos.", "Position", "No", "Nr", "#", "Line", "Ligne", "Item #"),
    ),
}

_NUMBER_WORDS = {"no", "nr", "n", "num", "number", "numero", "nummer", "#"}


def norm(text: str) -> str:
    """Casefolded, accents and punctuation gone, single spaces ("Qté." → "qte")."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("%", " pct ").replace("#", " # ")
    return " ".join(re.sub(r"[^\w#]+", " ", text).split())


def concept_of(name: str, labels: tuple[str, ...] = ()) -> str | None:
    """The concept a schema field means, by its name, else by its own labels."""
    n = name.casefold()
    for key, (names, _) in CONCEPTS.items():
        if n in names:
            return key
    for key, (names, _) in CONCEPTS.items():
        if any(n.endswith("_" + x) or n.startswith(x + "_") for x in names if len(x) > 3):
            return key
    wanted = {norm(label) for label in labels}
    for key, (_, concept_labels) in CONCEPTS.items():
        if wanted & {norm(x) for x in concept_labels}:
            return key
    return None


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(norm(text).split())


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    n = len(inner)
    return any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


def header_score(header: str, labels: tuple[str, ...]) -> float:
    """How well a column header matches any of ``labels``: 1.0 exact; 0.6..0.95 when a label is a run
    of the header's words (more of the header covered scores higher); 0 when nothing matches."""
    h = _tokens(header)
    if not h:
        return 0.0
    best = 0.0
    hlen = sum(len(t) for t in h)
    for label in labels:
        lab = _tokens(label)
        if not lab:
            continue
        if lab == h:
            return 1.0
        if _contains(h, lab) and not set(lab) <= _NUMBER_WORDS:
            best = max(best, 0.6 + 0.35 * sum(len(t) for t in lab) / hlen)
    return best
