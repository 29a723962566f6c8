"""The guard rails on the test suite itself: what a marker requires fails loudly where it is missing, is
deselected by ``-m "not <marker>"``, unknown markers are refused, and no test skips itself."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = '''
import pytest

@pytest.mark.tesseract
def test_reads_a_scan():
    pass

def test_needs_nothing():
    pass
'''


def run_pytest(tmp_path: Path, body: str, *args: str, without_tesseract: bool) -> subprocess.CompletedProcess[str]:
    """pytest in a fresh interpreter, with this repository's configuration and conftest, on one test file;
    ``without_tesseract`` hides the tesseract command (an empty PATH) and tesserocr (an import that fails)."""
    test = tmp_path / "test_sample.py"
    test.write_text(body, encoding="utf-8")
    env = {"PYTHONDONTWRITEBYTECODE": "1"}
    if without_tesseract:
        site = tmp_path / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text("import sys\nsys.modules['tesserocr'] = None\n", encoding="utf-8")
        (tmp_path / "bin").mkdir()
        env |= {"PATH": str(tmp_path / "bin"), "PYTHONPATH": str(site)}
    else:
        env |= {k: v for k, v in os.environ.items() if k in ("PATH", "TESSDATA_PREFIX", "HOME")}
    cmd = [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
           "-p", "tests.conftest", "-p", "no:cacheprovider", "-q", str(test), *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_a_missing_requirement_fails_loudly_instead_of_skipping(tmp_path: Path) -> None:
    out = run_pytest(tmp_path, SAMPLE, without_tesseract=True)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "1 passed, 1 error" in out.stdout and "skipped" not in out.stdout
    assert "test_reads_a_scan needs tesseract, which is missing here" in out.stdout
    assert 'pytest -m "not tesseract"' in out.stdout


def test_not_marker_deselects_where_the_requirement_is_missing(tmp_path: Path) -> None:
    out = run_pytest(tmp_path, SAMPLE, "-m", "not tesseract", without_tesseract=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 passed, 1 deselected" in out.stdout


@pytest.mark.tesseract
def test_a_met_requirement_runs_the_test(tmp_path: Path) -> None:
    out = run_pytest(tmp_path, SAMPLE, without_tesseract=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 passed" in out.stdout


def test_unregistered_markers_are_refused(tmp_path: Path) -> None:
    out = run_pytest(tmp_path, "import pytest\n\n@pytest.mark.tesseract_typo\ndef test_x():\n    pass\n",
                     without_tesseract=False)
    assert out.returncode != 0
    assert "'tesseract_typo' not found in `markers` configuration option" in out.stdout + out.stderr


def _skips(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(ROOT)}:{node.lineno} uses pytest.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in ("skip", "skipif", "importorskip")]


def test_no_test_skips_itself() -> None:
    """A skip hides a feature that no longer runs: what a test needs is said with a marker instead."""
    found = [hit for path in sorted((ROOT / "tests").rglob("*.py")) for hit in _skips(path)]
    assert not found, "skips in the tests (mark the test with what it needs instead):\n" + "\n".join(found)
