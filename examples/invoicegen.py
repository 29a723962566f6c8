"""Synthetic invoices and forms as PDFs (pymupdf), for tests and examples.

``random_invoice(seed)`` makes varied, arithmetically consistent content; ``render_invoice(data, style)``
draws it in one of many layouts (labels left of or above values, two-column headers, six languages,
base-14 fonts, ruled or bare tables, long tables across pages with carried-forward subtotals, a
letterhead, an address window, a footer with IBAN and VAT id). ``render_form(pairs, style)`` draws
plain label/value pairs, for custom schemas (purchase orders, bank statements).

Example:
    >>> from examples.invoicegen import random_invoice, render_invoice, Style
    >>> data = random_invoice(7, lang="de")
    >>> pdf = render_invoice(data, Style(placement="above", font="times"))
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

LANGS = ("en", "de", "fr", "es", "it", "nl")

# label key → wording per language
LABELS: dict[str, dict[str, str]] = {
    "title": {"en": "INVOICE", "de": "RECHNUNG", "fr": "FACTURE", "es": "FACTURA", "it": "FATTURA", "nl": "FACTUUR"},
    "number": {"en": "Invoice No.", "de": "Rechnungsnummer", "fr": "N° de facture", "es": "Nº factura",
               "it": "Numero fattura", "nl": "Factuurnummer"},
    "date": {"en": "Invoice date", "de": "Rechnungsdatum", "fr": "Date de facture", "es": "Fecha de factura",
             "it": "Data fattura", "nl": "Factuurdatum"},
    "due": {"en": "Due date", "de": "Fällig am", "fr": "Date d'échéance", "es": "Fecha de vencimiento",
            "it": "Scadenza", "nl": "Vervaldatum"},
    "order": {"en": "Order No.", "de": "Bestellnummer", "fr": "N° de commande", "es": "Número de pedido",
              "it": "Numero ordine", "nl": "Ordernummer"},
    "customer_no": {"en": "Customer No.", "de": "Kunden-Nr.", "fr": "N° client", "es": "Número de cliente",
                    "it": "Codice cliente", "nl": "Klantnummer"},
    "bill_to": {"en": "Bill to", "de": "Rechnungsempfänger", "fr": "Facturé à", "es": "Facturar a",
                "it": "Cliente", "nl": "Factuuradres"},
    "desc": {"en": "Description", "de": "Bezeichnung", "fr": "Désignation", "es": "Descripción",
             "it": "Descrizione", "nl": "Omschrijving"},
    "qty": {"en": "Qty", "de": "Menge", "fr": "Qté", "es": "Cantidad", "it": "Quantità", "nl": "Aantal"},
    "price": {"en": "Unit price", "de": "Einzelpreis", "fr": "Prix unitaire", "es": "Precio", "it": "Prezzo",
              "nl": "Prijs"},
    "amount": {"en": "Amount", "de": "Betrag", "fr": "Montant", "es": "Importe", "it": "Importo", "nl": "Bedrag"},
    "net": {"en": "Subtotal", "de": "Nettobetrag", "fr": "Total HT", "es": "Base imponible", "it": "Imponibile",
            "nl": "Subtotaal"},
    "tax": {"en": "VAT", "de": "MwSt.", "fr": "TVA", "es": "IVA", "it": "IVA", "nl": "BTW"},
    "gross": {"en": "Total", "de": "Gesamtbetrag", "fr": "Total TTC", "es": "Total factura", "it": "Totale fattura",
              "nl": "Totaal incl. BTW"},
    "due_amount": {"en": "Amount due", "de": "Zahlbetrag", "fr": "Net à payer", "es": "Importe a pagar",
                   "it": "Da pagare", "nl": "Te betalen"},
    "vat_id": {"en": "VAT ID", "de": "USt-IdNr.", "fr": "N° TVA", "es": "NIF", "it": "Partita IVA", "nl": "BTW-nr"},
    "prepaid": {"en": "Prepayment", "de": "Anzahlung", "fr": "Acompte", "es": "Anticipo", "it": "Acconto",
                "nl": "Voorschot"},
    "rate": {"en": "Rate", "de": "Satz", "fr": "Taux", "es": "Tipo", "it": "Aliquota", "nl": "Tarief"},
    "base": {"en": "Net amount", "de": "Nettobetrag", "fr": "Base HT", "es": "Base imponible", "it": "Imponibile",
             "nl": "Netto bedrag"},
    "tax_amount": {"en": "VAT amount", "de": "MwSt.-Betrag", "fr": "Montant TVA", "es": "Cuota IVA",
                   "it": "Importo IVA", "nl": "BTW bedrag"},
    "carried": {"en": "Carried forward", "de": "Übertrag", "fr": "Report", "es": "Suma y sigue", "it": "Riporto",
                "nl": "Transport"},
    "page": {"en": "Page", "de": "Seite", "fr": "Page", "es": "Página", "it": "Pagina", "nl": "Pagina"},
}
_MONTHS = {"en": "January February March April May June July August September October November December"}
_DECIMAL_COMMA = {"de", "fr", "es", "it", "nl"}
_CITIES = {"en": ("London", "EC1A 1BB", "GB"), "de": ("Berlin", "10115", "DE"), "fr": ("Paris", "75002", "FR"),
           "es": ("Madrid", "28013", "ES"), "it": ("Milano", "20121", "IT"), "nl": ("Utrecht", "3511 AB", "NL")}
_IBANS = ("DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300", "GB29NWBK60161331926819",
          "ES9121000418450200051332", "IT60X0542811101000000123456")
_COMPANIES = ("Nordwind Technik GmbH", "Atelier Lumière SARL", "Brightline Supplies Ltd", "Costa Verde S.L.",
              "Officine Rossi S.r.l.", "Van Dijk Installaties B.V.", "Helix Data Systems Inc.", "Alpenblick AG",
              "Blue Harbour Trading Ltd", "Meridian Consulting GmbH")
_BUYERS = ("Kestrel Logistics Ltd", "Bäckerei Sommer KG", "Maison Dubois SA", "Grupo Talavera S.A.",
           "Studio Bianchi S.r.l.", "De Groot Bouw B.V.", "Orchard Analytics LLC", "Pinecrest Hotels Ltd")
_ITEMS = ("Consulting hours", "Software licence", "Maintenance contract", "Office chairs", "Printer toner",
          "Network switch", "Training workshop", "Cloud hosting", "Design services", "Cable set", "Desk lamp",
          "Travel expenses", "Support plan", "USB-C dock", "Monitor 27 inch")
_VAT_IDS = {"de": "DE136695976", "fr": "FR40303265045", "nl": "NL810433941B01", "en": "GB980780684",
            "es": "ESB58378431", "it": "IT00743110157"}


@dataclass
class Party:
    """A seller or buyer."""

    name: str
    street: str
    city: str
    vat_id: str | None = None


@dataclass
class Line:
    """One invoice line."""

    description: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class InvoiceData:
    """Everything printed on an invoice; totals follow from the lines and the tax rate."""

    number: str
    issue_date: dt.date
    due_date: dt.date | None
    seller: Party
    buyer: Party
    lines: list[Line]
    currency: str = "EUR"
    tax_rate: Decimal = Decimal("19")
    iban: str | None = None
    order_number: str | None = None
    lang: str = "en"
    prepaid: Decimal = Decimal("0")  # already paid: the amount due is the gross total less this
    reduced_lines: int = 0  # the last lines are taxed at ``reduced_rate`` (a tax breakdown then has two rows)
    reduced_rate: Decimal = Decimal("5")

    @property
    def total_net(self) -> Decimal:
        return sum((ln.total for ln in self.lines), Decimal("0"))

    @property
    def tax_breakdown(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        """(rate, net, tax) per tax rate."""
        cut = len(self.lines) - min(self.reduced_lines, len(self.lines) - 1)
        groups = [(self.tax_rate, self.lines[:cut]), (self.reduced_rate, self.lines[cut:])]
        out = []
        for rate, lines in groups:
            if lines:
                net = sum((ln.total for ln in lines), Decimal("0"))
                out.append((rate, net, (net * rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)))
        return out

    @property
    def total_tax(self) -> Decimal:
        return sum((tax for _, _, tax in self.tax_breakdown), Decimal("0"))

    @property
    def total_gross(self) -> Decimal:
        return self.total_net + self.total_tax

    @property
    def amount_due(self) -> Decimal:
        return self.total_gross - self.prepaid


@dataclass(frozen=True)
class Style:
    """How an invoice is drawn."""

    placement: str = "left"  # "left": label then value on one row; "above": label over value
    font: str = "helv"  # helv | times | courier (pymupdf base-14)
    columns: int = 1  # header fields in 1 or 2 label/value columns
    ruled: bool = True  # table with ruling lines
    colon: bool = True
    rows_per_page: int = 22  # table rows before a page break (long tables continue, with "carried forward")
    footer: bool = True  # IBAN / VAT id in the footer
    totals: str = "rows"  # "rows": label/value rows | "grid": net/tax/gross labels over one row of amounts
    #                       | "breakdown": a tax table (rate, base, tax) split over two rates, then the total
    boxed: bool = False  # header fields as boxes: the value over a small caption
    bill_to_heading: bool = True  # False: the buyer's address sits in the window with no heading
    currency_on_amounts: bool = True  # totals written with their currency code


def money(value: Decimal, lang: str, currency: str | None = None) -> str:
    """``1234.5`` → ``1,234.50`` (en) or ``1.234,50`` (others), with the currency when given."""
    text = f"{value:,.2f}"
    if lang in _DECIMAL_COMMA:
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    if currency is None:
        return text
    return f"{text} {currency}" if lang in _DECIMAL_COMMA else f"{currency} {text}"


def date_text(d: dt.date, lang: str) -> str:
    """A date as the language usually writes it."""
    if lang == "en":
        return f"{_MONTHS['en'].split()[d.month - 1]} {d.day}, {d.year}"
    if lang == "de":
        return d.strftime("%d.%m.%Y")
    if lang == "nl":
        return d.strftime("%d-%m-%Y")
    return d.strftime("%d/%m/%Y")


def random_invoice(seed: int, **overrides: object) -> InvoiceData:
    """A plausible invoice with consistent arithmetic; ``overrides`` replace any InvoiceData field."""
    rnd = random.Random(seed)
    lang = str(overrides.get("lang") or rnd.choice(LANGS))
    city, zip_code, _country = _CITIES[lang]
    seller = Party(rnd.choice(_COMPANIES), f"{rnd.randint(1, 99)} Market Street", f"{zip_code} {city}",
                   _VAT_IDS[lang])
    bcity, bzip, _ = _CITIES[rnd.choice(LANGS)]
    buyer = Party(rnd.choice(_BUYERS), f"{rnd.randint(1, 200)} Harbour Road", f"{bzip} {bcity}")
    lines = [Line(rnd.choice(_ITEMS), Decimal(rnd.randint(1, 12)), Decimal(rnd.randint(100, 250000)) / 100)
             for _ in range(rnd.randint(2, 7))]
    issue = dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randint(0, 700))
    data = InvoiceData(
        number=f"{rnd.choice(['INV', 'RE', 'F', 'FA', 'NR'])}-{issue.year}-{rnd.randint(100, 99999):05d}",
        issue_date=issue, due_date=issue + dt.timedelta(days=rnd.choice([14, 30, 45])), seller=seller, buyer=buyer,
        lines=lines, currency=rnd.choice(["EUR", "EUR", "USD", "GBP", "CHF"]),
        tax_rate=Decimal(rnd.choice(["19", "20", "21", "22", "7", "10"])), iban=rnd.choice(_IBANS),
        order_number=f"PO{rnd.randint(10000, 99999)}", lang=lang,
    )
    return replace(data, **overrides)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# Drawing


@dataclass
class _Canvas:
    doc: object
    style: Style
    page: object = None
    pages: int = 0
    y: float = 0.0
    fonts: dict[str, str] = field(default_factory=dict)

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=595, height=842)  # type: ignore[attr-defined]
        self.pages += 1
        self.y = 60.0

    def text(self, x: float, y: float, s: str, size: float = 9.5, bold: bool = False) -> float:
        """Draw ``s`` with its baseline at ``y``; returns its width."""
        font = _font(self.style.font, bold)
        self.page.insert_text((x, y), s, fontname=font, fontsize=size)  # type: ignore[attr-defined]
        import pymupdf

        return float(pymupdf.get_text_length(s, fontname=font, fontsize=size))

    def rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.page.draw_line((x0, y0), (x1, y1), width=0.6)  # type: ignore[attr-defined]


def _font(base: str, bold: bool) -> str:
    return {"helv": ("helv", "hebo"), "times": ("tiro", "tibo"), "courier": ("cour", "cobo")}[base][int(bold)]


def render_invoice(data: InvoiceData, style: Style | None = None) -> bytes:
    """Draw ``data`` as a PDF in ``style``; returns the PDF bytes."""
    import pymupdf

    style = style or Style()
    lang = data.lang
    lab = {k: v[lang] for k, v in LABELS.items()}
    c = _Canvas(pymupdf.open(), style)  # type: ignore[no-untyped-call]
    c.new_page()
    # Letterhead: the seller's name large, its address small under it.
    c.text(50, 60, data.seller.name, size=17, bold=True)
    c.text(50, 76, f"{data.seller.street} · {data.seller.city}", size=8.5)
    c.text(400, 60, lab["title"], size=16, bold=True)
    # Address window.
    if style.bill_to_heading:
        c.text(50, 130, lab["bill_to"] + (":" if style.colon else ""), size=8.5, bold=True)
    else:  # the sender's return line over the window, in small print, as on windowed envelopes
        c.text(50, 128, f"{data.seller.name} · {data.seller.street} · {data.seller.city}", size=6)
    for i, s in enumerate((data.buyer.name, data.buyer.street, data.buyer.city)):
        c.text(50, 145 + 13 * i, s, size=10)
    colon = ":" if style.colon else ""
    pairs = [(lab["number"], data.number), (lab["date"], date_text(data.issue_date, lang))]
    if data.due_date:
        pairs.append((lab["due"], date_text(data.due_date, lang)))
    if data.order_number:
        pairs.append((lab["order"], data.order_number))
    y = _header(c, pairs, colon, x=330, y=120)
    c.y = max(y, 200) + 30
    _table(c, data, lab)
    _totals(c, data, lab, colon)
    if style.footer:
        foot = f"{data.seller.name} · IBAN {data.iban} · {lab['vat_id']} {data.seller.vat_id}"
        c.text(50, 800, foot, size=7.5)
    out = c.doc.tobytes()  # type: ignore[attr-defined]
    c.doc.close()  # type: ignore[attr-defined]
    return bytes(out)


def _header(c: _Canvas, pairs: list[tuple[str, str]], colon: str, x: float, y: float) -> float:
    style = c.style
    if style.boxed:
        # Boxes of two per row, the value large on top, its caption small under it.
        for i, (label, value) in enumerate(pairs):
            xx, yy = x - 60 + (i % 2) * 130, y + (i // 2) * 40
            c.page.draw_rect((xx - 4, yy - 12, xx + 120, yy + 14), width=0.5)  # type: ignore[attr-defined]
            c.text(xx, yy, value, size=10.5)
            c.text(xx, yy + 10, label, size=6.5)
        return y + 40 * ((len(pairs) + 1) // 2)
    if style.placement == "above":
        # Labels on one row, values on the row under them, two or so per row.
        per_row = 2
        for i in range(0, len(pairs), per_row):
            for j, (label, value) in enumerate(pairs[i : i + per_row]):
                xx = x - 60 + j * 130
                c.text(xx, y, label, size=7.5, bold=True)
                c.text(xx, y + 12, value, size=10)
            y += 34
        return y
    if style.columns == 2:
        half = (len(pairs) + 1) // 2
        for col, chunk in enumerate((pairs[:half], pairs[half:])):
            yy = y
            for label, value in chunk:
                xx = 50 + col * 270
                c.text(xx, yy + 110, label + colon, size=9)
                c.text(xx + 110, yy + 110, value, size=9.5)
                yy += 15
        return y + 110 + 15 * half
    for label, value in pairs:
        c.text(x, y, label + colon, size=9)
        c.text(x + 105, y, value, size=9.5)
        y += 15
    return y


def _table(c: _Canvas, data: InvoiceData, lab: dict[str, str]) -> None:
    xs = (50, 300, 370, 470)
    heads = (lab["desc"], lab["qty"], lab["price"], lab["amount"])
    running = Decimal("0")

    def header() -> None:
        for x, h in zip(xs, heads, strict=False):
            c.text(x, c.y, h, size=9, bold=True)
        if c.style.ruled:
            c.rule(45, c.y + 4, 550, c.y + 4)
        c.y += 18

    header()
    for i, ln in enumerate(data.lines):
        if i and i % c.style.rows_per_page == 0:
            c.text(300, c.y, lab["carried"], size=9)
            c.text(470, c.y, money(running, data.lang), size=9)
            c.text(480, 825, f"{lab['page']} {c.pages}", size=7)
            c.new_page()
            c.text(300, c.y, lab["carried"], size=9)
            c.text(470, c.y, money(running, data.lang), size=9)
            c.y += 18
            header()
        cells = (ln.description, f"{ln.quantity}", money(ln.unit_price, data.lang), money(ln.total, data.lang))
        for x, s in zip(xs, cells, strict=False):
            c.text(x, c.y, s, size=9)
        running += ln.total
        if c.style.ruled:
            c.rule(45, c.y + 4, 550, c.y + 4)
        c.y += 15
    c.y += 15


def _totals(c: _Canvas, data: InvoiceData, lab: dict[str, str], colon: str) -> None:
    if c.y > 680:
        c.new_page()
    cur = data.currency if c.style.currency_on_amounts else None
    if c.style.totals == "grid":
        xs = (300, 390, 480)
        for x, key in zip(xs, ("net", "tax", "gross"), strict=True):
            c.text(x, c.y, lab[key].upper(), size=8.5, bold=True)
        for x, v in zip(xs, (data.total_net, data.total_tax, data.total_gross), strict=True):
            c.text(x, c.y + 16, money(v, data.lang), size=9.5)
        c.y += 40
    elif c.style.totals == "breakdown":
        for x, key in zip((90, 200, 330), ("rate", "base", "tax_amount"), strict=True):
            c.text(x, c.y, lab[key], size=8.5, bold=True)
        c.y += 14
        for rate, base, tax in data.tax_breakdown:
            for x, s in zip((90, 200, 330), (f"{rate}%", money(base, data.lang), money(tax, data.lang)), strict=True):
                c.text(x, c.y, s, size=9)
            c.y += 13
        c.y += 12
    else:
        rows = [(lab["net"], data.total_net), (lab["tax"] + f" {data.tax_rate}%", data.total_tax)]
        for label, value in rows:
            c.text(330, c.y, label + colon, size=9.5)
            c.text(470, c.y, money(value, data.lang, cur), size=9.5)
            c.y += 15
    rows = [] if c.style.totals == "grid" else [(lab["gross"], data.total_gross)]
    if c.style.totals == "grid" and not data.prepaid:
        rows.append((lab["due_amount"], data.amount_due))
    if data.prepaid:
        rows += [(lab["prepaid"], -data.prepaid), (lab["due_amount"], data.amount_due)]
    elif c.style.totals != "grid":
        rows.append((lab["due_amount"], data.amount_due))
    for label, value in rows:
        c.text(330, c.y, label + colon, size=9.5, bold=label == lab["gross"])
        c.text(470, c.y, money(value, data.lang, cur), size=9.5)
        c.y += 15


def render_form(pairs: list[tuple[str, str]], style: Style | None = None, title: str | None = None) -> bytes:
    """A simple one-page document of label/value pairs (label left or above), for custom schemas."""
    import pymupdf

    style = style or Style()
    c = _Canvas(pymupdf.open(), style)  # type: ignore[no-untyped-call]
    c.new_page()
    y = 60.0
    if title:
        c.text(50, y, title, size=16, bold=True)
        y += 40
    colon = ":" if style.colon else ""
    if style.columns == 2:
        half = (len(pairs) + 1) // 2
        for col, chunk in enumerate((pairs[:half], pairs[half:])):
            for i, (label, value) in enumerate(chunk):
                if style.placement == "above":
                    c.text(50 + col * 270, y + 32 * i, label, size=8, bold=True)
                    c.text(50 + col * 270, y + 32 * i + 12, value, size=10)
                else:
                    c.text(50 + col * 270, y + 16 * i, label + colon, size=9.5)
                    c.text(170 + col * 270, y + 16 * i, value, size=9.5)
    else:
        for label, value in pairs:
            if style.placement == "above":
                c.text(50, y, label, size=8, bold=True)
                c.text(50, y + 12, value, size=10)
                y += 32
            else:
                c.text(50, y, label + colon, size=9.5)
                c.text(200, y, value, size=9.5)
                y += 16
    out = c.doc.tobytes()  # type: ignore[attr-defined]
    c.doc.close()  # type: ignore[attr-defined]
    return bytes(out)


# ---------------------------------------------------------------------------------------------------------
# Receipts: a narrow till slip, the shop's name on top, its address under it, totals with decoys (cash paid,
# change, rounding) at the bottom.

_SHOPS = ("KEDAI RUNCIT MAJU SDN BHD", "UNIHAKKA INTERNATIONAL SDN BHD", "GARDENIA BAKERIES (KL) SDN BHD",
          "SYARIKAT PERNIAGAAN GIN KEE", "MR D.I.Y. (M) SDN BHD", "RESTORAN WAN SHENG", "OJC MARKETING SDN BHD",
          "PASARAYA BESTJAYA ENTERPRISE")
_STREETS = ("NO 12, JALAN MAWAR 3", "LOT 1851-A & 1851-B, JALAN KPB 6", "NO. 2-4, JALAN SS 2/24",
            "G-01, BLOK B, TAMAN SRI MUDA")
_TOWNS = ("43300 SERI KEMBANGAN, SELANGOR", "47500 SUBANG JAYA, SELANGOR", "81100 JOHOR BAHRU, JOHOR",
          "52100 KEPONG, KUALA LUMPUR")


@dataclass
class ReceiptData:
    """What a till receipt prints; ``total`` is the rounded amount paid."""

    company: str
    address: list[str]
    date: dt.date
    items: list[Line]
    cash: Decimal

    @property
    def subtotal(self) -> Decimal:
        return sum((ln.total for ln in self.items), Decimal("0"))

    @property
    def tax(self) -> Decimal:
        return (self.subtotal * Decimal("0.06")).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def total(self) -> Decimal:
        exact = self.subtotal + self.tax
        return (exact * 20).quantize(Decimal("1"), ROUND_HALF_UP) / 20  # cash rounding to 0.05


def random_receipt(seed: int) -> ReceiptData:
    """A plausible receipt; the cash handed over is more than the total (a decoy amount)."""
    rnd = random.Random(seed)
    items = [Line(rnd.choice(_ITEMS).upper(), Decimal(rnd.randint(1, 4)), Decimal(rnd.randint(150, 4999)) / 100)
             for _ in range(rnd.randint(1, 5))]
    data = ReceiptData(rnd.choice(_SHOPS), [rnd.choice(_STREETS), rnd.choice(_TOWNS)],
                       dt.date(2018, 1, 1) + dt.timedelta(days=rnd.randint(0, 700)), items, Decimal("0"))
    data.cash = Decimal((int(data.total) // 10 + 1) * 10)
    return data


def render_receipt(data: ReceiptData, image: bool = False) -> bytes:
    """Draw ``data`` as a narrow one-page PDF, or (``image=True``) as a PNG of that page at 200 dpi."""
    import pymupdf

    c = _Canvas(pymupdf.open(), Style(font="courier"))  # type: ignore[no-untyped-call]
    c.page = c.doc.new_page(width=260, height=520)  # type: ignore[attr-defined]
    y = 30.0
    c.text(20, y, data.company, size=9.5, bold=True)
    y += 12
    c.text(20, y, f"({100000 + len(data.company) * 997}-X)", size=7.5)
    for line in data.address:
        y += 11
        c.text(20, y, line, size=7.5)
    y += 11
    c.text(20, y, "TEL: 03-8945 6612", size=7.5)
    y += 11
    c.text(20, y, "GST ID: 000688112640", size=7.5)
    y += 20
    c.text(80, y, "TAX INVOICE", size=8.5, bold=True)
    y += 16
    c.text(20, y, f"DATE: {data.date.strftime('%d/%m/%Y')}", size=7.5)
    c.text(150, y, "TIME: 13:42", size=7.5)
    y += 16
    for ln in data.items:
        c.text(20, y, ln.description[:22], size=7.5)
        c.text(150, y, str(ln.quantity), size=7.5)
        c.text(200, y, f"{ln.total:.2f}", size=7.5)
        y += 11
    y += 8
    exact = data.subtotal + data.tax
    rows = [("TOTAL EXCL GST:", data.subtotal), ("GST 6%:", data.tax), ("TOTAL INCL GST:", exact),
            ("ROUNDING:", data.total - exact), ("TOTAL:", data.total), ("CASH:", data.cash),
            ("CHANGE:", data.cash - data.total)]
    for label, value in rows:
        c.text(20, y, label, size=8 if label != "TOTAL:" else 9, bold=label == "TOTAL:")
        c.text(200, y, f"{value:.2f}", size=8)
        y += 12
    c.text(40, y + 14, "THANK YOU. PLEASE COME AGAIN.", size=7)
    if image:
        out = c.page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY).tobytes("png")  # type: ignore[attr-defined]
    else:
        out = c.doc.tobytes()  # type: ignore[attr-defined]
    c.doc.close()  # type: ignore[attr-defined]
    return bytes(out)
