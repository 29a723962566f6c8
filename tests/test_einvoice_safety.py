"""Hostile e-invoice XML: entity expansion, external entities, size. Typed errors, fast, small memory,
and nothing opened or fetched."""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

import docextract
from docextract.errors import CorruptEInvoiceError
from docextract.load.einvoice.parse import MAX_XML_BYTES, parse_einvoice, safe_parse

ROOT = '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'

BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                  + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                            for i in range(1, 10))
                  + f"]>\n{ROOT}<x>&lol9;</x></rsm:CrossIndustryInvoice>")


def xxe(secret: Path) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
            f"{ROOT}<x>&xxe;</x></rsm:CrossIndustryInvoice>")


# Events of sys.addaudithook: a hook cannot be removed, so it records only while ``_WATCH`` is set.
_WATCH: list[list[tuple[str, str]]] = []


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _WATCH and (event == "open" or event.startswith("socket.")):
        _WATCH[-1].append((event, str(args[0]) if args else ""))


sys.addaudithook(_hook)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A local file an external entity points at; written before ``audit`` starts watching."""
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CANARY")
    return path


@pytest.fixture
def audit(secret: Path) -> Iterator[list[tuple[str, str]]]:
    events: list[tuple[str, str]] = []
    _WATCH.append(events)
    try:
        yield events
    finally:
        _WATCH.pop()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_fails_fast_in_small_memory(encoding: str, audit: list[tuple[str, str]]) -> None:
    data = BILLION_LAUGHS.replace('encoding="utf-8"', "").encode(encoding)
    tracemalloc.start()
    t0 = time.perf_counter()
    with pytest.raises(CorruptEInvoiceError, match=r"bomb\.xml"):
        parse_einvoice(data, "bomb.xml")
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 5_000_000
    assert not audit


def test_the_parser_itself_does_not_expand_entities() -> None:
    # Beneath the DOCTYPE refusal: the parser settings alone keep a bomb unexpanded.
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    t0 = time.perf_counter()
    try:  # libxml2 either keeps the references unexpanded or stops at its amplification limit
        size = len(etree.tostring(etree.fromstring(BILLION_LAUGHS.encode(), parser)))
    except etree.XMLSyntaxError:
        size = 0
    assert time.perf_counter() - t0 < 1.0
    assert size < 2000
    with pytest.raises(CorruptEInvoiceError):
        safe_parse(BILLION_LAUGHS.encode(), "bomb.xml")


def test_external_entity_reads_nothing(tmp_path: Path, secret: Path, audit: list[tuple[str, str]]) -> None:
    path = tmp_path / "xxe.xml"
    path.write_text(xxe(secret))
    with pytest.raises(CorruptEInvoiceError) as info:
        docextract.extract(path, schema="Invoice")
    assert "TOP-SECRET-CANARY" not in str(info.value)
    assert not any(str(secret) in target for _, target in audit)
    assert not any(event.startswith("socket.") for event, _ in audit)


def test_hostile_attachment_in_a_pdf_becomes_an_error_issue(
    tmp_path: Path, secret: Path, audit: list[tuple[str, str]]
) -> None:
    pdf = tmp_path / "xxe.pdf"
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Rechnung Nr. 4711", fontsize=11)
    doc.embfile_add("factur-x.xml", xxe(secret).encode(), filename="factur-x.xml")
    doc.save(pdf)
    doc.close()
    result = docextract.extract(pdf, schema="Invoice")
    (issue,) = [i for i in result.issues if i.code == "einvoice_hostile"]
    assert issue.severity == "error"
    assert result.status == "review"
    assert "TOP-SECRET-CANARY" not in result.model_dump_json()
    assert not any(str(secret) in target for _, target in audit)


def test_oversized_xml_is_refused_before_parsing() -> None:
    data = (ROOT + "<x>" + "a" * MAX_XML_BYTES + "</x></rsm:CrossIndustryInvoice>").encode()
    with pytest.raises(CorruptEInvoiceError, match="over the"):
        parse_einvoice(data, "big.xml")


def test_xml_that_is_no_invoice_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>')
    with pytest.raises(docextract.UnsupportedFormatError):
        docextract.extract(path, schema="Invoice")
