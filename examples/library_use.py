"""docextract as a library: one file, per-field confidence and evidence, many files, a custom schema.

    python examples/make_examples.py      # once: writes examples/invoices/*.pdf
    python examples/library_use.py
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field

import docextract
from docextract.schemas import Invoice

HERE = Path(__file__).resolve().parent
INVOICES = sorted((HERE / "invoices").glob("*.pdf"))


class PaymentSlip(BaseModel):
    """A custom schema: only what accounts payable needs. Labels help the rules tier find each field."""

    invoice_number: str = Field(description="the invoice's identifier",
                                json_schema_extra={"labels": ["Invoice No.", "Rechnungsnummer", "N° de facture"]})
    issue_date: dt.date | None = None
    total_gross: Decimal | None = Field(None, description="grand total including tax")
    iban: str | None = None


def one_file() -> None:
    result = docextract.extract(INVOICES[0], schema=Invoice, threshold=0.8)
    print(f"{result.file}: {result.status}")
    if result.data is not None:
        print("  invoice", result.data.invoice_number, "total", result.data.total_gross, result.data.currency)
    for path, field in result.fields.items():
        where = field.evidence[0] if field.evidence else None
        box = ", ".join(f"{v:.3f}" for v in where.box) if where and where.box else ""
        place = f"page {where.page + 1} ({box})" if where and where.page is not None else "no evidence"
        flag = "" if field.confidence >= result.threshold else "  <- review"
        print(f"  {path:<28} {field.value!s:<30.30} {field.confidence:.2f} {field.source}  {place}{flag}")
    for issue in result.issues:
        print(f"  issue {issue.code}: {issue.message}")


def many_files() -> None:
    # Two worker processes; a file that crashes or hangs an engine fails alone, the others go on.
    for result in docextract.extract_many(INVOICES, "Invoice", workers=2):
        total = result.data.total_gross if result.data is not None else None
        error = f" {result.error.type}: {result.error.message}" if result.error else ""
        print(f"{Path(result.file).name:<24} {result.status:<7} total={total}{error}")


def custom_schema() -> None:
    # A schema defined in a script is used in-process: extract() (or extract_many(..., isolate=False)).
    result = docextract.extract(INVOICES[0], schema=PaymentSlip)
    print(PaymentSlip.__name__, result.status, result.data)


def main() -> None:
    if not INVOICES:
        raise SystemExit("no example invoices: run python examples/make_examples.py first")
    one_file()
    print()
    many_files()
    print()
    custom_schema()


if __name__ == "__main__":
    main()
