"""Dates in many languages and formats, what must not parse, and scanning lines."""

from __future__ import annotations

import datetime as dt

import pytest

from docextract.coerce import parse, scan

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.03.2024", D(2024, 3, 12)),
        ("12/03/2024", D(2024, 3, 12)),
        ("2024-03-12", D(2024, 3, 12)),
        ("2024/03/12", D(2024, 3, 12)),
        ("31.12.23", D(2023, 12, 31)),
        ("12 March 2024", D(2024, 3, 12)),
        ("March 12, 2024", D(2024, 3, 12)),
        ("Mar 12 2024", D(2024, 3, 12)),
        ("12th of March, 2024", D(2024, 3, 12)),
        ("12-Mar-24", D(2024, 3, 12)),
        ("August 3 , 2014", D(2014, 8, 3)),
        ("Tuesday, 12 March 2024", D(2024, 3, 12)),
        ("12. März 2024", D(2024, 3, 12)),
        ("12. Mär. 2024", D(2024, 3, 12)),
        ("5. Sept. 2024", D(2024, 9, 5)),
        ("1. Dezember 2023", D(2023, 12, 1)),
        ("1er janvier 2024", D(2024, 1, 1)),
        ("15 févr. 2024", D(2024, 2, 15)),
        ("le 3 août 2024", D(2024, 8, 3)),
        ("3 de marzo de 2024", D(2024, 3, 3)),
        ("25 dic 2023", D(2023, 12, 25)),
        ("12 marzo 2024", D(2024, 3, 12)),
        ("1 settembre 2024", D(2024, 9, 1)),
        ("12 mei 2024", D(2024, 5, 12)),
        ("3 mrt 2024", D(2024, 3, 3)),
        ("3 de março de 2024", D(2024, 3, 3)),
        ("7 out. 2024", D(2024, 10, 7)),
        ("12 marca 2024", D(2024, 3, 12)),
        ("2024年3月12日", D(2024, 3, 12)),
        ("Rechnungsdatum:", None),
        ("31.02.2024", None),
        ("12.03.1899", None),
        ("32.01.2024", None),
        ("12.03.", None),
        ("12 Stück 2024", None),
        ("+49 30 1234567", None),
        ("1.234,56", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    got = parse(text, "date")
    assert (got.value if got else None) == expected


def test_day_month_order_and_quality() -> None:
    clear = parse("13/03/2024", "date")
    ambiguous = parse("03/04/2024", "date")
    us = parse("03/04/2024", "date", languages=["en-US"])
    month_first = parse("03/13/2024", "date")
    assert clear is not None and ambiguous is not None and us is not None and month_first is not None
    assert clear.value == D(2024, 3, 13) and clear.quality >= 0.9
    assert ambiguous.value == D(2024, 4, 3) and ambiguous.quality < 0.8
    assert us.value == D(2024, 3, 4) and us.quality < 0.9
    assert month_first.value == D(2024, 3, 13)
    dotted = parse("03.04.2024", "date", languages=["en-US"])
    assert dotted is not None and dotted.value == D(2024, 4, 3)  # dots are day-first everywhere


def test_two_digit_year_is_less_sure() -> None:
    long, short = parse("12.03.2024", "date"), parse("12.03.24", "date")
    assert long is not None and short is not None and short.value == long.value and short.quality < long.quality
    old = parse("12.03.95", "date")
    assert old is not None and old.value == D(1995, 3, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Tue 12 Mar 2024 10:00", D(2024, 3, 12)), ("2024-03-12T10:15:00Z", D(2024, 3, 12)),
     ("le 12 mars 2024 à 10h30", D(2024, 3, 12)), ("12.03.2024 10:15 Uhr", D(2024, 3, 12))],
)
def test_parse_allows_weekday_and_time(text: str, expected: dt.date) -> None:
    got = parse(text, "date")
    assert got is not None and got.value == expected


def test_dateparser_fallback_for_unusual_wording() -> None:
    got = parse("March the 12th, 2024", "date", languages=["en"])
    assert got is not None and got.value == D(2024, 3, 12) and got.quality < 0.8
    assert got.raw == "March the 12th, 2024"


def test_scan_finds_both_dates_with_offsets() -> None:
    line = "Rechnungsdatum: 12. März 2024  Fällig: 26.03.2024"
    found = scan(line, "date")
    assert [p.value for p in found] == [D(2024, 3, 12), D(2024, 3, 26)]
    assert [line[p.start : p.end] for p in found] == [p.raw for p in found] == ["12. März 2024", "26.03.2024"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Invoice date: March 12, 2024 Due: April 11, 2024", [D(2024, 3, 12), D(2024, 4, 11)]),
        ("Leistungszeitraum 01.03.2024-31.03.2024", [D(2024, 3, 1), D(2024, 3, 31)]),
        ("Date: 03/04/2024 Invoice No: INV-2024-001", [D(2024, 4, 3)]),
        ("5 items 12 March 2024", [D(2024, 3, 12)]),
        ("Issued 2024-03-12T10:15:00", [D(2024, 3, 12)]),
        ("Tel. +49 30 1234567  Fax 030 12.34.56", []),
        ("Version 1.2.3 build 12.34", []),
        ("Total 1.234,56 EUR", []),
        ("Date de facture : 1er janvier 2024", [D(2024, 1, 1)]),
    ],
)
def test_scan_lines(line: str, expected: list[dt.date]) -> None:
    assert [p.value for p in scan(line, "date")] == expected


def test_parse_rejects_two_dates_and_other_text() -> None:
    assert parse("12.03.2024 - 26.03.2024", "date") is None
    assert parse("Invoice 12.03.2024", "date") is None


def test_import_is_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, docextract.coerce as c; "
        "assert 'dateparser' not in sys.modules and 'babel' not in sys.modules, sorted(sys.modules); "
        "c.scan('12. März 2024', 'date'); assert 'dateparser' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
