"""A page read again by the geometry of its words, when the producer's structure did not carry
the form (a PDF engine that draws no table rules, a page of text with columns).

The form's own labels are found wherever and however they wrap (:mod:`.word_graph`); the layout
is the one whose title and most labels are printed. The labels give the page its structure:
the tables (:mod:`.reflow_tables`: columns from the header labels' extents, rows from the lines
under them) and the boxes (:mod:`.reflow_boxes`: a box's value is what lies in its area).

The result is a new :class:`~extractor.ir.Source` with those tables as grids, each box's words
after its label and every other word in its line, in the page's order, read by the same form
reading as any other rendering, so every word is still accounted for. Nothing here knows which
reader ran.
"""
from __future__ import annotations

import re

from ..ir import CLOSING, Cell, Piece, Source, Table, join_lines
from ..labels import normalise
from ..layout import Layout, all_layouts
from .printed import printed
from .reflow_boxes import BoxRegion, box_lines, find_boxes, form_words, runs, with_number
from .reflow_tables import Finder, TableRegion, find_tables
from .word_graph import WordGraph, lines_of


def _choose(graph: WordGraph, find: Finder) -> Layout | None:
    """The layout whose title and most labels are printed. The phrases that tell an edition from
    another ("10b5-1(c)") count where they are printed in the column of a label, or in the text
    read line after line (a phrase a paragraph wraps from a line's end to the next line's start)."""
    stream = f" {' '.join(' '.join(normalise(w['text']).split()) for line in graph.lines for w in line.words)} "

    def printed_at_all(phrase: str) -> bool:
        return bool(find([phrase])) or f" {' '.join(normalise(phrase).split())} " in stream

    best = None
    for layout in all_layouts():
        if not find(layout.match.titles) or any(not printed_at_all(p) for p in layout.match.present):
            continue
        if any(printed_at_all(a) for a in layout.match.absent):
            continue
        score = sum(bool(find(b.labels)) for b in layout.boxes.values()) + \
            sum(bool(find(c.labels)) for t in layout.tables.values() for c in t.columns)
        if best is None or score > best[0]:
            best = (score, layout)
    return best[1] if best else None


def reflow(source: Source) -> tuple[Source, Layout] | None:
    """SOURCE rebuilt from its words and the form's labels (see the module docstring), with the
    layout whose labels it holds; None when the source has no words with places or no form's
    title among them."""
    if not source.words:
        return None
    graph = WordGraph([dict(w) for w in source.words])
    find = Finder(graph)
    layout = _choose(graph, find)
    if layout is None:
        return None
    tables = find_tables(graph, find, layout)
    before = min(((t.page, t.top) for t in tables), default=(10**6, 0.0))
    boxes = find_boxes(graph, find, layout, before)
    title = min(find(layout.match.titles), key=lambda f: (f.page, f.top))
    # the other printed parts of the form wrapped over lines, each kept whole ("** Signature of" /
    # "Reporting Person" with "Date" beside it): the tables' titles and the sections after them
    taken = {i for t in tables for i in t.used} | {w["_id"] for b in boxes for w in [*b.words, *b.label.words]}
    labels = [f for spec in layout.tables.values() for f in find([spec.title, *spec.variants])] + \
        [f for section in layout.sections.values() for f in find(section.labels)]
    for found in sorted(labels, key=lambda f: -len(f.words)):
        found = with_number(graph, found)
        ids = {w["_id"] for w in found.words}
        if not ids & taken and len({w["_line"] for w in found.words}) > 1:  # (on one line, its line holds it)
            boxes.append(BoxRegion(found, []))
            taken |= ids
    return _assemble(source, graph, tables, boxes + [BoxRegion(title, [])], printed(layout)), layout


