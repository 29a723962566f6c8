"""Hostile inputs built by code: damaged, malicious and absurd PDFs and images, each a few KB on disk.

Every generator takes a folder, writes one file there and returns its path. The files mirror the
kinds found in the qpdf, pdf.js, PDFium and Pillow fuzzing corpora (truncations, wrong magic, page-tree
cycles, bombs, encryption, huge pages, broken fonts, bad text), without downloading any of them.
``benchmarks/fuzz.py`` reuses the valid documents here as seeds for its mutations.
"""

from __future__ import annotations

import importlib
import io
import re
import struct
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PIL import Image

from docextract.backend import Backend, TierOutput

# Imported as Any: its partial type hints would make every call here untyped.
pymupdf: Any = importlib.import_module("pymupdf")

Gen = Callable[[Path], Path]

INVOICE_LINES = (
    "ACME Supplies GmbH, Hauptstr. 1, 10115 Berlin",
    "Invoice Number: INV-4711",
    "Invoice Date: 2024-03-15",
    "Net amount 100.00 EUR",
    "VAT 19% 19.00 EUR",
    "Total 119.00 EUR",
)
PASSWORD = "s3cret"

_HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


# -- building blocks --------------------------------------------------------------------------------


def assemble_pdf(objects: Sequence[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF of ``objects`` (object i+1 is ``objects[i]``) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R " % (len(objects) + 1, root) + trailer_extra + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", *, compress: bool = False) -> bytes:
    """A stream object body; ``compress`` applies FlateDecode."""
    if compress:
        data = zlib.compress(data, 9)
        extra = b"/Filter /FlateDecode " + extra
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page_pdf(content: bytes, *, media: bytes = b"[0 0 612 792]", page_extra: bytes = b"",
                 font: bytes = _HELV, compress: bool = False, info: bytes | None = None) -> bytes:
    """Catalog, Pages, one Page with ``content`` and font /F1, optionally an Info dictionary."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + media + b" /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b">>",
        stream(content, compress=compress),
        font,
    ]
    extra = b""
    if info is not None:
        objs.append(info)
        extra = b"/Info 6 0 R "
    return assemble_pdf(objs, trailer_extra=extra)


def text_ops(lines: Sequence[str], *, size: int = 11, x: int = 72, y: int = 720) -> bytes:
    """Content-stream operators drawing ``lines`` (Latin-1 text) in /F1."""
    ops = [b"BT /F1 %d Tf" % size]
    for i, line in enumerate(lines):
        esc = line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"1 0 0 1 %d %d Tm (%s) Tj" % (x, y - i * (size + 6), esc))
    ops.append(b"ET")
    return b"\n".join(ops)


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def invoice_pdf_bytes(pages: int = 1, **save: object) -> bytes:
    """A small born-digital invoice (pymupdf), the seed the damaged variants start from."""
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page(width=595, height=842)
        for i, line in enumerate(INVOICE_LINES):
            page.insert_text((60, 80 + 22 * i), line, fontsize=11)
    # Fixed dates and no new /ID: the same bytes on every run, so fuzz offsets and cuts reproduce.
    doc.set_metadata({"creationDate": "D:20240101000000Z", "modDate": "D:20240101000000Z", "producer": "hostile_gen"})
    data: bytes = doc.tobytes(no_new_id=True, **save)  # type: ignore[arg-type]
    doc.close()
    return data


def invoice_png_bytes(fmt: str = "PNG") -> bytes:
    """A small image with a little drawn text (Pillow's bitmap font): a valid scan-like seed."""
    from PIL import ImageDraw

    im = Image.new("L", (400, 200), 255)
    draw = ImageDraw.Draw(im)
    for i, line in enumerate(INVOICE_LINES[:3]):
        draw.text((10, 10 + 20 * i), line, fill=0)
    buf = io.BytesIO()
    im.save(buf, format=fmt, dpi=(150, 150))
    return buf.getvalue()


# -- wrong or broken containers ---------------------------------------------------------------------


def zero_bytes(folder: Path) -> Path:
    return _write(folder, "zero_bytes.pdf", b"")


def header_only(folder: Path) -> Path:
    return _write(folder, "header_only.pdf", b"%PDF-1.7\n")


def truncated(fraction: float) -> Gen:
    """The seed invoice cut to ``fraction`` of its bytes (uncompressed, so the cut lands in objects)."""

    def gen(folder: Path) -> Path:
        data = invoice_pdf_bytes()
        return _write(folder, f"truncated_{int(fraction * 100)}.pdf", data[: max(16, int(len(data) * fraction))])

    gen.__name__ = f"truncated_{int(fraction * 100)}"
    return gen


def truncated_two_pages(folder: Path) -> Path:
    """A two-page invoice cut inside page 2: MuPDF repairs it, PDFium refuses to open it (fuzz seed 1, #630)."""
    data = invoice_pdf_bytes(pages=2)
    return _write(folder, "truncated_two_pages.pdf", data[: int(len(data) * 0.533)])


def html_named(folder: Path) -> Path:
    return _write(folder, "html_named.pdf", b"<!DOCTYPE html><html><body><p>Invoice 4711</p></body></html>")


def zip_named(folder: Path) -> Path:
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("invoice.txt", "Invoice 4711")
    return _write(folder, "zip_named.pdf", buf.getvalue())


def random_bytes(folder: Path) -> Path:
    import random

    rng = random.Random(1234)
    data = bytes(rng.randrange(256) for _ in range(4096))
    return _write(folder, "random_bytes.pdf", b"\x00" + data)  # a leading NUL: no magic can match


def malformed_xref(folder: Path) -> Path:
    """Every xref offset points at the wrong place and startxref points past the end: readers must repair."""
    data = one_page_pdf(text_ops(INVOICE_LINES))
    data = re.sub(rb"\d{10} 00000 n", b"0000000003 00000 n", data)
    data = re.sub(rb"startxref\n\d+", b"startxref\n99999999", data)
    return _write(folder, "malformed_xref.pdf", data)


# -- page trees -------------------------------------------------------------------------------------


def pages_cycle(folder: Path) -> Path:
    """The page tree's Kids point back at the root: naive traversal never ends."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
        b"/Resources << /Font << /F1 6 0 R >> >> >>",
        stream(text_ops(INVOICE_LINES)),
        _HELV,
    ]
    return _write(folder, "pages_cycle.pdf", assemble_pdf(objs))


def deep_pages(folder: Path, depth: int = 5000) -> Path:
    """One page under ``depth`` nested /Pages nodes (qpdf's deep-pages case)."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for i in range(depth):
        num = i + 2
        parent = b"/Parent %d 0 R " % (num - 1) if i else b""
        objs.append(b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, num + 1))
    page_num = depth + 2
    objs.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (page_num - 1, page_num + 1, page_num + 2))
    objs.append(stream(text_ops(INVOICE_LINES)))
    objs.append(_HELV)
    return _write(folder, "deep_pages.pdf", assemble_pdf(objs))


def zero_pages(folder: Path) -> Path:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    return _write(folder, "zero_pages.pdf", assemble_pdf(objs))


def many_pages(folder: Path, n: int = 600) -> Path:
    """``n`` pages sharing one content stream: small on disk, over a low ``max_pages``."""
    kids = b" ".join(b"%d 0 R" % (i + 5) for i in range(n))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        stream(text_ops(INVOICE_LINES)),
        _HELV,
    ]
    for _ in range(n):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                    b"/Resources << /Font << /F1 4 0 R >> >> >>")
    return _write(folder, f"many_pages_{n}.pdf", assemble_pdf(objs))


