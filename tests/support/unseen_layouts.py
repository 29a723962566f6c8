# mypy: disable-error-code="no-untyped-call,attr-defined"
"""Drawing of ``tests.support.unseen_gen`` invoices with pymupdf, one function per layout, and the scan degrader."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tests.support.unseen_gen import Invoice, date_text, money, spaced

_BOLD = {"helv": "hebo", "tiro": "tibo", "cour": "cobo"}
Color = tuple[float, float, float]
BLACK: Color = (0, 0, 0)
WHITE: Color = (1, 1, 1)


_FONTS: dict[str, object] = {}


def _font(name: str) -> Any:
    import pymupdf

    if name not in _FONTS:
        _FONTS[name] = pymupdf.Font(name)
    return _FONTS[name]


class Sheet:
    """One page with text helpers; y is the text baseline, in points."""

    def __init__(self, doc: object, inv: Invoice, width: float = 595, height: float = 842,
                 font: str = "helv") -> None:
        self.page = doc.new_page(width=width, height=height)  # type: ignore[attr-defined]
        self.inv = inv
        self.font = font
        self.w, self.h = width, height

    def text(self, x: float, y: float, s: str, size: float = 9, bold: bool = False, color: Color = BLACK,
             align: str = "left", font: str | None = None) -> float:
        import pymupdf

        name = font or self.font
        name = _BOLD.get(name, name) if bold else name
        f = _font(name)
        width = float(f.text_length(s, fontsize=size))
        if align == "right":
            x -= width
        elif align == "center":
            x -= width / 2
        # A TextWriter with a Font object writes any Unicode text ("€", "–"); insert_text's Latin-1 would not.
        tw = pymupdf.TextWriter(self.page.rect)  # type: ignore[attr-defined]
        tw.append((x, y), s, font=f, fontsize=size)
        tw.write_text(self.page, color=color)
        return width

    def grid(self, x: float, y: float, rows: list[tuple[str, str]], lead: float = 13, align: str = "left",
             x_right: float = 0) -> None:
        """Label/value pairs in two columns: the value column starts after the widest label."""
        o = self.inv.opts
        widest = max(_font(_BOLD[self.font] if o["bold_labels"] else self.font).text_length(
            self.label(lab), fontsize=o["label_size"]) for lab, _ in rows)
        for k, (lab, val) in enumerate(rows):
            self.pair(x, x_right if align == "right" else x + widest + 12, y + k * lead, lab, val, align)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Color | None = None,
             stroke: Color | None = None, width: float = 0.6) -> None:
        import pymupdf

        self.page.draw_rect(pymupdf.Rect(x0, y0, x1, y1), color=stroke, fill=fill,  # type: ignore[attr-defined]
                            width=width)

    def hline(self, x0: float, x1: float, y: float, width: float = 0.5) -> None:
        self.page.draw_line((x0, y), (x1, y), color=(0.3, 0.3, 0.3), width=width)  # type: ignore[attr-defined]

    def label(self, s: str, colon: bool | None = None) -> str:
        o = self.inv.opts
        s = s.upper() if o["caps"] else s
        use = o["colon"] if colon is None else colon
        return f"{s}:" if use else s

    def pair(self, x_label: float, x_value: float, y: float, lab: str, value: str, align: str = "left") -> None:
        """A label and its value in separate columns; labels possibly bold, values in their own size."""
        o = self.inv.opts
        self.text(x_label, y, self.label(lab), size=o["label_size"], bold=o["bold_labels"])
        self.text(x_value, y, value, size=o["value_size"], align=align)

    def lines(self, x: float, y: float, rows: list[str], size: float = 9, lead: float = 12,
              bold_first: bool = False) -> float:
        for k, r in enumerate(rows):
            self.text(x, y + k * lead, r, size=size, bold=bold_first and k == 0)
        return y + len(rows) * lead

    def table(self, y: float, cols: list[tuple[str, float, str]], rows: list[list[str]], dark: bool = False,
              ruled: bool = True) -> float:
        """Columns (header, x, align); ``x`` is the left edge, or the right edge for right-aligned columns."""
        if dark:
            self.rect(40, y - 11, self.w - 40, y + 4, fill=(0.2, 0.25, 0.35))
        for head, x, align in cols:
            self.text(x, y, head, size=8.5, bold=True, color=WHITE if dark else BLACK, align=align)
        if ruled and not dark:
            self.hline(40, self.w - 40, y + 4)
        y += 18
        for row in rows:
            for (_, x, align), cell in zip(cols, row, strict=True):
                self.text(x, y, cell, size=9, align=align)
            y += 15
        if ruled:
            self.hline(40, self.w - 40, y - 9)
        return y

    def totals(self, x_label: float, x_value: float, y: float, rows: list[tuple[str, str, bool]]) -> float:
        for lab, val, strong in rows:
            self.text(x_label, y, lab, size=10 if strong else 9, bold=strong or self.inv.opts["bold_labels"])
            self.text(x_value, y, val, size=10 if strong else self.inv.opts["value_size"], bold=strong, align="right")
            y += 15 if strong else 13
        return y


def _num(q: Decimal) -> str:
    return f"{q.normalize():f}"


def _m(inv: Invoice, x: Decimal, symbol: bool = False) -> str:
    return money(inv, x, symbol)


def _rate(r: Decimal, lang: str) -> str:
    s = _num(r)
    return s.replace(".", ",") if lang != "en" else s


# ---------------------------------------------------------------------------------------------------------
# Layouts


def _us(doc: object, inv: Invoice) -> None:
    s = Sheet(doc, inv, 612, 792)
    o = inv.opts
    s.text(40, 62, inv.seller.name, size=24, bold=True, color=(0.1, 0.2, 0.45))
    s.lines(40, 82, [*inv.seller.lines, "Phone (303) 555-0142", "billing@example.com"], size=8.5, lead=11)
    s.text(572, 60, "INVOICE", size=28, color=(0.55, 0.55, 0.6), align="right")
    due = date_text(inv, inv.due_date) if inv.due_date else ""
    if o["variant"] == 0:  # the spreadsheet template: headers over values in a ruled grid
        for k, (heads, vals) in enumerate(((("INVOICE #", "DATE"), (inv.number, date_text(inv, inv.issue_date))),
                                          (("CUSTOMER ID", "DUE DATE"), (inv.decoys["customer"], due)))):
            y = 100.0 + 34 * k
            s.rect(380, y, 572, y + 14, fill=(0.85, 0.88, 0.95))
            s.rect(380, y + 14, 572, y + 30, stroke=(0.5, 0.5, 0.5))
            for j in range(2):
                s.text(428 + 96 * j, y + 10, heads[j], size=8, bold=True, align="center")
                s.text(428 + 96 * j, y + 26, vals[j], size=9, align="center")
    else:  # right-aligned label column and value column
        info = [("INVOICE #", inv.number), ("DATE", date_text(inv, inv.issue_date)),
                ("P.O. #", inv.decoys["order"]), ("DUE DATE", due)]
        for k, (lab, val) in enumerate(info):
            s.text(470, 110 + 14 * k, lab + (":" if o["colon"] else ""), size=8.5, bold=True, align="right")
            s.text(572, 110 + 14 * k, val, size=o["value_size"], align="right")
    for x, head, who in ((40, "BILL TO", [inv.buyer.name, *inv.buyer.lines]),
                         (310, "SHIP TO", [o["contact"], inv.buyer.name, *inv.buyer.lines])):
        s.rect(x, 180, x + 240, 194, fill=(0.2, 0.25, 0.35))
        s.text(x + 4, 190, head, size=9, bold=True, color=WHITE)
        s.lines(x + 4, 208, who, size=9, lead=12)
    rows = [[_num(i.qty), i.desc, _m(inv, i.price), _m(inv, i.total)] for i in inv.items]
    y = s.table(290, [("QTY", 44, "left"), ("DESCRIPTION", 90, "left"), ("UNIT PRICE", 470, "right"),
                      ("TOTAL", 568, "right")], rows, dark=True)
    tot: list[tuple[str, str, bool]] = [("SUBTOTAL", _m(inv, inv.subtotal), False)]
    if inv.discount:
        tot.append(("DISCOUNT", _m(inv, -inv.discount), False))
    if inv.shipping:
        tot.append(("SHIPPING & HANDLING", _m(inv, inv.shipping), False))
    tot += [("TAX RATE", f"{_num(inv.rates[0])}%", False), ("SALES TAX", _m(inv, inv.tax), False),
            ("TOTAL", _m(inv, inv.gross, True), True)]
    if inv.prepaid:
        tot += [("LESS DEPOSIT RECEIVED", _m(inv, -inv.prepaid), False), ("BALANCE DUE", _m(inv, inv.due, True), True)]
    s.totals(400, 568, y + 16, tot)
    s.text(40, 700, f"Make all checks payable to {inv.seller.name}", size=8.5)
    s.text(40, 712, f"If you have any questions concerning this invoice, contact {o['contact']}.", size=8.5)
    s.text(306, 740, "THANK YOU FOR YOUR BUSINESS!", size=10, bold=True, align="center")


def _uk(doc: object, inv: Invoice) -> None:
    s = Sheet(doc, inv, font="helv" if inv.opts["variant"] != 1 else "tiro")
    o = inv.opts
    credit = inv.sign < 0
    s.text(45, 70, inv.seller.name, size=20, bold=True, color=(0.1, 0.35, 0.3))
    s.lines(45, 88, inv.seller.lines, size=8.5, lead=11)
    s.text(550, 70, "CREDIT NOTE" if credit else ("TAX INVOICE" if o["variant"] == 2 else "INVOICE"), size=22,
           bold=True, align="right")
    s.text(45, 160, s.label("Invoice to", True) if not credit else "Customer:", size=9, bold=True)
    s.lines(45, 174, [inv.buyer.name, *inv.buyer.lines], size=9.5, lead=12)
    info = [("Credit Note No" if credit else "Invoice Number", inv.number),
            ("Date" if credit else "Invoice Date", date_text(inv, inv.issue_date))]
    if credit:
        info.append(("Original Invoice", inv.decoys["original"]))
    else:
        info.append(("Tax Point", date_text(inv, inv.issue_date)))
    info += [("Account No", inv.decoys["customer"]), ("Your Ref", inv.decoys["order"])]
    if inv.due_date and not credit:
        info.append(("Due Date", date_text(inv, inv.due_date)))
    s.grid(330, 160, info, lead=14)
    rows = [[i.desc, _num(i.qty), _m(inv, i.price), f"{_num(inv.rates[0])}%", _m(inv, i.total * inv.sign)]
            for i in inv.items]
    y = s.table(280, [("Description", 45, "left"), ("Qty", 330, "right"), ("Unit Price", 410, "right"),
                      ("VAT", 460, "right"), ("Net", 550, "right")], rows)
    tot: list[tuple[str, str, bool]] = []
    if inv.discount or inv.shipping:
        tot.append(("Sub Total", _m(inv, inv.subtotal, True), False))
        if inv.discount:
            tot.append(("Discount", _m(inv, -inv.discount, True), False))
        if inv.shipping:
            tot.append(("Delivery", _m(inv, inv.shipping, True), False))
    tot += [("Total Net" if tot else "Net Total", _m(inv, inv.net, True), False),
            (f"VAT @ {_num(inv.rates[0])}%", _m(inv, inv.tax, True), False),
            ("Total", _m(inv, inv.gross, True), True)]
    if inv.prepaid:
        tot.append(("Less: deposit paid", _m(inv, -inv.prepaid, True), False))
    y = s.totals(380, 550, y + 14, tot)
    s.rect(370, y, 552, y + 24, fill=(0.12, 0.14, 0.2))
    s.text(378, y + 16, "Credit Total" if credit else "Amount Due", size=11, bold=True, color=WHITE)
    s.text(546, y + 16, _m(inv, inv.due, True), size=12, bold=True, color=WHITE, align="right")
    if not credit:
        s.text(45, y + 60, "Payment terms: 30 days from the invoice date. Please quote the invoice number.", size=8.5)
    assert inv.iban is not None and inv.seller.vat_id is not None
    s.hline(45, 550, 770)
    s.text(297, 784, f"{inv.seller.name} · Registered in England and Wales No. 0{inv.decoys['customer']}12 · "
           f"VAT Reg No: GB {spaced(inv.seller.vat_id[2:], 3)}", size=7, align="center")
    s.text(297, 795, f"Bank: Barclays · Sort code 20-45-77 · Account 4312{inv.decoys['customer'][:4]} · "
           f"IBAN {spaced(inv.iban)} · BIC BARCGB22", size=7, align="center")


def _de(doc: object, inv: Invoice) -> None:
    s = Sheet(doc, inv)
    o = inv.opts
    s.text(540, 60, inv.seller.name, size=17, bold=True, align="right")
    s.text(540, 74, "Meisterbetrieb · " + " · ".join(inv.seller.lines), size=8, align="right")
    s.text(57, 140, f"{inv.seller.name} · {' · '.join(inv.seller.lines)}", size=6.5)
    s.hline(57, 300, 142, 0.3)
    who = ["Herrn" if o["person"] else "Firma", inv.buyer.name, *inv.buyer.lines]
    s.lines(57, 160, who, size=10, lead=13)
    if inv.buyer.vat_id:
        s.text(57, 160 + 13 * len(who), f"USt-IdNr. {inv.buyer.vat_id}", size=9)
    info = [("Rechnungsnummer", inv.number), ("Kundennummer", inv.decoys["customer"]),
            ("Auftragsnummer", inv.decoys["order"]), ("Rechnungsdatum", date_text(inv, inv.issue_date))]
    lz0 = inv.issue_date.replace(day=1)
    info.append(("Leistungszeitraum", f"{date_text(inv, lz0)} – {date_text(inv, inv.issue_date)}"))
    info.append(("Ansprechpartner", o["contact"]))
    s.grid(330, 160, info, align="right" if o["variant"] == 0 else "left", x_right=540)
    s.text(57, 275, "Rechnung" if o["variant"] != 1 else f"Rechnung Nr. {inv.number}", size=14, bold=True)
    s.text(57, 298, "Sehr geehrte Damen und Herren,", size=9.5)
    s.text(57, 311, "für die ausgeführten Arbeiten erlauben wir uns, wie folgt zu berechnen:", size=9.5)
    rows = [[str(k + 1), _m(inv, i.qty).replace(",00", ""), "Std." if "stunden" in i.desc else "Stk.", i.desc,
             _m(inv, i.price), _m(inv, i.total)] for k, i in enumerate(inv.items)]
    y = s.table(340, [("Pos.", 57, "left"), ("Menge", 115, "right"), ("Einh.", 125, "left"),
                      ("Bezeichnung", 160, "left"), ("Einzelpreis", 460, "right"), ("Gesamtpreis", 540, "right")],
                rows)
    tot: list[tuple[str, str, bool]] = []
    if inv.discount:
        tot += [("Zwischensumme", _m(inv, inv.subtotal), False),
                ("abzgl. Rabatt", _m(inv, -inv.discount), False)]
    tot.append(("Nettobetrag" if o["variant"] != 2 else "Summe netto", _m(inv, inv.net), False))
    for rate, base, tax in inv.breakdown():
        extra = f" auf {_m(inv, base)}" if len(inv.rates) > 1 else ""
        tot.append((f"zzgl. {_rate(rate, 'de')} % MwSt.{extra}", _m(inv, tax), False))
    tot.append(("Rechnungsbetrag", _m(inv, inv.gross, True), True))
    if inv.prepaid:
        tot += [(f"abzgl. Abschlagszahlung vom {date_text(inv, inv.issue_date.replace(day=1))}", _m(inv, -inv.prepaid),
                 False), ("Zu zahlender Betrag", _m(inv, inv.due, True), True)]
    y = s.totals(300, 540, y + 14, tot)
    s.text(57, y + 20, "Zahlbar innerhalb 14 Tagen ohne Abzug. Bitte geben Sie bei Zahlung die Rechnungsnummer an.",
           size=9)
    s.text(57, y + 34, "Vielen Dank für Ihren Auftrag!", size=9)
    assert inv.iban is not None and inv.seller.vat_id is not None
    s.hline(57, 540, 765)
    cols = [[inv.seller.name, *inv.seller.lines], ["Tel. 0221 4711-0", "info@example.de", "www.example.de"],
            ["Sparkasse KölnBonn", f"IBAN {spaced(inv.iban)}", "BIC COLSDE33XXX"],
            ["Steuernr. 214/5713/0815", f"USt-IdNr. {inv.seller.vat_id}", "Amtsgericht Köln HRB 8815"]]
    for k, col in enumerate(cols):
        s.lines(57 + 125 * k, 776, col, size=6.5, lead=8.5)


def _fr(doc: object, inv: Invoice) -> None:
    s = Sheet(doc, inv, font="tiro" if inv.opts["variant"] == 1 else "helv")
    o = inv.opts
    assert inv.seller.vat_id is not None and inv.iban is not None
    siren = inv.seller.vat_id[4:]
    s.text(45, 65, inv.seller.name.upper(), size=16, bold=True)
    s.lines(45, 82, [*inv.seller.lines, f"SIRET : {spaced(siren, 3)} 000{o['variant'] + 12}",
                     f"N° TVA intracom. : {inv.seller.vat_id}", "Tél. 04 78 12 34 56"], size=8.5, lead=11)
    s.text(330, 150, "Client", size=9, bold=True)
    who = [inv.buyer.name, *inv.buyer.lines]
    if inv.buyer.vat_id:
        who.append(f"N° TVA : {inv.buyer.vat_id}")
    s.lines(330, 164, who, size=10, lead=12.5)
    s.text(45, 250, f"FACTURE N° {inv.number}", size=15, bold=True)
    if o["variant"] == 2:  # a ruled grid: headers over values
        heads = ["Date", "Échéance", "Réf. client", "Bon de commande"]
        vals = [date_text(inv, inv.issue_date), date_text(inv, inv.due_date) if inv.due_date else "",
                inv.decoys["customer"], inv.decoys["order"]]
        for k in range(4):
            x = 45 + 126 * k
            s.rect(x, 262, x + 126, 294, stroke=(0.4, 0.4, 0.4))
            s.text(x + 63, 274, heads[k], size=8.5, bold=True, align="center")
            s.text(x + 63, 288, vals[k], size=9.5, align="center")
    else:
        left = [("Date", date_text(inv, inv.issue_date))]
        if inv.due_date:
            left.append(("Échéance", date_text(inv, inv.due_date)))
        s.grid(45, 270, left)
        s.grid(300, 270, [("Réf. client", inv.decoys["customer"]),
                          ("Date de livraison", date_text(inv, inv.issue_date.replace(day=1)))])
    rows = [[i.desc, _m(inv, i.qty), _m(inv, i.price), _m(inv, i.total)] for i in inv.items]
    y = s.table(320, [("Désignation", 45, "left"), ("Qté", 350, "right"), ("P.U. HT", 440, "right"),
                      ("Montant HT", 550, "right")], rows, ruled=True)
    tot: list[tuple[str, str, bool]] = []
    if inv.discount:
        tot += [("Sous-total HT", _m(inv, inv.subtotal, True), False), ("Remise", _m(inv, -inv.discount, True), False)]
    tot.append(("Total HT", _m(inv, inv.net, True), False))
    for rate, _, tax in inv.breakdown():
        tot.append((f"TVA {_rate(rate, 'fr')} %", _m(inv, tax, True), False))
    tot.append(("Total TTC", _m(inv, inv.gross, True), True))
    if inv.prepaid:
        tot.append(("Acompte versé", _m(inv, -inv.prepaid, True), False))
    tot.append(("Net à payer", _m(inv, inv.due, True), True))
    y = s.totals(360, 550, y + 14, tot)
    s.text(45, y + 20, "Conditions de paiement : 30 jours date de facture. Pénalités de retard : trois fois le taux",
           size=7.5)
    s.text(45, y + 30, "d'intérêt légal. Indemnité forfaitaire pour frais de recouvrement : 40 €.", size=7.5)
    s.text(297, 790, f"{inv.seller.name} – SARL au capital de 10 000 € – RCS Lyon {spaced(siren, 3)}",
           size=7, align="center")
    s.text(297, 800, f"IBAN : {spaced(inv.iban)} – BIC : CCOPFRPPXXX", size=7, align="center")


def _es(doc: object, inv: Invoice) -> None:
    s = Sheet(doc, inv)
    o = inv.opts
    assert inv.seller.vat_id is not None and inv.iban is not None
    nif = inv.seller.vat_id if o["variant"] == 0 else inv.seller.vat_id[2:]
    s.text(45, 65, inv.seller.name, size=18, bold=True, color=(0.5, 0.1, 0.1))
    s.lines(45, 82, [*inv.seller.lines, f"CIF: {nif}"], size=8.5, lead=11)
    s.text(550, 65, "FACTURA", size=22, bold=True, align="right")
    heads = ["Nº Factura", "Fecha", "Vencimiento"]
    vals = [inv.number, date_text(inv, inv.issue_date), date_text(inv, inv.due_date) if inv.due_date else ""]
    for k in range(3):
        x = 330 + 75 * k
        s.text(x, 100, s.label(heads[k], False), size=8, bold=True)
        s.text(x, 113, vals[k], size=o["value_size"])
    s.text(330, 150, "Cliente:", size=9, bold=True)
    who = [inv.buyer.name, *inv.buyer.lines]
    if inv.buyer.vat_id:
        who.append(f"NIF/CIF: {inv.buyer.vat_id}")
    s.lines(330, 164, who, size=10, lead=12.5)
    rows = [[i.desc, _m(inv, i.qty), _m(inv, i.price), _m(inv, i.total)] for i in inv.items]
    y = s.table(280, [("Concepto", 45, "left"), ("Cantidad", 340, "right"), ("Precio", 440, "right"),
                      ("Importe", 550, "right")], rows)
    tot: list[tuple[str, str, bool]] = []
    if inv.discount:
        tot += [("Subtotal", _m(inv, inv.subtotal, True), False), ("Descuento", _m(inv, -inv.discount, True), False)]
    tot += [("Base imponible", _m(inv, inv.net, True), False),
            (f"IVA {_num(inv.rates[0])}%", _m(inv, inv.tax, True), False),
            ("Total factura", _m(inv, inv.gross, True), True)]
    y = s.totals(360, 550, y + 14, tot)
    s.text(45, y + 20, f"Forma de pago: transferencia bancaria a la cuenta {spaced(inv.iban)}", size=8.5)


def _it(doc: object, inv: Invoice) -> None:
    s = Sheet(doc, inv)
    o = inv.opts
    assert inv.seller.vat_id is not None and inv.iban is not None
    s.text(45, 65, inv.seller.name, size=18, bold=True, color=(0.1, 0.3, 0.1))
    piva = inv.seller.vat_id[2:] if o["variant"] != 0 else inv.seller.vat_id
    s.lines(45, 82, [*inv.seller.lines, f"P.IVA {piva} - C.F. {inv.seller.vat_id[2:]}",
                     "Tel. 02 1234567 - PEC: amministrazione@pec.example.it"], size=8.5, lead=11)
    s.text(330, 150, "Spett.le", size=9)
    who = [inv.buyer.name, *inv.buyer.lines]
    if inv.buyer.vat_id:
        who.append(f"P.IVA {inv.buyer.vat_id[2:]}")
    s.lines(330, 164, who, size=10, lead=12.5)
    s.text(45, 250, f"Fattura n. {inv.number} del {date_text(inv, inv.issue_date)}", size=14, bold=True)
    refs = [("Codice cliente", inv.decoys["customer"])]
    if inv.due_date:
        refs.append(("Scadenza pagamento", date_text(inv, inv.due_date)))
    s.grid(45, 268, refs)
    rows = [[i.desc, _m(inv, i.qty), _m(inv, i.price), f"{_num(inv.rates[0])}", _m(inv, i.total)] for i in inv.items]
    y = s.table(320, [("Descrizione", 45, "left"), ("Q.tà", 320, "right"), ("Prezzo unitario", 410, "right"),
                      ("IVA %", 460, "right"), ("Importo", 550, "right")], rows)
    tot: list[tuple[str, str, bool]] = []
    if inv.discount:
        tot += [("Totale merce", _m(inv, inv.subtotal, True), False), ("Sconto", _m(inv, -inv.discount, True), False)]
    tot += [("Imponibile", _m(inv, inv.net, True), False),
            (f"IVA {_num(inv.rates[0])}%", _m(inv, inv.tax, True), False),
            ("Totale documento", _m(inv, inv.gross, True), True)]
    y = s.totals(360, 550, y + 14, tot)
    s.text(45, y + 20, f"Modalità di pagamento: bonifico bancario - IBAN {inv.iban}", size=8.5)


def _nl(doc: object, inv: Invoice) -> None:
    s = Sheet(doc, inv)
    o = inv.opts
    assert inv.seller.vat_id is not None and inv.iban is not None
    s.text(45, 65, inv.seller.name, size=18, bold=True, color=(0.9, 0.45, 0.1))
    s.lines(45, 82, inv.seller.lines, size=8.5, lead=11)
    s.text(45, 150, inv.buyer.name, size=10)
    s.lines(45, 163, inv.buyer.lines, size=10, lead=12.5)
    s.text(45, 230, "FACTUUR", size=20, bold=True)
    info = [("Factuurnummer", inv.number), ("Factuurdatum", date_text(inv, inv.issue_date)),
            ("Klantnummer", inv.decoys["customer"])]
    if inv.due_date:
        info.append(("Vervaldatum", date_text(inv, inv.due_date)))
    s.grid(330, 150, info)
    rows = [[i.desc, _m(inv, i.qty), _m(inv, i.price, True), _m(inv, i.total, True)] for i in inv.items]
    y = s.table(280, [("Omschrijving", 45, "left"), ("Aantal", 340, "right"), ("Prijs", 440, "right"),
                      ("Bedrag", 550, "right")], rows, ruled=o["variant"] != 1)
    tot: list[tuple[str, str, bool]] = []
    if inv.discount:
        tot += [("Subtotaal", _m(inv, inv.subtotal, True), False), ("Korting", _m(inv, -inv.discount, True), False)]
    tot.append(("Totaal excl. BTW", _m(inv, inv.net, True), False))
    for rate, base, tax in inv.breakdown():
        extra = f" over {_m(inv, base, True)}" if len(inv.rates) > 1 else ""
        tot.append((f"BTW {_num(rate)}%{extra}", _m(inv, tax, True), False))
    tot.append(("Totaal incl. BTW", _m(inv, inv.gross, True), True))
    y = s.totals(330, 550, y + 14, tot)
    due = date_text(inv, inv.due_date) if inv.due_date else ""
    s.text(45, y + 20, f"Wij verzoeken u het totaalbedrag vóór {due} over te maken op {spaced(inv.iban)}", size=8.5)
    s.text(45, y + 31, "onder vermelding van het factuurnummer.", size=8.5)
    s.text(297, 800, f"KvK 6{inv.decoys['customer']}12 | BTW-nummer {inv.seller.vat_id} | IBAN {spaced(inv.iban)}",
           size=7, align="center")


_DRAW: dict[str, Callable[[object, Invoice], None]] = {
    "us": _us, "uk": _uk, "credit_note": _uk, "de_craft": _de, "fr": _fr, "es": _es, "it": _it, "nl": _nl,
}


def draw(inv: Invoice) -> bytes:
    """``inv`` drawn in its layout as PDF bytes."""
    import pymupdf

    doc = pymupdf.open()
    _DRAW[inv.layout](doc, inv)
    out: bytes = doc.tobytes()
    doc.close()
    return out


def degrade(pdf: bytes, seed: int, dpi: int = 200) -> bytes:
    """Each page rendered, tilted by up to a degree, blurred, speckled and JPEG-compressed, as an image PDF."""
    import pymupdf
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    src = pymupdf.open(stream=pdf, filetype="pdf")
    out = pymupdf.open()
    for page in src:
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
        img = img.rotate(rng.uniform(-1.0, 1.0), resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
        noise = Image.effect_noise(img.size, rng.uniform(8, 20))
        img = Image.blend(img, noise, 0.08).point(lambda v: min(255, v + 8))
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=rng.randint(45, 75))
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=buf.getvalue())
    data: bytes = out.tobytes()
    src.close()
    out.close()
    return data
