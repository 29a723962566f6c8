"""PDF loading: words and boxes, rotation, attachments, passwords, metadata, errors, limits."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from docextract.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    PasswordRequiredError,
    TooManyPagesError,
    WrongPasswordError,
)
from docextract.load import open_document
from docextract.options import ExtractOptions, LimitOptions

OPTS = ExtractOptions()


def _save(tmp_path: Path, doc: pymupdf.Document, name: str = "doc.pdf", **kw: object) -> Path:
    path = tmp_path / name
    doc.save(path, **kw)
    doc.close()
    return path


def _text_pdf(tmp_path: Path, rotate: int = 0, pages: int = 1) -> Path:
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page(width=600, height=800)
        page.insert_text((60, 100), "Invoice Number 4711", fontsize=12)
        page.insert_text((300, 700), "Total 99.50 EUR", fontsize=12)
        if rotate:
            page.set_rotation(rotate)
    doc.set_metadata({"title": "Test invoice", "producer": "pytest"})
    return _save(tmp_path, doc)


def _word(doc_page, text):  # type: ignore[no-untyped-def]
    return next(w for w in doc_page.words if w.text == text)


def test_words_boxes_and_metadata(tmp_path: Path) -> None:
    doc = open_document(_text_pdf(tmp_path), OPTS)
    assert doc.kind == "pdf" and len(doc.pages) == 1
    page = doc.pages[0]
    assert (page.width, page.height, page.rotation) == (600, 800, 0)
    assert page.text_layer_usable and page.text_source == "pdf" and page.text_layer_reason is None
    w = _word(page, "4711")
    # Baseline at y=100 pt of 800; the word starts right of "Invoice Number " at x=60.
    assert 0.10 < w.box.x0 < 0.35 and w.box.y1 == pytest.approx(100 / 800, abs=0.02)
    assert w.box.y0 < w.box.y1 and w.confidence == 1.0
    assert w.order[2] == 2  # third word of its line
    total = _word(page, "99.50")
    assert total.box.y0 > 0.8 and 0.5 < total.box.x0 < 0.7
    assert doc.metadata["title"] == "Test invoice" and doc.metadata["producer"] == "pytest"
    assert len(doc.sha256) == 64 and doc.password is None


def test_rotated_page_boxes_as_displayed(tmp_path: Path) -> None:
    page = open_document(_text_pdf(tmp_path, rotate=90), OPTS).pages[0]
    assert page.rotation == 90 and (page.width, page.height) == (800, 600)
    w = _word(page, "Invoice")
    # Unrotated (60, ~88..103) on a 600x800 page, turned 90° clockwise: x = 800 - y, y = x.
    assert w.box.x0 == pytest.approx((800 - 103) / 800, abs=0.02)
    assert w.box.y0 == pytest.approx(60 / 600, abs=0.01)
    assert w.box.height > w.box.width  # horizontal text now runs downwards


def test_embedded_attachment_round_trip(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Invoice with XML", fontsize=12)
    xml = b"<?xml version='1.0'?><rsm:CrossIndustryInvoice xmlns:rsm='urn:x'/>"
    doc.embfile_add("factur-x.xml", xml, filename="factur-x.xml")
    loaded = open_document(_save(tmp_path, doc), OPTS)
    assert [(a.name, a.data) for a in loaded.attachments] == [("factur-x.xml", xml)]


def test_attachment_mime_and_relationship(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Invoice with XML", fontsize=12)
    doc.embfile_add("factur-x.xml", b"<x/>", filename="factur-x.xml")
    path = _save(tmp_path, doc)
    doc = pymupdf.open(path)
    names = doc.xref_get_key(-1, "Root/Names/EmbeddedFiles/Names")[1]
    ef = int(re.search(r"/EF<</F (\d+) 0 R", names).group(1))  # type: ignore[union-attr]
    # Rewrite the file specification as an indirect object carrying /AFRelationship (as PDF/A-3 writers do).
    spec = doc.get_new_xref()
    doc.update_object(spec, f"<</Type/Filespec/AFRelationship/Alternative/EF<</F {ef} 0 R>>/F(factur-x.xml)>>")
    doc.xref_set_key(doc.pdf_catalog(), "Names", f"<</EmbeddedFiles<</Names[(factur-x.xml) {spec} 0 R]>>>>")
    doc.xref_set_key(ef, "Subtype", "/text#2Fxml")
    path2 = tmp_path / "af.pdf"
    doc.save(path2)
    att = open_document(path2, OPTS).attachments[0]
    assert (att.mime, att.relationship) == ("text/xml", "Alternative")


def test_file_attachment_annotation(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Invoice with annotation", fontsize=12)
    page.add_file_annot((100, 100), b"payload", "note.txt")
    atts = open_document(_save(tmp_path, doc), OPTS).attachments
    assert [(a.name, a.data) for a in atts] == [("note.txt", b"payload")]


def _encrypted(tmp_path: Path, user_pw: str) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Secret invoice", fontsize=12)
    return _save(
        tmp_path, doc, "enc.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=user_pw, owner_pw="owner-secret"
    )


def test_password_required_wrong_and_right(tmp_path: Path) -> None:
    path = _encrypted(tmp_path, "user-pw")
    with pytest.raises(PasswordRequiredError, match=r"enc\.pdf"):
        open_document(path, OPTS)
    with pytest.raises(WrongPasswordError, match=r"enc\.pdf"):
        open_document(path, ExtractOptions(password="nope"))
    doc = open_document(path, ExtractOptions(password="user-pw"))
    assert doc.password == "user-pw" and _word(doc.pages[0], "Secret")
    assert "user-pw" not in repr(doc)


def test_owner_password_only_opens(tmp_path: Path) -> None:
    doc = open_document(_encrypted(tmp_path, ""), OPTS)
    assert [w.text for w in doc.pages[0].words] == ["Secret", "invoice"]


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    good = _text_pdf(tmp_path).read_bytes()
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(good[:200])
    with pytest.raises((CorruptDocumentError, EmptyDocumentError), match=r"cut\.pdf"):
        open_document(bad, OPTS)


def test_garbled_pdf_is_corrupt(tmp_path: Path) -> None:
    bad = tmp_path / "garbled.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises((CorruptDocumentError, EmptyDocumentError), match=r"garbled\.pdf"):
        open_document(bad, OPTS)


def test_blank_pages_are_empty_document(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page()
    doc.new_page()
    with pytest.raises(EmptyDocumentError, match="no text or image"):
        open_document(_save(tmp_path, doc), OPTS)


def test_zero_page_pdf(tmp_path: Path) -> None:
    path = tmp_path / "zero.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    with pytest.raises(EmptyDocumentError, match=r"zero\.pdf"):
        open_document(path, OPTS)


def test_empty_page_next_to_text_page(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Page one text here", fontsize=12)
    doc.new_page()
    pages = open_document(_save(tmp_path, doc), OPTS).pages
    assert pages[0].text_layer_usable
    assert (pages[1].text_layer_usable, pages[1].text_layer_reason, pages[1].text_source) == (False, "no text", "none")


def test_too_many_pages(tmp_path: Path) -> None:
    path = _text_pdf(tmp_path, pages=3)
    with pytest.raises(TooManyPagesError, match=r"3 pages.*limit of 2"):
        open_document(path, ExtractOptions(limits=LimitOptions(max_pages=2)))
    assert len(open_document(path, ExtractOptions(limits=LimitOptions(max_pages=3))).pages) == 3


def test_scan_page_needs_ocr_with_dpi(tmp_path: Path) -> None:
    img = Image.new("L", (1000, 1000), 255)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    doc = pymupdf.open()
    page = doc.new_page(width=360, height=360)  # 5 x 5 inches → 200 dpi
    page.insert_image(page.rect, stream=buf.getvalue())
    p = open_document(_save(tmp_path, doc), OPTS).pages[0]
    assert p.has_images and not p.text_layer_usable and p.text_source == "none"
    assert p.image_dpi == pytest.approx(200, abs=1)


def test_ocr_layer_over_scan_is_hidden_and_not_usable(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("L", (1000, 1000), 255).save(buf, "PNG")
    doc = pymupdf.open()
    page = doc.new_page(width=360, height=360)
    page.insert_image(page.rect, stream=buf.getvalue())
    page.insert_text((20, 40), "Invoice total 12.00 EUR from the OCR layer", fontsize=9, render_mode=3)
    p = open_document(_save(tmp_path, doc), OPTS).pages[0]
    assert p.words == [] and "Invoice" in [w.text for w in p.hidden_words]
    assert not p.text_layer_usable and p.text_layer_reason == "invisible text layer over scan"


def test_ruling_from_lines_and_rects(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=600, height=800)
    page.insert_text((72, 72), "Table below", fontsize=12)
    page.draw_line((60, 400), (540, 400))
    page.draw_rect(pymupdf.Rect(60, 420, 540, 500))
    page.draw_line((100, 100), (200, 180))  # diagonal: not a rule
    ruling = open_document(_save(tmp_path, doc), OPTS).pages[0].ruling
    assert any(abs(b.y0 - 0.5) < 0.003 and b.width > 0.79 for b in ruling)
    assert sum(1 for b in ruling if b.width < 0.003 and b.height > 0.09) == 2  # the box's two sides
    assert len(ruling) == 5
