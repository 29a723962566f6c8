"""``python -m docextract``: the same as the ``docextract`` command."""

from __future__ import annotations

from docextract.cli import main

if __name__ == "__main__":
    main()
