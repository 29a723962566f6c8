#!/usr/bin/env bash
# Set up everything the tests need, then run lint, the type checker and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="ocr,dev" bash scripts/setup.sh
.venv/bin/ruff check docextract schemas validators tests benchmarks examples
.venv/bin/mypy
# Tests marked tesseract or models fail here if their engine is missing, rather than being skipped. No test
# machine has a GPU or reaches the network, so those two markers are left out (a later -m in "$@" wins).
.venv/bin/python -m pytest -q -m "not gpu and not network" "$@"
