"""Tier 0 accuracy on the development e-invoices: the embedded XML is the ground truth there, so every
field the XML holds should come out exact; also lists what the page/XML cross-check flagged.

    .venv/bin/python benchmarks/einvoice_accuracy.py [DATA_DIR]     (default ../shared/data/dev beside the repository)

Prints counts and field names only, never values (the documents hold personal data).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import docextract


class EInvoiceExtras(BaseModel):
    """Gold keys outside the Invoice schema, read through the name matching of a user's own schema."""

    buyer_reference: str | None = None
    order_number: str | None = None
    total_lines: Decimal | None = None
    prepaid: Decimal | None = None
    document_type: str | None = None
    seller_tax_number: str | None = None


_INVOICE_KEYS = {
    "invoice_number": "invoice_number", "issue_date": "issue_date", "due_date": "due_date", "currency": "currency",
    "seller_name": "seller.name", "seller_vat_id": "seller.vat_id", "buyer_name": "buyer.name",
    "buyer_vat_id": "buyer.vat_id", "iban": "iban", "total_net": "total_net", "total_tax": "total_tax",
    "total_gross": "total_gross", "amount_due": "amount_due",
}
_LINE_KEYS = ("description", "quantity", "unit_price", "line_total")


def same(gold: Any, got: Any) -> bool:
    if gold is None:
        return got is None
    if got is None:
        return False
    if isinstance(gold, (int, float)) and not isinstance(gold, bool):
        return Decimal(str(gold)) == Decimal(str(got))
    if isinstance(got, dt.date):
        return str(gold) == got.isoformat()
    return re.sub(r"\s+", "", str(gold)).casefold() == re.sub(r"\s+", "", str(got)).casefold()


def main(data_dir: Path) -> None:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    flagged: list[str] = []
    printed = unprinted = 0
    seconds = 0.0
    for pdf in sorted((data_dir / "invoices" / "xml").glob("*__xml.pdf")):
        doc_id = pdf.name.split("__")[0]
        gold = json.loads((data_dir / "gold" / f"{doc_id}.json").read_text())["gold_full"]
        t0 = time.perf_counter()
        res = docextract.extract(pdf, schema="Invoice")
        seconds += time.perf_counter() - t0
        got = {p: f.value for p, f in res.fields.items()}
        for key, path in _INVOICE_KEYS.items():
            if gold.get(key) is None:
                extra[key] += got.get(path) is not None
                continue
            total[key] += 1
            right[key] += same(gold[key], got.get(path))
        lines = [ln for ln in gold.get("line_items") or [] if ln]
        for i, line in enumerate(lines):
            for key in _LINE_KEYS:
                if line.get(key) is None:
                    continue
                total[f"line.{key}"] += 1
                right[f"line.{key}"] += same(line[key], got.get(f"line_items[{i}].{key}"))
        extra["line_items (rows beyond gold)"] += sum(1 for p in got if p.startswith(f"line_items[{len(lines)}]."))
        for f in res.fields.values():
            if f.source and f.source.startswith("einvoice"):
                if any(e.box is not None for e in f.evidence):
                    printed += 1
                else:
                    unprinted += 1
        for issue in res.issues:
            if issue.code.startswith("einvoice") and issue.code != "einvoice_profile":
                flagged.append(f"{doc_id}: {issue.code} {','.join(issue.fields)}")
        profile = next((i.message.split(" source=")[0] for i in res.issues if i.code == "einvoice_profile"), "-")
        ext = docextract.extract(pdf, schema=EInvoiceExtras).fields
        for key in EInvoiceExtras.model_fields:
            if gold.get(key) is not None:
                total[f"extras.{key}"] += 1
                right[f"extras.{key}"] += same(gold[key], ext[key].value if key in ext else None)
        print(f"{doc_id[:60]:60s} status={res.status:6s} {profile}")
    print()
    for key in sorted(total):
        print(f"  {key:28s} {right[key]:3d}/{total[key]:<3d}")
    n_right, n_total = sum(right.values()), sum(total.values())
    print(f"field accuracy: {n_right}/{n_total} = {n_right / max(n_total, 1):.4f}")
    print(f"values where gold is empty but one was returned: {dict(+extra) or 0}")
    print(f"e-invoice values found printed on the page: {printed}, not found: {unprinted}")
    print(f"cross-check flags: {flagged or 'none'}")
    print(f"extract() seconds, all files: {seconds:.2f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data" / "dev")
