"""Bounds on the work one input may ask for, far beyond any real Form 3/4/5 rendering.

Each bound is checked before the step it protects (a markup parser, a table builder, a page's
layout), so a hostile or broken input fails at once with one line naming the limit, instead of
running for minutes or taking the machine's memory. The corpus and the 500 synthetic filings
need at most: 3,303 characters on a line (Markdown), 79 table cells on one line, 16 cells in an
HTML row, 501 cells in a document, 737 characters on an envelope's line. The bounds leave a wide
margin above those.
"""
from __future__ import annotations

from ..errors import UnreadableInputError

MAX_LINE = 500_000  # characters on one line of text (Markdown, typed filings, text dumps)
MAX_LINE_CELLS = 1_000  # table cells on one line of Markdown or text
MAX_ROW_CELLS = 1_000  # cells in one table row
MAX_CELLS = 50_000  # table cells in a document
MAX_PIECES = 200_000  # pieces of text in a document
MAX_PIECE = 100_000  # characters of text in one place (a cell, a paragraph); the corpus needs 777
MAX_PAGE_WORDS = 50_000  # words on one PDF page
MAX_PAGE_EDGES = 50_000  # ruling lines on one PDF page


def too_much(what: str, found: int, limit: int, name: str) -> UnreadableInputError:
    """'1,000,080 characters on one line, more than any Form 3/4/5 rendering holds (limit 500,000)'."""
    return UnreadableInputError(f"{found:,} {what}, more than any Form 3/4/5 rendering holds (limit {limit:,})", name)


def check_lines(text: str, name: str, cell_mark: str | None = None) -> None:
    """Fail when TEXT has a line longer than MAX_LINE, or (CELL_MARK, e.g. "|") a line cut into
    more than MAX_LINE_CELLS cells. Linear: one pass over the line lengths."""
    longest = max(map(len, text.splitlines()), default=0) if len(text) > MAX_LINE else 0
    if longest > MAX_LINE:
        raise too_much("characters on one line", longest, MAX_LINE, name)
    if cell_mark is not None and text.count(cell_mark) > MAX_LINE_CELLS:
        widest = max((line.count(cell_mark) for line in text.splitlines()), default=0)
        if widest > MAX_LINE_CELLS:
            raise too_much(f"'{cell_mark}' cells on one line", widest, MAX_LINE_CELLS, name)


def check_markup_cells(data: bytes, name: str) -> None:
    """Fail when an HTML page opens more than MAX_CELLS table cells (counted in the bytes, before
    any parsing)."""
    low = data.lower() if len(data) > MAX_CELLS * 4 else b""
    cells = low.count(b"<td") + low.count(b"<th")
    if cells > MAX_CELLS:
        raise too_much("table cells", cells, MAX_CELLS, name)


def check_source(source) -> None:
    """Fail when what a reader made (an :class:`extractor.ir.Source`) is beyond any form: too many
    pieces, or a piece of more text than a form prints in one place. Checked once, before the
    labels are searched (the first step whose cost grows with the text)."""
    if len(source.pieces) > MAX_PIECES:
        raise too_much("pieces of text", len(source.pieces), MAX_PIECES, source.name)
    longest = max((len(p.text) for p in source.pieces), default=0)
    if longest > MAX_PIECE:
        raise too_much("characters of text in one place", longest, MAX_PIECE, source.name)

