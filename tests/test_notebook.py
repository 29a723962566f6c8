"""Notebook display: page images with evidence boxes coloured by confidence, a field table, all escaped."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pymupdf
from PIL import Image

from docextract.notebook import AMBER, GREEN, result_html, result_text
from docextract.result import Evidence, ExtractionResult, FieldResult, Issue

HOSTILE = '<script>alert("x")</script>'


def make_pdf(path: Path, pages: int = 2) -> Path:
    doc = pymupdf.open()
    for i in range(pages):
        doc.new_page().insert_text((72, 90), f"Invoice No INV-7 page {i + 1}", fontsize=12)
    doc.save(path)
    doc.close()
    return path


def result_for(path: Path) -> ExtractionResult:
    import hashlib

    return ExtractionResult(
        file=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest(), schema="Invoice", status="review",
        threshold=0.8,
        fields={
            "invoice_number": FieldResult(value="INV-7", confidence=0.95, source="rules",
                                          evidence=[Evidence(page=0, box=(0.1, 0.08, 0.4, 0.12), text="INV-7")]),
            "seller.name": FieldResult(value=HOSTILE, confidence=0.4, source="rules",
                                       evidence=[Evidence(page=1, box=(0.1, 0.2, 0.5, 0.25), text=HOSTILE)]),
        },
        issues=[Issue(code="low_confidence", message=f"seller.name {HOSTILE}", fields=("seller.name",))],
    )


def test_pages_rendered_with_coloured_boxes(tmp_path: Path) -> None:
    result = result_for(make_pdf(tmp_path / "inv.pdf"))
    html = result._repr_html_()
    pngs = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(pngs) == 2
    image = Image.open(io.BytesIO(base64.b64decode(pngs[0])))
    assert image.width < 700  # low dpi: a guide, not a reading copy (A4 at 60 dpi is 496 px)
    rects = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)"[^>]*stroke="(#[0-9a-f]+)"', html)
    assert ("0.1000", "0.0800", GREEN) in rects  # at/above threshold
    assert ("0.1000", "0.2000", AMBER) in rects  # below threshold
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_missing_file_degrades_to_table(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "gone.pdf")
    result = result_for(path)
    path.unlink()
    html = result_html(result)
    assert "page images unavailable" in html and "data:image/png" not in html
    assert "<code>invoice_number</code>" in html and "INV-7" in html
    assert "<script>" not in html


def test_changed_file_is_not_drawn_over(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "inv.pdf")
    result = result_for(path)
    make_pdf(path, pages=1)  # different bytes under the same name: boxes would point at the wrong thing
    html = result_html(result)
    assert "data:image/png" not in html and "changed" in html


def test_text_and_mimebundle(tmp_path: Path) -> None:
    result = result_for(make_pdf(tmp_path / "inv.pdf"))
    text = result_text(result)
    assert "invoice_number = 'INV-7'" in text and "< threshold" in text
    bundle = result._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}


def test_import_docextract_alone_registers_the_display(tmp_path: Path) -> None:
    """The result (a contract) does not import the view; ``import docextract`` registers it, so a fresh
    interpreter that never names docextract.notebook still shows page images in Jupyter."""
    import subprocess
    import sys

    pdf = make_pdf(tmp_path / "inv.pdf", pages=1)
    probe = (
        "import docextract\n"
        f"r = docextract.ExtractionResult(file={str(pdf)!r}, schema='Invoice', status='ok', threshold=0.8)\n"
        "bundle = r._repr_mimebundle_()\n"
        "assert 'data:image/png' in bundle['text/html'], bundle\n"
        "assert r._repr_html_() == bundle['text/html']\n"
        "print(bundle['text/plain'])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert "Invoice from" in out.stdout and ": ok" in out.stdout
