"""A page read again by the geometry of its words, when the producer's structure did not carry
the form (a PDF engine that draws no table rules, a page of text with columns).

The form's own labels are found wherever and however they wrap (:mod:`.word_graph`). They give
the page its structure:

* each **table**: its columns are the horizontal extents of its column labels, its sub-columns
  those of the sub-labels under them ("Code", "V", "Amount", "(A) or (D)", "Price"); its body runs
  from under the header to the next part of the form; a row is a band of lines set apart by space,
  and lines that hold values of a number or date column each anchor a row of their own (a title
  wrapped over three lines around them joins the nearest); every word goes to the column whose
  extent holds its middle;
* each **box**: its value is what lies under its label, as far as the next label below and the
  next label to the right.

The result is a new :class:`~extractor.ir.Source` with those tables as grids and each box's words
after its label, read by the same form reading as any other. Nothing here knows which reader ran.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from ..ir import Cell, Piece, Source, Table, join_lines
from ..layout import Layout, TableSpec, all_layouts
from .printed import printed
from .word_graph import Found, WordGraph, lines_of

_VALUE_TYPES = {"number", "date", "code", "acquired_disposed", "ownership"}


@dataclass
class Slot:
    col: int  # grid column
    kind: str  # the sub-column's value type
    start: float  # left edge on the page


@dataclass
class TableRegion:
    spec: TableSpec
    page: int
    top: float  # of its header
    header: list[tuple[int, int, list[dict]]]  # (grid column, span, label words) of the label row
    subs: list[tuple[int, list[dict]]]  # (grid column, words) of the sub-label row
    slots: list[Slot]
    rows: list[dict[int, list[dict]]] = field(default_factory=list)  # grid column -> words
    used: set[int] = field(default_factory=set)


class _Finder:
    """Phrases found once each (every layout shares most of its labels)."""

    def __init__(self, graph: WordGraph) -> None:
        self.graph = graph
        self.memo: dict[str, list[Found]] = {}

    def __call__(self, labels: list[str]) -> list[Found]:
        out: list[Found] = []
        for label in labels:
            if label not in self.memo:
                self.memo[label] = self.graph.find(label)
            out.extend(self.memo[label])
        return out


def _choose(find: _Finder) -> Layout | None:
    """The layout whose title and most labels are printed."""
    best = None
    for layout in all_layouts():
        if not find(layout.match.titles) or any(not find([p]) for p in layout.match.present):
            continue
        if any(find([a]) for a in layout.match.absent):
            continue
        score = sum(bool(find(b.labels)) for b in layout.boxes.values()) + \
            sum(bool(find(c.labels)) for t in layout.tables.values() for c in t.columns)
        if best is None or score > best[0]:
            best = (score, layout)
    return best[1] if best else None


def _in_order(found: list[tuple[int, Found]]) -> list[tuple[int, Found]]:
    """The longest run of (descriptor column, label) whose labels go left to right in column order."""
    found.sort(key=lambda f: f[0])
    best: list[list[tuple[int, Found]]] = []
    for i, item in enumerate(found):
        prev = [best[j] for j in range(i) if found[j][1].x0 < item[1].x0 and found[j][0] < item[0]]
        best.append(max(prev, key=len, default=[]) + [item])
    return max(best, key=len, default=[])


def _table(graph: WordGraph, find: _Finder, spec: TableSpec) -> TableRegion | None:
    """Where SPEC's header is printed, and its columns."""
    candidates = [(ci, f) for ci, column in enumerate(spec.columns) for f in find(column.labels)]
    if not candidates:
        return None
    # the header: the page and band where most of its column labels sit together
    anchor = max(candidates, key=lambda c: sum(1 for d in candidates if d[1].page == c[1].page
                                               and abs(d[1].top - c[1].top) < 4 * _height(c[1])))[1]
    near = [(ci, f) for ci, f in candidates if f.page == anchor.page and abs(f.top - anchor.top) < 4 * _height(anchor)]
    chosen = _in_order(list({ci: (ci, f) for ci, f in sorted(near, key=lambda c: -c[1].top)}.values()))
    if len(chosen) * 2 < len(spec.columns):
        return None
    placed = {ci: f for ci, f in chosen}
    starts = {ci: graph_column_start(graph, f) for ci, f in placed.items()}
    region = TableRegion(spec, anchor.page, min(f.top for f in placed.values()), [], [], [])
    grid, header_bottom = 0, max(f.bottom for f in placed.values())
    for ci, column in enumerate(spec.columns):
        subs = column.slots()
        start = starts.get(ci)
        if start is None:  # a column whose label was not found: just after the one before
            start = region.slots[-1].start + 1.0 if region.slots else min(starts.values()) - 1.0
        if ci in placed:
            words = placed[ci].words
            line = graph.lines[words[0]["_line"]].words
            number = line[words[0]["_k"] - 1] if words[0]["_k"] else None
            if number is not None and number["x0"] == start and number["_id"] not in region.used:
                words = [number, *words]  # "4." printed before its label: the column's number
            region.header.append((grid, len(subs), words))
            region.used.update(w["_id"] for w in words)
        sub_starts: list[float | None] = []
        for k, sub in enumerate(subs):
            if not column.sub:
                sub_starts.append(start)
                continue
            nxt = min((s for c, s in starts.items() if c > ci), default=float("inf"))
            hits = [f for f in find(sub.labels) if f.page == region.page and start - 2 <= f.x0 < nxt
                    and region.top <= f.top <= header_bottom + 6 * _height(f)]
            hit = min(hits, key=lambda f: f.top, default=None)
            if hit is not None:
                region.subs.append((grid + k, hit.words))
                region.used.update(w["_id"] for w in hit.words)
                header_bottom = max(header_bottom, hit.bottom)
            sub_starts.append(start if k == 0 else hit.x0 if hit is not None else None)
        for k, sub_start in enumerate(sub_starts):
            if sub_start is None:  # between its neighbours
                after = next((s for s in sub_starts[k + 1:] if s is not None), None)
                sub_start = (sub_starts[k - 1] + after) / 2 if after is not None else sub_starts[k - 1] + 1.0
                sub_starts[k] = sub_start
            region.slots.append(Slot(grid + k, subs[k].type, sub_start))
        grid += len(subs)
    region.slots.sort(key=lambda s: s.start)
    region.top = min(region.top, header_bottom)
    _read_body(graph, find, region, header_bottom)
    return region


