"""An ``ok`` that means ok: required fields decide the status, unsure optional values are withheld, a repaired
PDF is never ok. Scores are planted in generated PDFs (tests/support/planted.py); the cascade runs for real."""

from __future__ import annotations

import csv
import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # workers import tests.support.planted through the parent's sys.path
    sys.path.insert(0, str(ROOT))

import docextract  # noqa: E402
from docextract import cli, registry  # noqa: E402
from docextract.load import open_document  # noqa: E402
from docextract.options import ExtractOptions  # noqa: E402
from examples.invoicegen import random_invoice, render_invoice  # noqa: E402
from tests.support.planted import Ledger, Slip, SlipWithoutIssuer, planted_pdf  # noqa: E402

SURE, UNSURE = 0.99, 0.3


@pytest.fixture(autouse=True)
def planted_tier() -> Any:
    registry.register("tier", "planted", "tests.support.planted:PlantedTier")
    yield
    registry.BUILTIN["tier"].pop("planted", None)


def extract(path: Path, schema: Any, **options: Any) -> docextract.ExtractionResult:
    return docextract.extract(path, schema=schema, tiers=("planted",), **options)


def test_required_nested_model_not_found_gives_review(tmp_path: Path) -> None:
    path = planted_pdf(tmp_path / "a.pdf", {"number": ("S-1", SURE), "total": ("12.50", SURE)})
    missing = extract(path, Slip)
    assert missing.status == "review"
    (issue,) = [i for i in missing.issues if i.code == "required_missing"]
    assert issue.fields == ("issuer",)
    # The same document is ok for a schema in which the issuer is optional: the nested model decided it.
    assert extract(path, SlipWithoutIssuer).status == "ok"


def test_required_nested_model_with_an_accepted_field_is_found(tmp_path: Path) -> None:
    path = planted_pdf(tmp_path / "b.pdf", {"number": ("S-1", SURE), "total": ("12.50", SURE),
                                            "issuer.city": ("Lyon", SURE)})
    result = extract(path, Slip)
    assert result.status == "ok", result.issues
    assert result.data.issuer.city == "Lyon" and result.data.issuer.name is None
    # Found only below the threshold, it is not found.
    unsure = planted_pdf(tmp_path / "c.pdf", {"number": ("S-1", SURE), "total": ("12.50", SURE),
                                              "issuer.city": ("Lyon", UNSURE)})
    assert extract(unsure, Slip).status == "review"


def test_unsure_optional_field_is_withheld_and_listed(tmp_path: Path) -> None:
    path = planted_pdf(tmp_path / "d.pdf", {"number": ("S-1", SURE), "total": ("12.50", SURE),
                                            "issuer.name": ("ACME", SURE), "reference": ("R-77", UNSURE),
                                            "issuer.city": ("Lyon", UNSURE)})
    result = extract(path, Slip)
    assert result.status == "ok", result.issues
    assert result.unsure == ["issuer.city", "reference"]
    assert result.data.reference is None and result.data.issuer.city is None
    assert result.data.issuer.name == "ACME" and result.data.total == Decimal("12.50")
    kept = result.fields["reference"]
    assert kept.value == "R-77" and kept.confidence < result.threshold and kept.evidence[0].text.endswith("|0.3")
    assert result.to_json_dict()["unsure"] == ["issuer.city", "reference"]

    kept_in = extract(path, Slip, keep_unsure=True)
    assert kept_in.status == "ok" and kept_in.unsure == ["issuer.city", "reference"]
    assert kept_in.data.reference == "R-77" and kept_in.data.issuer.city == "Lyon"
    via_options = docextract.extract(path, schema=Slip, options=ExtractOptions(tiers=("planted",), keep_unsure=True))
    assert via_options.data.reference == "R-77"


def test_unsure_required_field_is_kept_and_sends_to_review(tmp_path: Path) -> None:
    path = planted_pdf(tmp_path / "e.pdf", {"number": ("S-1", UNSURE), "total": ("12.50", SURE),
                                            "issuer.name": ("ACME", SURE)})
    result = extract(path, Slip)
    assert result.status == "review" and result.unsure == []
    assert result.data.number == "S-1"  # a required value is never withheld: review shows it


def test_table_cells_are_withheld_cell_by_cell_or_row_by_row(tmp_path: Path) -> None:
    path = planted_pdf(tmp_path / "f.pdf", {
        "number": ("S-1", SURE), "total": ("30", SURE), "issuer.name": ("ACME", SURE),
        "rows[0].description": ("Bolts", SURE), "rows[0].amount": ("10", UNSURE),
        "rows[1].description": ("Nuts", UNSURE), "rows[1].amount": ("20", SURE),
        "rows[2].description": ("Washers", SURE), "rows[2].amount": ("5", SURE),
    })
    result = extract(path, Slip)
    assert result.status == "ok", result.issues
    # an optional cell → None in its row; a required cell → its row withheld (it would not validate)
    assert result.unsure == ["rows[0].amount", "rows[1].description"]
    assert [(r.description, r.amount) for r in result.data.rows] == [("Bolts", None), ("Washers", Decimal(5))]
    assert result.fields["rows[1].amount"].value == "20"  # still reported, with its confidence
    assert not any(i.code == "schema_rejected" for i in result.issues)


