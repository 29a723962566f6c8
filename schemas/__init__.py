"""Ready-made schemas. Field names are a contract: downstream tools and benchmarks read them."""

from __future__ import annotations

from pydantic import BaseModel

from docextract.schemas.invoice import Invoice, LineItem, Party, Seller
from docextract.schemas.receipt import Receipt, ReceiptItem

BUILTIN: dict[str, type[BaseModel]] = {"Invoice": Invoice, "Receipt": Receipt}

__all__ = ["BUILTIN", "Invoice", "LineItem", "Party", "Receipt", "ReceiptItem", "Seller"]
