"""The common intermediate form every reader emits and the extractor consumes.

A rendering becomes a flat, reading-order list of :class:`Piece` (a line of
text with its place) plus the :class:`Table` grids those pieces sit in. The
extractor never asks which reader made them: HTML, Markdown, and later PDF and
OCR readers all fill the same structure (PDF pieces add ``page`` and ``bbox``).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_WRAPPED_HYPHEN = re.compile(r"[^\W\d_]-$")


#: Marks that never start a word: a line starting with one goes on the line above without a space.
CLOSING = ")]},.;"


def join_lines(texts: Iterable[str]) -> str:
    """Lines of one cell or paragraph as one text: joined by a space, except after a hyphen that
    ended a line inside a word ("Co-" / "President" is "Co-President": a browser breaks there) and
    before a closing mark or a comma that starts a line."""
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if out and (_WRAPPED_HYPHEN.search(out) and text[:1].isalpha() or text[:1] in CLOSING):
            out += text  # (a closing mark or a comma never starts a word: "(HOLDING" / ")")
        else:
            out = f"{out} {text}" if out else text
    return out


#: Text a reader puts in place of a ticked / empty checkbox glyph or widget.
CHECKED = "\u2612"
UNCHECKED = "\u2610"


@dataclass(slots=True)
class Piece:
    """One line of text in reading order and where it was read."""

    text: str
    index: int = 0  # position in Source.pieces
    table: int = -1  # index into Source.tables, -1 outside tables
    row: int = -1
    col: int = -1  # grid column after colspan expansion
    line: int = -1  # source line (text readers) or -1
    block: int = -1  # paragraph / cell: soft line breaks (<br>) keep it, blocks change it
    page: int = -1
    bbox: tuple[float, float, float, float] | None = None
    conf: float = 1.0  # how surely the text was read (OCR word scores; 1.0 for text layers)
    parts: tuple[int, ...] = ()  # a span's pieces (see span); () for a piece read as itself

    @staticmethod
    def span(pieces: Sequence[Piece]) -> Piece | None:
        """The place of a value read from several PIECES (the lines of a wrapped name, a cell):
        the first text piece, with the box around all of them on its page and the least sure
        reading among them (one misread line makes an unsure value)."""
        real = [p for p in pieces if p.text] or list(pieces)
        if len(real) <= 1:
            return real[0] if real else None
        first = real[0]
        boxes = [p.bbox for p in real if p.bbox is not None and p.page == first.page]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes)) if first.bbox is not None else None
        parts = tuple(sorted({i for p in real for i in p.read_from()}))
        return dataclasses.replace(first, bbox=bbox, conf=min(p.conf for p in real), parts=parts)

    def read_from(self) -> tuple[int, ...]:
        """The indexes of the pieces this one stands for: itself, or a span's pieces."""
        return self.parts or (self.index,)

    def unit(self) -> tuple[int, int]:
        """The visual unit a piece belongs to: its table row, or its paragraph."""
        return (self.table, self.row) if self.table >= 0 else (-1, self.block)

    def locator(self) -> str:
        if self.table >= 0:
            where = f"table {self.table + 1} row {self.row + 1} col {self.col + 1}"
        elif self.line >= 0:
            where = f"line {self.line + 1}"
        else:
            where = f"piece {self.index + 1}"
        if self.page >= 0:
            where = f"page {self.page + 1} " + where
        return where


@dataclass(slots=True)
class Cell:
    """A table cell: its text (lines joined by spaces) and its grid place."""

    text: str
    col: int
    span: int
    pieces: tuple[int, int]  # [start, end) indexes into Source.pieces
    header: bool = False
    more: tuple[tuple[int, int], ...] = ()  # pieces of cells joined to it (a wrapped title's rest)
    # a header cell's column as a reading by geometry found its label printed ("Trans. Date" typed
    # for "Transaction Date"): (table kind, descriptor column index)
    label: tuple[str, int] | None = None

    def piece_indexes(self) -> list[int]:
        """Every piece the cell's text came from, its own and those of the cells joined to it."""
        return [i for a, b in (self.pieces, *self.more) for i in range(a, b)]


@dataclass(slots=True)
class Table:
    index: int
    rows: list[list[Cell]] = field(default_factory=list)
    first_piece: int = 0
    last_piece: int = 0  # exclusive

    def width(self, row: list[Cell]) -> int:
        return max((c.col + c.span for c in row), default=0)


@dataclass(slots=True)
class Source:
    """What a reader hands to the extractor."""

    name: str  # file name shown in messages and provenance
    reader: str  # "html", "markdown", ...
    pieces: list[Piece] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # what the container says besides the rendering (an EDGAR submission's SGML header: CIKs,
    # names, period), a second witness for the extractor and the validator
    meta: dict = field(default_factory=dict)
    # a reader whose text may be misread (OCR) can read a piece again, another way: called with
    # piece indexes (``index in second_reader`` says which it can), it returns index -> text
    # (see extractor.second_reading)
    second_reader: object | None = None
    # piece index -> why its text may not be what the page says (a character a converter dropped,
    # letters a PDF engine spaced apart): the reader lowers the piece's conf and says why here
    doubts: dict[int, str] = field(default_factory=dict)
    # the words of a rendering that has geometry (a PDF page, a scan, a plain-text layout), each a
    # dict: text (a footnote mark as "(1)"), x0, x1, top, bottom, size, page, piece (the piece it
    # went into), conf. What the form reading rebuilds the page from when the producer's own
    # structure (its rules and cells) did not carry the form (extractor.form.reflow)
    words: list[dict] = field(default_factory=list)

    def doubt(self, index: int, why: str, conf: float = 0.6) -> None:
        piece = self.pieces[index]
        piece.conf = min(piece.conf, conf)
        self.doubts.setdefault(index, why)

    def retext(self, index: int, text: str) -> None:
        """Give piece INDEX the text TEXT (a better reading of it), and its table cell too."""
        piece = self.pieces[index]
        piece.text = text
        if piece.table >= 0:
            for cell in self.tables[piece.table].rows[piece.row]:
                if cell.pieces[0] <= index < cell.pieces[1]:
                    cell.text = join_lines(p.text for p in self.pieces[cell.pieces[0]:cell.pieces[1]])

    def text(self, start: int = 0, end: int | None = None) -> str:
        return join_lines(p.text for p in self.pieces[start:end])