# -- encryption -------------------------------------------------------------------------------------


def encrypted_userpw(folder: Path) -> Path:
    data = invoice_pdf_bytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=PASSWORD, owner_pw="owner-" + PASSWORD)
    return _write(folder, "encrypted_aes256_userpw.pdf", data)


def encrypted_owner_only(folder: Path) -> Path:
    data = invoice_pdf_bytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner-" + PASSWORD,
                             permissions=int(pymupdf.PDF_PERM_PRINT))
    return _write(folder, "encrypted_aes256_owneronly.pdf", data)


# -- bombs and absurd sizes -------------------------------------------------------------------------


def flate_bomb(folder: Path, mb: int = 200) -> Path:
    """A content stream that inflates to ``mb`` MB of spaces, after some real text (~200 KB on disk)."""
    content = text_ops(INVOICE_LINES) + b"\n" + b" " * (mb * 1024 * 1024)
    return _write(folder, "flate_bomb.pdf", one_page_pdf(content, compress=True))


def huge_mediabox(folder: Path) -> Path:
    """A 200000 pt square page with no text: rendering it for OCR must be refused or downscaled."""
    content = b"0 0 0 rg 100 100 50000 50000 re f 0 0 1 rg 60000 60000 9000 9000 re f 1 0 0 rg 1 1 5 5 re f"
    return _write(folder, "huge_mediabox.pdf", one_page_pdf(content, media=b"[0 0 200000 200000]"))