def _assemble(source: Source, graph: WordGraph, tables: list[TableRegion], boxes: list[BoxRegion], known) -> Source:
    out = Source(name=source.name, reader=source.reader, meta=dict(source.meta))
    used = {i for t in tables for i in t.used}
    claimed: dict[int, BoxRegion] = {}
    for box in sorted(boxes, key=lambda b: len(b.words)):  # a word in two regions goes to the tighter
        for w in box.words:
            claimed.setdefault(w["_id"], box)
    units: list[tuple] = []
    for t in tables:
        units.append((t.page, t.top, 0.0, "table", t))
    for box in boxes:
        box.words = [w for w in box.words if claimed.get(w["_id"]) is box and w["_id"] not in used]
        used.update(w["_id"] for w in box.words)
        used.update(w["_id"] for w in box.label.words)
        units.append((box.label.page, box.label.top, box.label.x0, "box", box))
    for paragraph, beside in _paragraphs([w for w in graph.words if w["_id"] not in used], known):
        units.append((paragraph[0][0]["page"], paragraph[0][0]["top"], paragraph[0][0]["x0"], "text", (paragraph, beside)))
    units.sort(key=lambda u: (u[0], u[1], u[2]))
    for block, (_page, _top, _x, kind, item) in enumerate(units, 1):
        if kind == "table":
            _emit_table(out, item, block)
        elif kind == "box":
            _emit_words(out, item.label.words, block, ordered=True)
            for run, doubt in box_lines(item, known):
                index = _emit_words(out, run, block, ordered=True)
                if doubt:
                    out.doubt(index, doubt)
        else:
            paragraph, beside = item
            _emit_words(out, [w for run in paragraph for w in run], block, ordered=True)
            for run in beside:
                _emit_words(out, run, block)
    return out


def _paragraphs(words: list[dict], known) -> list[tuple[list[list[dict]], list[list[dict]]]]:
    """The words no part of the form claimed, as runs (a line's words cut where they stand apart),
    and the form's own text wrapped down a column joined into one ("Form 4 or" / "Form 5" /
    "obligations may" / "continue. See" / "Instruction 1(b)."), so it reads as the text it is;
    each with the runs of the form's own numbers set beside it ("hours per   0.5")."""
    out: list[list[list[dict]]] = []
    beside: dict[int, list[list[dict]]] = {}
    above: list[tuple[int, list[dict]]] = []  # the line before: its runs and their paragraphs
    for line in lines_of(words):
        here = []
        for run in runs(line.words):
            atoms = [a for w in run for a in w["_atoms"]]
            left = [k for k, r in here if form_words(out[k][0], known)]
            if left and atoms and all(a in known.numbers for a in atoms):
                beside.setdefault(left[-1], []).append(run)
                continue
            h = max(run[0]["bottom"] - run[0]["top"], 1.0)
            match = next((k for k, last in above if abs(last[0]["x0"] - run[0]["x0"]) < h
                          and 0 < run[0]["top"] - last[0]["top"] <= 1.25 * h
                          and form_words(out[k][0], known) and form_words(last, known, alone=False)
                          and not last[-1]["text"].endswith(":")  # a heading ("Explanation of Responses:") ends
                          and not _MARK_START.match(run[0]["text"])  # a footnote starts ("6/ Not applicable.")
                          and form_words(run, known, alone=False)), None)
            if match is None:
                out.append([run])
                match = len(out) - 1
            else:
                out[match].append(run)
            here.append((match, run))
        above = here
    return [(paragraph, beside.get(k, [])) for k, paragraph in enumerate(out)]


_MARK_START = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}[./)]|\([a-z]\)|\*{1,3})$")  # "(6)", "6.", "6/", "(f)", "**"


def _emit_words(out: Source, words: list[dict], block: int, ordered: bool = False, **where) -> int:
    """WORDS (a line, or a label in its reading order) as one piece."""
    words = words if ordered else sorted(words, key=lambda w: w["x0"])
    text = join_lines(w["text"] for w in words)
    box = (min(w["x0"] for w in words), min(w["top"] for w in words), max(w["x1"] for w in words),
           max(w["bottom"] for w in words))
    piece = Piece(text=text, index=len(out.pieces), block=block, page=words[0]["page"], bbox=box,
                  conf=min(w.get("conf", 1.0) for w in words), **where)
    out.pieces.append(piece)
    return piece.index


