"""A bare e-invoice XML file: a Document with no pages and the file as its one attachment, for the
e-invoice tier to read (the XML is parsed there, with the safe parser)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from docextract.backend import Backend
from docextract.document import Attachment, Document
from docextract.options import ExtractOptions


class XmlLoader(Backend):
    """The ``Loader`` for standalone XML e-invoices."""

    name = "xml"

    def load(self, path: Path, data: bytes, options: ExtractOptions) -> Document:
        del options
        return Document(path=path, sha256=hashlib.sha256(data).hexdigest(), kind="xml",
                        attachments=[Attachment(name=path.name, data=data, mime="application/xml")])
