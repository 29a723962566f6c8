#!/usr/bin/env bash
# Set up everything the tests need, then run lint, the type checker and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="ocr,dev" bash scripts/setup.sh
.venv/bin/ruff check docextract schemas validators tests benchmarks examples
.venv/bin/mypy
DOCEXTRACT_NO_SKIPS=1 .venv/bin/python -m pytest -q "$@"
