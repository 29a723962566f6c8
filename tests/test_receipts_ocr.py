"""Receipts: the second reading of doubtful OCR lines, and a header closed by a gap instead of a contact line."""

from __future__ import annotations

from pathlib import Path

import pytest

import docextract
from docextract.document import Box, Word
from docextract.ocr.reread import DISAGREE_CONFIDENCE, DOUBTFUL, doubtful_lines, reread
from docextract.ocr.tesseract import TesseractEngine
from tests.test_receipts import _draw


def _line_image(text: str) -> tuple[object, list[Word]]:
    """A clean printed line (Pillow, DejaVu or the default font) and its words as Tesseract reads them."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (900, 120), 255)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype("DejaVuSans.ttf", 34)
    except OSError:
        font = ImageFont.load_default(size=34)
    ImageDraw.Draw(img).text((30, 35), text, fill=0, font=font)
    engine = TesseractEngine()
    if engine.available():
        pytest.skip(f"tesseract cannot run: {engine.available()}")
    return img, engine.recognize([img], ["eng"])[0]


def test_second_reading_confirms_and_doubts_words() -> None:
    img, words = _line_image("TOTAL RM 86.40 PAID")
    assert [w.text for w in words] == ["TOTAL", "RM", "86.40", "PAID"]
    # As if the first reading had been unsure of "RM" and had misread the amount with confidence.
    first = [words[0], Word("RM", words[1].box, 0.55, words[1].order),
             Word("86.10", words[2].box, 0.6, words[2].order), words[3]]
    out = reread(TesseractEngine(), img, first, ["eng"])  # type: ignore[arg-type]
    assert [w.box for w in out] == [w.box for w in first]
    assert out[1].text == "RM" and out[1].confidence > 0.8  # both readings agree: confirmed
    # The readings disagree: the word is as good as unread, and the surer reading's text is kept.
    assert out[2].text == "86.40" and out[2].confidence <= DISAGREE_CONFIDENCE
    for i in (0, 3):  # the sure words agree: same text, never less sure
        assert out[i].text == first[i].text and out[i].confidence >= first[i].confidence


def test_engine_without_line_reading_is_left_alone() -> None:
    box = Box(0.1, 0.1, 0.3, 0.2)
    words = [Word("A1", box, 0.4, (1, 1, 1))]
    assert reread(object(), object(), words, ["eng"]) == words  # type: ignore[arg-type]


def test_doubtful_lines_prefers_lines_a_confirmation_can_settle() -> None:
    box = Box(0.1, 0.1, 0.3, 0.2)

    def line(n: int, confs: list[float]) -> list[Word]:
        return [Word(f"w{i}", box, c, (1, n, i)) for i, c in enumerate(confs)]

    sure = line(1, [0.95, 0.9])
    one_doubt = line(2, [0.95, 0.7, 0.9])
    many = line(3, [0.6, 0.7, 0.5])
    noise = line(4, [0.1, 0.2])  # a logo or barcode: nothing to confirm
    words = [*sure, *many, *noise, *one_doubt]
    chosen = doubtful_lines(words, limit=5)
    assert [words[idx[0]].order[1] for idx in chosen] == [2, 3]
    assert doubtful_lines(words, limit=1) == [chosen[0]]
    assert all(min(words[i].confidence for i in idx) < DOUBTFUL for idx in chosen)


_NAME = (9.0, "HARBOUR LIGHT TRADING SDN BHD")


def test_header_closed_by_a_gap_accepts_the_name(tmp_path: Path) -> None:
    # No contact line under the address, but a clear gap after the postcode line ends the block.
    lines = [_NAME, (7.0, "LOT 7, JALAN PELANGI 2,"), (7.0, "80400 JOHOR BAHRU"), (7.0, ""), (7.0, ""),
             (7.0, "WELCOME"), (7.0, "23-03-2019 18:22:05"), (7.0, "TOTAL|RM 9.40")]
    res = docextract.extract(_draw(lines, tmp_path / "r.pdf"), schema="Receipt")
    assert res.fields["company"].value == "HARBOUR LIGHT TRADING SDN BHD"
    assert res.fields["company"].confidence >= 0.8
    assert res.fields["address"].confidence < 0.8  # the address itself still wants its contact line


def test_gap_after_rows_without_postcode_is_no_close(tmp_path: Path) -> None:
    # The postcode is not near the block's end: the gap may split a longer header; not sure enough.
    lines = [_NAME, (7.0, "80400 JOHOR BAHRU"), (7.0, "KAWASAN PERINDUSTRIAN"), (7.0, "TAMPOI INDAH"),
             (7.0, ""), (7.0, ""), (7.0, "WELCOME"), (7.0, "TOTAL|RM 9.40")]
    res = docextract.extract(_draw(lines, tmp_path / "r.pdf"), schema="Receipt")
    assert res.fields["company"].value == "HARBOUR LIGHT TRADING SDN BHD"
    assert res.fields["company"].confidence < 0.8


def test_stray_marks_make_an_address_doubtful(tmp_path: Path) -> None:
    # A speck beside a comma reads as ",.": no printed address has it, so the line is as good as unread.
    head = [(9.0, "SEA BREEZE TRADING SDN BHD"), (7.0, "LOT 12, JALAN MERANTI 4,"), (7.0, "TAMAN BUKIT INDAH,"),
            (7.0, "81200 JOHOR BAHRU, JOHOR"), (7.0, "TEL : 07-555 0192"), (7.0, "TOTAL|RM 9.40")]
    clean = docextract.extract(_draw(head, tmp_path / "a.pdf"), schema="Receipt")
    assert clean.fields["address"].confidence >= 0.8
    head[2] = (7.0, "TAMAN BUKIT INDAH,.")
    specked = docextract.extract(_draw(head, tmp_path / "b.pdf"), schema="Receipt")
    assert specked.fields["address"].value == "LOT 12, JALAN MERANTI 4, TAMAN BUKIT INDAH,., 81200 JOHOR BAHRU, JOHOR"
    assert specked.fields["address"].confidence < 0.8
