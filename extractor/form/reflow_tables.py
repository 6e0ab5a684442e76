"""The form's tables found by the geometry of their printed column labels (used by :mod:`.reflow`).

* **Header**: where most of a table's column labels sit together on a page, left to right in the
  descriptor's order. Its columns are the horizontal extents of those labels, its sub-columns
  those of the sub-labels under them ("Code", "V", "Amount", "(A) or (D)", "Price"). Every word of
  the header band goes to the cell it stands in, so a cell holds its whole printed label, number
  and instructions ("3.", "(Instr. 8)") as a drawn table's cell would.
* **Body**: the lines under the header down to the next part of the form (another table's title,
  a section of what follows the tables) or the page's end, and on over the next page when the
  table runs on there, under a repeated header or none.
* **Rows**: a line holding a value of a number, date or code column anchors a row; a cell's text
  wrapped over lines (a run of lines in one column, without a gap) goes to the row whose anchor
  it spans (values centred on a title, or level with its first or last line) or, spanning none,
  the nearest; a run spanning two anchors is cut at its widest gap between them. Rows that run
  over a page break with nothing but text at the top of the next page join the row before.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ..layout import Layout, TableSpec
from .printed import printed
from .word_graph import Found, WordGraph

_VALUE_TYPES = {"number", "date", "code", "acquired_disposed", "ownership"}
_WHOLE = {  # a whole value of each type, as a cell holds it (not a part wrapped over lines)
    "date": re.compile(r"^(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})$"),
    "number": re.compile(r"^\$?\(?-?\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?$"),
    "code": re.compile(r"^[A-Z]\d?$"),
    "acquired_disposed": re.compile(r"^\(?[AD]\)?$"),
    "ownership": re.compile(r"^\(?[DI]\)?$"),
}
_COLUMN_NUMBER = re.compile(r"^\d{1,2}[A-Za-z]?\.$")  # "3.", "2A.", "10." over a column label


@dataclass
class Slot:
    col: int  # grid column
    kind: str  # the sub-column's value type
    start: float  # left edge on the page


@dataclass
class TableRegion:
    spec: TableSpec
    page: int
    top: float  # of its title, or its header when no title is printed above it
    header: dict[int, tuple[int, list[dict]]] = field(default_factory=dict)  # grid column -> (span, words)
    subs: dict[int, list[dict]] = field(default_factory=dict)  # grid column -> words of the sub-label row
    rows: list[dict[int, list[dict]]] = field(default_factory=list)  # grid column -> words
    used: set[int] = field(default_factory=set)


@dataclass
class _Part:
    """One page's print of a table: its columns and where its body runs."""

    page: int
    slots: list[Slot]
    header: dict[int, tuple[int, list[dict]]]
    subs: dict[int, list[dict]]
    band: set[int]  # ids of the header band's words
    words: list[dict]  # the header band's words
    body_top: float
    title_top: float | None = None


class Finder:
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


def find_tables(graph: WordGraph, find: Finder, layout: Layout) -> list[TableRegion]:
    """LAYOUT's tables as printed on the page(s) of GRAPH."""
    ends = [f for spec in layout.tables.values() for f in find([spec.title, *spec.variants])] + \
        [f for section in layout.sections.values() for f in find(section.labels)]
    known = printed(layout)
    headers = [(spec, page, chosen) for spec in layout.tables.values() for page, chosen in _headers(find, spec)]
    parts = [(spec, _part(graph, find, spec, page, chosen, known, ends)) for spec, page, chosen in headers
             if not _outdone(spec, page, chosen, headers)]
    out = []
    for spec in layout.tables.values():
        mine = [part for s, part in parts if s is spec]
        if mine:  # a table's body ends where any other table's header begins
            tops = [Found([min(part.words, key=lambda w: w["top"])]) for s, part in parts if s is not spec]
            out.extend(_read(graph, spec, mine, ends + tops, known))
    return out


def _outdone(spec: TableSpec, page: int, chosen: list[tuple[int, Found]], headers: list) -> bool:
    """Whether another table's header, printed in the same place, holds more of its own labels
    (the two tables share most of their column labels: "Title of", "Transaction Date", ...)."""
    top, bottom = min(f.top for _c, f in chosen), max(f.bottom for _c, f in chosen)
    share = len(chosen) / len(spec.columns)
    for other, other_page, other_chosen in headers:
        if other is spec or other_page != page:
            continue
        o_top, o_bottom = min(f.top for _c, f in other_chosen), max(f.bottom for _c, f in other_chosen)
        if o_top < bottom and top < o_bottom and len(other_chosen) / len(other.columns) > share:
            return True
    return False


def _height(found: Found) -> float:
    return max(statistics.median(w["bottom"] - w["top"] for w in found.words), 1.0)


