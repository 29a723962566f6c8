"""Item descriptions: where the name ends (a placeholder suffix, a "name: detail" template), when a plain
description is sure (the row's arithmetic, lines wrapping at the column's edge, a stacked header's own
label), and what leaves doubt (a border stroke taken out, an accent read by OCR)."""

from __future__ import annotations

from pathlib import Path

from docextract.document import Document
from docextract.layout.tables import detect_tables
from docextract.options import ExtractOptions
from docextract.result import Candidate
from docextract.schema import spec_from_model
from docextract.schemas.invoice import Invoice
from docextract.tiers.rules.tables.candidates import table_candidates
from tests.support.tablegen import Col, PageSpec, load, write_pdf

LINE_ITEMS = spec_from_model(Invoice).table("line_items")
COLS = [Col(50, 250), Col(300, 340, right=True), Col(360, 440, right=True), Col(460, 540, right=True)]
HEADER = ["Description", "Qty", "Unit price", "Amount"]


def _run(doc: Document) -> dict[str, Candidate]:
    assert LINE_ITEMS is not None
    for page in doc.pages:
        page.tables = detect_tables(page)
    cands, _ = table_candidates(doc, LINE_ITEMS, ExtractOptions())
    return {c.path: c for c in cands}


def _pdf(tmp_path: Path, spec: PageSpec, name: str = "d.pdf") -> dict[str, Candidate]:
    return _run(load(write_pdf(tmp_path / name, [spec])))


def _desc(got: dict[str, Candidate], i: int) -> Candidate:
    return got[f"line_items[{i}].description"]


def test_label_printed_as_placeholder_detail_is_cut(tmp_path: Path) -> None:
    """Every row ends in " - Description" (the column's own label, printed for an empty detail)."""
    spec = PageSpec(COLS, ["Nom & désignation", "Qté", "P.U. HT", "Total HT"], [
        ["PRESTATION SUPPORT - Description", "1,00", "60,00", "60,00"],
        ["FOURNITURES PAPIER - Description", "3,00", "10,00", "30,00"],
        ["APPEL - Description", "1,00", "7,00", "7,00"],
    ])
    got = _pdf(tmp_path, spec)
    assert [_desc(got, i).value for i in range(3)] == ["PRESTATION SUPPORT", "FOURNITURES PAPIER", "APPEL"]
    assert all(_desc(got, i).score >= 0.8 for i in range(3))
    assert _desc(got, 0).raw == "PRESTATION SUPPORT - Description", "the evidence keeps the printed text"


def test_details_that_differ_are_kept(tmp_path: Path) -> None:
    """Suffixes that differ from row to row are content: the text stays whole, and stays in doubt."""
    spec = PageSpec(COLS, HEADER, [
        ["Paint - white", "2", "10.00", "20.00"],
        ["Paint - blue", "1", "12.00", "12.00"],
        ["Brush - wide", "3", "4.00", "12.00"],
    ])
    got = _pdf(tmp_path, spec)
    assert [_desc(got, i).value for i in range(3)] == ["Paint - white", "Paint - blue", "Brush - wide"]
    assert all(_desc(got, i).score < 0.8 for i in range(3))


def test_same_suffix_on_many_rows_is_cut_but_not_sure(tmp_path: Path) -> None:
    spec = PageSpec(COLS, HEADER, [
        ["Hosting - monthly", "1", "20.00", "20.00"],
        ["Backup - monthly", "1", "5.00", "5.00"],
        ["Support - monthly", "2", "30.00", "60.00"],
    ])
    got = _pdf(tmp_path, spec)
    assert [_desc(got, i).value for i in range(3)] == ["Hosting", "Backup", "Support"]
    assert all(_desc(got, i).score < 0.8 for i in range(3))


def test_name_detail_template_with_an_empty_detail(tmp_path: Path) -> None:
    """One row ends in the separator ("Hot air (litres):"): the program prints "{name}: {detail}"."""
    spec = PageSpec(COLS, HEADER, [
        ["Design (hours): of a sample invoice", "1", "160.00", "160.00"],
        ["Balloons: various colours", "400", "0.79", "316.00"],
        ["Hot air (litres):", "800", "0.025", "20.00"],
    ])
    got = _pdf(tmp_path, spec)
    assert [_desc(got, i).value for i in range(3)] == ["Design (hours)", "Balloons", "Hot air (litres)"]
    assert _desc(got, 0).score < 0.8 and _desc(got, 1).score < 0.8, "the cut is a reading"
    assert _desc(got, 2).score >= 0.8, "nothing was cut off the name whose detail is empty"


def test_row_arithmetic_confirms_a_plain_description(tmp_path: Path) -> None:
    """A header that names the column only in part ("Item description / details"): the description is
    sure where its row's qty x price = total holds, not where it fails."""
    spec = PageSpec(COLS, ["Item description / details", "Qty", "Unit price", "Amount"], [
        ["Spare belt", "4", "25.00", "100.00"],
        ["Grease cartridge", "2", "8.00", "16.00"],
        ["Labour", "3", "40.00", "100.00"],
    ])
    got = _pdf(tmp_path, spec)
    assert _desc(got, 0).score >= 0.8 and _desc(got, 1).score >= 0.8
    assert _desc(got, 2).score < 0.8