def graph_column_start(graph: WordGraph, found: Found) -> float:
    return graph._column_start(found.words[0])  # noqa: SLF001 - the same rule as the label's own


def _height(found: Found) -> float:
    return max(statistics.median(w["bottom"] - w["top"] for w in found.words), 1.0)


def _slot_of(region: TableRegion, w: dict) -> Slot | None:
    middle = (w["x0"] + w["x1"]) / 2
    inside = [s for s in region.slots if s.start - 1 <= middle]
    return inside[-1] if inside else None


def _read_body(graph: WordGraph, find: _Finder, region: TableRegion, header_bottom: float) -> None:
    """The table's rows: the lines under its header down to the next part of the form."""
    known = printed(_any_layout())
    left = region.slots[0].start - 4
    ends = [f.top for label in _ENDS for f in find([label]) if f.page == region.page and f.top > header_bottom]
    end = min(ends, default=float("inf"))
    lines = [line for line in graph.lines if line.page == region.page and header_bottom < line.top < end]
    body = []
    for line in lines:
        words = [w for w in line.words if w["x1"] > left and w["_id"] not in region.used]
        if not words:
            continue
        atoms = [a for w in words for a in w["_atoms"]]
        if not body and (not atoms or known.covers(atoms, " ".join(w["text"] for w in words))):
            region.used.update(w["_id"] for w in words)  # the header's last lines ("(Instr. 4)")
            continue
        body.append((line, words))
    if not body:
        return
    heights = [max(w["bottom"] - w["top"] for w in words) for _line, words in body]
    gap = 1.2 * statistics.median(heights)
    blocks: list[list[tuple]] = [[body[0]]]
    for item, prev in zip(body[1:], body):
        (blocks[-1] if item[0].top - prev[0].bottom < gap else blocks.append([]) or blocks[-1]).append(item)
    for block in blocks:
        for row in _rows(region, block):
            region.rows.append(row)
            region.used.update(w["_id"] for words in row.values() for w in words)


