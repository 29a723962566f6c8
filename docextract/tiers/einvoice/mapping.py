"""An e-invoice record's semantic names → the field paths of a schema.

The built-in Invoice schema uses the semantic names themselves (``seller.vat_id``, ``total_gross``,
``line_items[i].quantity``). A user's own schema is matched by field name (``po_number``,
``supplier.vat``, ``vendor_name``), then by its label hints (``labels=["Bestellnummer"]``), and only
where the field's kind can hold the value (a date field never takes an amount).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docextract.load.einvoice.model import EInvoice, XmlValue
from docextract.schema import FieldSpec, SchemaSpec

_DATE_KEYS = frozenset({"issue_date", "due_date", "delivery_date"})
_AMOUNT_KEYS = frozenset({
    "total_lines", "allowance_total", "charge_total", "total_net", "total_tax", "total_gross", "prepaid",
    "amount_due", "quantity", "unit_price", "price_basis_quantity", "line_total", "tax_rate",
})

# Other names a header field goes by: field names (snake_case) and label wordings, compared as
# lower-case word sequences.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "invoice_number": ("invoice number", "invoice no", "invoice id", "number", "document number", "bill number",
                       "credit note number", "rechnungsnummer", "rechnungs nr", "numero facture", "n de facture",
                       "factuurnummer", "numero fattura", "numero factura", "bt 1"),
    "document_type": ("document type", "type code", "invoice type", "invoice type code", "bt 3"),
    "issue_date": ("invoice date", "date", "date of issue", "issued", "issued on", "rechnungsdatum", "date facture",
                   "factuurdatum", "bt 2"),
    "due_date": ("payment due", "due", "payment due date", "pay by", "faellig am", "fallig am", "zahlbar bis",
                 "date d echeance", "echeance", "vervaldatum", "bt 9"),
    "delivery_date": ("delivery date", "service date", "date of supply", "supply date", "leistungsdatum",
                      "lieferdatum", "bt 72"),
    "currency": ("currency code", "invoice currency", "waehrung", "wahrung", "devise", "bt 5"),
    "buyer_reference": ("buyer reference", "customer reference", "your reference", "leitweg id", "leitweg",
                        "routing id", "ihr zeichen", "kundenreferenz", "bt 10"),
    "order_number": ("order number", "order reference", "order ref", "order id", "po", "po number", "po no",
                     "purchase order", "purchase order number", "purchase order reference", "bestellnummer",
                     "bestellung", "auftragsnummer", "bon de commande", "numero de commande", "bt 13"),
    "contract_reference": ("contract", "contract number", "contract reference", "vertragsnummer", "bt 12"),
    "payment_reference": ("payment reference", "remittance information", "verwendungszweck", "reference de paiement",
                          "structured reference", "bt 83"),
    "payment_terms": ("terms", "payment terms", "zahlungsbedingungen", "conditions de paiement", "bt 20"),
    "iban": ("iban", "bank account", "account iban", "payee iban", "bt 84"),
    "bic": ("bic", "swift", "swift bic", "bic swift", "bt 86"),
    "total_lines": ("subtotal", "lines total", "sum of lines", "line total amount", "line extension amount",
                    "summe positionen", "bt 106"),
    "allowance_total": ("allowances", "discount total", "total discount", "bt 107"),
    "charge_total": ("charges", "charge total", "bt 108"),
    "total_net": ("net total", "net amount", "total net", "total excl vat", "tax basis", "tax exclusive amount",
                  "nettobetrag", "total ht", "montant ht", "bt 109"),
    "total_tax": ("tax", "vat", "tax total", "total tax", "vat amount", "tax amount", "total vat", "mwst",
                  "umsatzsteuer", "tva", "total tva", "bt 110"),
    "total_gross": ("total", "grand total", "gross total", "total gross", "total amount", "invoice total",
                    "total incl vat", "tax inclusive amount", "gesamtbetrag", "bruttobetrag", "total ttc", "bt 112"),
    "prepaid": ("prepaid amount", "paid", "amount paid", "paid amount", "deposit", "anzahlung", "bt 113"),
    "amount_due": ("due amount", "balance due", "amount payable", "payable amount", "total due", "to pay",
                   "zahlbetrag", "montant du", "net a payer", "bt 115"),
}
PARTY_ALIASES: dict[str, tuple[str, ...]] = {
    "seller": ("seller", "supplier", "vendor", "issuer", "merchant", "sender", "from", "payee", "lieferant",
               "verkaeufer", "verkaufer", "fournisseur", "vendeur", "proveedor", "fornitore", "leverancier"),
    "buyer": ("buyer", "customer", "client", "recipient", "invoicee", "bill to", "billed to", "sold to", "to",
              "kunde", "rechnungsempfaenger", "acheteur", "cliente", "klant"),
}
PARTY_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "company", "company name", "legal name", "registration name", "firma"),
    "address": ("address", "postal address", "full address", "anschrift", "adresse"),
    "street": ("street", "street address", "address line", "address line 1", "strasse"),
    "postcode": ("postcode", "zip", "zip code", "postal code", "plz", "code postal"),
    "city": ("city", "town", "ort", "ville"),
    "country": ("country", "country code", "land", "pays"),
    "vat_id": ("vat", "vat id", "vat number", "vat no", "vat reg no", "tax id", "ust id", "ust idnr",
               "umsatzsteuer id", "tva", "tva intracommunautaire", "btw nummer", "partita iva"),
    "tax_number": ("tax number", "tax no", "steuernummer", "fiscal number", "siren", "siret"),
    "id": ("id", "number", "customer number", "supplier number", "party id", "kundennummer"),
    "email": ("email", "e mail", "mail", "email address"),
}
TABLE_ALIASES = ("line items", "items", "lines", "invoice lines", "positions", "positionen", "products", "articles",
                 "entries", "rows")
LINE_ALIASES: dict[str, tuple[str, ...]] = {
    "line_id": ("line id", "line number", "line no", "position", "pos", "no"),
    "parent_line_id": ("parent line id", "parent id", "parent line"),
    "description": ("description", "name", "item", "item name", "product", "product name", "article", "service",
                    "bezeichnung", "beschreibung", "designation", "libelle"),
    "item_id": ("item id", "sku", "article number", "product code", "item code", "artikelnummer", "reference"),
    "quantity": ("qty", "quantity", "count", "menge", "anzahl", "quantite"),
    "unit": ("unit", "unit code", "uom", "unit of measure", "einheit", "unite"),
    "unit_price": ("price", "unit price", "net price", "rate", "einzelpreis", "prix unitaire", "pu"),
    "price_basis_quantity": ("price basis quantity", "base quantity", "basis quantity"),
    "line_total": ("total", "amount", "line amount", "net amount", "line net", "betrag", "gesamtpreis", "montant"),
    "tax_rate": ("vat rate", "tax rate", "vat", "vat percent", "tax percent", "mwst satz", "taux tva"),
}


@dataclass(frozen=True, slots=True)
class Mapped:
    """One schema path filled from the XML."""

    path: str
    key: str  # the semantic name in the record
    source: XmlValue
    value: Any  # converted for the field's kind


def words_of(text: str) -> str:
    """``"PO-Number"``, ``"po_number"``, ``"poNumber"`` → ``"po number"``."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    text = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = re.sub(r"[éèêë]", "e", re.sub(r"[àâ]", "a", text))
    return " ".join(re.findall(r"[a-z0-9]+", text))


