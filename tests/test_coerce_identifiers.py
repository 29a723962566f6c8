"""IBANs, VAT ids, currencies, enums, booleans and plain strings."""

from __future__ import annotations

import pytest

from docextract.coerce import Parsed, parse, scan
from docextract.errors import ConfigError

GOOD_IBAN = "DE89370400440532013000"


@pytest.mark.parametrize(
    "text",
    ["DE89370400440532013000", "DE89 3704 0044 0532 0130 00", "de89 3704 0044 0532 0130 00",
     " DE89-3704-0044-0532-0130-00 "],
)
def test_parse_iban_normalises(text: str) -> None:
    got = parse(text, "iban")
    assert got is not None and got.value == GOOD_IBAN and got.quality == 1.0


def test_iban_bad_checksum_is_kept_with_low_quality() -> None:
    got = parse("DE89 3704 0044 0532 0130 01", "iban")
    assert got is not None and got.value == "DE89370400440532013001" and got.quality <= 0.3


def test_iban_ocr_lookalikes_are_repaired_at_lower_quality() -> None:
    got = parse("DE89 37O4 0044 0532 O130 00", "iban")
    assert got is not None and got.value == GOOD_IBAN and 0.5 <= got.quality < 1.0


def test_iban_not_a_country() -> None:
    assert parse("XX89 3704 0044 0532 0130 00", "iban") is None
    assert parse("Invoice 12", "iban") is None


def test_scan_iban_stops_at_the_country_length() -> None:
    line = "IBAN: DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX"
    (found,) = scan(line, "iban")
    assert found.value == GOOD_IBAN and found.raw == "DE89 3704 0044 0532 0130 00"
    assert line[found.start : found.end] == found.raw
    two = scan("GB82 WEST 1234 5698 7654 32 / NL91ABNA0417164300", "iban")
    assert [p.value for p in two] == ["GB82WEST12345698765432", "NL91ABNA0417164300"]
    assert all(p.quality == 1.0 for p in two)


@pytest.mark.parametrize(
    ("text", "value", "quality"),
    [
        ("DE 136 695 976", "DE136695976", 1.0),
        ("DE136695976", "DE136695976", 1.0),
        ("ATU13585627", "ATU13585627", 1.0),
        ("FR 40 303 265 045", "FR40303265045", 1.0),
        ("CHE-116.281.710 MWST", "CHE116281710", 1.0),
        ("DE123456789", "DE123456789", 0.4),
        ("de 123 456 789", "DE123456789", 0.4),
    ],
)
def test_parse_vat_id(text: str, value: str, quality: float) -> None:
    got = parse(text, "vat_id")
    assert got is not None and got.value == value and got.quality == quality


def test_scan_vat_ids_in_a_line() -> None:
    line = "USt-IdNr.: DE 136 695 976  Steuernr. 143/222/33333  IBAN DE89370400440532013000"
    found = scan(line, "vat_id")
    assert [p.value for p in found] == ["DE136695976"]
    assert found[0].raw == "DE 136 695 976"
    assert scan("Lieferung nach DE 12345 Berlin", "vat_id") == []


@pytest.mark.parametrize(
    ("text", "code", "min_q", "max_q"),
    [("EUR", "EUR", 1.0, 1.0), ("€", "EUR", 0.9, 1.0), ("Euro", "EUR", 0.9, 1.0), ("$", "USD", 0.0, 0.6),
     ("£", "GBP", 0.8, 1.0), ("CHF", "CHF", 1.0, 1.0), ("RM", "MYR", 0.8, 1.0), ("zł", "PLN", 0.9, 1.0),
     ("kr", "SEK", 0.0, 0.5), ("usd", "USD", 0.5, 1.0)],
)
def test_parse_currency(text: str, code: str, min_q: float, max_q: float) -> None:
    got = parse(text, "currency")
    assert got is not None and got.value == code and min_q <= got.quality <= max_q


def test_currency_rejects_non_codes_and_scans() -> None:
    assert parse("XYZ", "currency") is None
    assert parse("Total", "currency") is None
    assert [p.value for p in scan("Betrag in EUR: 12,50 € (USD 13.40)", "currency")] == ["EUR", "EUR", "USD"]


def test_enum_and_boolean() -> None:
    values = ("credit_note", "invoice")
    got = parse(" Credit Note ", "enum", enum_values=values)
    assert got is not None and got.value == "credit_note" and got.quality == 1.0
    inside = parse("Type: INVOICE", "enum", enum_values=values)
    assert inside is not None and inside.value == "invoice" and inside.quality < 1.0
    assert parse("receipt", "enum", enum_values=values) is None
    found = scan("invoice, not a credit-note", "enum", enum_values=values)
    assert [p.value for p in found] == ["invoice", "credit_note"]
    for text, value in [("Ja", True), ("nein", False), ("Oui", True), ("non", False), ("true", True), ("x", True)]:
        parsed = parse(text, "boolean")
        assert parsed is not None and parsed.value is value
    assert parse("maybe", "boolean") is None
    assert [p.value for p in scan("Paid: yes  Refund: no", "boolean")] == [True, False]
    assert scan("Invoice No. 123", "boolean") == []


def test_string_and_text() -> None:
    got = parse("  ACME   GmbH : ", "string")
    assert got == Parsed("ACME GmbH", "ACME   GmbH", 2, 13, 1.0)
    multi = parse("Musterstr. 1\n  12345   Berlin ", "text")
    assert multi is not None and multi.value == "Musterstr. 1\n12345 Berlin"
    assert parse(" : ", "string") is None
    assert [p.value for p in scan("  Lieferant:  ACME GmbH", "string")] == ["Lieferant: ACME GmbH"]


def test_unknown_kind_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="known: amount"):
        parse("12", "money")  # type: ignore[arg-type]
