"""An out-of-tree tier, found through the entry-point group ``docextract.backends`` as an installed package
would be (a ``*.dist-info/entry_points.txt`` and a module on the path, no pip install), run from the CLI
and from the library with its own options class, one option set each way, and its cost in the result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import docextract
from docextract import registry
from docextract.backend import Backend
from docextract.errors import BackendError, ConfigError
from tests.test_pipeline import _invoice_pdf

PLUGIN = '''
"""A tier that proposes one invoice number, as a model tier would, and reports what the call cost."""

from typing import Literal

from docextract import BackendOptions, Candidate, Cost, TierOutput
from docextract.backend import Backend


class EchoOptions(BackendOptions):
    kind: Literal["echo"] = "echo"
    answer: str = "INV-20931"
    usd_per_call: float = 0.25


class EchoTier(Backend):
    name = "echo"
    Options = EchoOptions

    def extract(self, document, spec, wanted, options):
        cands = []
        if "invoice_number" in wanted:
            # No evidence: the pipeline must find the value on the page itself, or flag it.
            cands.append(Candidate(path="invoice_number", value=self.options.answer, score=0.95, source="echo"))
        cost = Cost(tokens_in=120, tokens_out=8, pages=len(document.pages), usd=self.options.usd_per_call)
        return TierOutput(cands, [], cost)
'''


def _install(where: Path, entry: str = "tier.echo = echo_plugin:EchoTier") -> Path:
    where.mkdir()
    (where / "echo_plugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = where / "echo_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: echo-plugin\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[docextract.backends]\n{entry}\n", encoding="utf-8")
    return where


@pytest.fixture
def plugin_path(tmp_path: Path) -> Iterator[Path]:
    where = _install(tmp_path / "site")
    sys.path.insert(0, str(where))
    registry.refresh()
    yield where
    sys.path.remove(str(where))
    sys.modules.pop("echo_plugin", None)
    registry.refresh()


def test_plugin_tier_from_the_library(tmp_path: Path, plugin_path: Path) -> None:
    assert "echo" in registry.names("tier")
    pdf = _invoice_pdf(tmp_path / "inv.pdf")
    result = docextract.extract(pdf, schema="Invoice", tiers=("echo",))
    field = result.fields["invoice_number"]
    assert field.value == "INV-20931" and field.source == "echo"
    # The tier gave no evidence; the pipeline found the value on the page.
    assert field.evidence and field.evidence[0].page == 0 and "INV-20931" in field.evidence[0].text
    assert not any(i.code == "not_in_document" for i in result.issues)
    cost = result.cost["echo"]
    assert (cost.tokens_in, cost.tokens_out, cost.pages, cost.usd) == (120, 8, 1, 0.25)
    # CPU tiers report no cost (their time is in timings): the mapping holds only what was spent.
    assert docextract.extract(pdf, schema="Invoice", tiers=("rules",)).cost == {}

    # One option set through ExtractOptions.backends: a value the page does not print is flagged.
    with docextract.Extractor(docextract.ExtractOptions(
            tiers=("echo",), backends={"echo": {"answer": "INV-99999", "usd_per_call": 0.5}})) as ex:
        first = ex.extract(pdf, schema="Invoice")
        again = ex.extract(pdf, schema="Invoice")
    assert first.fields["invoice_number"].value == "INV-99999"
    assert not first.fields["invoice_number"].evidence
    assert any(i.code == "not_in_document" and i.fields == ("invoice_number",) for i in first.issues)
    assert first.fields["invoice_number"].confidence <= 0.5 and first.status == "review"
    # The cost is per extract() call: the tier was built once and reused, each call paid once.
    assert first.cost["echo"].usd == again.cost["echo"].usd == 0.5


def test_plugin_options_are_checked_when_the_extractor_is_built(plugin_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"'echo'.*unknown option 'anwser'.*known: answer, usd_per_call"):
        docextract.Extractor(docextract.ExtractOptions(tiers=("echo",), backends={"echo": {"anwser": "x"}}))
    with pytest.raises(ConfigError, match="usd_per_call"):
        docextract.Extractor(docextract.ExtractOptions(tiers=("echo",), backends={"echo": {"usd_per_call": "lots"}}))
    with pytest.raises(ConfigError, match=r"unknown backend 'ehco'; known: .*echo"):
        docextract.Extractor(docextract.ExtractOptions(backends={"ehco": {}}))


def _cli(args: list[str], plugin: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin), str(root)])}
    return subprocess.run([sys.executable, "-m", "docextract", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120, check=False)


def test_plugin_tier_from_the_cli(tmp_path: Path) -> None:
    plugin = _install(tmp_path / "site")
    pdf = _invoice_pdf(tmp_path / "inv.pdf")
    out = _cli([str(pdf), "--tiers", "echo", "--set", "echo.usd_per_call=0.75", "--workers", "1", "-q"], plugin,
               tmp_path)
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["fields"]["invoice_number"]["value"] == "INV-20931"
    assert record["cost"]["echo"]["usd"] == 0.75 and record["cost"]["echo"]["tokens_in"] == 120

    bad = _cli([str(pdf), "--tiers", "echo", "--set", "echo.usd_per_cal=1"], plugin, tmp_path)
    assert bad.returncode == 2
    assert "unknown option 'usd_per_cal'" in bad.stderr and "known: answer, usd_per_call" in bad.stderr
    assert bad.stdout == ""


def test_plugin_may_not_take_a_built_in_name(tmp_path: Path) -> None:
    where = _install(tmp_path / "site", entry="tier.rules = echo_plugin:EchoTier")
    sys.path.insert(0, str(where))
    registry.refresh()
    try:
        with pytest.raises(ConfigError, match=r"'tier.rules'.*reuses the built-in tier name 'rules'"):
            registry.tier("rules")
    finally:
        sys.path.remove(str(where))
        registry.refresh()


class _OldTier:
    """A tier written before contract v2: built with no arguments, returning a tuple."""

    name = "old"

    def available(self, options: object) -> str | None:
        return None


class _TupleTier(Backend):
    name = "tuple"

    def extract(self, *args: object) -> tuple[list[object], list[object]]:
        return [], []


def test_a_tier_off_the_contract_says_so(tmp_path: Path) -> None:
    registry.register("tier", "old", f"{__name__}:_OldTier")
    registry.register("tier", "tuple", f"{__name__}:_TupleTier")
    try:
        with pytest.raises(ConfigError, match=r"tier backend 'old' .*_OldTier\) cannot be built as Backend"):
            docextract.Extractor(docextract.ExtractOptions(tiers=("old",)))
        with pytest.raises(BackendError, match="tier tuple returned tuple, not TierOutput"):
            docextract.extract(_invoice_pdf(tmp_path / "a.pdf"), schema="Invoice", tiers=("tuple",))
    finally:
        registry.BUILTIN["tier"].pop("old", None)
        registry.BUILTIN["tier"].pop("tuple", None)
