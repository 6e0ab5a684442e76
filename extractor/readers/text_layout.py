"""Plain-text renderings laid out in two dimensions: a browser's dump (w3m, links, inscriptis),
``pdftotext -layout``, text copied from a page, a Markdown grid table.

The page is a grid of characters, so every word gets a place as a PDF word does: its column and
line, scaled to points as a monospaced 10-point font would print them (a character 6 points
wide, a line 12 points high), so the geometry the form reading uses on pages (a gap of two
spaces parts two cells; a wrapped line sits at the line pitch) means the same here. Drawn rules
(box-drawing characters, ``|``, ``+---+``, underscores) are hints the words do not need: they
become space. A form feed starts a page. A footnote mark written ``^(1)`` is the word ``(1)``,
``Person^*`` is ``Person*`` as a page prints it; a ``^`` left at a value's end ("61.569^", its mark wrapped to the next line) is
dropped.

Each line's runs of words (cut at two spaces or more) become pieces in reading order; the words
with their places go to :attr:`~extractor.ir.Source.words`, from which the form reading rebuilds
the page by its labels (:mod:`extractor.form.reflow`).
"""
from __future__ import annotations

import re

from ..ir import Piece, Source
from .detect import decode
from .limits import check_lines

NAME = "text"
CHAR_WIDTH, LINE_PITCH, GLYPH_HEIGHT = 6.0, 12.0, 10.0
_BARS = re.compile(r"[\u2500-\u257f|\u00a6]")  # box drawing (U+2500-U+257F) and bars
_RULE = re.compile(r"(?<!\S)(?:[-=_~+]{3,}|\*{4,}|[:!])(?!\S)")  # rule characters standing alone ("+----+", "____",
# "*****", a typist's ":" or "!" column rule)
_WORD = re.compile(r"\S+")
_MARK = re.compile(r"\^(\(\d{1,2}\)|\*{1,2})")


def read(data: bytes, name: str) -> Source:
    text = decode(data, name)
    check_lines(text, name, "|")
    source = Source(name=name, reader=NAME)
    lay_out(text, source)
    return source


def lay_out(text: str, source: Source) -> None:
    """TEXT's runs as SOURCE's pieces and its words with their places as SOURCE's words."""
    block, blank = 0, True
    for page, page_text in enumerate(text.split("\f")):
        for n, line in enumerate(page_text.splitlines()):
            words = _words(line)
            if not words:
                if not blank:
                    block += 1
                blank = True
                continue
            blank = False
            top = n * LINE_PITCH
            for run in _runs(words):
                piece = Piece(text=" ".join(t for t, _c, _e in run), index=len(source.pieces), line=n, block=block,
                              page=page, bbox=(run[0][1] * CHAR_WIDTH, top, run[-1][2] * CHAR_WIDTH, top + GLYPH_HEIGHT))
                source.pieces.append(piece)
                for t, start, end in run:
                    source.words.append({"text": t, "x0": start * CHAR_WIDTH, "x1": end * CHAR_WIDTH, "top": top,
                                         "bottom": top + GLYPH_HEIGHT, "size": GLYPH_HEIGHT, "page": page,
                                         "piece": piece.index, "conf": 1.0})
        block += 1


def _words(line: str) -> list[tuple[str, int, int]]:
    """LINE's words as (text, first column, end column), rules blanked and marks written plainly."""
    blank = lambda m: " " * len(m.group(0))  # noqa: E731  (columns stay where they were)
    line = _RULE.sub(blank, _BARS.sub(blank, line.expandtabs(8)))
    out = []
    for m in _WORD.finditer(line):
        word = _MARK.sub(lambda k: k.group(1) if k.group(1)[0] == "*" else " " + k.group(1), m.group(0)).strip()
        if word.endswith("^"):
            word = word[:-1]
        if not word:
            continue
        parts = word.split()  # "61.569^(2)" -> "61.569", "(2)": a value and its mark
        start = m.start()
        for part in parts:
            out.append((part, start, start + len(part)))
            start += len(part)
    return out


def _runs(words: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """WORDS cut where two spaces or more stand between them (cells side by side)."""
    out = [[words[0]]]
    for word in words[1:]:
        if word[1] - out[-1][-1][2] >= 2:
            out.append([word])
        else:
            out[-1].append(word)
    return out
