"""Finding printed labels in a rendering: exact first, fuzzy (rapidfuzz) when noisy.

The pieces of a region are normalised once into one string (lower case, every
non-alphanumeric character turned into a space, so offsets stay those of the
original text). A label is first searched as a word-sequence regex; only
labels not found that way go to rapidfuzz ``partial_ratio`` (a ``ratio`` over
the best-aligned window: the default ``WRatio`` rewards token overlap and picks
wrong labels on the long, repetitive wording of this form).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .ir import Piece

_NON_WORD = re.compile(r"[^0-9a-z%]")
_NUMBER_BEFORE = re.compile(r"(?:^|(?<=\s))\d{1,2}[A-Za-z]?\s*\.\s*$")
_CLOSE_AFTER = re.compile(r"(?:\s*[)\]*:])+")


def normalise(text: str) -> str:
    """Same length as TEXT for ASCII: lower case, punctuation -> spaces."""
    low = text.lower()
    if len(low) != len(text):  # a few non-ASCII capitals change length when lowered
        low = "".join(ch.lower()[:1] or " " for ch in text)
    return _NON_WORD.sub(" ", low)


def words(text: str) -> list[str]:
    return normalise(text).split()


@lru_cache(maxsize=4096)
def label_pattern(label: str) -> re.Pattern[str] | None:
    parts = words(label)
    if not parts:
        return None
    # no lookbehind: a literal prefix lets the regex engine use its fast substring search;
    # the word boundary before the match is checked by the caller (see _find_all)
    return re.compile(r" +".join(re.escape(w) for w in parts) + r"(?![0-9a-z])")


def word_matches(pattern: re.Pattern[str], text: str):
    """Matches of a label_pattern that start a word (the pattern itself has no lookbehind)."""
    for m in pattern.finditer(text):
        if not (m.start() and text[m.start() - 1].isalnum()):
            yield m


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the box number before a label ("2A.") and the closing marks after it."""
    if m := _NUMBER_BEFORE.search(text, 0, start):
        start = m.start()
    if m := _CLOSE_AFTER.match(text, end):
        end = m.end()
    return start, end


@dataclass(slots=True)
class Hit:
    """A label found in the pieces: it starts at offset ``start`` of ``piece`` and ends at
    offset ``end`` of ``end_piece`` (the same piece unless the label wraps over lines of one
    cell or paragraph, as labels do in PDFs)."""

    piece: int  # index into Source.pieces
    start: int
    end: int
    score: float  # 100 for an exact match
    end_piece: int = -1

    def __post_init__(self) -> None:
        if self.end_piece < 0:
            self.end_piece = self.piece


class LabelIndex:
    """All pieces of [start, end) joined for fast label search."""

    def __init__(self, pieces: list[Piece], start: int = 0, end: int | None = None) -> None:
        self.pieces = pieces
        end = len(pieces) if end is None else end
        self.ids: list[int] = []
        self.offsets: list[int] = []
        chunks: list[str] = []
        pos = 0
        last_unit = None
        for p in pieces[start:end]:
            if not p.text:
                continue
            unit = (p.table, p.row, p.col) if p.table >= 0 else (-1, p.block, p.page)
            if chunks:  # lines of one cell or paragraph join with a space, so wrapped labels match
                chunks.append(" " if unit == last_unit else "\n")
                pos += 1
            last_unit = unit
            self.ids.append(p.index)
            self.offsets.append(pos)
            chunks.append(normalise(p.text))
            pos += len(p.text)
        self.norms = [c for c in chunks if c not in (" ", "\n")]
        self.text = "".join(chunks)
        self._memo: dict[str, list[Hit]] = {}

    def find_all(self, label: str) -> list[Hit]:
        """Every exact hit of LABEL, in piece order (memoised: layouts share labels)."""
        found = self._memo.get(label)
        if found is None:
            found = self._memo[label] = self._find_all(label)
        return [Hit(h.piece, h.start, h.end, h.score, h.end_piece) for h in found]

    def _find_all(self, label: str) -> list[Hit]:
        pattern = label_pattern(label)
        if pattern is None:
            return []
        hits = []
        for m in word_matches(pattern, self.text):
            k = bisect_right(self.offsets, m.start()) - 1
            j = bisect_right(self.offsets, max(m.end() - 1, m.start())) - 1
            hits.append(self._widen(Hit(self.ids[k], m.start() - self.offsets[k], m.end() - self.offsets[j], 100.0,
                                        self.ids[j])))
        return hits

    def _widen(self, hit: Hit) -> Hit:
        start, _ = widen(self.pieces[hit.piece].text, hit.start, hit.start)
        _, end = widen(self.pieces[hit.end_piece].text, len(self.pieces[hit.end_piece].text) + 1, hit.end)
        hit.start, hit.end = start, end
        return hit

    def find(self, labels: list[str], threshold: float = 85.0, after: int = -1) -> Hit | None:
        """The first exact hit of any of LABELS (in piece order, after piece AFTER),
        else the best fuzzy hit scoring at least THRESHOLD."""
        best: Hit | None = None
        for label in labels:
            for hit in self.find_all(label):
                if hit.piece > after and (best is None or hit.piece < best.piece):
                    best = hit
                    break
        if best is not None or threshold >= 100:
            return best
        return self.fuzzy(labels, threshold, after)

    def fuzzy(self, labels: list[str], threshold: float, after: int = -1) -> Hit | None:
        best: Hit | None = None
        for label in labels:
            target = " ".join(words(label))
            if len(target) < 6:  # short labels ("V", "Code") only match exactly
                continue
            for k, norm in enumerate(self.norms):
                if self.ids[k] <= after or len(norm) < len(target) * 0.6:
                    continue
                found = fuzz.partial_ratio_alignment(target, norm, score_cutoff=threshold)
                if found is not None and (best is None or found.score > best.score):
                    best = self._widen(Hit(self.ids[k], found.dest_start, found.dest_end, found.score))
        return best
