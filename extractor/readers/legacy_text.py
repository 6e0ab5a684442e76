"""Typed (pre-2003) filings: the ASCII text of a Form 3/4/5 inside an EDGAR submission.

Outside ``<TABLE>`` blocks each line becomes pieces (runs of text separated by two or more
spaces, so side-by-side boxes stay apart; a blank line starts a new block), with typed
checkboxes "( X )" / "( )" turned into the marks every reader emits. Inside, each
``<CAPTION>`` section becomes a grid: column boundaries come from the header's rules
(the ``|`` of its most divided line) or the ``<S>``/``<C>`` markers; the top header line's
rules give the numbered columns (one label row), the finer rules their sub-columns (one
sub-header row). Header text is joined down each column ("Trans-" / "action" -> "Transaction").
Data cells are cut at the line's own ``|`` or, in whitespace-aligned tables, are the runs of
text placed by their centre; a line with an empty first cell, or holding no value (digits not
continuing a full cell above), continues the row above (a title wrapped mid-word joins without a
space when it filled its cell; one that may have cut a word no rule shows is in doubt).
A section whose first column is not "1." continues the table before it (Table II printed in two
blocks): its rows pair up with that table's rows by order. The SGML header goes to
``Source.meta`` as a second witness.
"""
from __future__ import annotations

import re

from ..ir import CHECKED, CLOSING, UNCHECKED, Cell, Piece, Source, Table
from .detect import decode
from .envelope import unwrap
from .limits import check_lines
from .text_layout import lay_out

NAME = "legacy-text"
_TICKED = re.compile(r"[\(\[]\s*[Xx]\s*[\)\]]\s*")
_EMPTY_BOX = re.compile(r"[\(\[] {0,3}[\)\]]\s*")
_RULE = re.compile(r"^[\s\-_=+|\]\[*]*$")
_RUN = re.compile(r"\S+(?: \S+)*")
_MARKER = re.compile(r"<[SC]>", re.I)
_BOX_NUMBER = re.compile(r"^(?:\d{1,2}[A-Za-z]?[.)]|\(\d{1,2}[A-Za-z]?\))$")  # "1.", "1)", "(1)"
_NUMBERED = re.compile(r"^\s*(?:[Ii]tem\s+)?\(?\d{1,2}[A-Za-z]?\s*[.)]")
_TAG = re.compile(r"</?(?:TABLE|CAPTION|S|C|PAGE|FN)>", re.I)  # EDGAR's typesetting tags, not text


def _runs(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _RUN.finditer(line)]


def _join(parts: list[str]) -> str:
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out.endswith("-") and part[:1].islower():
            out = out[:-1] + part  # "Trans-" + "action"
        elif out and part[:1] in CLOSING:
            out += part  # a closing mark never starts a word: "stock units" / ")"
        else:
            out = f"{out} {part}" if out else part
    return out


def _pipes(line: str) -> list[int]:
    return [i for i, ch in enumerate(line) if ch in "|+]"]


class _Builder:
    def __init__(self, source: Source) -> None:
        self.src = source
        self.block = 0

    def text_line(self, line: str, number: int) -> None:
        line = _EMPTY_BOX.sub(UNCHECKED + " ", _TICKED.sub(CHECKED + " ", line))
        runs = [text for _start, text in _runs(line)]
        for k, text in enumerate(runs):
            if k and _BOX_NUMBER.match(runs[k - 1]):
                text = f"{runs[k - 1]} {text}"  # "1." typed apart from its label belongs to it
            elif _BOX_NUMBER.match(text) and k + 1 < len(runs):
                continue
            self.src.pieces.append(Piece(text=text, index=len(self.src.pieces), line=number, block=self.block))

    def table(self, header_rows: list[list[tuple[int, int, str]]], rows: list[list[str]], first_line: int) -> None:
        table = Table(index=len(self.src.tables), first_piece=len(self.src.pieces))
        self.src.tables.append(table)
        for r, cells in enumerate(header_rows + [[(c, 1, t) for c, t in enumerate(row)] for row in rows]):
            out = []
            for col, span, text in cells:
                self.block += 1
                start = len(self.src.pieces)
                self.src.pieces.append(Piece(text=text, index=start, table=table.index, row=r, col=col,
                                             line=first_line + r, block=self.block))
                if getattr(text, "doubt", False):
                    self.src.doubt(start, CUT_DOUBT)
                out.append(Cell(text=text, col=col, span=span, pieces=(start, start + 1), header=r < len(header_rows)))
            table.rows.append(out)
        table.last_piece = len(self.src.pieces)


