"""A second, independent invoice generator: layouts the rules tier was not developed on.

``examples/invoicegen.py`` draws every language in one family of layouts; the rules tier was tuned on it.
This module draws invoices the way real vendors do, one layout per country habit (a US "BILL TO / SHIP TO"
sheet with a boxed "INVOICE # / DATE" grid, a UK sheet with the amount due in a dark box and the VAT
number in the footer, a German craftsman's Rechnung full of decoy numbers and no due date, French, Spanish,
Italian and Dutch invoices with their own totals wording, a credit note), each with its truth. Amounts are
arithmetically consistent; VAT ids and IBANs pass their checksums.

    >>> from tests.support.unseen_gen import make_invoice, render, scan
    >>> inv = make_invoice("de_craft", seed=3)
    >>> pdf = render(inv)                 # born-digital PDF bytes
    >>> img_pdf = scan(pdf, seed=3)       # the same pages as a degraded scan (image-only PDF)
    >>> inv.gold()                        # the truth, in the shape docextract.eval.compare expects
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

LAYOUTS = ("us", "uk", "de_craft", "fr", "es", "it", "nl", "credit_note")
CENT = Decimal("0.01")
ABSENT = "(not printed)"  # gold_full value for a field the page does not carry: any prediction contradicts it


def _q(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Party:
    name: str
    lines: list[str]
    vat_id: str | None = None


@dataclass
class Item:
    desc: str
    qty: Decimal
    price: Decimal

    @property
    def total(self) -> Decimal:
        return _q(self.qty * self.price)


@dataclass
class Invoice:
    """One generated invoice: what is printed and what is true."""

    layout: str
    lang: str
    currency: str
    number: str
    issue_date: dt.date
    due_date: dt.date | None
    seller: Party
    buyer: Party
    items: list[Item]
    rates: list[Decimal]  # one VAT rate per item group (items split evenly between rates)
    iban: str | None = None
    discount: Decimal = Decimal("0")  # off the subtotal, before tax
    shipping: Decimal = Decimal("0")  # taxed like the items
    prepaid: Decimal = Decimal("0")
    decoys: dict[str, str] = field(default_factory=dict)  # customer no, order no, delivery date …
    opts: dict[str, Any] = field(default_factory=dict)  # rendering choices (bold labels, caps …)
    sign: int = 1  # -1: a credit note

    @property
    def subtotal(self) -> Decimal:
        return sum((i.total for i in self.items), Decimal("0")) * self.sign

    @property
    def net(self) -> Decimal:
        return self.subtotal - self.discount * self.sign + self.shipping * self.sign

    def breakdown(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        """(rate, base, tax) per rate; the discount and shipping fall to the first rate."""
        groups: dict[Decimal, Decimal] = {}
        for k, it in enumerate(self.items):
            rate = self.rates[k % len(self.rates)]
            groups[rate] = groups.get(rate, Decimal("0")) + it.total * self.sign
        first = self.rates[0]
        groups[first] += (self.shipping - self.discount) * self.sign
        return [(r, b, _q(b * r / 100)) for r, b in groups.items()]

    @property
    def tax(self) -> Decimal:
        return sum((t for _, _, t in self.breakdown()), Decimal("0"))

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    @property
    def due(self) -> Decimal:
        return self.gross - self.prepaid

    def gold(self) -> dict[str, Any]:
        """The truth, nested as ``docextract.eval.compare`` reads it (fields a reader could not settle left out)."""
        g: dict[str, Any] = {
            "invoice_number": self.number, "issue_date": self.issue_date.isoformat(), "currency": self.currency,
            "seller": {"name": self.seller.name}, "buyer": {"name": self.buyer.name},
            "total_tax": float(self.tax), "total_gross": float(self.gross), "amount_due": float(self.due),
            "line_items": [{"description": i.desc, "quantity": float(i.qty), "unit_price": float(i.price),
                            "line_total": float(i.total * self.sign)} for i in self.items],
        }
        if not self.opts.get("net_ambiguous"):
            g["total_net"] = float(self.net)
        if self.due_date:
            g["due_date"] = self.due_date.isoformat()
        if self.iban:
            g["iban"] = self.iban
        if self.seller.vat_id:
            g["seller"]["vat_id"] = self.seller.vat_id
        if self.buyer.vat_id:
            g["buyer"]["vat_id"] = self.buyer.vat_id
        return g

    def gold_full(self) -> dict[str, Any]:
        """``ABSENT`` for the fields the page does not print, so a value read for them counts as wrong."""
        out: dict[str, Any] = {"seller": {}, "buyer": {}}
        if not self.due_date:
            out["due_date"] = ABSENT
        if not self.iban:
            out["iban"] = ABSENT
        for role, party in (("seller", self.seller), ("buyer", self.buyer)):
            if not party.vat_id:
                out[role]["vat_id"] = ABSENT
        return out


# ---------------------------------------------------------------------------------------------------------
# Content


_FIRST = ["Anna", "Lukas", "Marie", "Jonas", "Sophie", "Paul", "Emma", "Noah", "Clara", "Elias"]
_LAST = ["Becker", "Hoffmann", "Wagner", "Schulz", "Keller", "Brandt", "Vogel", "Lorenz", "Frank", "Berger"]
_COMPANY = {
    "us": (["Summit", "Bluewater", "Redwood", "Ironbridge", "Lakeside", "Northstar"],
           ["Supply Co.", "Industries Inc.", "Logistics LLC", "Design Group", "Electric Inc."]),
    "uk": (["Thames", "Highgate", "Ashford", "Kingsley", "Pennine", "Cotswold"],
           ["Consulting Ltd", "Joinery Ltd", "Print Services Ltd", "Catering Ltd", "Plumbing Ltd"]),
    "de": (["Schulz", "Brandt", "Vogel", "Lorenz", "Keller", "Berger"],
           ["Malerbetrieb GmbH", "Elektrotechnik GmbH", "Sanitär & Heizung GmbH", "Dachdeckerei e.K.",
            "Tischlerei GmbH"]),
    "fr": (["Dupont", "Lefèvre", "Moreau", "Garnier", "Rousseau", "Fontaine"],
           ["Rénovation SARL", "Informatique SAS", "Menuiserie SARL", "Conseil SAS"]),
    "es": (["García", "Martínez", "López", "Sánchez", "Romero", "Navarro"],
           ["Talleres S.L.", "Reformas S.L.", "Consultores S.A.", "Instalaciones S.L."]),
    "it": (["Rossi", "Bianchi", "Colombo", "Ricci", "Marino", "Greco"],
           ["Impianti S.r.l.", "Costruzioni S.p.A.", "Servizi S.r.l.", "Arredamenti S.r.l."]),
    "nl": (["De Vries", "Jansen", "Bakker", "Visser", "Smit", "Mulder"],
           ["Installatietechniek B.V.", "Bouw B.V.", "Advies B.V.", "Schilderwerken B.V."]),
}
_ITEMS = {
    "en": ["Consulting hours", "Site survey", "Steel brackets (box of 50)", "Cable, 3-core, 100 m", "Installation",
           "Annual maintenance plan", "LED panel 60x60", "Travel costs", "Design revision", "Paint, white, 10 L"],
    "de": ["Malerarbeiten Wohnzimmer", "Anfahrt", "Wandfarbe weiß 12,5 l", "Abdeckarbeiten", "Gesellenstunden",
           "Meisterstunden", "Kleinmaterial", "Entsorgung Altmaterial", "Steckdose montiert", "Silikonfuge"],
    "fr": ["Main d'œuvre", "Déplacement", "Peinture acrylique 10 L", "Pose de parquet", "Fournitures diverses",
           "Audit informatique", "Licence logicielle annuelle", "Formation utilisateurs"],
    "es": ["Mano de obra", "Desplazamiento", "Material eléctrico", "Revisión de caldera", "Horas de oficina técnica",
           "Pintura plástica 15 L", "Montaje de mobiliario"],
    "it": ["Manodopera", "Trasferta", "Materiale idraulico", "Consulenza tecnica", "Canone assistenza annuale",
           "Fornitura piastrelle", "Smaltimento rifiuti"],
    "nl": ["Arbeidsloon", "Voorrijkosten", "Materiaal sanitair", "Schilderwerk buitenkozijnen", "Adviesuren",
           "Onderhoudscontract", "Klein materiaal"],
}
_CITY = {
    "us": ["1200 Market Street", "Suite 400", "Denver, CO 80202"], "uk": ["14 Albion Road", "Leeds LS6 1AB"],
    "de": ["Lindenstraße 12", "50674 Köln"], "fr": ["12 rue des Lilas", "69003 Lyon"],
    "es": ["Calle Mayor 15, 2º", "28013 Madrid"], "it": ["Via Roma 21", "20121 Milano (MI)"],
    "nl": ["Keizersgracht 120", "1015 CX Amsterdam"],
}


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def vat_id(rng: random.Random, country: str) -> str:
    """A VAT id that passes python-stdnum's check for ``country``."""
    from stdnum.eu import vat as eu
    from stdnum.gb import vat as gb

    check = gb.is_valid if country == "GB" else eu.is_valid
    shapes = {"DE": lambda: _digits(rng, 9), "FR": lambda: _digits(rng, 11), "ES": lambda: "B" + _digits(rng, 8),
              "IT": lambda: _digits(rng, 11), "NL": lambda: _digits(rng, 9) + "B01", "GB": lambda: _digits(rng, 9)}
    for _ in range(10000):
        cand = country + shapes[country]()
        if check(cand):
            return cand
    raise RuntimeError(f"no valid VAT id for {country}")


