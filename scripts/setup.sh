#!/usr/bin/env bash
# Set up docextract on a fresh Debian/Ubuntu machine: Tesseract with its language packs, then a
# virtual environment in .venv with the package (editable) and the extras asked for in $EXTRAS.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="${EXTRAS:-ocr}"
LANGS="eng deu fra spa ita nld por osd"

if ! command -v tesseract >/dev/null 2>&1 || [ "$(tesseract --list-langs 2>/dev/null | grep -cE '^(eng|deu|fra|spa|ita|nld|por|osd)$')" -lt 8 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    pkgs="tesseract-ocr"; for l in $LANGS; do pkgs="$pkgs tesseract-ocr-$l"; done
    $SUDO apt-get install -y -q $pkgs >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q $pkgs >/dev/null; }
  else
    echo "warning: apt-get not found; install Tesseract and its language packs ($LANGS) yourself" >&2
  fi
fi

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e ".[$EXTRAS]"
