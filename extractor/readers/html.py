"""HTML reader: an EDGAR (or filer-made) HTML page -> the intermediate form.

Parses once with lxml's HTML parser (libxml2, the parser BeautifulSoup's "lxml"
builder wraps: building a BeautifulSoup tree on top costs ~30 ms per filing
here against ~1 ms for the parse itself, see bench/) and walks the tree
iteratively (hostile, deeply nested pages cannot blow the recursion limit;
entities are never expanded from a DOCTYPE, nothing is fetched). Every table cell, ``<br>``
and block element starts a new :class:`~extractor.ir.Piece`; empty cells are
kept as empty pieces because their position carries meaning (a blank check
mark, an empty officer title). The Markdown reader renders to HTML and comes
through :func:`read_html_text` too.
"""
from __future__ import annotations

import re

from lxml import etree

from ..errors import UnreadableInputError
from ..ir import CHECKED, UNCHECKED, Cell, Piece, Source, Table
from .limits import MAX_PIECES, MAX_ROW_CELLS, check_markup_cells, too_much

NAME = "html"
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol",
           "blockquote", "pre", "center", "dl", "dt", "dd", "title", "caption"}
# line breaks inside one block; <u> marks each filled-in value in the seed's style
_SOFT = {"br", "hr", "u"}
# elements read whole (or dropped) without descending into them
_LEAVES = {"script", "style", "head", "noscript", "template", "svg", "math", "iframe", "object", "sup", "input"}
_MARK_DIGITS = re.compile(r"^\s*\(?\s*(\d{1,2})\s*\)?\s*$")
# two spaces (not a line's indentation) between two words, with no punctuation beside them
_GAP = re.compile(r"[^\W_]  +(?=[^\W_])")


class _Builder:
    """Accumulates pieces while the walker streams text and structure."""

    def __init__(self, source: Source) -> None:
        self.src = source
        self.buf: list[str] = []
        self.cells: list[dict] = []  # open cell contexts, innermost last
        self.tables: list[dict] = []  # open table contexts
        self.block = 0
        self.gap = False  # the text being gathered has two spaces between words (see text)
        self.gaps = True  # look for them at all (see read_html_text)

    def text(self, s: str) -> None:
        self.buf.append(s)
        if self.gaps and "  " in s and _GAP.search(s):
            self.gap = True


    def flush(self, keep_empty: bool = False) -> None:
        if not self.buf and not keep_empty:
            return
        text = " ".join("".join(self.buf).split())
        self.buf.clear()
        if not text and not keep_empty:
            return
        pieces = self.src.pieces
        if len(pieces) >= MAX_PIECES:
            raise too_much("pieces of text", len(pieces), MAX_PIECES, self.src.name)
        gap, self.gap = self.gap, False
        if self.cells:
            cell = self.cells[-1]
            cell["count"] += 1
            piece = Piece(text, len(pieces), cell["table"], cell["row"], cell["col"], -1, self.block)
        else:
            piece = Piece(text, len(pieces), -1, -1, -1, -1, self.block)
        pieces.append(piece)
        if gap:  # "ALPHA  OMEGA": a renderer dropped a character ("&") between the words
            self.src.doubt(piece.index, "two spaces inside a word run in the page's text: a character (an '&', "
                                        "a quote) may have been dropped there")

    def open_table(self) -> None:
        self.flush()
        table = Table(index=len(self.src.tables), first_piece=len(self.src.pieces))
        self.src.tables.append(table)
        self.tables.append({"table": table, "row": -1, "occupied": {}, "col": 0})

    def close_table(self) -> None:
        self.flush()
        ctx = self.tables.pop()
        ctx["table"].last_piece = len(self.src.pieces)

    def open_row(self) -> None:
        self.flush()
        if not self.tables:
            return
        ctx = self.tables[-1]
        ctx["row"] += 1
        ctx["col"] = 0
        ctx["table"].rows.append([])

    def open_cell(self, tag) -> None:
        self.flush()
        self.block += 1
        if not self.tables:
            return
        ctx = self.tables[-1]
        if ctx["row"] < 0:
            self.open_row()
        row, col, occupied = ctx["row"], ctx["col"], ctx["occupied"]
        while occupied.get((row, col)):
            col += 1
        span = _int_attr(tag, "colspan")
        rowspan = _int_attr(tag, "rowspan")
        for r in range(row + 1, row + min(rowspan, 50)):
            for c in range(col, col + span):
                occupied[(r, c)] = True
        ctx["col"] = col + span
        if col > MAX_ROW_CELLS:
            raise too_much("cells in one table row", col, MAX_ROW_CELLS, self.src.name)
        self.cells.append({"table": ctx["table"].index, "row": row, "col": col, "span": span,
                           "start": len(self.src.pieces), "count": 0, "th": tag.tag == "th",
                           "depth": len(self.tables)})

    def close_cell(self) -> None:
        if not self.cells:
            return
        cell = self.cells[-1]
        if cell["depth"] != len(self.tables):
            return
        self.flush(keep_empty=cell["count"] == 0)
        self.block += 1
        self.cells.pop()
        ctx = self.tables[-1]
        start, end = cell["start"], len(self.src.pieces)
        own = [p.text for p in self.src.pieces[start:end] if p.table == cell["table"] and p.text]
        ctx["table"].rows[cell["row"]].append(
            Cell(text=" ".join(own), col=cell["col"], span=cell["span"], pieces=(start, end),
                 header=cell["th"]))


