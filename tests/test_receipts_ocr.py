"""Receipts: a header closed by a gap instead of a contact line, and stray marks in an address."""

from __future__ import annotations

from pathlib import Path

import docextract
from tests.test_receipts import _draw

_NAME = (9.0, "HARBOUR LIGHT TRADING SDN BHD")


def test_header_closed_by_a_gap_accepts_the_name(tmp_path: Path) -> None:
    # No contact line under the address, but a clear gap after the postcode line ends the block.
    lines = [_NAME, (7.0, "LOT 7, JALAN PELANGI 2,"), (7.0, "80400 JOHOR BAHRU"), (7.0, ""), (7.0, ""),
             (7.0, "WELCOME"), (7.0, "23-03-2019 18:22:05"), (7.0, "TOTAL|RM 9.40")]
    res = docextract.extract(_draw(lines, tmp_path / "r.pdf"), schema="Receipt")
    assert res.fields["company"].value == "HARBOUR LIGHT TRADING SDN BHD"
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
    # (Receipt addresses are right a quarter of the time on real receipts: the clean one is trusted, not
    # accepted; the specked one is trusted less and never accepted.)
    assert clean.fields["address"].confidence > 0.5
    head[2] = (7.0, "TAMAN BUKIT INDAH,.")
    specked = docextract.extract(_draw(head, tmp_path / "b.pdf"), schema="Receipt")
    assert specked.fields["address"].value == "LOT 12, JALAN MERANTI 4, TAMAN BUKIT INDAH,., 81200 JOHOR BAHRU, JOHOR"
    assert specked.fields["address"].confidence < min(0.8, clean.fields["address"].confidence)