def _in_order(found: list[tuple[int, Found]]) -> list[tuple[int, Found]]:
    """The longest run of (descriptor column, label) whose labels go left to right in column order."""
    found.sort(key=lambda f: f[0])
    best: list[list[tuple[int, Found]]] = []
    for i, item in enumerate(found):
        prev = [best[j] for j in range(i) if found[j][1].x0 < item[1].x0 and found[j][0] < item[0]]
        best.append(max(prev, key=len, default=[]) + [item])
    return max(best, key=len, default=[])


def _headers(find: Finder, spec: TableSpec) -> list[tuple[int, list[tuple[int, Found]]]]:
    """Each page's print of SPEC's header: (page, its (column, label) pairs in order)."""
    candidates = [(ci, f) for ci, column in enumerate(spec.columns) for f in find(column.labels)]
    out = []
    for page in sorted({f.page for _ci, f in candidates}):
        mine = [(ci, f) for ci, f in candidates if f.page == page]
        close = lambda a, b: abs(a.top - b.top) < 4 * _height(a)  # noqa: E731
        anchor = max(mine, key=lambda c: sum(1 for d in mine if close(c[1], d[1])))[1]
        near = [(ci, f) for ci, f in mine if close(anchor, f)]
        chosen = _in_order(list({ci: (ci, f) for ci, f in sorted(near, key=lambda c: -c[1].top)}.values()))
        if len(chosen) * 2 >= len(spec.columns):
            out.append((page, chosen))
    return out


def _part(graph: WordGraph, find: Finder, spec: TableSpec, page: int, chosen: list[tuple[int, Found]],
          known, ends: list[Found]) -> _Part:
    placed = {ci: f for ci, f in chosen}
    starts = {ci: graph.column_start(f.words[0]) for ci, f in placed.items()}
    label_ids = {w["_id"] for f in placed.values() for w in f.words}
    header_top = min(f.top for f in placed.values())
    header_bottom = max(f.bottom for f in placed.values())
    slots: list[Slot] = []
    sub_tops: dict[int, float] = {}  # descriptor column -> top of its sub-label row
    sub_words: dict[int, list[dict]] = {}
    grid, cols = 0, {}  # cols: grid column -> descriptor column
    for ci, column in enumerate(spec.columns):
        subs = column.slots()
        start = starts.get(ci)
        if start is None:  # a column whose label was not found: just after the one before
            start = slots[-1].start + 1.0 if slots else min(starts.values()) - 1.0
        sub_starts: list[float | None] = []
        for k, sub in enumerate(subs):
            cols[grid + k] = ci
            if not column.sub:
                sub_starts.append(start)
                continue
            nxt = min((s for c, s in starts.items() if c > ci), default=float("inf"))
            hits = [f for f in find(sub.labels) if f.page == page and start - 2 <= f.x0 < nxt
                    and header_top <= f.top <= header_bottom + 6 * _height(f)
                    and not any(w["_id"] in label_ids for w in f.words)]
            hit = min(hits, key=lambda f: f.top, default=None)
            if hit is not None:
                sub_tops[ci] = min(sub_tops.get(ci, hit.top), hit.top)
                sub_words.setdefault(grid + k, []).extend(hit.words)
                label_ids.update(w["_id"] for w in hit.words)
                header_bottom = max(header_bottom, hit.bottom)
            sub_starts.append(start if k == 0 else hit.x0 if hit is not None else None)
        nxt = min((s for c, s in starts.items() if c > ci), default=None)
        for k, sub_start in enumerate(sub_starts):
            if sub_start is None:  # a sub-label not found: between its neighbours, evenly
                after = next(((j, s) for j, s in enumerate(sub_starts[k + 1:], k + 1) if s is not None),
                             (len(subs), nxt) if nxt is not None else None)
                if after is None:
                    sub_start = sub_starts[k - 1] + 1.0
                else:
                    sub_start = sub_starts[k - 1] + (after[1] - sub_starts[k - 1]) / (after[0] - k + 1)
                sub_starts[k] = sub_start
            slots.append(Slot(grid + k, subs[k].type, sub_start))
        grid += len(subs)
    slots.sort(key=lambda s: s.start)
    left = slots[0].start - 4
    height = statistics.median(_height(f) for f in placed.values())
    # the header band: from the column numbers printed over the labels down to the last line that
    # is printed form text ("(Instr. 4)", "Code V Amount (A) or (D) Price")
    band: list[dict] = []
    body_top = header_bottom
    stop = min((f.top for f in ends if f.page == page and f.top > header_bottom), default=float("inf"))
    for line in graph.lines:
        if line.page != page or line.bottom < header_top - 2 * height:
            continue
        if line.top >= stop:
            break
        words = [w for w in line.words if w["x1"] > left]
        if line.top < header_top - 0.3 * height:
            band.extend(w for w in words if w["_id"] in label_ids or _COLUMN_NUMBER.match(w["text"]))
            continue
        # under the labels, the band goes on while its lines are form text set close under it, in
        # the labels' type size (a value is printed larger)
        if line.top > header_bottom and words and (
                line.top - body_top > 0.4 * height or statistics.median(w["bottom"] - w["top"] for w in words) > 1.25 * height
                or not _header_text(words, known)):
            break
        band.extend(words)
        body_top = max(body_top, line.bottom)
    header: dict[int, tuple[int, list[dict]]] = {}
    subs_out: dict[int, list[dict]] = {}
    firsts = {ci: g for g, ci in sorted(cols.items(), reverse=True)}  # descriptor column -> its first grid column
    for w in band:
        slot = slot_of(slots, w)
        if slot is None:
            continue
        ci = cols[slot.col]
        if ci in sub_tops and w["top"] >= sub_tops[ci] - 0.3 * height:
            subs_out.setdefault(slot.col, []).append(w)
        else:
            first = firsts[ci]
            header.setdefault(first, (len(spec.columns[ci].slots()), []))[1].append(w)
    titles = [f for f in find([spec.title, *spec.variants]) if f.page == page and f.bottom <= header_top + height
              and header_top - f.bottom < 8 * height]
    title_top = max(titles, key=lambda f: f.top).top if titles else None
    return _Part(page, slots, header, subs_out, {w["_id"] for w in band}, band, body_top, title_top)


