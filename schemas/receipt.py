"""The Receipt schema: a shop or restaurant receipt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel, Field


class ReceiptItem(BaseModel):
    """One line of a receipt."""

    description: str | None = Field(
        None, description="what was bought",
        json_schema_extra={"labels": ["Description", "Item", "Artikel", "Article", "Qty Description"]},
    )
    quantity: Decimal | None = Field(
        None, description="number of units",
        json_schema_extra={"labels": ["Qty", "Quantity", "Menge", "Qté"], "kind": "number"},
    )
    unit_price: Decimal | None = Field(
        None, description="price per unit",
        json_schema_extra={"labels": ["Price", "U/Price", "Unit price", "Preis", "Prix"], "kind": "amount"},
    )
    line_total: Decimal | None = Field(
        None, description="total of the line",
        json_schema_extra={"labels": ["Amount", "Total", "Amt", "Betrag", "Montant"], "kind": "amount"},
    )


class Receipt(BaseModel):
    """A receipt: who sold, where, when, and the total paid."""

    docextract_rules: ClassVar[tuple[str, ...]] = ("line_arithmetic",)

    company: str = Field(
        description="the business that issued the receipt (usually the first line)",
        json_schema_extra={"labels": ["Company", "Store", "Shop", "Merchant"], "kind": "string", "position": "top"},
    )
    address: str | None = Field(
        None, description="the business's address, lines joined with ', '",
        json_schema_extra={"labels": ["Address", "Adresse", "Anschrift"], "kind": "text", "position": "after:company"},
    )
    date: dt.date = Field(
        description="the date of the purchase",
        json_schema_extra={"labels": ["Date", "Datum", "Fecha", "Data", "Dated", "Inv Date", "Bill Date"],
                           # unlabelled, a receipt's date is the one printed beside the time of day
                           "position": "timestamp"},
    )
    total: Decimal = Field(
        description="the total paid, tax included",
        json_schema_extra={"labels": ["Total", "Grand total", "Total amount", "Total (incl. GST)", "Total incl GST",
                                      "Nett total", "Amount due", "Total sales", "Summe", "Gesamt", "Total TTC",
                                      "Net total", "Round total", "Total payable", "Total rounded", "Rounded total",
                                      "Total (rounded)", "To pay", "Please pay", "Amount to pay", "Balance due",
                                      "Zu zahlen", "Net à payer", "À payer", "Total a pagar", "Da pagare"],
                           "kind": "amount",
                           # a total the receipt's arithmetic confirms (rounding, cash less change)
                           "position": "payable"},
    )
    items: list[ReceiptItem] = Field(default_factory=list, description="the items bought, when listed")
