"""Fit the rules tier's logistic weights (``tiers/rules/weights.py``) on generated documents, and check them.

    python benchmarks/calibration.py                       # 240 invoices + 60 receipts, fit, tables
    python benchmarks/calibration.py --docs 400 --no-dev   # more documents, no dev-set check
    python benchmarks/calibration.py --dev-only            # current weights on the dev set, digital and scanned

Every candidate the rules tier returns for a generated document (``examples/invoicegen``: all languages,
layouts, totals styles, seeds; the truth is known) becomes one example: its signals and whether its value is
right. A logistic regression with an L2 pull towards the current weights is fitted on half the seeds (the
pull keeps signals that rarely fire near their hand-set value). Printed: the fitted weights as Python to
paste into ``docextract/tiers/rules/weights.py``, and reliability tables (score bin → accuracy of the fields' best
candidates) on the held-out generated documents and, never fitted on, the development set's digital invoices.
Nothing from the development documents is printed but counts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docextract.eval import match_kind, values_match
from docextract.options import ExtractOptions
from docextract.schema import SchemaSpec, resolve_schema
from docextract.tiers.rules import weights as scoring
from examples.invoicegen import LANGS, Style, random_invoice, random_receipt, render_invoice, render_receipt

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BINS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0001)
STYLES = [
    Style(), Style(placement="above", font="times"), Style(columns=2, font="courier", ruled=False),
    Style(colon=False), Style(totals="grid", boxed=True), Style(totals="breakdown", bill_to_heading=False),
    Style(totals="grid", colon=False, currency_on_amounts=False), Style(boxed=True, font="times", footer=False),
    Style(bill_to_heading=False, columns=2), Style(totals="breakdown", placement="above", ruled=False),
]

Example = tuple[dict[str, float], bool, str, str]  # signals, correct, field path, document


def candidates(path: Path, spec: SchemaSpec) -> dict[str, list[tuple[Any, dict[str, float]]]]:
    """The rules tier's candidates per field path (values and signals), best first."""
    from docextract.layout.heuristic import HeuristicLayout
    from docextract.load import open_document
    from docextract.ocr import apply_ocr
    from docextract.tiers.rules.tier import RulesTier

    options = ExtractOptions()
    doc = open_document(path, options)
    apply_ocr(doc, options)
    for page in doc.pages:
        HeuristicLayout().analyze(page, doc)
    wanted = frozenset(f.path for f in spec.fields)
    cands = RulesTier().extract(doc, spec, wanted, options).candidates
    out: dict[str, list[tuple[Any, dict[str, float]]]] = {}
    for c in cands:
        if c.path in wanted:
            out.setdefault(c.path, []).append((c.value, dict(c.signals)))
    return out


def invoice_truth(seed: int) -> tuple[Any, Style, dict[str, Any]]:
    """A generated invoice, its style and the values a reader of the page can be asked for."""
    style = STYLES[seed % len(STYLES)]
    data = random_invoice(seed, lang=LANGS[seed % len(LANGS)])
    if style.totals == "breakdown":
        data.reduced_lines = 1
    if seed % 4 == 3:
        data.prepaid = (data.total_gross / 4).quantize(Decimal("0.01"))
    truth = {
        "invoice_number": data.number, "issue_date": data.issue_date.isoformat(),
        "due_date": data.due_date.isoformat() if data.due_date else None,
        "currency": data.currency if style.currency_on_amounts else None,
        "seller.name": data.seller.name, "seller.vat_id": data.seller.vat_id if style.footer else None,
        "buyer.name": data.buyer.name, "buyer.vat_id": None, "iban": data.iban if style.footer else None,
        "total_net": data.total_net, "total_tax": data.total_tax, "total_gross": data.total_gross,
        "amount_due": data.amount_due,
    }
    return data, style, truth


def generated(n_invoices: int, n_receipts: int, tmp: Path) -> list[tuple[int, Example]]:
    """(seed, example) for every candidate of every generated document."""
    inv_spec, rec_spec = resolve_schema("Invoice"), resolve_schema("Receipt")
    out: list[tuple[int, Example]] = []
    for seed in range(n_invoices):
        data, style, truth = invoice_truth(seed)
        pdf = tmp / f"inv{seed}.pdf"
        pdf.write_bytes(render_invoice(data, style))
        out.extend((seed, ex) for ex in _label(candidates(pdf, inv_spec), truth, inv_spec, pdf.name))
    for seed in range(n_receipts):
        r = random_receipt(seed)
        pdf = tmp / f"rec{seed}.pdf"
        pdf.write_bytes(render_receipt(r))
        truth = {"company": r.company, "address": ", ".join(r.address), "date": r.date.isoformat(), "total": r.total}
        out.extend((seed, ex) for ex in _label(candidates(pdf, rec_spec), truth, rec_spec, pdf.name))
    return out


def _label(found: dict[str, list[tuple[Any, dict[str, float]]]], truth: dict[str, Any],
           spec: SchemaSpec, doc: str) -> list[Example]:
    kinds = {f.path: match_kind(f) for f in spec.fields}
    out = []
    for path, cands in found.items():
        if path not in truth:
            continue  # no known truth (an address the generator does not define): no verdict
        for value, sig in cands:
            ok = truth[path] is not None and values_match(kinds[path], truth[path], value)
            out.append((sig, ok, path, doc))
    return out


