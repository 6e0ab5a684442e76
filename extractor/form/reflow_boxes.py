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

import re

import statistics
from dataclasses import dataclass, field

from ..labels import normalise
from ..layout import Layout
from .printed import STOPWORDS
from .reflow_tables import Finder
from .word_graph import Found, WordGraph, lines_of

_TICKS = {"X", "x", "XX", "xx", "\u2612", "\u2611", "\u2713", "\u2714", "[X]", "(X)", "[x]", "(x)", "_X_", "__X__"}
WRAP_DOUBT = "a line the producer may have wrapped or ended: joined with the next"


@dataclass
class BoxRegion:
    label: Found
    words: list[dict]
    right: float = float("inf")  # the next label to the right, or the page's text edge
    options: list[list[str]] = field(default_factory=list)  # its option labels' atoms (relationship, joint filing)


def height_of(found: Found) -> float:
    return max(statistics.median(w["bottom"] - w["top"] for w in found.words), 1.0)


def find_boxes(graph: WordGraph, find: Finder, layout: Layout, before: tuple[int, float]) -> list[BoxRegion]:
    """LAYOUT's boxes printed above BEFORE (the first table's page and top). A box ends on the
    right where the next label to its right starts; a word belongs to the nearest label above it
    of those whose box holds it across: the form's boxes are columns of labels, each over its
    value, however the columns are staggered."""
    labels, checks, options = [], [], {}
    for box in layout.boxes.values():
        hits = [f for f in find(box.labels) if (f.page, f.top) < before]
        if hits:  # a check box's value is the mark beside its label, not what lies under it
            label = with_number(graph, min(hits, key=lambda f: (f.page, f.top)))
            (checks if box.type == "checkbox" else labels).append(label)
            options[id(label)] = [normalise(text).split() for option in box.options for text in option.labels]
    boxes = {id(label): BoxRegion(label, [], options=options[id(label)]) for label in labels}
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
            # a word just left of a label (the slack) stays in the box it stands in, but a check mark
            # goes with the options to its right
            if w["text"] in _TICKS:
                owner = max(owners, key=lambda o: (o.x0, o.top))
            else:
                owner = max(owners, key=lambda o: (o.x0 <= middle, o.top))
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
    start = graph.column_start(first) if first["_k"] else first["x0"]
    if start < first["x0"]:  # its number ("4.", "(4)"), and "Item" before it
        words[:0] = [w for w in line[:first["_k"]] if w["x0"] >= start]
    if last["_k"] + 1 < len(end) and end[last["_k"] + 1]["text"] in ("*", "**"):
        words.append(end[last["_k"] + 1])
    return Found(words)


_STATE_ZIP = re.compile(r"^[A-Z]{2}\.? \d{5}(?:-\d{4})?$")  # the runs after a city: "CO" "80202"
_CITY_STATE = re.compile(r"^[A-Za-z][A-Za-z .'-]*, ?[A-Z]{2}\.?(?: \d{5}(?:-\d{4})?)?$")


