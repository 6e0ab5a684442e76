"""The rows of a table found by its printed column labels (:mod:`.reflow_tables`): the lines
under its header, each word in the column whose extent holds it.

* **Rows**: a line holding a value of a number, date or code column anchors a row; a cell's text
  wrapped over lines (a run of lines in one column, without a gap) goes to the row whose anchor
  it spans (values centred on a title, or level with its first or last line) or, spanning none,
  the nearest; a run spanning two anchors is cut at its widest gap between them (between lines
  evenly set, just over the lower values). Rows that run over a page break with nothing but text
  at the top of the next page join the row before.
* **End**: the form's own text, or a paragraph running across the columns, set apart under the
  rows ends the table.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ..layout import TableSpec

_VALUE_TYPES = {"number", "date", "code", "acquired_disposed", "ownership"}
_WHOLE = {  # a whole value of each type, as a cell holds it (not a part wrapped over lines)
    "date": re.compile(r"^(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-\d{1,2}-\d{2,4}|\d{4}-\d{2}-\d{2})$"),
    "number": re.compile(r"^\$?\(?-?\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?$"),
    "code": re.compile(r"^[A-Z]\d?$"),
    "acquired_disposed": re.compile(r"^\(?[AD]\)?$"),
    "ownership": re.compile(r"^\(?[DI]\)?$"),
}

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
    labelled: dict[int, int] = field(default_factory=dict)  # grid column -> descriptor column whose label it prints


def slot_of(slots: list[Slot], w: dict) -> Slot | None:
    """The sub-column whose extent holds W's middle."""
    middle = (w["x0"] + w["x1"]) / 2
    inside = [s for s in slots if s.start - 1 <= middle]
    return inside[-1] if inside else None

def read_body(region: TableRegion, slots: list[Slot], lines: list, known, joins: bool, runs_on: bool,
          top: float = -1.0) -> None:
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
        form_text = len(atoms) > 1 and known.covers(atoms, " ".join(w["text"] for w in words))
        if not body and (not atoms or joins and form_text):
            continue  # form text at the top of a page the table runs on to: left for the page's lines
        above = body[-1][0].bottom if body else top
        if line.top - above > 1.2 * (line.bottom - line.top) and (form_text or _prose(words, slots)):
            break  # the form's own text, or a paragraph, set apart under the rows: the table has ended
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


def _prose(words: list[dict], slots: list[Slot]) -> bool:
    """Whether the line WORDS runs as one text across three columns or more (a footnote, the
    remarks): a table's cells stand apart at its columns."""
    run: set[int] = set()
    for w, prev in zip(words, [None, *words]):
        if prev is not None and w["x0"] - prev["x1"] > 0.9 * max(w["bottom"] - w["top"], 1.0):
            run = set()
        slot = slot_of(slots, w)
        run.add(slot.col if slot is not None else -1)
        if len(run) >= 3:
            return True
    return False


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
        # at the widest gap; between lines evenly set, just over the lower values (a row's text
        # starts level with its values, as a typed or top-aligned row prints it)
        k = max(cuts, key=lambda k: (round(rest[k]["top"] - rest[k - 1]["bottom"], 1), k))
        pieces.append(rest[:k])
        rest = rest[k:]
    return pieces + [rest]