def huge_userunit(folder: Path) -> Path:
    """/UserUnit 75000 on a 14400 pt page: the displayed size is astronomical."""
    content = b"0 0 0 rg 10 10 100 100 re f 0 0 1 rg 500 500 900 900 re f 1 0 0 rg 2000 2000 50 50 re f"
    return _write(folder, "huge_userunit.pdf",
                  one_page_pdf(content, media=b"[0 0 14400 14400]", page_extra=b"/UserUnit 75000 "))


def png_claims_huge(folder: Path) -> Path:
    """A valid PNG header (IHDR with a right CRC) claiming 100000 x 100000 pixels, and a tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return _write(folder, "png_claims_100k_sq.png", data)


def jpeg_claims_huge(folder: Path) -> Path:
    """A real small JPEG whose SOF0 header is patched to claim 65500 x 65500."""
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 10, 10)).save(buf, format="JPEG")
    data = bytearray(buf.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 65500, 65500)
    return _write(folder, "jpeg_claims_65500sq.jpg", bytes(data))


def truncated_image(fmt: str, fraction: float = 0.5) -> Gen:
    ext = {"PNG": "png", "JPEG": "jpg", "TIFF": "tif"}[fmt]

    def gen(folder: Path) -> Path:
        im = Image.effect_noise((300, 300), 64).convert("RGB")  # noise: the data really is needed
        buf = io.BytesIO()
        im.save(buf, format=fmt)
        data = buf.getvalue()
        return _write(folder, f"truncated_{ext}.{ext}", data[: int(len(data) * fraction)])

    gen.__name__ = f"truncated_{ext}"
    return gen


def tiff_missing_dimensions(folder: Path) -> Path:
    """A little-endian TIFF whose one IFD has no ImageWidth / ImageLength tags."""
    entries = [
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 1),  # Photometric: min-is-black
        (273, 4, 1, 8),  # StripOffsets
        (277, 3, 1, 1),  # SamplesPerPixel
        (279, 4, 1, 4),  # StripByteCounts
    ]
    ifd_offset = 12
    head = b"II*\x00" + struct.pack("<I", ifd_offset) + b"\x00\x00\x00\x00"
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        packed = struct.pack("<HI", value, 0)[:4] if typ == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, typ, count) + packed
    ifd += struct.pack("<I", 0)
    return _write(folder, "tiff_missing_dimensions.tif", head + ifd)


# -- embedded e-invoice XML ---------------------------------------------------------------------------

_CII_ROOT = '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + f"]>\n{_CII_ROOT}<x>&lol9;</x></rsm:CrossIndustryInvoice>"
)


def xxe_xml(target: Path) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{target}">]>\n'
            f"{_CII_ROOT}<x>&xxe;</x></rsm:CrossIndustryInvoice>")


def _pdf_with_attachment(folder: Path, name: str, xml: str) -> Path:
    doc = pymupdf.open(stream=invoice_pdf_bytes(), filetype="pdf")
    doc.embfile_add("factur-x.xml", xml.encode(), filename="factur-x.xml")
    path = folder / name
    doc.save(path)
    doc.close()
    return path


def einvoice_billion_laughs(folder: Path) -> Path:
    return _pdf_with_attachment(folder, "xml_billion_laughs_einvoice.pdf", BILLION_LAUGHS)


def einvoice_xxe(folder: Path) -> Path:
    """An XXE pointing at a canary file beside the PDF (``secret.txt``, content ``TOP-SECRET-CANARY``)."""
    secret = folder / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY")
    return _pdf_with_attachment(folder, "xml_xxe_einvoice.pdf", xxe_xml(secret))


# -- hostile text and fonts -----------------------------------------------------------------------------

# A ToUnicode CMap mapping byte codes to NUL, a lone high and a lone low surrogate, RTL text and a BOM.
_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Hostile def 1 begincodespacerange <00> <FF> endcodespacerange
6 beginbfchar
<01> <0000>
<02> <D800>
<03> <DC00>
<04> <05D0>
<05> <202E>
<06> <FEFF>
endbfchar
1 beginbfrange <20> <7E> <0020> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def bad_unicode_text(folder: Path) -> Path:
    """Text whose ToUnicode yields NUL, lone surrogates, Hebrew and RTL overrides, plus a 10k-char word."""
    lines = [
        b"(Invoice \x01\x02\x03 Number INV-4711) Tj",
        b"(\x04\x04\x04 \x05 Total 119.00 EUR \x06\x02) Tj",
        b"(" + b"W" * 10_000 + b") Tj",
        b"(Date 2024-03-15 \x03\x03\x01) Tj",
    ]
    ops = [b"BT /F1 11 Tf"]
    for i, line in enumerate(lines):
        ops.append(b"1 0 0 1 72 %d Tm %s" % (720 - 20 * i, line))
    # Off the page: the text page clips it, so it reaches us only as hidden characters of the trace.
    ops.append(b"1 0 0 1 -900 500 Tm (IBAN \x02\x03 DE89 \x01 3704) Tj")
    # Half invisible (render mode 3): the word is split into a visible and a hidden part.
    ops.append(b"1 0 0 1 72 400 Tm (Total\x02) Tj 3 Tr (\x03\x02more) Tj 0 Tr")
    ops.append(b"ET")
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(b"\n".join(ops)),
        font,
        stream(_CMAP),
    ]
    return _write(folder, "bad_unicode_text.pdf", assemble_pdf(objs))


def tiny_words(folder: Path, n: int = 100_000) -> Path:
    """``n`` one-letter words at 1 pt on one page: layout and rules must stay bounded."""
    per_row = 500
    ops = [b"BT /F1 1 Tf"]
    for i in range(n):
        row, col = divmod(i, per_row)
        ops.append(b"1 0 0 1 %d %d Tm (%c) Tj" % (6 + col, 780 - (row % 770), 97 + i % 26))
    ops.append(b"ET")
    return _write(folder, f"tiny_words_{n}.pdf", one_page_pdf(b"\n".join(ops), compress=True))


def broken_font(folder: Path) -> Path:
    """A TrueType font whose FontFile2 stream is garbage, used for the invoice text."""
    font = (b"<< /Type /Font /Subtype /TrueType /BaseFont /Broken /FirstChar 32 /LastChar 126 "
            b"/Widths [" + b"500 " * 95 + b"] /FontDescriptor 6 0 R >>")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(text_ops(INVOICE_LINES)),
        font,
        b"<< /Type /FontDescriptor /FontName /Broken /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
        b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>",
        stream(b"\x00\x01\x00\x00" + bytes(range(256)) * 8),
    ]
    return _write(folder, "broken_font.pdf", assemble_pdf(objs))


def bad_utf16_metadata(folder: Path) -> Path:
    """Info strings with a UTF-16 BOM then a lone surrogate, an odd byte count and NULs."""
    info = (b"<< /Title <FEFFD800> /Author <FEFF0041DC0000> /Subject <FEFF00> "
            b"/Keywords (\x00\x00\xfe\xff) /Producer <FFFE4100> >>")
    return _write(folder, "bad_utf16_metadata.pdf", one_page_pdf(text_ops(INVOICE_LINES), info=info))


# The cases in the R2 table and the rest of tier A, by name.
ALL: dict[str, Gen] = {
    g.__name__: g
    for g in (
        zero_bytes, header_only, truncated(0.1), truncated(0.5), truncated(0.9), truncated_two_pages, html_named,
        zip_named, random_bytes, malformed_xref, pages_cycle, deep_pages, zero_pages, many_pages, encrypted_userpw,
        encrypted_owner_only, flate_bomb, huge_mediabox, huge_userunit, png_claims_huge, jpeg_claims_huge,
        truncated_image("PNG"), truncated_image("JPEG"), truncated_image("TIFF"), tiff_missing_dimensions,
        einvoice_billion_laughs, einvoice_xxe, bad_unicode_text, tiny_words, broken_font, bad_utf16_metadata,
    )
}


# -- stages with a bug, for the last-resort wrap ----------------------------------------------------------

RAISE_MARKERS = ("RAISE_ZERODIV", "RAISE_MEMORY", "RAISE_RECURSION")


def _recurse(n: int) -> int:
    return _recurse(n + 1) + 1


def raise_on_marker(text: str) -> None:
    """A bug of the kind a stage can have, chosen by a marker word in the document."""
    if "RAISE_ZERODIV" in text:
        print(1 / len(""))  # a real ZeroDivisionError, raised here
    if "RAISE_MEMORY" in text:
        raise MemoryError
    if "RAISE_RECURSION" in text:
        _recurse(0)


class RaisingTier(Backend):
    """A tier with a bug: registered as ``tests.support.hostile_gen:RaisingTier``."""

    name = "hostile_raise"

    def extract(self, document: Any, spec: Any, wanted: Any, options: Any) -> TierOutput:
        raise_on_marker(" ".join(w.text for _, w in document.all_words()))
        return TierOutput()


class RaisingLayout(Backend):
    """A layout model with a bug: registered as ``tests.support.hostile_gen:RaisingLayout``."""

    def analyze(self, page: Any, document: Any) -> None:
        raise_on_marker(" ".join(w.text for w in page.words))
