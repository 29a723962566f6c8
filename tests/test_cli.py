"""The docextract command: options → library → JSON lines / JSON / CSV, exit statuses, inputs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the workers import tests.support.crashtier through the parent's sys.path
    sys.path.insert(0, str(ROOT))

from docextract import cli, registry  # noqa: E402

RECORD_KEYS = {"file", "sha256", "schema", "status", "threshold", "data", "fields", "issues", "error"}
runner = CliRunner()


@pytest.fixture(autouse=True)
def crash_tier():
    registry.register("tier", "crashtest", "tests.support.crashtier:CrashTier")
    yield
    registry.BUILTIN["tier"].pop("crashtest", None)


def make_pdf(path: Path, text: str = "Invoice") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 90), text, fontsize=12)
    doc.save(path)
    doc.close()
    return path


def invoke(*args: str):
    return runner.invoke(cli.app, ["--tiers", "crashtest", *args])


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_jsonl_to_stdout_one_sorted_record_per_file(tmp_path: Path) -> None:
    a, b = make_pdf(tmp_path / "a.pdf"), make_pdf(tmp_path / "b.pdf")
    result = invoke(str(a), str(b), "--in-process", "--threshold", "0.9")
    assert result.exit_code == 0, result.stderr
    recs = lines(result.stdout)
    assert [r["file"] for r in recs] == [str(a), str(b)]
    for raw, rec in zip(result.stdout.splitlines(), recs, strict=True):
        assert rec.keys() >= RECORD_KEYS
        assert list(rec) == sorted(rec)  # deterministic key order
        assert rec["threshold"] == 0.9 and rec["schema"] == "Invoice" and len(rec["sha256"]) == 64
        assert raw == json.dumps(rec, sort_keys=True, ensure_ascii=False)
    assert "2 of 2 file(s)" in result.stderr  # the summary goes to stderr, never into the data


def test_bad_file_among_good_fails_alone_exit_1(tmp_path: Path) -> None:
    good = [make_pdf(tmp_path / f"g{i}.pdf") for i in range(2)]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"<html><body>not a pdf</body></html>")
    crash = make_pdf(tmp_path / "crash.pdf", "Invoice CRASH_SEGV")
    result = invoke(str(good[0]), str(bad), str(crash), str(good[1]), "--workers", "2")
    assert result.exit_code == 1
    recs = lines(result.stdout)
    assert recs[0]["status"] in ("ok", "review")
    assert recs[1]["status"] == "failed" and recs[1]["error"]["type"] == "UnsupportedFormatError"
    assert recs[2]["status"] == "failed" and recs[2]["error"]["type"] == "EngineCrashError"
    assert recs[3]["status"] in ("ok", "review")
    assert "bad.pdf" in result.stderr and "EngineCrashError" in result.stderr


def test_unknown_schema_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(str(make_pdf(tmp_path / "a.pdf")), "--schema", "Invioce")
    assert result.exit_code == 2
    assert "unknown schema 'Invioce'" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tiers", "rules,nosuchtier"], "unknown tier backend 'nosuchtier'"),
        (["--ocr", "nosuchocr"], "unknown ocr backend 'nosuchocr'"),
        (["--threshold", "1.5"], "--threshold"),
        (["--format", "xml"], "--format"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(cli.app, [str(make_pdf(tmp_path / "a.pdf")), *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_directory_recursion_and_empty_directory(tmp_path: Path) -> None:
    make_pdf(tmp_path / "in" / "x.pdf")
    make_pdf(tmp_path / "in" / "sub" / "y.PDF")
    (tmp_path / "in" / "notes.txt").write_text("not a document")
    (tmp_path / "empty").mkdir()
    result = invoke(str(tmp_path / "in"), str(tmp_path / "empty"), "--in-process")
    assert result.exit_code == 1
    recs = lines(result.stdout)
    assert [Path(r["file"]).name for r in recs] == ["y.PDF", "x.pdf", "empty"]
    assert recs[2]["status"] == "failed" and "no documents found in" in recs[2]["error"]["message"]
    assert recs[2]["error"]["type"] == "InputError"


def test_glob_patterns_are_expanded(tmp_path: Path) -> None:
    for name in ("a.pdf", "b.pdf", "c.png.txt"):
        make_pdf(tmp_path / name)
    result = invoke(str(tmp_path / "*.pdf"), str(tmp_path / "nomatch*.pdf"), "--in-process")
    recs = lines(result.stdout)
    assert [Path(r["file"]).name for r in recs] == ["a.pdf", "b.pdf", "nomatch*.pdf"]
    assert recs[2]["error"]["type"] == "MissingFileError"
    assert result.exit_code == 1


def test_json_and_csv_outputs(tmp_path: Path) -> None:
    a = make_pdf(tmp_path / "a.pdf")
    missing = tmp_path / "gone.pdf"
    out_json, out_csv = tmp_path / "r.json", tmp_path / "r.csv"
    assert invoke(str(a), str(missing), "--in-process", "-o", str(out_json)).exit_code == 1
    records = json.loads(out_json.read_text())
    assert records[1]["status"] == "failed" and records[0]["file"] == str(a)
    result = invoke(str(a), str(missing), "--in-process", "-o", str(out_csv))
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    assert result.exit_code == 1
    assert [r["file"] for r in rows] == [str(a), str(missing)]
    assert rows[1]["error_type"] == "MissingFileError" and rows[0]["status"] in ("ok", "review")
    assert not list(tmp_path.glob(".r.*.tmp"))  # the temporary file was moved into place


def test_jsonl_out_file_is_written(tmp_path: Path) -> None:
    a = make_pdf(tmp_path / "a.pdf")
    out = tmp_path / "r.jsonl"
    result = invoke(str(a), "--in-process", "--out", str(out), "--quiet")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    assert lines(out.read_text())[0]["file"] == str(a)


def test_schemas_subcommand_lists_fields(tmp_path: Path) -> None:
    result = runner.invoke(cli.schemas_app, [])
    assert result.exit_code == 0
    assert "Invoice:" in result.stdout and "Receipt:" in result.stdout
    assert any(line.split()[:3] == ["invoice_number", "string", "required"] for line in result.stdout.splitlines())
    listing = json.loads(runner.invoke(cli.schemas_app, ["--json"]).stdout)
    paths = {f["path"]: f for f in listing["Invoice"]["fields"]}
    assert paths["issue_date"]["kind"] == "date" and paths["issue_date"]["required"] is True
    assert paths["line_items[].quantity"]["kind"] == "number"


def _run_main(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from docextract import registry; registry.register('tier', 'crashtest', 'tests.support.crashtier:CrashTier');"
        "from docextract.cli import main; main(sys.argv[2:])"
    )
    return subprocess.run([sys.executable, "-c", code, str(ROOT), *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, check=False)


def test_real_process_exit_codes_and_pipe(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "good.pdf")
    ok = _run_main(str(good), "--tiers", "crashtest", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert [r["file"] for r in lines(ok.stdout)] == [str(good)]
    crash = make_pdf(tmp_path / "crash.pdf", "Invoice CRASH_ABRT")
    some_failed = _run_main(str(good), str(crash), "--tiers", "crashtest", cwd=tmp_path)
    assert some_failed.returncode == 1
    assert lines(some_failed.stdout)[1]["status"] == "failed"
    usage = _run_main(str(good), "--schema", "Nope", cwd=tmp_path)
    assert usage.returncode == 2 and usage.stdout == ""


def test_python_dash_m_routes_schemas_and_help() -> None:
    schemas = subprocess.run([sys.executable, "-m", "docextract", "schemas"], capture_output=True, text=True,
                             timeout=60, check=False)
    assert schemas.returncode == 0 and "line_items[].unit_price" in schemas.stdout
    helped = subprocess.run([sys.executable, "-m", "docextract", "--help"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert helped.returncode == 0
    for option in ("--schema", "--out", "--format", "--threshold", "--password", "--workers", "--ocr", "--lang",
                   "--force-ocr", "--no-cache", "--tiers", "--timeout", "--max-memory", "docextract schemas"):
        assert option in helped.stdout
    missing = subprocess.run([sys.executable, "-m", "docextract"], capture_output=True, text=True, timeout=60,
                             check=False)
    assert missing.returncode == 2


def test_resume_keeps_finished_records_and_redoes_the_rest(tmp_path: Path) -> None:
    files = [make_pdf(tmp_path / f"{name}.pdf", f"Invoice {name}") for name in ("a", "b", "c", "d")]
    out = tmp_path / "results.jsonl"
    first = invoke(*map(str, files[:3]), "--in-process", "--out", str(out))
    assert first.exit_code == 0, first.stderr
    a_line, b_line, c_line = out.read_text(encoding="utf-8").splitlines()
    # The earlier run was killed while writing c's record, and b changed since.
    out.write_text(a_line + "\n" + b_line + "\n" + c_line[: len(c_line) // 2], encoding="utf-8")
    make_pdf(files[1], "Invoice b, second edition")
    again = invoke(*map(str, files), "--in-process", "--out", str(out), "--resume")
    assert again.exit_code == 0, again.stderr
    got = out.read_text(encoding="utf-8").splitlines()
    assert got[0] == a_line  # kept as it was, not extracted again
    recs = [json.loads(line) for line in got]
    assert sorted(r["file"] for r in recs) == sorted(map(str, files))
    b_now = next(r for r in recs if r["file"] == str(files[1]))
    assert b_now["sha256"] != json.loads(b_line)["sha256"]
    assert "4 of 4" in again.stderr


@pytest.mark.tesseract  # one of the changed options is --force-ocr
def test_resume_redoes_records_made_with_other_options(tmp_path: Path) -> None:
    files = [make_pdf(tmp_path / f"{name}.pdf", f"Invoice {name}") for name in ("a", "b")]
    out = tmp_path / "results.jsonl"
    assert invoke(*map(str, files), "--in-process", "--out", str(out)).exit_code == 0
    before = out.read_text(encoding="utf-8").splitlines()
    # Options that do not shape a record (password, cache, deadline) keep it; the timings prove no re-run.
    same = invoke(*map(str, files), "--in-process", "--out", str(out), "--resume", "--password", "pw",
                  "--no-cache", "--timeout", "30", "--threshold", "0.8")
    assert same.exit_code == 0 and out.read_text(encoding="utf-8").splitlines() == before
    for changed in (["--tiers", "einvoice,crashtest"], ["--lang", "deu"], ["--force-ocr"], ["--keep-unsure"],
                    ["--threshold", "0.9"]):
        again = invoke(*map(str, files), "--in-process", "--out", str(out), "--resume", *changed)
        assert again.exit_code == 0, again.stderr
        now = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        old = [json.loads(line) for line in before]
        # Every record was made again: each carries the new options' hash, none the old one. (Timings are no
        # proof: rounded to 0.1 ms, two runs of these tiny files can time the same.)
        assert len({r["options_hash"] for r in now}) == 1, changed
        assert {r["options_hash"] for r in now}.isdisjoint({r["options_hash"] for r in old}), changed
        invoke(*map(str, files), "--in-process", "--out", str(out))  # back to the first options
        before = out.read_text(encoding="utf-8").splitlines()


def test_resume_needs_a_jsonl_out_file(tmp_path: Path) -> None:
    a = make_pdf(tmp_path / "a.pdf")
    assert invoke(str(a), "--resume").exit_code == 2
    assert invoke(str(a), "--resume", "--out", str(tmp_path / "r.csv")).exit_code == 2
