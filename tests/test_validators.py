"""Validation rules: each passing and failing, tolerance edges, confirmations, custom rules and schemas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, Field

from docextract import scoring
from docextract.errors import ConfigError
from docextract.result import Candidate, Issue
from docextract.schema import SchemaSpec, resolve_schema, spec_from_model
from docextract.validators import register_rule, rule_names, run_rules, unregister_rule


@pytest.fixture(scope="module")
def invoice() -> SchemaSpec:
    return resolve_schema("Invoice")


D = Decimal


def codes(issues: list[Issue]) -> dict[str, Issue]:
    return {i.code: i for i in issues}


def only(spec: SchemaSpec, *rules: str) -> SchemaSpec:
    return SchemaSpec(name=spec.name, model=spec.model, fields=spec.fields, tables=spec.tables, rules=rules)


def test_builtin_rules_are_listed(invoice: SchemaSpec) -> None:
    assert set(invoice.rules) <= set(rule_names())


@pytest.mark.parametrize(
    ("net", "tax", "gross", "outcome"),
    [
        ("100.00", "19.00", "119.00", "confirmed"),
        ("10.00", "1.90", "11.92", "confirmed"),  # 2 cents of rounding
        ("10.00", "1.90", "11.93", "error"),
        ("100.00", "19.00", "119.05", "confirmed"),  # 0.05 % of 119.05 is 0.0595
        ("100.00", "19.00", "119.06", "error"),
        ("100000.00", "19000.00", "119050.00", "confirmed"),  # 0.05 % of a large amount
        ("100000.00", "19000.00", "119060.00", "error"),
        ("100", "0", "100", "confirmed"),
        (100.1, 19.02, 119.12, "confirmed"),  # floats are compared as the decimals they print as
    ],
)
def test_totals_add_up(invoice: SchemaSpec, net: Any, tax: Any, gross: Any, outcome: str) -> None:
    values = {path: D(v) if isinstance(v, str) else v
              for path, v in (("total_net", net), ("total_tax", tax), ("total_gross", gross))}
    issues = run_rules(only(invoice, "totals_add_up"), values)
    assert len(issues) == 1
    issue = issues[0]
    assert issue.fields == ("total_net", "total_tax", "total_gross")
    if outcome == "confirmed":
        assert (issue.code, issue.severity) == ("totals_add_up_confirmed", "info")
    else:
        assert (issue.code, issue.severity) == ("totals_add_up", "error")


def test_totals_need_all_three_and_amount_due(invoice: SchemaSpec) -> None:
    spec = only(invoice, "totals_add_up")
    assert run_rules(spec, {"total_net": D(100), "total_gross": D(119)}) == []
    prepaid = {"total_net": D(100), "total_tax": D(19), "total_gross": D(119), "amount_due": D(50)}
    assert set(codes(run_rules(spec, prepaid))) == {"totals_add_up_confirmed"}
    over = codes(run_rules(spec, {**prepaid, "amount_due": D(150)}))
    assert over["amount_due_above_total"].severity == "warning"
    assert over["amount_due_above_total"].fields == ("amount_due", "total_gross")


def _lines(*rows: tuple[str, str, str]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for i, (qty, price, total) in enumerate(rows):
        out |= {f"line_items[{i}].quantity": D(qty), f"line_items[{i}].unit_price": D(price),
                f"line_items[{i}].line_total": D(total)}
    return out


def test_lines_sum_to_net(invoice: SchemaSpec) -> None:
    spec = only(invoice, "lines_sum_to_net")
    lines = _lines(("2", "25.00", "50.00"), ("1", "50.01", "50.01"))
    (ok,) = run_rules(spec, {**lines, "total_net": D("100.01")})
    assert ok.code == "lines_sum_to_net_confirmed"
    assert ok.fields == ("line_items[0].line_total", "line_items[1].line_total", "total_net")
    (gross,) = run_rules(spec, {**lines, "total_net": D("84.04"), "total_gross": D("100.01")})
    assert gross.code == "lines_sum_to_net_confirmed" and gross.fields[-1] == "total_gross"
    (bad,) = run_rules(spec, {**lines, "total_net": D("150.01")})
    assert (bad.code, bad.severity) == ("lines_sum_to_net", "warning")
    assert bad.fields == ("line_items[0].line_total", "line_items[1].line_total", "total_net")
    assert run_rules(spec, {"total_net": D(100)}) == []  # no lines read
    assert run_rules(spec, lines) == []  # nothing to compare with


def test_line_arithmetic(invoice: SchemaSpec) -> None:
    spec = only(invoice, "line_arithmetic")
    issues = run_rules(spec, _lines(("3", "9.99", "29.97"), ("3", "9.99", "30.00"), ("1000", "0.0105", "10.55"),
                                    ("2", "50.00", "90.00")))
    assert [i.code for i in issues] == ["line_arithmetic_confirmed", "line_arithmetic_confirmed",
                                        "line_arithmetic_confirmed", "line_arithmetic"]
    bad = issues[-1]
    assert bad.severity == "warning"
    assert bad.fields == ("line_items[3].quantity", "line_items[3].unit_price", "line_items[3].line_total")
    edge = run_rules(spec, _lines(("1", "100.00", "100.50"), ("1", "100.00", "100.51")))
    assert [i.code for i in edge] == ["line_arithmetic_confirmed", "line_arithmetic"]  # 0.5 % of the line total
    partial = {"line_items[0].quantity": D(2), "line_items[0].line_total": D(10)}
    assert run_rules(spec, partial) == []


def test_iban_checksum(invoice: SchemaSpec) -> None:
    spec = only(invoice, "iban_checksum")
    (ok,) = run_rules(spec, {"iban": "DE89 3704 0044 0532 0130 00"})
    assert (ok.code, ok.severity, ok.fields) == ("iban_checksum_confirmed", "info", ("iban",))
    (bad,) = run_rules(spec, {"iban": "DE89370400440532013001"})
    assert (bad.code, bad.severity) == ("iban_checksum", "error")
    assert "0532013001" not in bad.message  # never the whole account number
    (short,) = run_rules(spec, {"iban": "DE8937040044053201300"})
    assert short.severity == "error"


def test_vat_id_format(invoice: SchemaSpec) -> None:
    spec = only(invoice, "vat_id_format")
    issues = codes(run_rules(spec, {"seller.vat_id": "DE 136 695 976", "buyer.vat_id": "DE123456789"}))
    assert issues["vat_id_format_confirmed"].fields == ("seller.vat_id",)
    assert issues["vat_id_format"].fields == ("buyer.vat_id",) and issues["vat_id_format"].severity == "warning"
    assert "check digits" in issues["vat_id_format"].message
    for good in ("ATU13585627", "FR40303265045", "CHE-116.281.710 MWST", "GB980780684"):
        assert [i.code for i in run_rules(spec, {"seller.vat_id": good})] == ["vat_id_format_confirmed"], good
    (shape,) = run_rules(spec, {"seller.vat_id": "DE12345"})
    assert "wrong format" in shape.message
    assert run_rules(spec, {"seller.vat_id": "ZZ123456789"}) == []  # a country nobody checks
    assert run_rules(spec, {"seller.vat_id": "123456789"}) == []


def test_due_after_issue(invoice: SchemaSpec) -> None:
    spec = only(invoice, "due_after_issue")
    assert run_rules(spec, {"issue_date": dt.date(2024, 3, 12), "due_date": dt.date(2024, 3, 12)}) == []
    (bad,) = run_rules(spec, {"issue_date": dt.date(2024, 3, 12), "due_date": dt.date(2024, 3, 11)})
    assert (bad.code, bad.severity, bad.fields) == ("due_after_issue", "error", ("issue_date", "due_date"))
    (far,) = run_rules(spec, {"issue_date": "2024-03-12", "due_date": "2025-04-12"})
    assert far.severity == "warning"
    assert run_rules(spec, {"issue_date": dt.date(2024, 3, 12)}) == []


def test_currency_iso4217(invoice: SchemaSpec) -> None:
    spec = only(invoice, "currency_iso4217")
    assert run_rules(spec, {"currency": "EUR"}) == []
    (bad,) = run_rules(spec, {"currency": "€"})
    assert (bad.code, bad.severity, bad.fields) == ("currency_iso4217", "error", ("currency",))
    assert len(run_rules(spec, {"currency": "EUROS"})) == 1


def test_confirmation_and_failure_move_confidence(invoice: SchemaSpec) -> None:
    issues = run_rules(invoice, {"total_net": D(100), "total_tax": D(19), "total_gross": D(119),
                                 "iban": "DE89370400440532013001"})
    cand = Candidate(path="total_net", value=D(100), score=0.8, source="rules")
    on_net = [i for i in issues if "total_net" in i.fields]
    assert scoring.final_confidence(cand, on_net) > 0.9
    on_iban = [i for i in issues if "iban" in i.fields]
    assert scoring.final_confidence(cand.model_copy(update={"path": "iban"}), on_iban) <= 0.5


def test_unknown_rule_is_a_config_error(invoice: SchemaSpec) -> None:
    with pytest.raises(ConfigError, match="totals_add_up"):
        run_rules(only(invoice, "totals_add_up", "no_such_rule"), {})


class PurchaseOrderLine(BaseModel):
    sku: str | None = None
    qty: Decimal | None = Field(None, json_schema_extra={"kind": "number"})
    unit_price: Decimal | None = None
    line_total: Decimal | None = None


class PurchaseOrder(BaseModel):
    docextract_rules: ClassVar[tuple[str, ...]] = ("totals_add_up", "line_arithmetic", "iban_checksum",
                                                   "po_number_prefix")
    po_number: str
    order_date: dt.date | None = None
    subtotal: Decimal | None = None
    vat_amount: Decimal | None = None
    grand_total: Decimal | None = None
    payee_account: str | None = Field(None, json_schema_extra={"kind": "iban"})
    lines: list[PurchaseOrderLine] = Field(default_factory=list)


class PoNumberPrefix:
    name = "po_number_prefix"

    def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]:
        number = values.get("po_number")
        if isinstance(number, str) and not number.startswith("PO-"):
            return [Issue(code=self.name, message="PO numbers start with PO-", fields=("po_number",))]
        return []


@pytest.fixture
def po_rule() -> Iterator[None]:
    register_rule(PoNumberPrefix())
    yield
    unregister_rule("po_number_prefix")


def test_custom_rule_on_custom_schema(po_rule: None) -> None:
    spec = spec_from_model(PurchaseOrder)
    assert "po_number_prefix" in rule_names()
    values = {"po_number": "4711", "subtotal": D(100), "vat_amount": D(19), "grand_total": D(119),
              "payee_account": "GB82WEST12345698765432", "lines[0].qty": D(4), "lines[0].unit_price": D(25),
              "lines[0].line_total": D(100)}
    got = codes(run_rules(spec, values))
    assert got["po_number_prefix"].fields == ("po_number",)
    assert got["totals_add_up_confirmed"].fields == ("subtotal", "vat_amount", "grand_total")
    assert got["line_arithmetic_confirmed"].fields == ("lines[0].qty", "lines[0].unit_price", "lines[0].line_total")
    assert got["iban_checksum_confirmed"].fields == ("payee_account",)
    assert "po_number_prefix" not in codes(run_rules(spec, {**values, "po_number": "PO-4711"}))


def test_registered_rules_run_for_every_schema_and_failures_are_reported(invoice: SchemaSpec) -> None:
    class Broken:
        name = "broken"

        def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]:
            raise RuntimeError("boom")

    register_rule(Broken())
    try:
        issues = codes(run_rules(only(invoice), {}))
        assert issues["rule_failed"].severity == "warning" and "boom" in issues["rule_failed"].message
    finally:
        unregister_rule("broken")
    assert run_rules(only(invoice), {}) == []


def test_register_rule_checks_its_argument() -> None:
    with pytest.raises(ConfigError, match="built-in"):
        register_rule(PoNumberPrefix(), name="totals_add_up")
    with pytest.raises(ConfigError, match="name"):
        register_rule(object())  # type: ignore[arg-type]


def test_credit_note_refund_below_the_total_is_not_flagged() -> None:
    from decimal import Decimal

    from docextract.schema import resolve_schema
    from docextract.validators import run_rules

    spec = resolve_schema("Invoice")
    values = {"total_net": Decimal("-84.03"), "total_tax": Decimal("-15.97"), "total_gross": Decimal("-100.00"),
              "amount_due": Decimal("-90.00")}
    issues = run_rules(spec, values)
    assert not [i for i in issues if i.code == "amount_due_above_total"]
    values["amount_due"] = Decimal("-120.00")
    assert [i for i in run_rules(spec, values) if i.code == "amount_due_above_total"]
