"""The form's tables found by the geometry of their printed column labels (used by :mod:`.reflow`).

* **Header**: where most of a table's column labels sit together on a page, left to right in the
  descriptor's order. Its columns are the horizontal extents of those labels, its sub-columns
  those of the sub-labels under them ("Code", "V", "Amount", "(A) or (D)", "Price"). Every word of
  the header band goes to the cell it stands in, so a cell holds its whole printed label, number
  and instructions ("3.", "(Instr. 8)") as a drawn table's cell would.
* **Body**: the lines under the header down to the next part of the form (another table's title,
  a section of what follows the tables) or the page's end, and on over the next page when the
  table runs on there, under a repeated header or none.
* **Rows**: :mod:`.reflow_rows`.
* A wide table typed in two blocks (columns 1-6, under them 7-11) is one table: the second
  block's rows pair with the first's by order.
"""
from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

from ..layout import Layout, TableSpec
from .printed import printed
from .reflow_rows import Slot, TableRegion, read_body, slot_of
from .word_graph import Found, WordGraph

_COLUMN_NUMBER = re.compile(r"^\d{1,2}[A-Za-z]?\.$")  # "3.", "2A.", "10." over a column label


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
    continues: bool = False  # the second block of a table typed in two: its rows pair with the first's
    labelled: dict[int, int] = field(default_factory=dict)  # grid column -> descriptor column found printed


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
    headers = [(spec, page, chosen, continues) for spec in layout.tables.values()
               for page, chosen, continues in _headers(find, spec)]
    parts = [(spec, _part(graph, find, spec, page, chosen, known, ends, continues))
             for spec, page, chosen, continues in headers if not _outdone(spec, page, chosen, headers)]
    out = []
    for spec in layout.tables.values():
        mine = [part for s, part in parts if s is spec]
        if mine:  # a table's body ends where any other header begins (its own second block's too)
            tops = [Found([min(part.words, key=lambda w: w["top"])]) for _s, part in parts]
            out.extend(_read(graph, spec, mine, ends + tops, known))
    return out


def _outdone(spec: TableSpec, page: int, chosen: list[tuple[int, Found]], headers: list) -> bool:
    """Whether another table's header, printed in the same place, holds more of its own labels
    (the two tables share most of their column labels: "Title of", "Transaction Date", ...)."""
    top, bottom = min(f.top for _c, f in chosen), max(f.bottom for _c, f in chosen)
    share = _share(spec, page, chosen, headers)
    for other, other_page, other_chosen, _continues in headers:
        if other is spec or other_page != page:
            continue
        o_top, o_bottom = min(f.top for _c, f in other_chosen), max(f.bottom for _c, f in other_chosen)
        if o_top < bottom and top < o_bottom and _share(other, page, other_chosen, headers) > share:
            return True
    return False


def _share(spec: TableSpec, page: int, chosen: list, headers: list) -> float:
    """The share of SPEC's columns its print CHOSEN holds, with the second block typed under it."""
    k = next((i for i, h in enumerate(headers) if h[0] is spec and h[1] == page and h[2] is chosen), None)
    more = headers[k + 1][2] if k is not None and k + 1 < len(headers) and headers[k + 1][0] is spec \
        and headers[k + 1][1] == page and headers[k + 1][3] else []
    return (len(chosen) + len(more)) / len(spec.columns)


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


def _headers(find: Finder, spec: TableSpec) -> list[tuple[int, list[tuple[int, Found]], bool]]:
    """Each page's print of SPEC's header: (page, its (column, label) pairs in order, whether it
    continues the print above it: a wide table typed in two blocks, columns 1-6 and under them 7-11)."""
    candidates = [(ci, f) for ci, column in enumerate(spec.columns) for f in find(column.labels)]
    # a column typed by its number and a word or two of its label ("2. Date", "5. Amount Owned")
    missing = {ci for ci in range(len(spec.columns))} - {ci for ci, _f in candidates}
    candidates += [(ci, f) for ci in sorted(missing) if spec.columns[ci].number
                   for f in find.graph.numbered(spec.columns[ci].number, spec.columns[ci].labels,
                                                [label for s in spec.columns[ci].sub for label in s.labels])]
    out = []
    for page in sorted({f.page for _ci, f in candidates}):
        mine = [(ci, f) for ci, f in candidates if f.page == page]
        chosen = _band(mine)
        if len(chosen) * 2 >= len(spec.columns):
            first, top = min(ci for ci, _f in chosen), min(f.top for _ci, f in chosen)
            above = _band([(ci, f) for ci, f in mine if ci < first and f.bottom < top])
            if len(above) >= 2 and (len(chosen) + len(above)) * 4 >= 3 * len(spec.columns):
                out += [(page, above, False), (page, chosen, True)]  # the band found is the second block
                continue
            # the second block alone on a page after the first's (a page break between the two)
            after = [c for c in out if not c[2]]
            if after and first > max(ci for ci, _f in after[-1][1]):
                out.append((page, chosen, True))
                continue
            out.append((page, chosen, False))
            last, bottom = max(ci for ci, _f in chosen), max(f.bottom for _ci, f in chosen)
            rest = _band([(ci, f) for ci, f in mine if ci > last and f.top > bottom])
            if len(rest) >= 2 and (len(chosen) + len(rest)) * 4 >= 3 * len(spec.columns):
                out.append((page, rest, True))
    return out