def _emit_table(out: Source, region: TableRegion, block: int) -> None:
    table = Table(index=len(out.tables), first_piece=len(out.pieces))
    out.tables.append(table)
    rows = [dict(region.header), {col: (1, words) for col, words in region.subs.items()}] + \
        [{col: (1, words) for col, words in row.items()} for row in region.rows]
    ends: dict[int, list[tuple[float, str]]] = {}  # where each line of each column ends, with its text
    for r, cells in enumerate(rows):  # when a value's line or a label's line cut with a hyphen ("Secur-")
        for col, (span, words) in cells.items():
            if span > 1:
                continue  # a label over sub-columns ("7. Title and Amount of Underlying Securities")
            ends.setdefault(col, []).extend(
                (line.words[-1]["x1"], " ".join(w["text"] for w in line.words)
                 if r >= 2 or line.words[-1]["text"].endswith("-") else "") for line in lines_of(words))
    edges = {col: _edge(xs) for col, xs in ends.items()}
    widest = {col: max(x for x, _cut in xs) for col, xs in ends.items()}
    for r, cells in enumerate(rows):
        row: list[Cell] = []
        for col in sorted(cells):
            span, words = cells[col]
            start = len(out.pieces)
            header = r < 2
            texts = []
            last = None
            for line in lines_of(words):
                index = _emit_words(out, line.words, block, table=table.index, row=r, col=col)
                piece = out.pieces[index].text
                if not header and texts and piece[:1] in CLOSING:
                    texts[-1] += piece  # a closing mark never starts a word: "stock units" / ")"
                elif not header and last is not None and _cut_in_word(last, line.words, edges.get(col)):
                    texts[-1] += piece  # "Common Stock (rest" / "ricted stock units": a word the cell's edge cut
                    out.doubt(index, CUT_DOUBT)
                else:
                    texts.append(piece)
                    if not header and last is not None and _cut_in_word(last, line.words, widest[col], capitals=True):
                        out.doubt(index, CUT_DOUBT)  # as far as the column reaches: a word it cut, or two?
                last = line.words
            text = _label_text(texts) if header else join_lines(texts)
            label = (region.spec.kind, region.labelled[col]) if r == 0 and col in region.labelled else None
            row.append(Cell(text=text, col=col, span=span, pieces=(start, len(out.pieces)), header=header, label=label))
        table.rows.append(row)
    table.last_piece = len(out.pieces)


CUT_DOUBT = "a line that filled its cell, joined to the next as one word cut at the cell's edge"


def _edge(ends: list[tuple[float, str]]) -> float | None:
    """A column's right edge, when two different lines or more were cut there (values' lines, or
    its label's lines cut with a hyphen), else None (its widest line alone tells nothing)."""
    edge = max(x for x, _text in ends)
    return edge if len({text for x, text in ends if text and edge - x < 1.0}) >= 2 else None


def _cut_in_word(above: list[dict], here: list[dict], edge: float | None, capitals: bool = False) -> bool:
    """Whether a cell's line ABOVE ran up to the column's EDGE (as far as any of its lines reach)
    and HERE goes on with the rest of its last word (a lower-case letter or a closing mark starts
    it): typed mid-word wraps. CAPITALS: a word in capitals going on in capitals counts too
    ("(HOL" / "DING)": a cut no case tells)."""
    if edge is None or not above or not here:
        return False
    width = (above[-1]["x1"] - above[-1]["x0"]) / max(len(above[-1]["text"]), 1)  # one character
    first = here[0]["text"][:1]
    upper = capitals and above[-1]["text"][-1:].isupper() and here[0]["text"].strip("()[],.").isupper()
    return edge - above[-1]["x1"] <= 0.5 * width and above[-1]["text"][-1:].isalnum() and \
        (first.islower() or first in ")],." or upper) and not above[-1]["text"].endswith("-")


def _label_text(lines: list[str]) -> str:
    """A header cell's lines as the label they print: a word a narrow column cut with a hyphen is
    one word again ("Tran-" / "saction", "BENEFIC-" / "IAL"); otherwise as :func:`join_lines`."""
    out = ""
    for line in (t.strip() for t in lines):
        if out[-2:-1].isalpha() and out.endswith("-") and line[:1].isalpha() and (
                line[:1].islower() or out[-2].isupper() and line[:2].isupper()):
            out = out[:-1] + line
        else:
            out = join_lines([out, line])
    return out