def map_einvoice(inv: EInvoice, spec: SchemaSpec, wanted: frozenset[str] | set[str]) -> list[Mapped]:
    """The record's values for the wanted paths of ``spec``, converted to each field's kind.

    Args:
        inv: the parsed e-invoice.
        spec: the schema.
        wanted: field paths (and table paths) still wanted.

    Returns:
        One ``Mapped`` per field the XML can fill; table cells as ``table[i].field``.
    """
    values = dict(inv.fields)
    if "document_type" in values:
        code = values["document_type"]
        values["credit_note"] = XmlValue("true" if inv.credit_note else "false", code.raw, code.xpath)
    out: list[Mapped] = []
    for fs in spec.fields:
        if fs.path not in wanted:
            continue
        key = header_key(fs)
        if key is None or key not in values:
            continue
        value = convert(values[key], fs)
        if value is not None:
            out.append(Mapped(fs.path, key, values[key], value))
    for table in spec.tables:
        if table.path not in wanted or not inv.lines or not _is_line_table(table.path, table.labels):
            continue
        keys = {fs.path: line_key(fs) for fs in table.item_fields}
        for i, line in enumerate(inv.lines):
            for fs in table.item_fields:
                key = keys[fs.path]
                if key is None or key not in line:
                    continue
                value = convert(line[key], fs)
                if value is not None:
                    out.append(Mapped(f"{table.path}[{i}].{fs.path}", key, line[key], value))
    return out