def test_required_table_needs_every_required_cell(tmp_path: Path) -> None:
    good = planted_pdf(tmp_path / "g.pdf", {"number": ("L-1", SURE), "rows[0].description": ("Bolts", SURE),
                                            "rows[0].amount": ("10", UNSURE)})
    result = extract(good, Ledger)
    assert result.status == "ok" and result.unsure == ["rows[0].amount"]
    assert result.data.rows[0].amount is None
    bad = planted_pdf(tmp_path / "h.pdf", {"number": ("L-1", SURE), "rows[0].description": ("Bolts", SURE),
                                           "rows[1].description": ("Nuts", UNSURE)})
    result = extract(bad, Ledger)
    assert result.status == "review"
    assert [i.fields for i in result.issues if i.code == "required_missing"] == [("rows",)]
    assert [r.description for r in result.data.rows] == ["Bolts", "Nuts"]  # required: kept for the reviewer
    empty = planted_pdf(tmp_path / "i.pdf", {"number": ("L-1", SURE)})
    assert extract(empty, Ledger).status == "review"


def test_worker_and_in_process_results_agree(tmp_path: Path) -> None:
    paths = [
        planted_pdf(tmp_path / "j.pdf", {"number": ("S-1", SURE), "total": ("1", SURE), "issuer.name": ("A", SURE),
                                         "reference": ("R", UNSURE)}),
        planted_pdf(tmp_path / "k.pdf", {"total": ("1", SURE), "issuer.name": ("A", SURE)}),  # number missing
    ]
    schema = "tests.support.planted:Slip"
    inline = list(docextract.extract_many(paths, schema, isolate=False, tiers=("planted",)))
    pooled = list(docextract.extract_many(paths, schema, isolate=True, tiers=("planted",)))
    assert [r.status for r in inline] == [r.status for r in pooled] == ["ok", "review"]
    assert [r.unsure for r in pooled] == [["reference"], []]
    for a, b in zip(inline, pooled, strict=True):
        # the same class (the relaxed subclass when a required field is missing), not a dict in one of them
        assert type(a.data) is type(b.data) and isinstance(b.data, Slip)
        assert a.data.model_dump() == b.data.model_dump()
    assert pooled[1].data.number is None


def test_keep_unsure_on_the_command_line(tmp_path: Path) -> None:
    path = planted_pdf(tmp_path / "l.pdf", {"number": ("S-1", SURE), "total": ("12.50", SURE),
                                            "issuer.name": ("ACME", SURE), "reference": ("R-77", UNSURE)})
    args = [str(path), "--schema", "tests/support/planted.py:Slip", "--tiers", "planted", "--in-process"]
    runner = CliRunner()
    default = runner.invoke(cli.app, args)
    kept = runner.invoke(cli.app, [*args, "--keep-unsure"])
    assert default.exit_code == kept.exit_code == 0, default.stderr
    (withheld,), (kept_rec,) = [[json.loads(x) for x in r.stdout.splitlines()] for r in (default, kept)]
    assert withheld["status"] == kept_rec["status"] == "ok"
    assert withheld["data"]["reference"] is None and withheld["unsure"] == ["reference"]
    assert withheld["fields"]["reference"]["value"] == "R-77"
    assert kept_rec["data"]["reference"] == "R-77" and kept_rec["unsure"] == ["reference"]



def test_csv_lists_the_withheld_fields(tmp_path: Path) -> None:
    path = planted_pdf(tmp_path / "c.pdf", {"number": ("S-1", SURE), "total": ("12.50", SURE),
                                            "issuer.name": ("ACME", SURE), "reference": ("R-77", UNSURE)})
    out = tmp_path / "r.csv"
    args = [str(path), "--schema", "tests/support/planted.py:Slip", "--tiers", "planted", "--in-process"]
    assert CliRunner().invoke(cli.app, [*args, "--format", "csv", "--out", str(out)]).exit_code == 0
    (row,) = list(csv.DictReader(out.read_text().splitlines()))
    # The withheld value has no data column value, and the row says which field was withheld.
    assert row["status"] == "ok" and row["unsure"] == "reference"
    assert row.get("reference", "") == "" and row["number"] == "S-1"

# -- repaired PDFs --------------------------------------------------------------------------------------


def _cut(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


def _broken_xref(data: bytes) -> bytes:
    return re.sub(rb"startxref\n\d+", b"startxref\n99999999", data)


@pytest.mark.parametrize("damage", [lambda d: _cut(d, 0.97), _broken_xref], ids=["truncated", "broken_xref"])
def test_repaired_pdf_carries_a_warning_and_is_never_ok(tmp_path: Path, damage: Any) -> None:
    planted = {"number": ("S-1", SURE), "total": ("12.50", SURE), "issuer.name": ("ACME", SURE)}
    whole = planted_pdf(tmp_path / "whole.pdf", planted)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(damage(whole.read_bytes()))
    assert not open_document(whole, ExtractOptions()).repaired
    assert open_document(damaged, ExtractOptions()).repaired

    clean = extract(whole, Slip)
    assert clean.status == "ok" and not any(i.code == "repaired" for i in clean.issues)
    result = extract(damaged, Slip)
    # Every field was read, and still: what a repaired file lost cannot be seen.
    assert result.data.number == "S-1" and result.data.issuer.name == "ACME"
    assert result.status == "review"
    (issue,) = [i for i in result.issues if i.code == "repaired"]
    assert issue.severity == "warning"


def test_truncated_invoice_is_review_not_ok(tmp_path: Path) -> None:
    data = render_invoice(random_invoice(3))
    path = tmp_path / "cut.pdf"
    path.write_bytes(_cut(data, 0.9))
    result = docextract.extract(path, schema="Invoice")
    assert result.status == "review"
    assert any(i.code == "repaired" for i in result.issues)
    assert any(f.value is not None for f in result.fields.values())  # it was read, as far as it goes
