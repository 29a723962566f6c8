"""The same input and options give the same result, whatever Python's per-process string hashing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = """
import json, sys
import docextract
out = []
for path in sys.argv[1:]:
    record = docextract.extract(path, schema="Invoice").to_json_dict()
    record.pop("timings")
    out.append(record)
print(json.dumps(out, sort_keys=True, default=str))
"""


def _run(seed: str, files: list[str]) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", _SCRIPT, *files], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_results_do_not_depend_on_hash_randomisation() -> None:
    files = [str(p) for p in sorted((ROOT / "examples" / "invoices").glob("*.pdf"))[:4]]
    assert len(files) == 4
    first, second = _run("1", files), _run("2", files)
    assert [r["status"] for r in first] == [r["status"] for r in second]
    assert first == second