def header_key(fs: FieldSpec) -> str | None:
    """The semantic name a (non-table) field stands for, or None."""
    if fs.path in HEADER_ALIASES or _is_party_key(fs.path) or fs.path == "credit_note":
        return _compatible(fs.path, fs)
    if fs.path == "is_credit_note":
        return _compatible("credit_note", fs)
    parts = fs.path.split(".")
    leaf = words_of(parts[-1])
    party = _party_of(words_of(parts[-2])) if len(parts) > 1 else None
    if party is None:
        # "supplier_vat_id", "vendor name": a party word leading the name
        for who, aliases in PARTY_ALIASES.items():
            for alias in aliases:
                if leaf.startswith(alias + " ") and len(alias) > 2:
                    party, leaf = who, leaf[len(alias) + 1:]
                    break
            if party:
                break
    candidates = [leaf, *(words_of(label) for label in fs.labels)]
    if party is not None:
        for text in candidates:
            for key, aliases in PARTY_FIELD_ALIASES.items():
                if text == key.replace("_", " ") or text in aliases:
                    return _compatible(f"{party}.{key}", fs)
        return None
    for text in candidates:
        for key, aliases in HEADER_ALIASES.items():
            if text == key.replace("_", " ") or text in aliases:
                return _compatible(key, fs)
    return None


def line_key(fs: FieldSpec) -> str | None:
    """The semantic line name an item field stands for, or None."""
    for text in (words_of(fs.path), *(words_of(label) for label in fs.labels)):
        for key, aliases in LINE_ALIASES.items():
            if text == key.replace("_", " ") or text in aliases:
                return _compatible(key, fs)
    return None


def convert(src: XmlValue, fs: FieldSpec) -> Any:
    """The XML value in the form the field's kind wants; None when it does not fit."""
    value = src.value
    kind = fs.kind
    if kind == "date":
        return value if isinstance(value, dt.date) else None
    if kind in ("amount", "number", "percent"):
        return value if isinstance(value, Decimal) else None
    if kind == "integer":
        return int(value) if isinstance(value, Decimal) and value == value.to_integral_value() else None
    if kind == "boolean":
        return {"true": True, "false": False}.get(str(value)) if src.xpath.endswith("TypeCode") else None
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if kind == "enum":
        return next((e for e in fs.enum_values if e.casefold() == text.casefold()), None)
    return text


def _is_party_key(path: str) -> bool:
    who, _, rest = path.partition(".")
    return who in PARTY_ALIASES and rest in PARTY_FIELD_ALIASES


def _party_of(text: str) -> str | None:
    for who, aliases in PARTY_ALIASES.items():
        if text == who or text in aliases or any(text.startswith(a + " ") for a in aliases if len(a) > 2):
            return who
    return None


def _compatible(key: str, fs: FieldSpec) -> str | None:
    """``key`` if its values fit a field of ``fs.kind``; dates to dates, amounts to numbers."""
    leaf = key.rsplit(".", 1)[-1]
    if fs.kind == "date":
        return key if leaf in _DATE_KEYS else None
    if fs.kind in ("amount", "number", "percent", "integer"):
        return key if leaf in _AMOUNT_KEYS else None
    if fs.kind == "boolean":
        return key if key == "credit_note" else None
    return None if leaf in _AMOUNT_KEYS and fs.kind not in ("string", "text") else key


def _is_line_table(path: str, labels: tuple[str, ...]) -> bool:
    return any(words_of(t) in TABLE_ALIASES for t in (path, *labels))
