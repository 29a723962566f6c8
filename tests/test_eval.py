"""eval.py: matching of predictions against gold, row alignment, aggregation and calibration."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from docextract.eval import (
    DocScore,
    FieldScore,
    calibration_table,
    compare,
    expected_calibration_error,
    gold_value,
    normalise_identifier,
    normalise_text,
    similarity,
    summarise,
    values_match,
)
from docextract.result import ErrorInfo, ExtractionResult, FieldResult, Status
from docextract.schema import resolve_schema

INVOICE = resolve_schema("Invoice")
RECEIPT = resolve_schema("Receipt")


def _result(values: dict[str, tuple[Any, float]], status: Status = "review", threshold: float = 0.8
            ) -> ExtractionResult:
    return ExtractionResult(
        file="/tmp/some/dir/inv-1.pdf", schema_name="Invoice", status=status, threshold=threshold,
        fields={p: FieldResult(value=v, confidence=c) for p, (v, c) in values.items()},
    )


def _by_path(doc: DocScore) -> dict[str, FieldScore]:
    return {f.path: f for f in doc.fields}


# --- matching ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "gold", "pred", "expected"),
    [
        ("date", "2024-03-05", dt.date(2024, 3, 5), True),
        ("date", "2024-03-05", dt.datetime(2024, 3, 5, 17, 30), True),
        ("date", "2024-03-05", "2024-05-03", False),
        ("date", "2024-03-05", "05.03.2024", False),  # gold is ISO, predictions are typed: no guessing here
        ("amount", 1190.0, Decimal("1190.004"), True),
        ("amount", 1190.0, Decimal("1190.01"), False),
        ("amount", 12, "12.00", True),
        ("amount", 12, "twelve", False),
        ("identifier", "DE 123.456-789", "de123456789", True),
        ("identifier", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", True),
        ("identifier", "RE-2024-001", "RE-2024-007", False),
        ("identifier", "---", "", False),
        ("text", "ACME  GmbH & Co. KG", "acme gmbh co kg", True),
        ("text", "Müller-Lüdenscheidt", "MÜLLER LÜDENSCHEIDT", True),
        ("text", "ACME GmbH", "ACME AG", False),
        ("code", "EUR", "eur", True),
        ("code", "EUR", "USD", False),
    ],
)
def test_values_match(kind: Any, gold: Any, pred: Any, expected: bool) -> None:
    assert values_match(kind, gold, pred) is expected


def test_normalisers_and_similarity() -> None:
    assert normalise_text("  Foo,\n Bar;  BAZ ") == "foo bar baz"
    assert normalise_identifier("FR 12 345/678") == "fr12345678"
    assert similarity("ACME GmbH", "acme gmbh.") == 1.0
    assert 0.5 < similarity("Hauptstr. 1, Berlin", "Hauptstrasse 1 Berlin") < 1.0
    assert similarity("abc", "xyz") == 0.0
    assert similarity("Straße", "STRASSE") == 1.0  # casefold


def test_gold_value_nested_flat_and_blank() -> None:
    gold = {"seller": {"name": "A"}, "buyer_name": "B", "iban": "  ", "buyer": {}}
    assert gold_value(gold, "seller.name") == "A"
    assert gold_value(gold, "buyer.name") == "B"  # flat twin when the nested one is absent
    assert gold_value(gold, "iban") is None
    assert gold_value(None, "iban") is None


# --- one document -------------------------------------------------------------------------------------------


def test_compare_verdicts_for_scalar_fields() -> None:
    result = _result({
        "invoice_number": ("RE 2024/001", 0.95),
        "issue_date": (dt.date(2024, 3, 6), 0.9),
        "total_gross": (Decimal("119.00"), 0.99),
        "seller.name": ("ACME GmbH", 0.7),
        "buyer.vat_id": ("DE999999999", 0.85),
        "iban": ("DE89370400440532013000", 0.9),
        "seller.address": ("Somewhere 1", 0.6),
    })
    gold = {"invoice_number": "RE-2024-001", "issue_date": "2024-03-05", "due_date": "2024-04-05",
            "total_gross": 119.0, "seller_name": "ACME GmbH"}
    full = {**gold, "buyer_vat_id": "DE123456789", "iban": "DE89 3704 0044 0532 0130 00"}
    doc = compare(result, gold, INVOICE, gold_full=full, family="fam")
    f = _by_path(doc)
    assert f["invoice_number"].verdict == "correct"
    assert f["issue_date"].verdict == "wrong"
    assert f["total_gross"].verdict == "correct"
    assert f["seller.name"].verdict == "correct" and f["seller.name"].similarity == 1.0
    assert f["due_date"].verdict == "missing" and not f["due_date"].is_predicted
    assert f["buyer.vat_id"].verdict == "contradicted" and f["buyer.vat_id"].is_wrong
    assert f["iban"].verdict == "extra" and f["iban"].correct and not f["iban"].gold_present
    assert f["seller.address"].verdict == "unverifiable"
    assert "currency" not in f  # neither gold nor predicted: not scored
    assert doc.doc_id == "inv-1.pdf" and doc.family == "fam" and doc.file == "inv-1.pdf"
    assert {x.path for x in doc.wrong_fields()} == {"issue_date", "buyer.vat_id"}
    assert {x.path for x in doc.wrong_fields(0.88)} == {"issue_date"}


def test_compare_accepts_a_manifest_entry() -> None:
    entry = {"id": "doc-7", "family": "vendor-x", "gold": {"total_net": 10.0},
             "gold_full": {"total_net": 10.0, "currency": "EUR"}}
    doc = compare(_result({"total_net": (Decimal(10), 0.9), "currency": ("USD", 0.9)}), entry, INVOICE)
    assert (doc.doc_id, doc.family) == ("doc-7", "vendor-x")
    f = _by_path(doc)
    assert f["total_net"].verdict == "correct"
    assert f["currency"].verdict == "contradicted"


def test_failed_result_scores_every_gold_field_missing() -> None:
    failed = ExtractionResult(file="x.pdf", schema_name="Receipt", status="failed", threshold=0.8,
                              error=ErrorInfo(type="CorruptDocumentError", code="corrupt_document", message="m"))
    gold = {"company": "Shop", "address": "Road 1", "date": "2019-01-02", "total": 9.5}
    doc = compare(failed, gold, RECEIPT)
    assert doc.error == "CorruptDocumentError"
    assert sorted(f.path for f in doc.fields) == ["address", "company", "date", "total"]
    assert all(f.verdict == "missing" for f in doc.fields)


# --- line items ---------------------------------------------------------------------------------------------


GOLD_ROWS = [
    {"description": "Consulting hours", "quantity": 10, "unit_price": 100.0, "line_total": 1000.0},
    {"description": "Travel expenses", "quantity": 1, "unit_price": 250.0, "line_total": 250.0},
    {"description": "Hosting (annual)", "quantity": 1, "line_total": 120.0},
]


def _rows(*rows: dict[str, Any], conf: float = 0.9) -> dict[str, tuple[Any, float]]:
    return {f"line_items[{i}].{k}": (v, conf) for i, row in enumerate(rows) for k, v in row.items()}


def test_line_items_missing_and_extra_rows() -> None:
    predicted = _rows(
        {"description": "Consulting hours", "quantity": Decimal(10), "unit_price": Decimal(100),
         "line_total": Decimal(1000)},
        {"description": "Hosting annual", "quantity": Decimal(2), "unit_price": Decimal(60),
         "line_total": Decimal(120)},
        {"description": "Page 1 of 2", "line_total": Decimal(1)},
    )
    full_rows = [dict(GOLD_ROWS[0]), dict(GOLD_ROWS[1]), {**GOLD_ROWS[2], "unit_price": 120.0}]
    doc = compare(_result(predicted), {"line_items": GOLD_ROWS}, INVOICE, gold_full={"line_items": full_rows})
    f = _by_path(doc)
    # row 0 ↔ gold 0, row 1 ↔ gold 2 (gold 1 is missing), row 2 matches nothing
    assert all(f[f"line_items[0].{k}"].verdict == "correct" for k in GOLD_ROWS[0])
    assert f["line_items[1].description"].verdict == "correct"  # punctuation-insensitive
    assert f["line_items[1].line_total"].verdict == "correct"
    assert f["line_items[1].quantity"].verdict == "wrong"
    # the gold row has no unit price; gold_full's matching row has one, and it disagrees
    assert f["line_items[1].unit_price"].verdict == "contradicted"
    missing = [x for x in doc.fields if x.verdict == "missing"]
    assert sorted(x.field for x in missing) == sorted(f"line_items[].{k}" for k in GOLD_ROWS[1])
    assert {x.gold for x in missing} == set(GOLD_ROWS[1].values())
    assert {x.path for x in missing} == {f"line_items[gold 1].{k}" for k in GOLD_ROWS[1]}
    # the extra row is not in gold_full's complete list of lines
    assert f["line_items[2].description"].verdict == "contradicted"
    assert f["line_items[2].line_total"].verdict == "contradicted"
    (table,) = doc.tables
    assert (table.gold_rows, table.predicted_rows, table.matched_rows) == (3, 3, 2)


def test_line_items_extra_row_without_gold_full_is_unverifiable() -> None:
    predicted = _rows(GOLD_ROWS[0], {"description": "Discount", "line_total": Decimal("-5")})
    doc = compare(_result(predicted), {"line_items": GOLD_ROWS[:1]}, INVOICE)
    f = _by_path(doc)
    assert f["line_items[1].description"].verdict == "unverifiable"
    assert not doc.wrong_fields()


def test_rows_in_reverse_order_pair_after_the_ordered_alignment() -> None:
    # The order-preserving alignment keeps one pair; the row it leaves over is paired by similarity.
    predicted = _rows(GOLD_ROWS[1], GOLD_ROWS[0])
    doc = compare(_result(predicted), {"line_items": GOLD_ROWS[:2]}, INVOICE)
    assert doc.tables[0].matched_rows == 2
    assert all(f.verdict == "correct" for f in doc.fields if f.path.startswith("line_items"))


# --- aggregation --------------------------------------------------------------------------------------------


def test_ok_with_wrong_field_detection() -> None:
    gold = {"invoice_number": "A-1", "total_gross": 100.0}
    wrong_low = compare(_result({"invoice_number": ("A-1", 0.99), "total_gross": (Decimal(90), 0.5)}, "ok"),
                        gold, INVOICE, doc_id="low")
    wrong_high = compare(_result({"invoice_number": ("A-1", 0.99), "total_gross": (Decimal(90), 0.95)}, "ok"),
                         gold, INVOICE, doc_id="high")
    clean = compare(_result({"invoice_number": ("A-1", 0.99), "total_gross": (Decimal(100), 0.95)}, "ok"),
                    gold, INVOICE, doc_id="clean")
    review = compare(_result({"invoice_number": ("B-2", 0.99)}, "review"), gold, INVOICE, doc_id="review")
    assert wrong_low.ok_with_wrong and not wrong_low.ok_with_wrong_accepted
    assert wrong_high.ok_with_wrong and wrong_high.ok_with_wrong_accepted
    assert not clean.ok_with_wrong and not review.ok_with_wrong
    report = summarise([wrong_low, wrong_high, clean, review], threshold=0.8)
    assert report.ok_with_wrong == {"low": ["total_gross"], "high": ["total_gross"]}
    assert report.ok_with_wrong_accepted == {"high": ["total_gross"]}
    assert report.status == {"ok": 3, "review": 1}
    assert report.documents == 4


def test_summarise_ratios_per_field_and_family() -> None:
    gold = {"invoice_number": "A-1", "total_gross": 100.0, "currency": "EUR"}
    d1 = compare(_result({"invoice_number": ("A-1", 0.9), "total_gross": (Decimal(100), 0.5),
                          "currency": ("EUR", 0.95)}), gold, INVOICE, family="f1")
    d2 = compare(_result({"invoice_number": ("A-2", 0.9), "seller.name": ("X", 0.99)}), gold, INVOICE, family="f2")
    report = summarise([d1, d2], threshold=0.8)
    inv = report.fields["invoice_number"]
    assert (inv.gold, inv.correct, inv.accepted, inv.accepted_correct) == (2, 1, 2, 1)
    assert inv.accuracy == 0.5 and inv.coverage == 1.0 and inv.precision == 0.5
    tot = report.fields["total_gross"]
    assert (tot.accuracy, tot.coverage, tot.precision) == (0.5, 0.0, None)
    o = report.overall
    # gold present: 6; correct: 3 (inv d1, total d1, currency d1); accepted & gold present: inv×2, currency
    assert (o.gold, o.correct, o.accepted) == (6, 3, 3)
    assert o.unverifiable == 1  # seller.name, no gold anywhere
    assert o.precision == pytest.approx(2 / 3)
    assert report.families["f1"].accuracy == 1.0
    assert report.families["f2"].accuracy == pytest.approx(0.0)
    assert report.unverifiable == {"inv-1.pdf": ["seller.name"]}
    assert list(report.fields)[:1] == ["currency"]  # scalar fields sorted, tables after


def test_report_json_holds_no_document_values() -> None:
    gold = {"invoice_number": "SECRET-4711", "seller": {"name": "Jane Private"}}
    doc = compare(_result({"invoice_number": ("SECRET-4712", 0.9), "seller.name": ("Jane Privat", 0.9)}), gold,
                  INVOICE)
    text = json.dumps(summarise([doc], 0.8).to_dict())
    assert "SECRET" not in text and "Jane" not in text
    assert json.loads(text)["overall"]["gold"] == 2


# --- calibration --------------------------------------------------------------------------------------------


def test_calibration_bins() -> None:
    gold = {"invoice_number": "A", "currency": "EUR", "total_net": 1.0, "total_tax": 2.0, "total_gross": 3.0,
            "issue_date": "2024-01-01"}
    doc = compare(_result({
        "invoice_number": ("A", 0.3),          # [0, 0.5): correct
        "currency": ("USD", 0.85),             # [0.8, 0.9): wrong
        "total_net": (Decimal(1), 0.85),       # [0.8, 0.9): correct
        "total_tax": (Decimal(2), 1.0),        # last bin includes 1.0
        "seller.name": ("Nobody", 0.97),       # unverifiable: not in any bin
    }), gold, INVOICE)
    table = calibration_table([doc])
    assert [(b.lo, b.hi) for b in table] == [(0.0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99),
                                             (0.99, 1.0)]
    assert [b.n for b in table] == [1, 0, 2, 0, 0, 1]
    assert [b.accuracy for b in table] == [1.0, None, 0.5, None, None, 1.0]
    assert table[2].mean_confidence == pytest.approx(0.85)
    # |1-0.3|*1 + |0.5-0.85|*2 + |1-1|*1, over 4
    assert expected_calibration_error(table) == pytest.approx((0.7 + 0.7) / 4)
    coarse = calibration_table([doc], bins=(0.0, 0.9, 1.0))
    assert [b.n for b in coarse] == [3, 1]
    with pytest.raises(ValueError, match="increasing"):
        calibration_table([doc], bins=(0.0, 0.9, 0.5))


def test_doc_score_json_values_only_on_request() -> None:
    gold = {"issue_date": "2024-03-05", "total_gross": 119.0}
    doc = compare(_result({"issue_date": (dt.date(2024, 3, 6), 0.9), "total_gross": (Decimal("119.00"), 0.99)}), gold,
                  INVOICE, doc_id="d")
    plain = doc.to_dict()
    assert {f["path"]: f["verdict"] for f in plain["fields"]} == {"issue_date": "wrong", "total_gross": "correct"}
    assert "2024" not in json.dumps(plain)
    full = {f["path"]: f for f in doc.to_dict(include_values=True)["fields"]}
    assert full["issue_date"]["gold"] == "2024-03-05" and full["issue_date"]["predicted"] == "2024-03-06"
    assert json.loads(json.dumps(full))["total_gross"]["predicted"] == "119.00"


def test_dissimilar_rows_are_not_aligned() -> None:
    predicted = _rows({"description": "Subtotal carried forward", "line_total": Decimal("999.99")})
    doc = compare(_result(predicted), {"line_items": GOLD_ROWS[1:2]}, INVOICE)
    assert doc.tables[0].matched_rows == 0
    verdicts = sorted({f.verdict for f in doc.fields})
    assert verdicts == ["missing", "unverifiable"]


def test_rows_listed_in_another_order_still_pair() -> None:
    gold = {"invoice_number": "A1", "line_items": [
        {"description": "Apple iPad Air", "quantity": 1, "line_total": 399},
        {"description": "Nintendo adapter", "quantity": 1, "line_total": 14.99},
        {"description": "Copy levy fee", "quantity": 1, "line_total": 4.24},
    ]}
    rows = [("Apple iPad Air", 399), ("Copy levy fee", 4.24), ("Nintendo adapter", 14.99)]
    fields = {"invoice_number": FieldResult(value="A1", confidence=0.99)}
    for i, (desc, total) in enumerate(rows):
        fields[f"line_items[{i}].description"] = FieldResult(value=desc, confidence=0.9)
        fields[f"line_items[{i}].quantity"] = FieldResult(value=1, confidence=0.9)
        fields[f"line_items[{i}].line_total"] = FieldResult(value=total, confidence=0.9)
    result = ExtractionResult(file="x.pdf", schema="Invoice", status="review", threshold=0.8, fields=fields)
    score = compare(result, gold, INVOICE)
    verdicts = {f.path: f.verdict for f in score.fields if f.path.startswith("line_items")}
    assert set(verdicts.values()) == {"correct"}
    assert len(verdicts) == 9