def iban(rng: random.Random, country: str) -> str:
    """An IBAN that passes python-stdnum's check for ``country``."""
    from stdnum import iban as std

    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    bban = {"DE": lambda: _digits(rng, 18), "FR": lambda: _digits(rng, 23), "ES": lambda: _digits(rng, 20),
            "IT": lambda: rng.choice(letters) + _digits(rng, 10) + _digits(rng, 12),
            "NL": lambda: "".join(rng.choice(letters) for _ in range(4)) + _digits(rng, 10),
            "GB": lambda: "".join(rng.choice(letters) for _ in range(4)) + _digits(rng, 14)}
    for _ in range(20000):
        b = bban[country]()
        num = "".join(str(int(c, 36)) for c in b + country + "00")
        cand = f"{country}{98 - int(num) % 97:02d}{b}"
        if std.is_valid(cand):
            return cand
    raise RuntimeError(f"no valid IBAN for {country}")


def make_invoice(layout: str, seed: int) -> Invoice:
    """Random content for ``layout`` (one of ``LAYOUTS``), reproducible from ``seed``."""
    rng = random.Random(f"{layout}:{seed}")
    lang = {"us": "en", "uk": "en", "credit_note": "en", "de_craft": "de"}.get(layout, layout)
    region = {"credit_note": "uk", "de_craft": "de"}.get(layout, layout)
    country = {"us": "US", "uk": "GB", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL"}[region]
    currency = {"us": "USD", "uk": "GBP"}.get(region, "EUR")
    pre, post = _COMPANY[region]
    seller = Party(f"{rng.choice(pre)} {rng.choice(post)}", list(_CITY[region]))
    bpre = [p for p in pre if p not in seller.name]
    buyer = Party(f"{rng.choice(bpre)} {rng.choice(post)}", ["Unit 7, " + _CITY[region][0], _CITY[region][-1]])
    if country != "US":
        seller.vat_id = vat_id(rng, country)
        if rng.random() < 0.35 and layout not in ("uk", "credit_note"):
            buyer.vat_id = vat_id(rng, country)
    issue = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
    due: dt.date | None = issue + dt.timedelta(days=rng.choice((14, 30, 45)))
    if layout in ("de_craft", "credit_note"):
        due = None  # "Zahlbar innerhalb 14 Tagen": no date printed
    n_items = rng.randint(2, 5)
    names = rng.sample(_ITEMS[lang], n_items)
    big = rng.random() < 0.5  # thousands separators in the totals
    items = [Item(nm, Decimal(rng.choice((1, 1, 2, 3, 5, 8, 12, 40))),
                  Decimal(rng.randint(1500 if big else 500, 250000 if big else 30000)) / 100) for nm in names]
    std_rate = {"US": Decimal("8.25"), "GB": Decimal("20"), "DE": Decimal("19"), "FR": Decimal("20"),
                "ES": Decimal("21"), "IT": Decimal("22"), "NL": Decimal("21")}[country]
    reduced = {"DE": Decimal("7"), "NL": Decimal("9"), "FR": Decimal("5.5")}.get(country)
    rates = [std_rate, reduced] if reduced and rng.random() < 0.3 and n_items > 1 else [std_rate]
    number = {
        "us": f"{rng.randint(1000, 99999)}", "uk": f"INV-{rng.randint(1, 9999):05d}",
        "credit_note": f"CN-{rng.randint(100, 9999)}", "de_craft": f"{issue.year}-{rng.randint(100, 2999)}",
        "fr": f"F{issue.year}-{rng.randint(1, 999):04d}", "es": f"{issue.year}/{rng.randint(1, 999):03d}",
        "it": f"{rng.randint(1, 300)}/{issue.year}", "nl": f"{issue.year}{rng.randint(1000, 9999)}",
    }[layout]
    inv = Invoice(layout, lang, currency, number, issue, due, seller, buyer, items, rates,
                  iban=None if country == "US" else iban(rng, country))
    sub = sum((i.total for i in items), Decimal("0"))
    if rng.random() < 0.3 and layout not in ("credit_note",):
        inv.discount = _q(sub * Decimal(rng.choice((3, 5, 10))) / 100)
    if layout in ("us", "uk") and rng.random() < 0.5:
        inv.shipping = Decimal(rng.choice(("15.00", "24.90", "49.00")))
    if layout in ("us", "de_craft", "fr", "uk") and rng.random() < 0.35:
        inv.prepaid = _q(sub * Decimal("0.3"))
    if layout == "credit_note":
        inv.sign = -1
        inv.decoys["original"] = f"INV-{rng.randint(10000, 99999)}"
        inv.prepaid = Decimal("0")
    if layout == "us" and (inv.discount or inv.shipping):
        inv.opts["net_ambiguous"] = True  # "SUBTOTAL" is before the discount; the taxable amount is not printed
    inv.decoys.update(customer=f"{rng.randint(10000, 99999)}", order=f"{rng.choice(('A', 'PO-', ''))}{_digits(rng, 5)}",
                      delivery=(issue - dt.timedelta(days=rng.randint(1, 10))).isoformat())
    inv.opts.update(bold_labels=rng.random() < 0.5, caps=rng.random() < 0.4, colon=rng.random() < 0.7,
                    value_size=rng.choice((9, 10, 11)), label_size=rng.choice((8, 9, 10)),
                    prepaid_date=(issue - dt.timedelta(days=20)).isoformat(), person=rng.random() < 0.3,
                    contact=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", date_style=rng.randint(0, 1),
                    variant=rng.randint(0, 2))
    return inv


# ---------------------------------------------------------------------------------------------------------
# Formatting


def money(inv: Invoice, x: Decimal, symbol: bool = False) -> str:
    """An amount the way ``inv``'s country prints it."""
    neg = x < 0
    s = f"{abs(x):,.2f}"
    if inv.lang in ("de", "es", "it", "nl"):
        s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    elif inv.lang == "fr":
        s = s.replace(",", " ").replace(".", ",")
    if symbol:
        sym = {"USD": "$", "GBP": "£", "EUR": "€"}[inv.currency]
        s = f"{sym}{s}" if inv.lang == "en" else (f"€ {s}" if inv.lang == "nl" else f"{s} €")
    return f"-{s}" if neg else s


_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]


def date_text(inv: Invoice, d: dt.date) -> str:
    style = inv.opts.get("date_style", 0)
    if inv.layout == "us":
        return f"{_MONTHS_EN[d.month - 1]} {d.day}, {d.year}" if style else f"{d:%m/%d/%Y}"
    if inv.lang == "en":
        return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}" if style else f"{d:%d/%m/%Y}"
    if inv.lang == "de":
        return f"{d:%d.%m.%Y}"
    if inv.lang == "nl":
        return f"{d:%d-%m-%Y}"
    return f"{d:%d/%m/%Y}"


def spaced(code: str, every: int = 4) -> str:
    return " ".join(code[i : i + every] for i in range(0, len(code), every))


def render(inv: Invoice) -> bytes:
    """The invoice as a born-digital PDF."""
    from tests.support.unseen_layouts import draw

    return draw(inv)


def scan(pdf: bytes, seed: int, dpi: int = 200) -> bytes:
    """``pdf``'s pages as a degraded scan: slight rotation, blur, noise, JPEG; an image-only PDF."""
    from tests.support.unseen_layouts import degrade

    return degrade(pdf, seed, dpi)
