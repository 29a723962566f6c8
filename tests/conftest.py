"""Shared test setup: the repository root on sys.path (tests import ``examples.invoicegen`` and
``tests.support``), and what the markers ``tesseract``, ``models``, ``gpu`` and ``network`` require.

A marked test runs where its requirement is met and fails loudly where it is not: CI installs Tesseract, so a
missing engine must not quietly skip a feature. On a machine without it, deselect such tests by name:
``pytest -m "not tesseract"``. Markers are registered in pyproject.toml and ``--strict-markers`` refuses others.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _tesseract() -> str | None:
    from docextract.ocr.tesseract import TesseractEngine, TesseractOptions

    # Both ways in: the tests read through tesserocr and through the command line.
    for backend in ("tesserocr", "cli"):
        reason = TesseractEngine(TesseractOptions(backend=backend)).available()
        if reason is not None:
            return reason
    return None


def _models() -> str | None:
    missing = [m for m in ("torch", "transformers", "tokenizers", "safetensors") if importlib.util.find_spec(m) is None]
    return f"{', '.join(missing)} not installed: pip install \"docextract[models]\"" if missing else None


def _gpu() -> str | None:
    if importlib.util.find_spec("torch") is None:
        return "torch is not installed: pip install \"docextract[models]\""
    import torch

    return None if torch.cuda.is_available() else "no CUDA device is visible to torch"


def _network() -> str | None:
    # Whether the network is reachable cannot be asked without reaching it: the person running says so.
    if os.environ.get("DOCEXTRACT_NETWORK") == "1":
        return None
    return "these machines reach no network; where one is reachable, set DOCEXTRACT_NETWORK=1"


REQUIREMENTS: dict[str, Callable[[], str | None]] = {
    "tesseract": _tesseract,
    "models": _models,
    "gpu": _gpu,
    "network": _network,
}


@functools.cache
def missing(marker: str) -> str | None:
    """Why the requirement of ``marker`` is not met here, or None when it is."""
    return REQUIREMENTS[marker]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in REQUIREMENTS:
        if item.get_closest_marker(marker) is None:
            continue
        reason = missing(marker)
        if reason is not None:
            pytest.fail(f"{item.nodeid} needs {marker}, which is missing here: {reason}\n"
                        f"  (to leave these tests out on purpose: pytest -m \"not {marker}\")", pytrace=False)