CUT_DOUBT = "a cell's line joined to the next: a word its cell's edge cut, or two words?"


class _Text(str):
    """A cell's text; DOUBT: it joins lines where a word may have been cut in two."""

    doubt = False


def _intervals(bounds: list[int], width: int) -> list[tuple[int, int]]:
    edges = sorted(set([0] + bounds + [width]))
    return [(a, b) for a, b in zip(edges, edges[1:]) if b - a > 1]


def _slice(line: str, lo: int, hi: int) -> str:
    return line[lo:hi].replace("|", " ").replace("+", " ").strip(" -_=]")


class _Section:
    """One <CAPTION> block: header lines, the <S>/<C> marker line, data lines."""

    def __init__(self, header: list[str], markers: str, data: list[tuple[int, str]]) -> None:
        self.header = [h for h in header if h.strip() and not set(h.strip()) <= set("-_=+|")]
        width = max([len(h) for h in header + [markers]] + [len(t) for _n, t in data] + [1])
        piped = [h for h in self.header if len(_pipes(h)) >= 2]
        self.ruled = bool(piped)
        if piped:
            finest = max(piped, key=lambda h: len(_pipes(h)))
            bounds = set(_pipes(finest))
            for _n, line in data:  # rows may divide a column the header does not ("Title | Shares")
                if len(_pipes(line)) >= 2:
                    bounds |= {p for p in _pipes(line) if all(abs(p - b) > 1 for b in bounds)}
            self.fine = _intervals(sorted(bounds), width)
        else:
            starts = [m.start() for m in _MARKER.finditer(markers)]
            self.fine = [(a, b) for a, b in zip(starts, starts[1:] + [width])] or [(0, width)]
        top_line = next((h for h in self.header if _NUMBERED.match(h.replace("|", " ")) or
                         re.search(r"\|\s*\d{1,2}[A-Za-z]?\s*\.", h)), None)
        if top_line is not None:  # lines above the numbered column labels are the table's title
            self.title = self.header[: self.header.index(top_line)]
            self.header = self.header[self.header.index(top_line):]
        else:
            self.title = []
        if top_line and len(_pipes(top_line)) >= 2:
            top = _intervals(_pipes(top_line), width)
        elif top_line:  # no rules: each numbered label ("1.", "2A.") starts a column
            starts = [m.start(1) for m in re.finditer(r"(?:^|\s)(\d{1,2}[A-Za-z]?\.)", top_line)]
            top = [(a, b) for a, b in zip(starts, starts[1:] + [width])]
            top = [(0, top[0][1])] + top[1:] if top else self.fine
        else:
            top = self.fine
        # each numbered column: the fine columns inside it
        self.groups: list[tuple[tuple[int, int], list[int]]] = []
        for lo, hi in top:
            inside = [k for k, (a, b) in enumerate(self.fine) if a >= lo - 1 and b <= hi + 1]
            if inside:
                self.groups.append(((lo, hi), inside))
        self.data = data

    def header_rows(self) -> list[list[tuple[int, int, str]]]:
        label_row, sub_row = [], []
        for (lo, hi), inside in self.groups:
            split_at = None
            if len(inside) > 1:  # the first header line where the column is divided
                inner = [self.fine[k][0] for k in inside[1:]]
                split_at = next((i for i, h in enumerate(self.header) if any(p in inner or p + 1 in inner or p - 1
                                                                                  in inner for p in _pipes(h))), None)
                if split_at is None and not self.ruled:  # no rules: the first line with text at an inner column
                    split_at = next((i for i, h in enumerate(self.header) if any(
                        1 < a < len(h) and h[a] != " " and h[a - 2:a] == "  " for a in inner)), None)
            upper = self.header[:split_at] if split_at is not None else self.header
            label_row.append((inside[0], len(inside), _join([_slice(h, lo, hi) for h in upper])))
            if split_at is not None:
                for k in inside:
                    a, b = self.fine[k]
                    sub_row.append((k, 1, _join([_slice(h, a, b) for h in self.header[split_at:]])))
        return [label_row] + ([sub_row] if sub_row else [])

    def _cells(self, line: str) -> list[tuple[str, bool]]:
        """(text, filled its cell) per fine column."""
        cells = [("", False)] * len(self.fine)
        pipes = _pipes(line)
        if len(pipes) >= 2:
            pieces = [(a, b) for a, b in zip([-1] + pipes, pipes + [len(line)])]
            spans = [(a + 1, b) for a, b in pieces if b - a > 1]
        else:  # runs of text, cut where a column starts after a space ("Class B Common Stock 134,018.0")
            spans = []
            for m in _RUN.finditer(line):
                a = m.start()
                for lo in sorted(lo for lo, _hi in self.fine if m.start() < lo < m.end() and line[lo - 1] == " "):
                    spans.append((a, lo - 1))
                    a = lo
                spans.append((a, m.end()))
        for a, b in spans:
            text = line[a:b]
            if not text.strip():
                continue
            centre = (a + b) / 2
            k = next((k for k, (lo, hi) in enumerate(self.fine) if lo <= centre < hi), len(self.fine) - 1)
            full = len(pipes) >= 2 and text[-1:] != " "
            old = cells[k][0]
            cells[k] = ((old + " " + text.strip()).strip(), full)
        return cells

    def rows(self) -> list[list[str]]:
        rows: list[list[tuple[str, bool]]] = []
        for _n, line in self.data:
            cells = self._cells(line)
            if not any(t for t, _f in cells):
                continue
            first = cells[0][0]
            # a line with an empty first cell goes on with the row above; so does one whose title starts
            # in lower case (a word cut at the cell's edge) when it holds no value of its own
            values = bool(rows) and any(any(ch.isdigit() for ch in t) and not rows[-1][k][1]  # (a full cell's rest
                                        for k, (t, _f) in enumerate(cells[1:len(rows[-1])], 1))  # may be digits)
            # (a title wrapped onto a capital, "Series A Preferred" / "Stock", too: a row holds values)
            if rows and (not first or not values):
                above = rows[-1]
                merged = []
                for (a, a_full), (b, b_full) in zip(above, cells):
                    if not b:
                        merged.append((a, a_full))
                    elif a_full:
                        merged.append((a + b, b_full))
                    else:  # a word cut at an edge no rule shows ("Stock option" / "s (right to")?
                        joined = _Text(_join([a, b]))
                        joined.doubt = bool(a) and (b[:1].islower() or b[:1] in ")],.") or getattr(a, "doubt", False)
                        merged.append((joined, b_full))
                rows[-1] = merged
            else:
                rows.append(cells)
        return [[t for t, _f in row] for row in rows]


