"""The on-disk OCR cache: keys, round trips, corrupt entries, private files, concurrent writers."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from docextract.document import Box, Word
from docextract.ocr.cache import OcrCache, cache_key, image_digest

SETTINGS = {"engine": "tesseract", "version": "5.5.4/tesserocr", "langs": ["eng"], "psm": 3, "clean": True}
WORDS = [
    Word("Total", Box(0.1, 0.2, 0.3, 0.25), 0.91, (1, 1, 1)),
    Word("77.23", Box(0.4, 0.2, 0.5, 0.25), 0.4, (1, 1, 2)),
]


def test_key_changes_with_the_image_and_every_setting():
    a, b = Image.new("L", (10, 10), 255), Image.new("L", (10, 10), 255)
    assert image_digest(a) == image_digest(b)
    b.putpixel((3, 3), 0)
    assert image_digest(a) != image_digest(b)
    assert image_digest(Image.new("L", (10, 10), 255)) != image_digest(Image.new("L", (20, 5), 255))
    base = cache_key(image_digest(a), SETTINGS)
    assert base == cache_key(image_digest(a), dict(SETTINGS))
    for name, other in [("version", "5.3.0/cli"), ("langs", ["eng", "deu"]), ("psm", 6), ("clean", False),
                        ("engine", "rapidocr")]:
        assert cache_key(image_digest(a), {**SETTINGS, name: other}) != base, name


def test_round_trip_and_miss(tmp_path: Path):
    cache = OcrCache(tmp_path)
    assert cache.get("ab" * 32) is None
    cache.put("ab" * 32, WORDS, rotation=90.0)
    entry = cache.get("ab" * 32)
    assert entry is not None and entry["words"] == WORDS and entry["rotation"] == 90.0
    assert cache.get("cd" * 32) is None


def test_entries_are_private_to_the_user(tmp_path: Path):
    cache = OcrCache(tmp_path / "c")
    cache.put("ab" * 32, WORDS)
    [path] = (tmp_path / "c").rglob("*.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list((tmp_path / "c").rglob(".tmp-*"))


@pytest.mark.parametrize("content", [b"", b"{\"format\": 1, \"key\"", b"\xff\xfe\x00garbage", b"[1, 2, 3]",
                                     b'{"format": 1, "key": "KEY", "words": [["x", [0, 0, 1], 0.5, [1, 1, 1]]]}',
                                     b'{"format": 1, "key": "KEY", "words": 7}'])
def test_corrupt_entry_is_a_miss_and_is_rewritten(tmp_path: Path, content: bytes):
    key = "ef" * 32
    cache = OcrCache(tmp_path)
    cache.put(key, WORDS)
    [path] = tmp_path.rglob("*.json")
    path.write_bytes(content.replace(b"KEY", key.encode()))
    assert cache.get(key) is None
    cache.put(key, WORDS)
    entry = cache.get(key)
    assert entry is not None and entry["words"] == WORDS


def test_entry_for_another_key_is_ignored(tmp_path: Path):
    cache = OcrCache(tmp_path)
    cache.put("aa" * 32, WORDS)
    [path] = tmp_path.rglob("*.json")
    other = path.with_name("aa" * 31 + "bb.json")
    other.write_bytes(path.read_bytes())
    assert cache.get("aa" * 31 + "bb") is None


def test_unwritable_cache_directory_is_not_an_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = OcrCache(blocker / "sub")
    cache.put("ab" * 32, WORDS)
    assert cache.get("ab" * 32) is None


_WRITER = textwrap.dedent("""
    import sys
    from docextract.document import Box, Word
    from docextract.ocr.cache import OcrCache
    cache = OcrCache(sys.argv[1])
    tag = sys.argv[2]
    words = [Word(tag * 50, Box(0.1, 0.1, 0.2, 0.2), 0.5, (1, 1, i)) for i in range(400)]
    bad = 0
    for _ in range(60):
        cache.put("ab" * 32, words)
        got = cache.get("ab" * 32)
        if got is None or len(got["words"]) != 400 or len({w.text for w in got["words"]}) != 1:
            bad += 1
    print(bad)
""")


def test_two_processes_writing_the_same_entry_never_leave_a_broken_one(tmp_path: Path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), tag], stdout=subprocess.PIPE, env=env)
             for tag in ("a", "b")]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert [int(o) for o in outs] == [0, 0]  # every read saw one writer's complete entry
    [path] = tmp_path.rglob("*.json")
    data = json.loads(path.read_text())
    assert len(data["words"]) == 400
    assert not list(tmp_path.rglob(".tmp-*"))