def box_lines(box: BoxRegion, known) -> list[tuple[list[dict], str | None]]:
    """BOX's words as the runs the form reading takes as pieces, each with a doubt or None. A run
    goes on from the run above it (same left edge, next line) when the producer wrapped it: its
    first word would not have fitted before the next column's start (certain), or before the
    box's edge (as far as its words show it; doubted when the box may be wider)."""
    lines = [runs(line.words) for line in lines_of(box.words)] if box.words else []
    starts = [[run[0]["x0"] for run in line] for line in lines]  # where each line's parts start
    gaps = sorted(b["x0"] - a["x1"] for line in lines for run in line for a, b in zip(run, run[1:]))
    space = gaps[len(gaps) // 2] if gaps else 0.0  # the box's space between words
    lines = [[part for run in line
              for part in _cut_at(run, [x for near in starts[max(k - 1, 0):k + 2] for x in near], space)]
             for k, line in enumerate(lines)]
    edge = max(w["x1"] for w in [*box.words, *box.label.words] if w["text"] not in ("*", "**"))
    out: list[tuple[list[dict], str | None]] = []
    above: list[tuple[list[dict], int, float | None]] = []  # the line before: its runs, their places, next run's start
    for line in lines:
        here = []
        for k, run in enumerate(line):
            if run[0]["text"] in _TICKS:  # a check mark is never a wrapped line's
                out.append((run, None))
                continue
            nxt = line[k + 1][0]["x0"] if k + 1 < len(line) else None
            h = max(run[0]["bottom"] - run[0]["top"], 1.0)
            match = next((a for a in above if abs(a[0][0]["x0"] - run[0]["x0"]) < 2 * h), None)
            if match is not None:
                words, place, column_end = match
                if nxt is not None and words[-1]["x1"] < nxt:  # the next column may show on either line
                    # ("LONG" / "ISLAND  NY  11101"), where the line above stops short of it
                    column_end = min(column_end, nxt) if column_end is not None else nxt
                # a line typed "CITY, ST" starts the address's last line, whatever stands above it
                city = _CITY_STATE.search(" ".join(w["text"] for w in run))
                # nor does anything wrap onto an option's whole label ("Director" / "Officer (give ...")
                whole = [a for w in words for a in w["_atoms"]] in box.options
                wrapped = False if city or whole else _wrapped(words, run, column_end, edge, box.right, known)
                rest = " ".join(w["text"] for part in line[k + 1:k + 3] for w in part)
                if wrapped is not False and _STATE_ZIP.match(rest):
                    # "DENVER  CO  80202" under "SUITE 3875", or "ISLAND  NY  11101" under "LONG": a city
                    # line of its own, or the rest of the city above? kept apart, in doubt
                    out.append((run, WRAP_DOUBT))
                    here.append((run, len(out) - 1, nxt))
                    continue
                if wrapped is not False:
                    joined, doubt = out[place]
                    out[place] = (joined + run, doubt or (WRAP_DOUBT if wrapped is None else None))
                    here.append((run, place, column_end if column_end is not None else nxt))
                    continue
            out.append((run, None))
            here.append((run, len(out) - 1, nxt))
        above = here
    return _columns_first(out, box.options) if box.options else out


def _of_option(words: list[dict], options: list[list[str]]) -> bool:
    """Whether WORDS are (a line of) one of the OPTIONS' labels, or a check mark."""
    atoms = [a for w in words for a in w["_atoms"]]
    if not atoms or words[0]["text"] in _TICKS:
        return True
    return any(atoms == label[k:k + len(atoms)] for label in options for k in range(len(label) - len(atoms) + 1))


def _columns_first(out: list[tuple[list[dict], str | None]], options: list[list[str]]) -> list[tuple[list[dict], str | None]]:
    """A box of options printed in columns ("Director" over "Officer (give title below)", "10%
    Owner" over "Other (specify below)"), read column by column, as each option's label runs on
    down its column; the values (an officer's title, the other relationship) after them, column
    by column too."""
    if len(out) < 3:
        return out
    h = statistics.median(w["bottom"] - w["top"] for run, _d in out for w in run)
    starts: list[float] = []
    for x in sorted(run[0]["x0"] for run, _d in out):
        if not starts or x - starts[-1] > 0.8 * h:
            starts.append(x)
    column = [max(k for k, s in enumerate(starts) if s <= run[0]["x0"] + 0.8 * h) for run, _d in out]
    right = [k for k, c in enumerate(column) if c == len(starts) - 1 and c > 0 and _of_option(out[k][0], options)]
    if not right:
        return out
    top = min(out[k][0][0]["top"] for k in right) - h
    first = next(k for k, (run, _d) in enumerate(out) if run[0]["top"] >= top)
    value = {k: not _of_option(out[k][0], options) for k in range(first, len(out))}
    for c in set(column[first:]):  # under a value in its column, all is value ("Public" / "Affairs" / "Officer")
        below = False
        for k in sorted((k for k in value if column[k] == c), key=lambda k: out[k][0][0]["top"]):
            below = value[k] = below or value[k]
    grid = sorted(range(first, len(out)), key=lambda k: (value[k], column[k], out[k][0][0]["top"]))
    return out[:first] + [out[k] for k in grid]


def _wrapped(above: list[dict], here: list[dict], column_end: float | None, edge: float, limit: float,
             known) -> bool | None:
    """Whether the line ABOVE was wrapped before HERE. Only a line at the paragraph's own pitch
    (EDGAR pads the rows of a box, so its street lines stand further apart) that starts under
    it can be its wrap; then True when HERE's first word would have run into the next column
    (COLUMN_END) or past the box's LIMIT, None when it would have ended near the EDGE the box's
    words reach (the box may be that little narrower or wider), False when it would have fitted.
    The form's own text wraps only when that is certain, and a value and the form's text under
    it ("(Street)") are never one line."""
    h = max(statistics.median(w["bottom"] - w["top"] for w in above + here), 1.0)
    if here[0]["top"] - above[0]["top"] > 1.25 * h or here[0]["top"] < above[0]["bottom"] - 0.5 * h:
        return False
    reach = above[-1]["x1"] + 0.3 * h + (here[0]["x1"] - here[0]["x0"])
    certain = reach > (column_end if column_end is not None else limit) - 0.2 * h
    form = [form_words(words, known, alone=False, values_upper=True) for words in (above, here)]
    if form[0] or form[1]:
        return certain and form[0] == form[1]
    if certain:
        return True
    return False if reach < (column_end if column_end is not None else edge) - 1.5 * h else None


def form_words(run: list[dict], known, alone: bool = True, values_upper: bool = False) -> bool:
    """Whether RUN is in the form's own words (its vocabulary, function words, short numbers and
    the numbers the form prints),
    with one of its vocabulary unless it goes on a line of them (ALONE false: "See" / "1(b).").
    VALUES_UPPER: a word in capitals is a value's ("CITY" of "LONG ISLAND" / "CITY", a state "CT"), as the
    form prints its labels in mixed case."""
    atoms = [a for w in run for a in w["_atoms"]]
    if values_upper and any(len(w["text"]) >= 2 and w["text"].isalpha() and w["text"].isupper() for w in run):
        return False
    # a number of three digits or more is the form's own only where the form prints it ("1934", "0104"):
    # "560" on a line of its own is the rest of a street, "55416" a zip code
    return bool(atoms) and all(a in known.vocab or a in STOPWORDS or len(a) < 3 or
                               (not a.isalpha() and (not a.isdigit() or a in known.numbers)) for a in atoms) \
        and (not alone or any(a in known.vocab for a in atoms))


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


def _cut_at(run: list[dict], starts: list[float], space: float) -> list[list[dict]]:
    """RUN cut before a word that starts where a part of the line above or below starts, set
    further from the word before than the box's SPACE between words (a second column whose
    words came close to the first's)."""
    out = [[run[0]]]
    for w in run[1:]:
        h = max(w["bottom"] - w["top"], 1.0)
        gap = w["x0"] - out[-1][-1]["x1"]
        if gap > max(0.2 * h, 1.5 * space) and any(abs(w["x0"] - s) < 0.15 * h for s in starts):
            out.append([w])
        else:
            out[-1].append(w)
    return out
