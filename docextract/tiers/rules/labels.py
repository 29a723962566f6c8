"""Text normalisation and label matching for the rules tier.

A printed label and a schema hint meet as token lists: case-folded, accents stripped, punctuation
split off, and every spelling of "number" (``No.``, ``Nr.``, ``N°``, ``#``, ``Nummer`` …) read as ``no``.
Compounds such as ``Rechnungsnummer`` split into ``rechnungs no`` so they meet ``Rechnungs-Nr``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from docextract.document import Box, Line, Word

_NUMBER_WORDS = frozenset({"no", "nr", "n", "nº", "n°", "no.", "number", "nummer", "numero", "num", "nro",
                           "núm", "num.", "numer", "#", "nbr"})
_NUMBER_SUFFIXES = ("nummer", "number", "numero", "nr")
_TOKEN = re.compile(r"[#%]|[^\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def norm_word(text: str) -> tuple[str, ...]:
    """One printed word → its normalised tokens (possibly several, possibly none)."""
    t = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    t = t.replace("°", " no ").replace("º", " no ")
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    out: list[str] = []
    for tok in _TOKEN.findall(t):
        if tok in _NUMBER_WORDS:
            out.append("no")
            continue
        for suf in _NUMBER_SUFFIXES:
            if len(tok) > len(suf) + 3 and tok.endswith(suf):
                out.extend((tok[: -len(suf)], "no"))
                break
        else:
            out.append(tok)
    # "n no" (from "N°") is one "no"
    merged: list[str] = []
    for tok in out:
        if tok == "no" and merged and merged[-1] in ("n", "no"):
            merged[-1] = "no"
        else:
            merged.append(tok)
    return tuple(merged)


@lru_cache(maxsize=8192)
def norm_label(text: str) -> tuple[str, ...]:
    """A label hint → normalised tokens."""
    return tuple(tok for word in text.split() for tok in norm_word(word))


@dataclass(slots=True)
class Seg:
    """A layout Line on a page, with normalised tokens mapped back to its words."""

    page: int
    line: Line
    tokens: list[str]
    owner: list[int]  # word index of each token
    text: str
    starts: list[int]  # character offset of each word in ``text``

    @property
    def box(self) -> Box:
        return self.line.box

    @property
    def words(self) -> list[Word]:
        return self.line.words


def make_seg(page: int, line: Line) -> Seg:
    tokens: list[str] = []
    owner: list[int] = []
    starts: list[int] = []
    pos = 0
    for i, w in enumerate(line.words):
        starts.append(pos)
        pos += len(w.text) + 1
        for tok in norm_word(w.text):
            tokens.append(tok)
            owner.append(i)
    return Seg(page, line, tokens, owner, line.text, starts)


@dataclass(slots=True)
class LabelHit:
    """A label found in a segment: tokens ``[start, end)``, match quality 0..1."""

    seg: Seg
    start: int
    end: int
    quality: float
    label: tuple[str, ...]

    @property
    def end_word(self) -> int:
        """Index of the last word of the label."""
        return self.seg.owner[self.end - 1]

    @property
    def box(self) -> Box:
        ws = self.seg.words[self.seg.owner[self.start] : self.end_word + 1]
        return Box.enclosing(w.box for w in ws)


def _close(a: str, b: str) -> bool:
    """One edit apart, for words long enough that this is an OCR slip or an inflection, not another word."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=False)) <= 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def close_tokens(token: str, vocab: dict[str, list[str]]) -> list[str]:
    """Tokens of ``vocab`` (bucketed by first letter) equal or one edit from ``token``."""
    if len(token) < 5:
        return [token]
    out = [v for v in vocab.get(token[0], ()) if abs(len(v) - len(token)) <= 1 and _close(v, token)]
    return out or [token]


def find_label(seg: Seg, label: tuple[str, ...], starts: list[int] | None = None) -> list[LabelHit]:
    """Every place ``label`` occurs in ``seg`` (exactly, or with one-edit slips in long tokens).

    ``starts``: token positions where the first label token is known to match (from an index).
    """
    m = len(label)
    toks = seg.tokens
    hits = []
    positions = starts if starts is not None else range(len(toks) - m + 1)
    for i in positions:
        if i + m > len(toks) or not _close(toks[i], label[0]):
            continue
        fuzzy = 0
        for j in range(m):
            if toks[i + j] != label[j]:
                if not _close(toks[i + j], label[j]):
                    break
                fuzzy += 1
        else:
            # A label must start a word and end a word: "no" inside "Rechnungsnr" is not the label "no".
            if i > 0 and seg.owner[i - 1] == seg.owner[i] and m == 1 and len(label[0]) < 4:
                continue
            # A one-word label one edit away ("Factur-x" for "Factura") is only an OCR slip on OCR text.
            if fuzzy and m == 1 and seg.words[seg.owner[i]].confidence >= 1.0:
                continue
            hits.append(LabelHit(seg, i, i + m, 1.0 - 0.12 * fuzzy, label))
    return hits


_VALUE_START = re.compile(r"^[\s:#.\-–=|/]*")


def rest_after(seg: Seg, word_idx: int) -> tuple[str, int]:
    """The segment's text after word ``word_idx`` and its offset, leading ``:``/``#``/dashes skipped."""
    if word_idx + 1 >= len(seg.words):
        return "", len(seg.text)
    start = seg.starts[word_idx + 1]
    rest = seg.text[start:]
    skip = _VALUE_START.match(rest)
    n = skip.end() if skip else 0
    return rest[n:], start + n


def label_tail_is_colon(seg: Seg, word_idx: int) -> bool:
    """Whether the label ends with a colon (its own last char, or a lone ``:`` word after it)."""
    w = seg.words[word_idx].text
    if w.endswith(":"):
        return True
    return word_idx + 1 < len(seg.words) and seg.words[word_idx + 1].text.startswith(":")


def words_in_span(seg: Seg, start: int, end: int) -> list[Word]:
    """The words of ``seg`` whose characters overlap ``text[start:end]``."""
    out = []
    for i, w in enumerate(seg.words):
        s = seg.starts[i]
        if s < end and s + len(w.text) > start:
            out.append(w)
    return out