def _int_attr(el, name: str) -> int:
    raw = el.get(name)
    if raw is None:
        return 1
    try:
        return max(1, min(int(raw.strip() or 1), 100))
    except ValueError:
        return 1


def _sup_text(el) -> str:
    raw = "".join(el.itertext())
    found = _MARK_DIGITS.match(raw)
    return f" ({found.group(1)})" if found else " " + raw.strip()


def _list_number(li) -> int:
    parent = li.getparent()
    start = _int_attr(parent, "start") if parent.get("start") else 1
    return start + sum(1 for sib in li.itersiblings(preceding=True) if sib.tag == "li")


def _walk(root, b: _Builder) -> None:
    """Stream ROOT's text and structure into B with lxml's C-level iterwalk."""
    walker = etree.iterwalk(root, events=("start", "end"))
    skipped = None  # the element whose subtree is skipped (its end event still comes)
    for event, el in walker:
        name = el.tag
        if not isinstance(name, str):
            continue
        if event == "end":
            if el is skipped:
                skipped = None
            else:
                _close(name, b)
            if el.tail:
                b.text(el.tail)
            continue
        # lxml's HTML parser already lower-cases tag names
        if name in _LEAVES:
            walker.skip_subtree()
            skipped = el
            if name == "sup":
                b.text(_sup_text(el))
            elif name == "input" and str(el.get("type", "")).lower() in ("checkbox", "radio"):
                b.text(f" {CHECKED if el.get('checked') is not None else UNCHECKED} ")
            continue
        if name in ("td", "th"):
            b.open_cell(el)
        elif name == "tr":
            b.open_row()
        elif name == "table":
            b.open_table()
        elif name == "li" and el.getparent() is not None and el.getparent().tag == "ol":
            # an ordered list's numbers are rendered text ("1. footnote"), not markup
            b.flush()
            b.block += 1
            b.text(f"{_list_number(el)}. ")
        elif name in _BLOCKS:
            b.flush()
            b.block += 1
        elif name in _SOFT:
            b.flush()
        if el.text:
            b.text(el.text)


def _close(name: str, b: _Builder) -> None:
    if name == "table":
        b.close_table()
    elif name in ("td", "th"):
        b.close_cell()
    elif name in _BLOCKS:
        b.flush()
        b.block += 1
    elif name in _SOFT:
        b.flush()


# plain etree elements: lxml.html's element-class lookup costs ~10% of a read
_PARSER = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True, huge_tree=True)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def read_html_text(html: str, name: str, reader: str = NAME, gaps: bool = True) -> Source:
    """Parse an HTML string into the intermediate form. GAPS: two spaces between words in a text
    node are a doubt (a browser shows one; a renderer dropped a character there). Not so in HTML
    made from Markdown, whose converters leave double spaces anywhere."""
    check_markup_cells(html.encode("utf-8", "replace"), name)  # before the parser and the walk
    return _read_html_text(html, name, reader, gaps)


def _read_html_text(html: str, name: str, reader: str, gaps: bool) -> Source:
    try:
        doc = etree.fromstring(_XML_DECL.sub("", html, count=1), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise UnreadableInputError(f"cannot parse as HTML ({exc})", name) from None
    if doc is None:
        raise UnreadableInputError("no text in the document", name)
    body = doc.find("body")
    body = body if body is not None else doc
    source = Source(name=name, reader=reader)
    builder = _Builder(source)
    builder.gaps = gaps
    _walk(body, builder)
    while builder.cells:
        builder.close_cell()
    while builder.tables:
        builder.close_table()
    builder.flush()
    if not any(p.text for p in source.pieces):
        raise UnreadableInputError("no text in the document", name)
    return source


def read(data: bytes, name: str) -> Source:
    from .detect import decode

    return read_html_text(decode(data, name), name)
