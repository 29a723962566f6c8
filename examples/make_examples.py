"""Generate the example invoices in ``examples/invoices/`` (deterministic: the same bytes on every run).

    python examples/make_examples.py [--out examples/invoices]

Twelve invoices: six languages (en, de, fr, es, it, nl), four currencies (EUR, USD, GBP, CHF), labels left
of or above their values, one- and two-column headers, three fonts, ruled and bare tables, and two long
invoices whose line items continue across pages with a carried-forward subtotal. Each PDF is written with
a ``.json`` of the values printed on it, so an extraction can be checked against it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from examples.invoicegen import InvoiceData, Line, Style, random_invoice, render_invoice  # noqa: E402

# name, seed, overrides, style
PLAN: list[tuple[str, int, dict[str, object], Style]] = [
    ("en_usd_simple", 1, {"lang": "en", "currency": "USD"}, Style()),
    ("en_gbp_above", 2, {"lang": "en", "currency": "GBP", "tax_rate": Decimal("20")}, Style(placement="above")),
    ("de_eur_ruled", 3, {"lang": "de", "currency": "EUR"}, Style(font="times")),
    ("de_chf_twocol", 4, {"lang": "de", "currency": "CHF", "tax_rate": Decimal("7")},
     Style(columns=2, ruled=False)),
    ("fr_eur_times", 5, {"lang": "fr", "currency": "EUR", "tax_rate": Decimal("20")},
     Style(font="times", colon=False)),
    ("fr_chf_courier", 6, {"lang": "fr", "currency": "CHF", "tax_rate": Decimal("7")}, Style(font="courier")),
    ("es_eur_above", 7, {"lang": "es", "currency": "EUR", "tax_rate": Decimal("21")},
     Style(placement="above", ruled=False)),
    ("it_eur_twocol", 8, {"lang": "it", "currency": "EUR", "tax_rate": Decimal("22")}, Style(columns=2)),
    ("nl_eur_bare", 9, {"lang": "nl", "currency": "EUR", "tax_rate": Decimal("21")},
     Style(ruled=False, footer=True, colon=False)),
    ("en_usd_nofooter", 10, {"lang": "en", "currency": "USD", "tax_rate": Decimal("10")}, Style(footer=False)),
    ("de_eur_multipage", 11, {"lang": "de", "currency": "EUR"}, Style(rows_per_page=18)),
    ("en_gbp_multipage", 12, {"lang": "en", "currency": "GBP", "tax_rate": Decimal("20")},
     Style(rows_per_page=20, font="times")),
]
_LONG = {"de_eur_multipage": 41, "en_gbp_multipage": 33}


def build(name: str, seed: int, overrides: dict[str, object]) -> InvoiceData:
    data = random_invoice(seed, **overrides)
    count = _LONG.get(name)
    if count:
        # Lines continue over pages; made from the same seed so the output never changes.
        base = data.lines
        lines = [Line(f"{base[i % len(base)].description} ({i + 1})", Decimal(1 + i % 5),
                      base[i % len(base)].unit_price) for i in range(count)]
        data = replace(data, lines=lines)
    return data


_ID_PART = rb"(?:<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))"  # a hex or a literal string
_TRAILER_ID = re.compile(rb"/ID\s*\[\s*" + _ID_PART + rb"\s*" + _ID_PART + rb"\s*\]", re.DOTALL)


def stable_id(pdf: bytes) -> bytes:
    """Replace the trailer's random /ID with one derived from the content, so a rerun writes identical bytes.

    The trailer follows the cross-reference table, so its length may change without moving any offset.
    """
    digest = hashlib.md5(_TRAILER_ID.sub(b"", pdf), usedforsecurity=False).hexdigest().upper().encode()
    return _TRAILER_ID.sub(b"/ID[<" + digest + b"><" + digest + b">]", pdf)


def truth(data: InvoiceData) -> dict[str, object]:
    """The values printed on the invoice, in the Invoice schema's field names."""
    return {
        "invoice_number": data.number, "issue_date": data.issue_date.isoformat(),
        "due_date": data.due_date.isoformat() if data.due_date else None, "currency": data.currency,
        "seller": {"name": data.seller.name, "vat_id": data.seller.vat_id},
        "buyer": {"name": data.buyer.name}, "iban": data.iban,
        "total_net": str(data.total_net), "total_tax": str(data.total_tax), "total_gross": str(data.total_gross),
        "line_items": [{"description": ln.description, "quantity": str(ln.quantity),
                        "unit_price": str(ln.unit_price), "line_total": str(ln.total)} for ln in data.lines],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "invoices")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, seed, overrides, style in PLAN:
        data = build(name, seed, overrides)
        pdf = stable_id(render_invoice(data, style))
        (args.out / f"{name}.pdf").write_bytes(pdf)
        (args.out / f"{name}.json").write_text(json.dumps(truth(data), indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
        print(f"{name}.pdf  {len(pdf):>6} bytes  {data.lang} {data.currency}  {len(data.lines)} lines")


if __name__ == "__main__":
    main()
