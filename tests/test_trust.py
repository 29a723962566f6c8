"""The learned confidence: the shipped model loads and scores in pure Python, its maps are monotone, each
plausibility check fires on what it is meant for, the fit's core works on a small synthetic table, and the
pipeline uses it (tier 0 left alone)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import docextract
from docextract import scoring
from docextract.result import Candidate, Evidence, Issue
from docextract.schema import resolve_schema
from docextract.tiers.rules.weights import RULES_WEIGHTS
from docextract.trust import features as tf
from docextract.trust import plausible
from docextract.trust.model import Calibration, TrustModel, load_model
from examples.invoicegen import Style, random_invoice, render_invoice

ROOT = Path(__file__).resolve().parent.parent


def _cand(path: str, value: object, score: float = 0.9, **signals: float) -> Candidate:
    return Candidate(path=path, value=value, raw=str(value), score=score, source="rules",
                     evidence=(Evidence(page=0, box=(0.1, 0.1, 0.3, 0.12), text=str(value)),),
                     signals={"label": 1.0, "parse": 1.0, **signals})


def test_model_scores_without_heavy_imports() -> None:
    probe = (
        "import json, sys\n"
        "from docextract.trust.model import load_model\n"
        "from docextract import scoring\n"
        "m = load_model()\n"
        "p = m.probability('amount', {'x_base': 2.0, 'label': 1.0}, 'Invoice')\n"
        "assert p is not None and 0.0 <= p <= 1.0, p\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True,
                         cwd=ROOT)
    loaded = {m.split(".")[0] for m in json.loads(out.stdout.strip().splitlines()[-1])}
    assert not loaded & {"numpy", "sklearn", "scipy", "pymupdf", "fitz"}


def test_shipped_model_has_every_group_and_monotone_maps() -> None:
    data = json.loads((ROOT / "docextract" / "trust" / "model.json").read_text(encoding="utf-8"))
    groups = data["groups"]
    # A schema's groups with few wrong candidates (its identifiers, receipt dates) use the pooled group: not listed.
    for name in ("all", "amount", "date", "party_name", "Invoice:amount", "Receipt:party_name"):
        assert name in groups, name
    model = TrustModel.from_dict(data)
    for name, g in model.groups.items():
        ys = g.calibration.y
        assert all(b >= a for a, b in itertools.pairwise(ys)), name
        assert all(0.0 <= y <= 1.0 for y in ys), name
        # Raw → calibrated never goes down, and stays a probability.
        grid = [g.calibration(i / 50) for i in range(51)]
        assert all(b >= a - 1e-12 for a, b in itertools.pairwise(grid)), name
        assert all(0.0 <= v <= 1.0 for v in grid)


def test_calibration_map_interpolates_and_clips() -> None:
    cal = Calibration((0.2, 0.6), (0.1, 0.7))
    assert cal(0.05) == 0.05 and cal(0.15) == 0.1 and cal(1.0) == 0.7
    assert Calibration((0.3,), (0.9,))(0.02) == 0.02  # a high floor never lifts what the regression rules out
    assert abs(cal(0.4) - 0.4) < 1e-9
    assert Calibration((), ())(0.33) == 0.33


def test_higher_tier_score_never_scores_lower() -> None:
    model = load_model()
    for group in ("amount", "date", "identifier", "party_name"):
        scores = [model.probability(group, {"x_base": z, "label": 1.0, "parse": 1.0}, "Invoice") for z in
                  (-3.0, -1.0, 0.0, 1.0, 3.0)]
        assert all(s is not None for s in scores)
        # The tier's own logit is weighed positively in every group the data could fit.
        assert scores[-1] >= scores[0], group  # type: ignore[operator]


# ---------------------------------------------------------------------------------------------------------
# Plausibility


def test_party_checks_flag_what_a_name_is_not() -> None:
    company = plausible.party_checks("Nordlicht Handels GmbH")
    assert company["p_street"] == company["p_phone"] == company["p_regno"] == company["p_contact"] == 0.0
    assert company["p_legal_form"] == 1.0
    assert plausible.party_checks("Kundenstraße 15")["p_street"] == 1.0
    assert plausible.party_checks("12 Harbour Road")["p_street"] == 1.0
    assert plausible.party_checks("Tel. +49 30 1234567")["p_phone"] == 1.0
    assert plausible.party_checks("billing@example.com")["p_email"] == 1.0
    assert plausible.party_checks("www.example.com")["p_url"] == 1.0
    assert plausible.party_checks("Reg. No. : 123456-V")["p_regno"] == 1.0
    assert plausible.party_checks("Customer")["p_label"] == 1.0
    for contact in ("Attn: Hans Muster", "z. Hd. Frau Weber", "Contact Acheteur", "Mr John Smith"):
        assert plausible.party_checks(contact)["p_contact"] == 1.0, contact


def test_address_checks_flag_a_date_a_total_or_specks() -> None:
    clean = plausible.address_checks("Via Roma 21, 20121 Milano")
    assert clean["p_has_date"] == clean["p_has_amount"] == clean["p_noise"] == clean["p_legal_form"] == 0.0
    assert plausible.address_checks("12 Jalan Kenanga, 23/03/2019")["p_has_date"] == 1.0
    assert plausible.address_checks("12 Jalan Kenanga, TOTAL 12.00")["p_has_amount"] == 1.0
    assert plausible.address_checks("LOT 12, JALAN MERANTI,., 81200 JOHOR")["p_noise"] == 1.0
    assert plausible.address_checks("Acme Trading Sdn Bhd 12 Jalan Kenanga")["p_legal_form"] == 1.0
    # A US state code is no legal form.
    assert plausible.address_checks("1200 Market Street, Denver, CO 80202")["p_legal_form"] == 0.0


def test_far_dates_and_tiny_amounts_are_flagged() -> None:
    issue = date(2024, 11, 1)
    doc = plausible.DocValues(dates=(("issue_date", issue), ("due_date", issue + timedelta(days=30))),
                              amounts=(("total_gross", 1190.0), ("total_net", 1000.0)))
    near = plausible.date_checks(issue, "issue_date", doc)
    assert near["p_date_far"] == 0.0 and near["p_date_future"] == 0.0
    misread = plausible.date_checks(date(2078, 5, 11), "issue_date", doc)  # an OCR 1 read as 7
    assert misread["p_date_far"] == 1.0 and misread["p_date_future"] == 1.0 and misread["p_date_gap"] == 5.0
    assert plausible.date_checks(date(1931, 1, 1), "issue_date", doc)["p_date_past"] == 1.0
    assert plausible.amount_checks(1.02, "total", doc)["p_tiny"] == 1.0
    assert plausible.amount_checks(1190.0, "total", doc)["p_share"] == 1.0


def test_street_line_as_party_name_scores_lower_than_the_company_line() -> None:
    spec = resolve_schema("Invoice")
    pages = [tf.PageRead(ocr=False, mean_conf=1.0)]
    # Same signals, same tier score: only the value differs.
    street = _cand("seller.name", "Lieferantenstraße 20", positional=1.0, prior=0.5)
    company = _cand("seller.name", "Lieferant Handels GmbH", positional=1.0, prior=0.5)
    s_street = scoring.final_confidence(scoring.rescore([street], spec, pages)[0], [], spec)
    s_company = scoring.final_confidence(scoring.rescore([company], spec, pages)[0], [], spec)
    assert s_street < s_company


def test_contradiction_and_order_guess_are_never_accepted() -> None:
    spec = resolve_schema("Invoice")
    pages = [tf.PageRead(ocr=False, mean_conf=1.0)]
    total = scoring.rescore([_cand("total_gross", Decimal("119.00"), score=0.99, joint=1.0)], spec, pages)[0]
    clash = Issue(code="totals_mismatch", message="net + tax != gross", severity="error", fields=("total_gross",))
    assert scoring.final_confidence(total, [clash], spec) <= 0.5
    guessed = scoring.rescore([_cand("issue_date", date(2025, 6, 7), score=0.99, order_guess=1.0)], spec, pages)[0]
    assert scoring.final_confidence(guessed, [], spec) <= 0.5


def test_name_that_is_a_legal_form_alone_is_never_accepted() -> None:
    for alone in ("GmbH", "SDN. BHD.", "Ltd."):
        assert plausible.party_checks(alone)["p_form_only"] == 1.0, alone
    for name in ("Nordlicht Handels GmbH", "Hans Muster", "AB Logistik AB"):
        assert plausible.party_checks(name)["p_form_only"] == 0.0, name
    spec = resolve_schema("Invoice")
    pages = [tf.PageRead(ocr=False, mean_conf=1.0)]
    signals = {"score": 0.99, "positional": 1.0, "prior": 1.4, "repeated": 1.0}
    cut = scoring.rescore([_cand("seller.name", "GmbH", **signals)], spec, pages)[0]
    whole = scoring.rescore([_cand("seller.name", "Nordlicht Handels GmbH", **signals)], spec, pages)[0]
    assert scoring.final_confidence(cut, [], spec) <= 0.5 < scoring.final_confidence(whole, [], spec)


def test_unknown_signal_keys_become_features() -> None:
    spec = resolve_schema("Invoice")
    out = scoring.rescore([_cand("invoice_number", "INV-1", some_new_signal=0.7)], spec,
                          [tf.PageRead(ocr=True, mean_conf=0.9)])[0]
    # Kept under its own name (a refit picks it up), beside the context features.
    assert out.signals["some_new_signal"] == 0.7
    assert out.signals[tf.PAGE_OCR] == 1.0 and tf.BASE in out.signals and tf.RANK in out.signals


def test_einvoice_and_unfitted_tiers_are_not_rescored() -> None:
    spec = resolve_schema("Invoice")
    # Tier 0's values, and a tier the model was never fitted on (a model tier's own probability), stand.
    for source in ("einvoice:cii", "donut"):
        cand = Candidate(path="total_gross", value=Decimal("119.00"), score=0.99, source=source)
        out = scoring.rescore([cand], spec, [])[0]
        assert out.score == 0.99 and out.signals == {}, source
        assert scoring.final_confidence(out, [], spec) == 0.99, source
    # The rules tier's are.
    rules = scoring.rescore([_cand("total_gross", Decimal("119.00"), score=0.99)], spec, [])[0]
    assert tf.BASE in rules.signals


# ---------------------------------------------------------------------------------------------------------
# The fit's core, on a small synthetic table


def test_fit_group_learns_a_separating_feature() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from trust_fit import fit_group
    from trust_replay import Row

    rows = []
    for i in range(120):
        good = i % 3 != 0
        feats = {"x_base": 1.0 if i % 2 else -1.0, "p_street": 0.0 if good else 1.0, "label": 1.0}
        rows.append(Row("party_name", feats, good, f"g{i % 8}", "invoice/digital", "seller.name", True, "Invoice"))
    model = TrustModel.from_dict({"groups": {"party_name": fit_group(rows)}})
    right = model.probability("party_name", {"x_base": 1.0, "p_street": 0.0, "label": 1.0})
    wrong = model.probability("party_name", {"x_base": 1.0, "p_street": 1.0, "label": 1.0})
    assert right is not None and wrong is not None
    assert right > 0.8 > 0.3 > wrong
    # A signal the table never shows keeps the tier's hand-set weight, unfitted.
    assert model.groups["party_name"].fixed.get("rival") == RULES_WEIGHTS["rival"]


def test_one_sided_group_falls_back_to_the_pooled_model() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from trust_fit import MIN_MINORITY, fit_model
    from trust_replay import Row

    rows = []
    for i in range(200):
        good = i % 3 != 0
        feats = {"x_base": 1.0 if i % 2 else -1.0, "p_street": 0.0 if good else 1.0}
        rows.append(Row("party_name", feats, good, f"g{i % 8}", "invoice/digital", "seller.name", True, "Invoice"))
    # A second schema whose few names were all right: nothing to learn a wrong name from.
    for i in range(MIN_MINORITY + 20):
        feats = {"x_base": 1.0, "p_street": 0.0}
        rows.append(Row("party_name", feats, i >= MIN_MINORITY - 1, f"r{i % 5}", "receipt", "company", True,
                        "Receipt"))
    # A kind of field never read wrong keeps the tier's own score: the pooled models never saw it fail.
    for i in range(40):
        rows.append(Row("currency", {"x_base": 2.0}, True, f"g{i % 8}", "invoice/digital", "currency", True,
                        "Invoice"))
    data = fit_model(rows)
    assert "Invoice:party_name" in data["groups"] and "party_name" in data["groups"]
    assert "Receipt:party_name" not in data["groups"] and "Invoice:currency" not in data["groups"]
    assert data["groups"]["currency"]["coef"] == [1.0] and data["groups"]["currency"]["features"] == ["x_base"]
    model = TrustModel.from_dict(data)
    street = {"x_base": 1.0, "p_street": 1.0}
    # The receipt's name is scored by the pooled model, which learned what a street line means.
    assert model.probability("party_name", street, "Receipt") == model.probability("party_name", street)
    assert (model.probability("party_name", street, "Receipt") or 1.0) < 0.5


def test_extract_scores_with_the_model(tmp_path: Path) -> None:
    data = random_invoice(7, lang="en")
    pdf = tmp_path / "inv.pdf"
    pdf.write_bytes(render_invoice(data, Style()))
    res = docextract.extract(pdf, schema="Invoice")
    assert res.fields["total_gross"].value == data.total_gross
    for path, f in res.fields.items():
        assert 0.0 <= f.confidence <= 1.0, path
    # Net + tax = gross confirmed on a clean page: accepted.
    assert res.fields["total_gross"].confidence >= 0.8
