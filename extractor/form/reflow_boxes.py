"""The form's numbered boxes found by the geometry of their printed labels (used by :mod:`.reflow`).

A box's value is what lies in its area: under and after its label, as far as the next label
below and the next label to the right. Its words are read as lines, each cut where its words
stand apart (two options side by side) or where a word starts at the left edge of another line's
part (the second column of "Officer (give title below)  Other (specify below)"), and a check mark
apart from the label it ticks. A line the producer wrapped (the next line's first word would not
have fitted at its end) is joined to the next: "C/O MICROSOFT" / "CORPORATION" is one street line.
Where the box's edge is not known well enough to tell a wrap from a line's end, the line is joined
and its piece doubted, so the reading goes to review.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from ..layout import Layout
from .reflow_tables import Finder
from .word_graph import Found, WordGraph, lines_of

_TICKS = {"X", "x", "\u2612", "\u2611", "\u2713", "\u2714", "[X]", "(X)"}
WRAP_DOUBT = "a line the producer may have wrapped or ended: joined with the next"


@dataclass
class BoxRegion:
    label: Found
    words: list[dict]
    right: float = float("inf")  # the next label to the right, or the page's text edge


def height_of(found: Found) -> float:
    return max(statistics.median(w["bottom"] - w["top"] for w in found.words), 1.0)


def find_boxes(graph: WordGraph, find: Finder, layout: Layout, before: tuple[int, float]) -> list[BoxRegion]:
    """LAYOUT's boxes printed above BEFORE (the first table's page and top). A box ends on the
    right where the next label to its right starts; a word belongs to the nearest label above it
    of those whose box holds it across: the form's boxes are columns of labels, each over its
    value, however the columns are staggered."""
    labels, checks = [], []
    for box in layout.boxes.values():
        hits = [f for f in find(box.labels) if (f.page, f.top) < before]
        if hits:  # a check box's value is the mark beside its label, not what lies under it
            (checks if box.type == "checkbox" else labels).append(
                with_number(graph, min(hits, key=lambda f: (f.page, f.top))))
    boxes = {id(label): BoxRegion(label, []) for label in labels}
    label_ids = {w["_id"] for label in labels for w in label.words}
    for label in labels:  # the box's right edge: the next label to the right of its own lines
        h = height_of(label)
        boxes[id(label)].right = min((o.x0 for o in labels if o.page == label.page and o.x0 > label.x0 + h
                                      and o.top < label.bottom + 20 * h and o.bottom > label.top - 20 * h),
                                     default=_page_edge(graph, label.page))
    label_ids |= {w["_id"] for label in checks for w in label.words}
    for w in graph.words:
        if w["_id"] in label_ids or (w["page"], w["top"]) >= before:
            continue
        middle = (w["x0"] + w["x1"]) / 2
        owners = [label for label in labels if label.page == w["page"] and label.top - 0.5 * height_of(label) < w["top"]
                  and label.x0 - 2 * height_of(label) <= middle < boxes[id(label)].right]
        if owners:
            owner = max(owners, key=lambda o: o.top)
            boxes[id(owner)].words.append(w)
    return list(boxes.values()) + [BoxRegion(label, []) for label in checks]


def _page_edge(graph: WordGraph, page: int) -> float:
    """Where the text of PAGE ends on the right."""
    return max((w["x1"] for w in graph.words if w["page"] == page), default=float("inf"))


def with_number(graph: WordGraph, found: Found) -> Found:
    """FOUND with the box number printed before it ("1.") and the mark after it ("*")."""
    first, last = found.words[0], found.words[-1]
    line, end = graph.lines[first["_line"]].words, graph.lines[last["_line"]].words
    words = list(found.words)
    if first["_k"] and graph.column_start(first) < first["x0"]:
        words.insert(0, line[first["_k"] - 1])
    if last["_k"] + 1 < len(end) and end[last["_k"] + 1]["text"] in ("*", "**"):
        words.append(end[last["_k"] + 1])
    return Found(words)


def box_lines(box: BoxRegion, known) -> list[tuple[list[dict], str | None]]:
    """BOX's words as the runs the form reading takes as pieces, each with a doubt or None."""
    lines = [runs(line.words) for line in lines_of(box.words)]
    starts = [run[0]["x0"] for line in lines for run in line]
    lines = [[part for run in line for part in _cut_at(run, starts)] for line in lines]
    edge = max(w["x1"] for w in [*box.words, *box.label.words])
    out: list[tuple[list[dict], str | None]] = []
    above: tuple[list[dict], int] | None = None  # the line before when it was one part, and its place in OUT
    for line in lines:
        if len(line) == 1 and above is not None:
            wrapped = _wrapped(above[0], line[0], edge, box.right, known)
            if wrapped is not False:
                run, doubt = out[above[1]]
                out[above[1]] = (run + line[0], doubt or (WRAP_DOUBT if wrapped is None else None))
                above = (line[0], above[1])
                continue
        out.extend((run, None) for run in line)
        above = (line[0], len(out) - 1) if len(line) == 1 else None
    return out


def _wrapped(above: list[dict], here: list[dict], edge: float, limit: float, known) -> bool | None:
    """Whether the line ABOVE was wrapped before HERE: True when HERE's first word would not have
    fitted even at the box's LIMIT, None when it would not fit the EDGE its words reach but might
    the LIMIT, False when it would have fitted (or either line is printed form text)."""
    h = max(statistics.median(w["bottom"] - w["top"] for w in above + here), 1.0)
    if here[0]["top"] - max(w["bottom"] for w in above) > 0.8 * h or abs(here[0]["x0"] - above[0]["x0"]) > 2 * h:
        return False
    for words in (above, here):
        atoms = [a for w in words for a in w["_atoms"]]
        if not atoms or known.covers(atoms, " ".join(w["text"] for w in words)):
            return False
    reach = above[-1]["x1"] + 0.3 * h + (here[0]["x1"] - here[0]["x0"])
    if reach <= edge + 0.5:
        return False
    return True if reach > limit - 0.5 * h else None


def runs(words: list[dict]) -> list[list[dict]]:
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


def _cut_at(run: list[dict], starts: list[float]) -> list[list[dict]]:
    """RUN cut before a word that starts where another line's part starts (a second column whose
    words came close to the first's)."""
    out = [[run[0]]]
    for w in run[1:]:
        h = max(w["bottom"] - w["top"], 1.0)
        if w["x0"] - out[-1][-1]["x1"] > 0.2 * h and any(abs(w["x0"] - s) < 0.15 * h for s in starts):
            out.append([w])
        else:
            out[-1].append(w)
    return out