def _header_text(words: list[dict], known) -> bool:
    """Whether WORDS (a line under the column labels) are the form's text: its phrases, or the
    end of an instruction a narrow cell wrapped ("5)", "3 and 4)")."""
    atoms = [a for w in words for a in w["_atoms"]]
    return known.covers(atoms, " ".join(w["text"] for w in words)) or \
        all(a.isdigit() and len(a) <= 2 or a in ("and", "instr") for a in atoms)


def slot_of(slots: list[Slot], w: dict) -> Slot | None:
    """The sub-column whose extent holds W's middle."""
    middle = (w["x0"] + w["x1"]) / 2
    inside = [s for s in slots if s.start - 1 <= middle]
    return inside[-1] if inside else None


def _read(graph: WordGraph, spec: TableSpec, parts: list[_Part], ends: list[Found], known) -> list[TableRegion]:
    """Each part's table: its header and the rows under it, on over the pages it runs to."""
    out = []
    pages = {p.page for p in parts}
    last_page = max(w["page"] for w in graph.words)
    for n, part in enumerate(parts):
        band_top = min((w["top"] for _span, words in part.header.values() for w in words), default=part.body_top)
        region = TableRegion(spec, part.page, part.title_top if part.title_top is not None else band_top)
        region.header, region.subs = part.header, part.subs
        region.used |= part.band
        page, top = part.page, part.body_top
        while True:
            end = min((f.top for f in ends if f.page == page and f.top > top), default=float("inf"))
            lines = [line for line in graph.lines if line.page == page and top < (line.top + line.bottom) / 2 < end]
            _body(region, part.slots, lines, known, joins=page != part.page, runs_on=n > 0 or page != part.page)
            # a table that reaches the page's end runs on over the next page, unless its header
            # is printed again there (that print is a part of its own)
            if end != float("inf") or page + 1 > last_page or page + 1 in pages:
                break
            page, top = page + 1, -1.0
        out.append(region)
    return out


def _body(region: TableRegion, slots: list[Slot], lines: list, known, joins: bool, runs_on: bool) -> None:
    """The rows of LINES into REGION. JOINS: the lines go on a table from the page before (no header
    over them): a first row without values joins the last one. RUNS_ON: the lines may begin with
    the rest of a row the page break cut (text above the first row's values is a row of its own)."""
    left = slots[0].start - 4
    body = []
    for line in lines:
        words = [w for w in line.words if w["x1"] > left and w["_id"] not in region.used]
        if not words:
            continue
        atoms = [a for w in words for a in w["_atoms"]]
        if not body and (not atoms or joins and len(atoms) > 1 and known.covers(atoms, " ".join(w["text"] for w in words))):
            continue  # form text at the top of a page the table runs on to: left for the page's lines
        body.append((line, words))
    if not body:
        return
    heights = [max(w["bottom"] - w["top"] for w in words) for _line, words in body]
    gap = 1.2 * statistics.median(heights)
    blocks: list[list[tuple]] = [[body[0]]]
    for item, prev in zip(body[1:], body):
        (blocks[-1] if item[0].top - prev[0].bottom < gap else blocks.append([]) or blocks[-1]).append(item)
    for k, block in enumerate(blocks):
        for r, (row, anchored) in enumerate(_rows(slots, block, apart=runs_on and k == 0)):
            if joins and k == 0 and r == 0 and not anchored and region.rows:
                for col, words in row.items():  # a row's text run over from the page before
                    region.rows[-1].setdefault(col, []).extend(words)
            else:
                region.rows.append(row)
            region.used.update(w["_id"] for words in row.values() for w in words)