def _rows(region: TableRegion, block: list[tuple]) -> list[dict[int, list[dict]]]:
    """The rows of one band of lines: each line holding a value of a number, date or code column
    anchors a row; a cell's text wrapped over lines (a run of lines in one column, without a gap)
    goes whole to the row whose anchor is nearest its middle, so a title or a nature of ownership
    centred on its row's values stays with them."""
    middle = lambda words: sum((w["top"] + w["bottom"]) / 2 for w in words) / len(words)  # noqa: E731
    anchors = [middle(words) for _line, words in block
               if any((s := _slot_of(region, w)) is not None and s.kind in _VALUE_TYPES
                      and not w["text"].startswith("(") for w in words)]
    runs: dict[int, list[list[dict]]] = {}  # grid column -> its runs of lines
    last: dict[int, dict] = {}
    for _line, words in block:
        for w in words:
            slot = _slot_of(region, w)
            if slot is None:
                continue
            prev = last.get(slot.col)
            height = w["bottom"] - w["top"]
            if prev is not None and (w["top"] <= prev["bottom"] - 0.3 * height or w["top"] - prev["bottom"] < 0.6 * height):
                runs[slot.col][-1].append(w)
            else:
                runs.setdefault(slot.col, []).append([w])
            last[slot.col] = w
    rows: dict[int, dict[int, list[dict]]] = {}
    for col, col_runs in runs.items():
        for run in col_runs:
            at = middle(run)
            owner = min(range(len(anchors)), key=lambda a: abs(anchors[a] - at)) if anchors else 0
            rows.setdefault(owner, {}).setdefault(col, []).extend(run)
    return [rows[k] for k in sorted(rows)]


_ENDS = ("Table II - Derivative Securities", "Explanation of Responses", "Remarks", "Signature of Reporting Person",
         "Name and Address of Reporting Person", "Reminder: Report on a separate line", "Reporting Owners")


def _any_layout() -> Layout:
    return all_layouts()[0]


@dataclass
class BoxRegion:
    label: Found
    words: list[dict]


def _boxes(graph: WordGraph, find: _Finder, layout: Layout, tables: list[TableRegion]) -> list[BoxRegion]:
    first_table = min(((t.page, t.top) for t in tables), default=(10**6, 0.0))
    labels = []
    for box in layout.boxes.values():
        hits = [f for f in find(box.labels) if (f.page, f.top) < first_table]
        if hits:
            labels.append(_with_number(graph, min(hits, key=lambda f: (f.page, f.top))))
    out = []
    for label in labels:
        h = _height(label)
        right = min((o.x0 for o in labels if o is not label and o.page == label.page and o.x0 > label.x0 + h
                     and o.top < label.bottom + 20 * h and o.bottom > label.top - h), default=float("inf"))
        below = [o.top for o in labels if o is not label and o.page == label.page and o.top > label.bottom - 0.5 * h
                 and o.x0 < right - h and o.x1 > label.x0 + h]
        bottom = min(below + ([first_table[1]] if first_table[0] == label.page else []), default=float("inf"))
        ids = {w["_id"] for w in label.words}
        inside = [w for w in graph.words if w["page"] == label.page and w["_id"] not in ids
                  and label.x0 - 2 * h <= (w["x0"] + w["x1"]) / 2 < right and label.top - 0.5 * h < w["top"] < bottom]
        out.append(BoxRegion(label, inside))
    return out