def dev_examples(data: Path, variant: str = "digital") -> list[Example]:
    """Candidates on the development set's invoices (``variant``: digital or scanned), labelled with its gold
    (never fitted on)."""
    manifest = data / "dev" / "manifest.json"
    if not manifest.is_file():
        return []
    spec = resolve_schema("Invoice")
    out: list[Example] = []
    for entry in json.loads(manifest.read_text(encoding="utf-8"))["documents"]:
        rel = entry["variants"].get(variant)
        if rel is None or entry["kind"] != "invoice":
            continue
        gold = _flatten(entry["gold"])
        out.extend(_label(candidates(data / "dev" / rel, spec), gold, spec, entry["id"]))
    return out


def _flatten(gold: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in gold.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        elif not isinstance(v, list):
            out[prefix + k] = v
    return out


def fit(examples: list[Example], l2: float) -> tuple[float, dict[str, float]]:
    """Logistic regression, Newton steps, with an L2 pull towards the current weights."""
    keys = sorted({k for sig, *_ in examples for k in sig} | set(scoring.RULES_WEIGHTS))
    x = np.array([[1.0] + [sig.get(k, 0.0) for k in keys] for sig, *_ in examples])
    y = np.array([1.0 if ok else 0.0 for _, ok, *_ in examples])
    w0 = np.array([scoring.RULES_BIAS] + [scoring.RULES_WEIGHTS.get(k, 0.0) for k in keys])
    w = w0.copy()
    reg = np.full(len(w), l2)
    reg[0] = l2 / 10  # the bias is free to move
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + reg * (w - w0)
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-6:
            break
    return float(w[0]), {k: round(float(v), 2) for k, v in zip(keys, w[1:], strict=True)}


def reliability(examples: list[Example], prob: Callable[[dict[str, float]], float], title: str) -> None:
    """Score bins of each field's best candidate → accuracy, and the expected calibration error."""
    groups: dict[tuple[str, str], list[tuple[float, bool]]] = {}
    for sig, ok, path, doc in examples:
        groups.setdefault((doc, path), []).append((prob(sig), ok))
    best = {key: max(items, key=lambda t: t[0]) for key, items in groups.items()}
    rows = list(best.values())
    print(f"\n{title}: {len(rows)} fields (best candidate each)")
    print(f"{'score':>14} {'n':>5} {'correct':>8} {'accuracy':>9} {'mean score':>11}")
    ece = 0.0
    for lo, hi in itertools.pairwise(BINS):
        cell = [(p, ok) for p, ok in rows if lo <= p < hi]
        if not cell:
            continue
        acc = sum(ok for _, ok in cell) / len(cell)
        mean = sum(p for p, _ in cell) / len(cell)
        ece += len(cell) * abs(acc - mean)
        print(f"[{lo:.2f}, {min(hi, 1):.2f}) {len(cell):>5} {sum(ok for _, ok in cell):>8} {acc:>9.3f} {mean:>11.3f}")
    accepted = [ok for p, ok in rows if p >= 0.8]
    print(f"expected calibration error {ece / max(len(rows), 1):.3f}; accepted at 0.8: {len(accepted)}, "
          f"precision {sum(accepted) / max(len(accepted), 1):.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=240, help="generated invoices (half fitted, half held out)")
    parser.add_argument("--receipts", type=int, default=60)
    parser.add_argument("--l2", type=float, default=4.0, help="pull towards the current weights")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-dev", action="store_true")
    parser.add_argument("--dev-only", action="store_true", help="no generation or fit: the current weights' "
                        "reliability on the development set's digital and scanned invoices")
    args = parser.parse_args(argv)
    if args.dev_only:
        both: list[Example] = []
        for variant in ("digital", "scanned"):
            exs = dev_examples(args.data, variant)
            both.extend((sig, ok, path, f"{variant}:{doc}") for sig, ok, path, doc in exs)
            reliability(exs, scoring.rules_probability, f"development set, {variant} invoices, current weights")
        reliability(both, scoring.rules_probability, "development set, digital + scanned, current weights")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        rows = generated(args.docs, args.receipts, Path(tmp))
    train = [ex for seed, ex in rows if seed % 2 == 0]
    test = [ex for seed, ex in rows if seed % 2 == 1]
    bias, weights = fit(train, args.l2)

    def fitted(sig: dict[str, float]) -> float:
        z = bias + sum(weights.get(k, 0.0) * v for k, v in sig.items())
        return 1.0 / (1.0 + math.exp(-z))

    print(f"{len(train)} training candidates, {len(test)} held out")
    print(f"\nRULES_BIAS = {bias:.2f}\nRULES_WEIGHTS = {{")
    for k, v in weights.items():
        print(f'    "{k}": {v},')
    print("}")
    for name, exs in (("generated, held out", test),
                      ("development set, digital invoices", [] if args.no_dev else dev_examples(args.data))):
        if not exs:
            continue
        reliability(exs, scoring.rules_probability, f"{name}, current weights")
        reliability(exs, fitted, f"{name}, fitted weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