def _rows(slots: list[Slot], block: list[tuple], apart: bool = False) -> list[tuple[dict[int, list[dict]], bool]]:
    """The rows of one band of lines (see the module docstring), each with whether a value anchors
    it. APART: text wholly above the first values is a row of its own (the rest of a row the page
    break cut), not the first row's."""
    # a line with values anchors a row; lines whose whole values stand in different columns are
    # one row's (a cell's values wrapped to other heights: "J^" / "(1)^" over the row's date)
    anchors: list[tuple[float, float, set[int]]] = []  # (first, last middle, columns holding whole values)
    for _line, words in block:
        values = [(w, s) for w in words if (s := slot_of(slots, w)) is not None and s.kind in _VALUE_TYPES
                  and not w["text"].startswith("(")]
        if not values:
            continue
        middle = sum((w["top"] + w["bottom"]) / 2 for w, _s in values) / len(values)
        whole = {s.col for w, s in values if _WHOLE[s.kind].match(w["text"])}
        if anchors and not anchors[-1][2] & whole:
            anchors[-1] = (anchors[-1][0], middle, anchors[-1][2] | whole)
        else:
            anchors.append((middle, middle, whole))
    runs: dict[int, list[list[dict]]] = {}  # grid column -> its runs of lines
    last: dict[int, dict] = {}
    for _line, words in block:
        for w in words:
            slot = slot_of(slots, w)
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
        for run in (piece for run in col_runs for piece in _cut(run, anchors)):
            top, bottom = min(w["top"] for w in run), max(w["bottom"] for w in run)
            spanned = [a for a, (lo, hi, _c) in enumerate(anchors) if lo <= bottom and hi >= top]
            middle = (top + bottom) / 2
            if apart and anchors and not spanned and bottom < anchors[0][0]:
                owner = -1
            else:
                owner = spanned[0] if spanned else min(
                    range(len(anchors)), key=lambda a: max(anchors[a][0] - middle, middle - anchors[a][1], 0)) if anchors else 0
            rows.setdefault(owner, {}).setdefault(col, []).extend(run)
    return [(rows[k], bool(anchors) and k >= 0) for k in sorted(rows)]


def _cut(run: list[dict], anchors: list[tuple[float, float, set[int]]]) -> list[list[dict]]:
    """RUN cut where its lines stand further apart than its closest lines (two cells' padding
    between them, not one cell's leading), and between every two anchors it spans, at its
    widest gap between them."""
    lines: list[list[dict]] = []
    for w in sorted(run, key=lambda w: (w["top"], w["x0"])):
        if lines and w["top"] < lines[-1][0]["bottom"] - 0.3 * (w["bottom"] - w["top"]):
            lines[-1].append(w)
        else:
            lines.append([w])
    if len(lines) > 2:
        gaps = [b[0]["top"] - max(w["bottom"] for w in a) for a, b in zip(lines, lines[1:])]
        h = statistics.median(w["bottom"] - w["top"] for w in run)
        base = min(gaps)
        cuts = [k + 1 for k, g in enumerate(gaps) if g > base + 0.2 * h]
        if cuts:
            bounds = [0, *cuts, len(lines)]
            return [piece for a, b in zip(bounds, bounds[1:])
                    for piece in _cut_between([w for line in lines[a:b] for w in line], anchors)]
    return _cut_between(run, anchors)


def _cut_between(run: list[dict], anchors: list[tuple[float, float, set[int]]]) -> list[list[dict]]:
    top, bottom = min(w["top"] for w in run), max(w["bottom"] for w in run)
    inside = [(lo + hi) / 2 for lo, hi, _c in anchors if top <= (lo + hi) / 2 <= bottom]
    if len(inside) < 2:
        return [run]
    run = sorted(run, key=lambda w: (w["top"], w["x0"]))
    pieces, rest = [], run
    for upper, lower in zip(inside, inside[1:]):
        cuts = [k for k in range(1, len(rest)) if upper <= (rest[k]["top"] + rest[k - 1]["bottom"]) / 2 <= lower
                and rest[k]["top"] >= rest[k - 1]["bottom"] - 1]
        if not cuts:
            continue
        k = max(cuts, key=lambda k: rest[k]["top"] - rest[k - 1]["bottom"])
        pieces.append(rest[:k])
        rest = rest[k:]
    return pieces + [rest]