def _band(mine: list[tuple[int, Found]]) -> list[tuple[int, Found]]:
    """The labels of the line band holding most of MINE, in column order: each column's highest
    print; of two starting there, the longer (the whole label, not a variant)."""
    if not mine:
        return []
    close = lambda a, b: abs(a.top - b.top) < 4 * _height(a)
    anchor = max(mine, key=lambda c: sum(1 for d in mine if close(c[1], d[1])))[1]
    near = [(ci, f) for ci, f in mine if close(anchor, f)]
    return _in_order(list({ci: (ci, f) for ci, f in sorted(near, key=lambda c: (-c[1].top, c[1].bottom))}.values()))


def _part(graph: WordGraph, find: Finder, spec: TableSpec, page: int, chosen: list[tuple[int, Found]],
          known, ends: list[Found], continues: bool = False) -> _Part:
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
        if start is None and ci > max(starts):  # after the last label found: not in this print
            start = float("inf")
        elif start is None and continues and ci < min(starts):  # the first block's, before this one's
            start = -float("inf")
        elif start is None:  # a column whose label was not found: just after the one before
            start = slots[-1].start + 1.0 if slots else min(starts.values()) - 1.0
        sub_starts: list[float | None] = []
        for k, sub in enumerate(subs):
            cols[grid + k] = ci
            if not column.sub:
                sub_starts.append(start)
                continue
            nxt = min((s for c, s in starts.items() if c > ci), default=float("inf"))
            under = placed[ci].bottom - 0.5 * _height(placed[ci]) if ci in placed else header_top  # (under its label)
            hits = [f for f in find(sub.labels) if f.page == page and start - 2 <= f.x0 < nxt
                    and max(header_top, under) <= f.top <= header_bottom + 12 * _height(f)
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
    labelled = {firsts[ci]: ci for ci in placed}
    return _Part(page, slots, header, subs_out, {w["_id"] for w in band}, band, body_top, title_top, continues, labelled)


def _header_text(words: list[dict], known) -> bool:
    """Whether WORDS (a line under the column labels) are the form's text: its phrases, or the
    end of an instruction a narrow cell wrapped ("5)", "3 and 4)")."""
    atoms = [a for w in words for a in w["_atoms"]]
    return known.covers(atoms, " ".join(w["text"] for w in words)) or \
        all(a.isdigit() and len(a) <= 2 or a in ("and", "instr") for a in atoms)


def _read(graph: WordGraph, spec: TableSpec, parts: list[_Part], ends: list[Found], known) -> list[TableRegion]:
    """Each part's table: its header and the rows under it, on over the pages it runs to."""
    out: list[TableRegion] = []
    paired = 0  # the second block's rows paired so far
    pages = {p.page for p in parts if not p.continues}  # (a second block under the first ends it by its top)
    last_page = max(w["page"] for w in graph.words)
    for n, part in enumerate(parts):
        band_top = min((w["top"] for _span, words in part.header.values() for w in words), default=part.body_top)
        region = TableRegion(spec, part.page, part.title_top if part.title_top is not None else band_top)
        region.header, region.subs, region.labelled = part.header, part.subs, dict(part.labelled)
        region.used |= part.band
        page, top = part.page, part.body_top
        while True:
            end = min((f.top for f in ends if f.page == page and f.top > top), default=float("inf"))
            lines = [line for line in graph.lines if line.page == page and top < (line.top + line.bottom) / 2 < end]
            read_body(region, part.slots, lines, known, joins=page != part.page, runs_on=n > 0 or page != part.page, top=top)
            # a table that reaches the page's end runs on over the next page, unless its header
            # is printed again there (that print is a part of its own)
            if end != float("inf") or page + 1 > last_page or page + 1 in pages:
                break
            page, top = page + 1, -1.0
        if part.continues and out:  # rows paired by order with the first block's, over all its prints
            counts = [len(r.rows) for r in out]  # its header goes with the print whose rows it starts on
            first = next((r for r, below in zip(out, itertools.accumulate(counts)) if paired < below), out[-1])
            first.header.update(region.header)
            first.labelled.update(region.labelled)
            first.subs.update(region.subs)
            first.used |= region.used
            rows = [row for r in out for row in r.rows]
            for row in region.rows:
                rows[paired].update(row) if paired < len(rows) else out[-1].rows.append(row)
                paired += 1
        else:
            out.append(region)
    return out