def _sections(lines: list[tuple[int, str]]):
    """A <TABLE> block's lines -> (prose before, sections, prose after)."""
    before: list[tuple[int, str]] = []
    sections: list[_Section] = []
    after: list[tuple[int, str]] = []
    k = 0
    while k < len(lines) and not lines[k][1].lstrip().upper().startswith("<CAPTION>"):
        before.append(lines[k])
        k += 1
    while k < len(lines):
        k += 1  # past <CAPTION>
        header = []
        while k < len(lines) and not _MARKER.search(lines[k][1]) and \
                not lines[k][1].lstrip().upper().startswith("<CAPTION>"):
            header.append(lines[k][1])
            k += 1
        markers = lines[k][1] if k < len(lines) and _MARKER.search(lines[k][1]) else ""
        k += 1 if markers else 0
        data: list[tuple[int, str]] = []
        seen_rule_after_data = False
        while k < len(lines) and not lines[k][1].lstrip().upper().startswith("<CAPTION>"):
            number, line = lines[k]
            if _RULE.match(line):
                if "|" not in line and len(line.strip()) >= 20:
                    k += 1
                    break  # a full-width typed rule closes a whitespace-aligned table's rows
                seen_rule_after_data = seen_rule_after_data or bool(data)
                k += 1
                continue
            if (seen_rule_after_data and "|" not in line) or (data and "|" in data[0][1] and "|" not in line):
                break  # prose after the rows: "Explanation of Responses:", reminders
            data.append((number, line))
            k += 1
        sections.append(_Section(header, markers, data))
        while k < len(lines) and not lines[k][1].strip():
            k += 1
        if k < len(lines) and not lines[k][1].lstrip().upper().startswith("<CAPTION>"):
            after = lines[k:]
            break
    return before, sections, after


