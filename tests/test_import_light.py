"""``import docextract`` and ``docextract --help`` stay light: no PDF engines, OCR, models or date parsing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pymupdf", "fitz", "pypdfium2", "dateparser", "torch", "transformers", "surya", "anthropic", "ray",
         "tesserocr", "rapidocr_onnxruntime", "onnxruntime", "cv2", "lxml", "PIL")


def loaded_after(code: str) -> set[str]:
    probe = (
        "import json, sys\n"
        f"{code}\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_import_docextract_is_light() -> None:
    assert heavy_in(loaded_after("import docextract")) == []


def test_cli_help_is_light() -> None:
    code = (
        "import contextlib, io\n"
        "from docextract.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "assert '--schema' in buf.getvalue()\n"
    )
    assert heavy_in(loaded_after(code)) == []


@pytest.mark.parametrize("args", [["schemas"], ["--version"]])
def test_light_subcommands(args: list[str]) -> None:
    code = (
        "import contextlib, io\n"
        "from docextract.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main({args!r})\n"
    )
    assert heavy_in(loaded_after(code)) == []