def _with_number(graph: WordGraph, found: Found) -> Found:
    """FOUND with the box number printed before it ("1.") and the mark after it ("*")."""
    first, last = found.words[0], found.words[-1]
    line, end = graph.lines[first["_line"]].words, graph.lines[last["_line"]].words
    words = list(found.words)
    if first["_k"] and graph._column_start(first) < first["x0"]:  # noqa: SLF001
        words.insert(0, line[first["_k"] - 1])
    if last["_k"] + 1 < len(end) and end[last["_k"] + 1]["text"] in ("*", "**"):
        words.append(end[last["_k"] + 1])
    return Found(words)


def reflow(source: Source) -> tuple[Source, Layout] | None:
    """SOURCE rebuilt from its words and the form's labels (see the module docstring), with the
    layout whose labels it holds; None when the source has no words with places or no form's
    title among them."""
    if not source.words:
        return None
    graph = WordGraph([dict(w) for w in source.words])
    find = _Finder(graph)
    layout = _choose(find)
    if layout is None:
        return None
    tables = [t for t in (_table(graph, find, spec) for spec in layout.tables.values()) if t is not None]
    boxes = _boxes(graph, find, layout, tables)
    title = min(find(layout.match.titles), key=lambda f: (f.page, f.top))
    return _assemble(source, graph, tables, boxes + [BoxRegion(title, [])]), layout


def _assemble(source: Source, graph: WordGraph, tables: list[TableRegion], boxes: list[BoxRegion]) -> Source:
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
        mine = [w for w in box.words if claimed.get(w["_id"]) is box and w["_id"] not in used]
        box.words = mine
        used.update(w["_id"] for w in mine)
        used.update(w["_id"] for w in box.label.words)
        units.append((box.label.page, box.label.top, box.label.x0, "box", box))
    for line in lines_of([w for w in graph.words if w["_id"] not in used]):
        units.append((line.page, line.top, line.words[0]["x0"], "line", line.words))
    units.sort(key=lambda u: (u[0], u[1], u[2]))
    block = 0
    for _page, _top, _x, kind, item in units:
        block += 1
        if kind == "table":
            _emit_table(out, item, block)
        elif kind == "box":
            _emit_words(out, item.label.words, block, ordered=True)
            for line in lines_of(item.words):
                for run in _runs(line.words):
                    _emit_words(out, run, block)
        else:
            for run in _runs(item):
                _emit_words(out, run, block)
    return out


_TICKS = {"X", "x", "\u2612", "\u2611", "\u2713", "\u2714", "[X]", "(X)"}


def _runs(words: list[dict]) -> list[list[dict]]:
    """A line's words cut where they stand apart (the cells of a row side by side), and a check
    mark apart from the label it ticks."""
    words = sorted(words, key=lambda w: w["x0"])
    out = [[words[0]]]
    for w in words[1:]:
        prev = out[-1][-1]
        height = max(w["bottom"] - w["top"], 1.0)
        if w["x0"] - prev["x1"] > 0.9 * height or w["text"] in _TICKS or prev["text"] in _TICKS:
            out.append([w])
        else:
            out[-1].append(w)
    return out


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
    rows = [{col: (span, words) for col, span, words in region.header},
            {col: (1, words) for col, words in region.subs}] + [{col: (1, words) for col, words in row.items()}
                                                                for row in region.rows]
    for r, cells in enumerate(rows):
        row: list[Cell] = []
        for col in sorted(cells):
            span, words = cells[col]
            start = len(out.pieces)
            header = r < 2
            texts = []
            for line in ([words] if header else [line.words for line in lines_of(words)]):
                index = _emit_words(out, line, block, ordered=header, table=table.index, row=r, col=col)
                texts.append(out.pieces[index].text)
            row.append(Cell(text=join_lines(texts), col=col, span=span, pieces=(start, len(out.pieces)), header=header))
        table.rows.append(row)
    table.last_piece = len(out.pieces)