def read(data: bytes, name: str) -> Source:
    sub = unwrap(decode(data, name), name)
    check_lines(sub.text, name, "|")
    if re.search(r"<\s*(html|body|tr|td)\b", sub.text[:20000], re.I):  # a filer-made HTML Form 4 (2001-2003)
        from .html import read as read_html

        source = read_html(sub.text.encode("utf-8"), name)
        source.meta = {"header": sub.header, "form_type": sub.form_type}
        return source
    source = Source(name=name, reader=NAME)
    source.meta = {"header": sub.header, "form_type": sub.form_type}
    layout = Source(name=name, reader=NAME)  # the words with their places, for a reading by geometry
    lay_out(_TAG.sub(lambda m: " " * len(m.group(0)), sub.text), layout)
    source.words = layout.words
    builder = _Builder(source)
    lines = list(enumerate(sub.text.splitlines()))
    k = 0

    def prose(chunk: list[tuple[int, str]]) -> None:
        for number, line in chunk:
            if not line.strip() or _RULE.match(line) or line.lstrip().startswith("<"):
                builder.block += 1  # blank lines, rules and tags end a block
                continue
            builder.text_line(line, number)

    while k < len(lines):
        number, line = lines[k]
        if line.strip().upper().startswith("<TABLE>"):
            end = next((j for j in range(k + 1, len(lines)) if lines[j][1].strip().upper().startswith("</TABLE>")),
                       len(lines))
            before, sections, after = _sections(lines[k + 1:end])
            prose(before)
            merged: list[tuple[list, list[list[str]], int]] = []
            for section in sections:
                head, rows = section.header_rows(), section.rows()
                first_label = head[0][0][2] if head and head[0] else ""
                continues = merged and not re.match(r"^\s*(?:[Ii]tem\s+)?\(?1\s*[.)]", first_label) and _NUMBERED.match(first_label)
                if continues:  # Table II's second block: columns to the right, rows paired by order
                    prev_head, prev_rows, first = merged[-1]
                    shift = max((c + s for row in prev_head for c, s, _t in row), default=0)
                    shift = max([shift] + [len(r) for r in prev_rows])
                    for level, row in enumerate(head):
                        while len(prev_head) <= level:
                            prev_head.append([])
                        prev_head[level].extend((c + shift, s, t) for c, s, t in row)
                    for i, row in enumerate(rows):
                        if i < len(prev_rows):
                            prev_rows[i] = prev_rows[i] + [""] * (shift - len(prev_rows[i])) + row
                        else:
                            prev_rows.append([""] * shift + row)
                else:
                    merged.append((head, rows, section.data[0][0] if section.data else number))
            for head, rows, first in merged:
                builder.block += 1
                builder.table(head, rows, first)
            builder.block += 1
            prose(after)
            k = end + 1
            continue
        prose([(number, line)])
        k += 1
    return source