def test_stacked_header_label_names_the_description(tmp_path: Path) -> None:
    """Items on two lines under a two-line header: the description's label ("Artikelbezeichnung") sits
    under another ("Art-Nr-Lieferant") in the same header cell; on its own line it names the column
    fully, and the descriptions read under it are sure."""
    cols = [Col(40, 110), Col(130, 300), Col(320, 380, right=True), Col(400, 460, right=True),
            Col(480, 550, right=True)]
    spec = PageSpec(cols, [["GTIN", "Art-Nr-Lieferant", "Menge", "Nettopreis", "Nettowert"],
                           ["Art-Nr-Kunde", "Artikelbezeichnung", "", "", ""]], [
        [["4012345000017", "K1001"], ["WA997", "Wirkarbeit HT"], "100 kWh", "0,0520", "5,20"],
        [["4012345000024", "K1002"], ["K4322", "Kopierpapier A4"], "12 Stk.", "1,5000", "18,00"],
        [["4012345000031", "K1003"], ["FB05", "Faltenbeutel 16x6x28 cm"], "30 Stk.", "0,1000", "3,00"],
    ])
    got = _pdf(tmp_path, spec)
    assert [_desc(got, i).value for i in range(3)] == ["Wirkarbeit HT", "Kopierpapier A4", "Faltenbeutel 16x6x28 cm"]
    assert all(_desc(got, i).score >= 0.8 for i in range(3))


NARROW = [Col(50, 150), Col(300, 340, right=True), Col(360, 440, right=True), Col(460, 540, right=True)]


def test_lines_wrapping_at_the_column_edge_are_one_description(tmp_path: Path) -> None:
    """A narrow column the program wraps at a fixed width: a description whose first line ends at that
    edge (shown by the other rows' lines ending there too) is as sure as a one-line description; one
    whose first line ended short is a guess."""
    spec = PageSpec(NARROW, HEADER, [
        [["Base fare charged once", "for every single ride"], "1", "3.90", "3.90"],
        [["City ride within the town", "limits per driven"], "6", "2.00", "12.00"],
        [["Waiting time at the", "request of the passenger"], "2", "1.00", "2.00"],
        ["Airport surcharge", "1", "5.00", "5.00"],
    ])
    got = _pdf(tmp_path, spec)
    assert _desc(got, 0).value == "Base fare charged once for every single ride"
    assert _desc(got, 0).score >= _desc(got, 3).score - 0.01 >= 0.8
    assert _desc(got, 2).value == "Waiting time at the request of the passenger"
    assert _desc(got, 2).score < _desc(got, 0).score


def test_one_line_at_the_edge_does_not_show_a_wrap_width(tmp_path: Path) -> None:
    """The same wrapped description with no other line reaching its edge: the join stays a guess."""
    spec = PageSpec(NARROW, HEADER, [
        [["Base fare charged once", "for every single ride"], "1", "3.90", "3.90"],
        ["Airport surcharge", "1", "5.00", "5.00"],
        ["Luggage", "2", "1.00", "2.00"],
    ])
    got = _pdf(tmp_path, spec)
    assert _desc(got, 0).value == "Base fare charged once for every single ride"
    assert _desc(got, 0).score < _desc(got, 1).score


def test_border_stroke_taken_out_of_a_description_leaves_doubt(tmp_path: Path) -> None:
    """Read by OCR, a stroke at a description's end is dropped as a cell border; it may have been a
    letter ("12,5 l" read "12,5 |")."""
    spec = PageSpec(COLS, HEADER, [
        ["Wall paint white 12,5 |", "2", "40.00", "80.00"],
        ["Masking tape", "3", "2.00", "6.00"],
    ])
    doc = load(write_pdf(tmp_path / "b.pdf", [spec]))
    for w in doc.pages[0].words:
        w.confidence = 0.97  # as an OCR engine would report them
    got = _run(doc)
    assert _desc(got, 0).value == "Wall paint white 12,5"
    assert _desc(got, 0).score < 0.8 <= _desc(got, 1).score


def test_ocr_read_accents_leave_more_doubt(tmp_path: Path) -> None:
    """Read by OCR at the same word confidence, a description with an accented letter is less sure."""
    spec = PageSpec(COLS, ["Descripción", "Cantidad", "Precio", "Importe"], [
        ["Revisión de caldera", "1", "90,00", "90,00"],
        ["Montaje de mobiliario", "2", "45,00", "90,00"],
    ])
    doc = load(write_pdf(tmp_path / "o.pdf", [spec]))
    for w in doc.pages[0].words:
        w.confidence = 0.97  # as an OCR engine would report them
    got = _run(doc)
    assert _desc(got, 0).value == "Revisión de caldera"
    assert _desc(got, 0).score < 0.8 <= _desc(got, 1).score


def test_label_suffix_on_a_single_row_is_not_sure(tmp_path: Path) -> None:
    """One item: nothing shows the label was printed for every item, so the cut is only a reading."""
    spec = PageSpec(COLS, HEADER, [["PRESTATION SUPPORT - Description", "1", "60.00", "60.00"]])
    got = _pdf(tmp_path, spec)
    assert _desc(got, 0).value == "PRESTATION SUPPORT"
    assert _desc(got, 0).score < 0.8
