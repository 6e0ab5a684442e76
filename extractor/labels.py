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
# a box or column number before its label, as printed or typed: "2A.", "(4)", "4)", "Item 4."
_NUMBER_BEFORE = re.compile(r"(?:^|(?<=\s))(?:[Ii]tem\s+)?(?:\d{1,2}[A-Za-z]?\s*[.:]|\(\d{1,2}[A-Za-z]?\)|"
                            r"\d{1,2}[A-Za-z]?\)|[Ii]tem\s+\d{1,2}[A-Za-z]?)\s*$")
_CLOSE_AFTER = re.compile(r"(?:\s*[)\]*:])+")


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """Same length as TEXT for ASCII: lower case, punctuation -> spaces. Memoised: the form's own
    text comes back in every filing, and each piece is normalised by several stages."""
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
        self.units: list[tuple[int, int]] = []  # [start, end) offsets of each cell / paragraph
        self.unit_tables: list[int] = []  # the table each unit is in (-1: none)
        for p in pieces[start:end]:
            if not p.text:
                continue
            unit = (p.table, p.row, p.col) if p.table >= 0 else (-1, p.block, p.page)
            if chunks:  # lines of one cell or paragraph join with a space, so wrapped labels match
                chunks.append(" " if unit == last_unit else "\n")
                pos += 1
            if unit != last_unit:
                if self.units:
                    self.units[-1] = (self.units[-1][0], pos - 1)
                self.units.append((pos, pos))
                self.unit_tables.append(p.table)
            last_unit = unit
            self.ids.append(p.index)
            self.offsets.append(pos)
            chunks.append(normalise(p.text))
            pos += len(p.text)
        self.text = "".join(chunks)
        if self.units:
            self.units[-1] = (self.units[-1][0], len(self.text))
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

    def fuzzy_all(self, label: str, threshold: float = 85.0, table: int | None = None) -> list[Hit]:
        """Every cell / paragraph (of TABLE, if given) where LABEL matches fuzzily, best place in each."""
        target = " ".join(words(label))
        if len(target) < 6:  # short labels ("V", "Code") only match exactly
            return []
        return [h for (lo, hi), t in zip(self.units, self.unit_tables) if table is None or t == table
                if (h := self._fuzzy_unit(target, lo, hi, threshold)) is not None]

    def _fuzzy_unit(self, target: str, lo: int, hi: int, threshold: float) -> Hit | None:
        """TARGET (a label's normalised words) matched in the unit text [LO, HI), word-aligned."""
        if hi - lo < len(target) * 0.6:
            return None
        found = fuzz.partial_ratio_alignment(target, self.text[lo:hi], score_cutoff=threshold)
        if found is None:
            return None
        a, b = lo + found.dest_start, lo + max(found.dest_end - 1, found.dest_start)
        text = self.text
        while a > lo and text[a - 1].isalnum():  # the alignment may start or end inside a word
            a -= 1
        while b + 1 < hi and text[b + 1].isalnum():
            b += 1
        k = bisect_right(self.offsets, a) - 1
        j = bisect_right(self.offsets, b) - 1
        return self._widen(Hit(self.ids[k], a - self.offsets[k], b + 1 - self.offsets[j], found.score, self.ids[j]))

    def fuzzy(self, labels: list[str], threshold: float, after: int = -1) -> Hit | None:
        """The best fuzzy hit over whole cells / paragraphs, so a label wrapped over lines (a PDF
        cell, an OCR'd box) matches as one; the hit is mapped back to its first and last piece."""
        best: Hit | None = None
        for label in labels:
            target = " ".join(words(label))
            if len(target) < 6:  # short labels ("V", "Code") only match exactly
                continue
            for lo, hi in self.units:
                if self.ids[bisect_right(self.offsets, hi - 1) - 1] <= after:
                    continue
                hit = self._fuzzy_unit(target, lo, hi, threshold)
                if hit is not None and hit.piece > after and (best is None or hit.score > best.score):
                    best = hit
        return best
