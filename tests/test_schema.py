"""Schema resolution: every accepted form of a schema, and the errors for the rest."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest
from pydantic import BaseModel

import docextract
from docextract.errors import SchemaError
from docextract.schema import resolve_schema, unflatten
from docextract.schemas import Invoice


def _form_pdf(path: Path, rows: list[tuple[str, str]]) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    y = 90.0
    for label, value in rows:
        page.insert_text((72, y), label, fontsize=11)
        page.insert_text((250, y), value, fontsize=11)
        y += 28
    doc.save(path)
    return path


def test_builtin_names_resolve_case_insensitively() -> None:
    assert resolve_schema("Invoice").model is Invoice
    assert resolve_schema("receipt").name == "Receipt"


def test_invoice_spec_keeps_the_contract_field_names() -> None:
    spec = resolve_schema(Invoice)
    paths = {f.path for f in spec.fields}
    assert paths == {
        "invoice_number", "issue_date", "due_date", "currency", "seller.name", "seller.address", "seller.vat_id",
        "buyer.name", "buyer.address", "buyer.vat_id", "iban", "total_net", "total_tax", "total_gross", "amount_due",
    }
    (table,) = spec.tables
    assert table.path == "line_items"
    assert [f.path for f in table.item_fields] == ["description", "quantity", "unit_price", "line_total"]
    assert spec.field("iban").kind == "iban"  # type: ignore[union-attr]
    assert spec.field("total_gross").kind == "amount"  # type: ignore[union-attr]
    # what booking needs (issue 9): the rest is optional, withheld when unsure
    assert set(spec.required_paths) == {"invoice_number", "issue_date", "seller.name", "total_gross", "currency"}


def test_unknown_name_lists_the_builtins() -> None:
    with pytest.raises(SchemaError, match="Invoice, Receipt"):
        resolve_schema("Invoise")


def test_module_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "myschemas.py").write_text(
        "from pydantic import BaseModel\nclass Order(BaseModel):\n    order_number: str\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = resolve_schema("myschemas:Order")
    assert spec.name == "Order" and spec.fields[0].path == "order_number"
    with pytest.raises(SchemaError, match="not a pydantic model"):
        resolve_schema("myschemas:BaseModelX")
    with pytest.raises(SchemaError, match="cannot import"):
        resolve_schema("no_such_module_xyz:Order")


def test_file_reference_drives_extraction(tmp_path: Path) -> None:
    schema_file = tmp_path / "po.py"
    schema_file.write_text(
        "import datetime as dt\nfrom decimal import Decimal\nfrom pydantic import BaseModel, Field\n"
        "class PurchaseOrder(BaseModel):\n"
        "    po_number: str = Field(json_schema_extra={'labels': ['PO Number', 'Order No']})\n"
        "    order_date: dt.date\n"
        "    total: Decimal | None = None\n",
        encoding="utf-8",
    )
    pdf = _form_pdf(tmp_path / "po.pdf", [("PO Number:", "PO-77120"), ("Order date:", "14.03.2024"),
                                          ("Total:", "EUR 1.250,00")])
    result = docextract.extract(pdf, schema=f"{schema_file}:PurchaseOrder")
    assert result.schema_name == "PurchaseOrder"
    assert result.data.po_number == "PO-77120"
    assert result.data.order_date == dt.date(2024, 3, 14)
    assert result.data.total == Decimal("1250.00")


def test_json_schema_file_is_honoured(tmp_path: Path) -> None:
    schema = {
        "title": "Statement",
        "type": "object",
        "properties": {
            "account_holder": {"type": "string", "x-labels": ["Account holder"]},
            "closing_balance": {"type": "number", "description": "balance at the end", "maximum": 100},
            "statement_date": {"type": "string", "format": "date"},
        },
        "required": ["account_holder", "statement_date"],
    }
    path = tmp_path / "statement.schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    spec = resolve_schema(path)
    assert spec.json_schema is not None
    assert spec.field("account_holder").labels == ("Account holder",)  # type: ignore[union-attr]
    assert set(spec.required_paths) == {"account_holder", "statement_date"}
    pdf = _form_pdf(tmp_path / "st.pdf", [("Account holder:", "Jane Doe"), ("Statement date:", "2024-05-31"),
                                          ("Closing balance:", "1,234.50")])
    result = docextract.extract(pdf, schema=path)
    assert isinstance(result.data, dict)
    assert result.data["statement_date"] == "2024-05-31"
    assert result.data["closing_balance"] == 1234.5
    # jsonschema is applied to the output: the maximum of 100 is broken, and that is reported.
    assert any(i.code == "json_schema" and "closing_balance" in i.fields for i in result.issues)
    assert result.status == "review"


def test_bad_json_schema_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"bad\.json"):
        resolve_schema(bad)
    notobj = tmp_path / "list.json"
    notobj.write_text(json.dumps({"type": "array"}), encoding="utf-8")
    with pytest.raises(SchemaError, match="object with properties"):
        resolve_schema(notobj)
    with pytest.raises(SchemaError, match="does not exist"):
        resolve_schema(tmp_path / "missing.json")


def test_not_a_schema() -> None:
    with pytest.raises(SchemaError):
        resolve_schema(42)  # type: ignore[arg-type]


def test_unknown_field_kind_is_a_schema_error() -> None:
    from pydantic import Field

    class Odd(BaseModel):
        x: str = Field(json_schema_extra={"kind": "colour"})

    with pytest.raises(SchemaError, match="colour"):
        resolve_schema(Odd)


def test_unflatten_and_build_drop_only_what_does_not_fit() -> None:
    nested = unflatten({"seller.name": "A", "line_items[1].quantity": 2, "line_items[0].quantity": 1})
    assert nested == {"seller": {"name": "A"}, "line_items": [{"quantity": 1}, {"quantity": 2}]}
    spec = resolve_schema(Invoice)
    inst, rejected = spec.build(
        {"invoice_number": "A-1", "issue_date": dt.date(2024, 1, 2), "total_net": "not a number"}
    )
    assert rejected == ["total_net"]
    assert inst.invoice_number == "A-1" and inst.total_net is None


def test_a_missing_required_field_keeps_the_rest_of_the_record() -> None:
    spec = resolve_schema(Invoice)
    inst, rejected = spec.build({"issue_date": dt.date(2024, 1, 2), "total_gross": Decimal("10.00"),
                                 "seller.name": "ACME"})
    assert rejected == []
    assert isinstance(inst, Invoice)
    assert inst.invoice_number is None
    assert inst.total_gross == Decimal("10.00") and inst.seller.name == "ACME"
    assert inst.model_dump()["issue_date"] == dt.date(2024, 1, 2)


def test_a_row_missing_a_required_cell_is_dropped_alone() -> None:
    from pydantic import Field

    class Item(BaseModel):
        sku: str
        qty: int | None = None

    class Order(BaseModel):
        number: str
        items: list[Item] = Field(default_factory=list)

    spec = resolve_schema(Order)
    inst, rejected = spec.build({"number": "PO-1", "items[0].sku": "A1", "items[0].qty": 2, "items[1].qty": 5,
                                 "items[2].sku": "C3"})
    assert rejected == ["items[1].qty"]
    assert [i.sku for i in inst.items] == ["A1", "C3"]
