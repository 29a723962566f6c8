"""Amounts, numbers, integers and percentages: separators, currencies, negatives, and what is no amount."""

from __future__ import annotations

from decimal import Decimal

import pytest

from docextract.coerce import parse, scan


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("1.234,56", "1234.56", None),
        ("1,234.56", "1234.56", None),
        ("1 234,56", "1234.56", None),
        ("1\u202f234,56 €", "1234.56", "EUR"),
        ("1'234.56", "1234.56", None),
        ("1’234.56 CHF", "1234.56", "CHF"),
        ("1234,5", "1234.5", None),
        ("0,99", "0.99", None),
        ("12.345.678,90", "12345678.90", None),
        ("€ 1.234,56", "1234.56", "EUR"),
        ("1.234,56 EUR", "1234.56", "EUR"),
        ("EUR1,234.56", "1234.56", "EUR"),
        ("$1,234.56", "1234.56", "USD"),
        ("US$ 10.00", "10.00", "USD"),
        ("£12.50", "12.50", "GBP"),
        ("¥1,200", "1200", "JPY"),
        ("RM12.50", "12.50", "MYR"),
        ("12,50 zł", "12.50", "PLN"),
        ("Fr. 12.50", "12.50", "CHF"),
        ("12,50 Euro", "12.50", "EUR"),
        ("50,- €", "50", "EUR"),
        ("-12.50", "-12.50", None),
        ("−12,50 €", "-12.50", "EUR"),
        ("€-12.50", "-12.50", "EUR"),
        ("(12.50)", "-12.50", None),
        ("(€ 12.50)", "-12.50", "EUR"),
        ("12.50-", "-12.50", None),
        ("12,50 CR", "-12.50", None),
        ("Total:", None, None),
        ("12 Stk", None, None),
        ("ABC 12.50", None, None),
        ("12.03.2024", None, None),
        ("19 %", None, None),
        ("12,50 $ EUR", None, None),
    ],
)
def test_parse_amount(text: str, value: str | None, currency: str | None) -> None:
    got = parse(text, "amount")
    if value is None:
        assert got is None
        return
    assert got is not None
    assert got.value == Decimal(value) and isinstance(got.value, Decimal)
    assert got.currency == currency
    assert text[got.start : got.end] == got.raw


def test_amount_quality_orders_by_ambiguity() -> None:
    def q(text: str) -> float:
        got = parse(text, "amount")
        assert got is not None
        return got.quality

    assert q("1.234,56") == 1.0
    assert q("1.234") < 0.8  # a thousand or one point two three four
    assert q("1234") < q("1234,00")
    assert q("1.234.56") < 0.8  # an OCR'd decimal comma


def test_languages_decide_a_lone_three_digit_group() -> None:
    thousand, decimal = parse("1.234", "number"), parse("1,234", "number", languages=["de"])
    assert thousand is not None and thousand.value == Decimal(1234)
    assert decimal is not None and decimal.value == Decimal("1.234")
    english = parse("1,234", "number", languages=["en"])
    assert english is not None and english.value == Decimal(1234)


def test_number_integer_percent() -> None:
    qty = parse("2,5 h", "number")
    assert qty is not None and qty.value == Decimal("2.5")
    assert parse("12,50 €", "number") is None  # money is not a quantity
    whole = parse("3", "integer")
    assert whole is not None and whole.value == 3 and isinstance(whole.value, int)
    two = parse("2,00", "integer")
    assert two is not None and two.value == 2
    assert parse("2,5", "integer") is None
    for text, value in [("19 %", "19"), ("19,0%", "19.0"), ("7%", "7"), ("5.5 %", "5.5")]:
        got = parse(text, "percent")
        assert got is not None and got.value == Decimal(value) and got.quality == 1.0
    bare = parse("19", "percent")
    assert bare is not None and bare.value == Decimal(19) and bare.quality < 1.0


@pytest.mark.parametrize(
    ("line", "values"),
    [
        ("Pos. 1  Beratung  12,5 Std  95,00  1.187,50 €", ["1", "12.5", "95.00", "1187.50"]),
        ("Subtotal 1,234.56  VAT 19% 234.57  Total USD 1,469.13", ["1234.56", "234.57", "1469.13"]),
        ("MwSt. 19 % auf 100,00 = 19,00", ["100.00", "19.00"]),
        ("Rabatt -10,00 Gutschrift (5,00) Storno 2,50-", ["-10.00", "-5.00", "-2.50"]),
        ("Rechnungsdatum 2024-03-12 fällig 26.03.2024", []),
        ("Tel. +49 30 1234567  Fax: 030 1234568", []),
        ("Musterstraße 12, 12345 Berlin", ["12"]),
        ("IBAN DE89 3704 0044 0532 0130 00  BIC COBADEFFXXX", []),
        ("Artikel A4-500 Größe 12kg Code X12 #4711", []),
        ("Zeit 10:15 Uhr, Bereich 10-20", []),
        ("Leistung 01.03.-31.03. Betrag 50,- €", ["50"]),
        ("Order 4711000123 total €12.50", ["12.50"]),
    ],
)
def test_scan_amounts(line: str, values: list[str]) -> None:
    found = scan(line, "amount")
    assert [p.value for p in found] == [Decimal(v) for v in values]
    assert all(line[p.start : p.end] == p.raw for p in found)


def test_scan_amount_reports_currency_and_bare_numbers_are_weak() -> None:
    bare, euro = scan("Summe 1234 und 1.234,00 €", "amount")
    assert bare.quality <= 0.5 and bare.currency is None
    assert euro.currency == "EUR" and euro.quality == 1.0


def test_scan_percent_and_integer() -> None:
    assert [p.value for p in scan("USt 19 % und 7%", "percent")] == [Decimal(19), Decimal(7)]
    assert [p.value for p in scan("Menge 3 Stück à 2,50", "integer")] == [3]


def test_scan_is_cached_but_returns_fresh_lists() -> None:
    first = scan("Total 12,50", "amount")
    first.clear()
    assert len(scan("Total 12,50", "amount")) == 1
