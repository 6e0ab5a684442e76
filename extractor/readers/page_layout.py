"""One page's words and ruling lines -> pieces of the intermediate form, whatever read them (a PDF's
text layer through pdfium, or OCR of a page image).

Ruled tables (found over the rules by :mod:`.ruled_tables`) become grid tables; each cell's text lines
become pieces of that cell. Everything else becomes lines in reading order, grouped into paragraphs
by vertical gaps and cut where words stand far apart (the cells of a borderless table side by side).
Footnote marks are told from values by font size: Chromium prints ``<sup>(1)</sup>`` at ~5 pt
beside ~8 pt values, and a word ends where the size changes.
"""
from __future__ import annotations

import re
import statistics

from ..ir import Cell, Piece, Source, Table, join_lines

_MARK = re.compile(r"^(?:\(\d{1,2}\))+$|^\*{1,2}$")
_BARE_MARK = re.compile(r"^\d{1,2}$")
_MARK_IDS = re.compile(r"\d{1,2}")
_CHECKS = {"X", "x", "\u2612", "\u2611", "\u2713", "\u2714"}


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words -> lines (sorted top to bottom, each left to right). A word joins a line when it
    overlaps, by half the lower height, the word of that line nearest to it across the page: a
    superscript mark printed higher than its value's top stays on the value's line, the next
    line of a cell does not, and a tall title beside a small-print paragraph does not tie the
    paragraph's lines together. OCR boxes (words with a ``conf``) are padded and overlap the
    lines around them: they go by top only."""
    lines: list[list[dict]] = []
    open_lines: list[list[dict]] = []  # lines a later word may still join: they reach down to it
    reach: dict[int, float] = {}  # id(line) -> the lowest bottom of its words
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        top, x0, x1 = w["top"], w["x0"], w["x1"]
        open_lines = [line for line in open_lines if reach[id(line)] >= top - 2.5]
        home = None
        for line in reversed(open_lines):
            ref, gap = None, None  # the line's first word nearest to W across the page (inlined: hot)
            for o in line:
                d = o["x0"] - x1
                left = x0 - o["x1"]
                if left > d:
                    d = left
                if d < 0:
                    d = 0
                if gap is None or d < gap:
                    ref, gap = o, d
                    if d == 0:
                        break
            if abs(ref["top"] - top) <= 2.5:
                home = line
                break
            if "conf" not in w:
                overlap = min(ref["bottom"], w["bottom"]) - max(ref["top"], w["top"])
                if overlap >= 0.5 * min(ref["bottom"] - ref["top"], w["bottom"] - w["top"]):
                    home = line
                    break
        if home is None:
            home = []
            lines.append(home)
            open_lines.append(home)
        home.append(w)
        reach[id(home)] = max(reach.get(id(home), w["bottom"]), w["bottom"])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _runs(line: list[dict], body: float, glyph_spacing: bool = True) -> list[list[dict]]:
    """A line cut where words are far apart: the cells of a borderless table side by side
    ("MORRISVILLE   NC   27560", "Director      10% Owner"). GLYPH_SPACING: the gaps are the
    text layer's own (OCR boxes' gaps are too noisy to compare with the line's spacing)."""
    gaps = sorted(b["x0"] - a["x1"] for a, b in zip(line, line[1:]))
    space = gaps[len(gaps) // 2] if glyph_spacing and len(gaps) >= 3 else None  # the line's word spacing
    runs = [[line[0]]]
    for w in line[1:]:
        gap = w["x0"] - runs[-1][-1]["x1"]
        lone_mark = len(runs[-1]) == 1 and runs[-1][0]["text"] in _CHECKS
        if runs[-1][-1].get("box") or w.get("box"):  # a ticked box OCR found is never part of a text
            runs.append([w])
            continue
        # far apart for this page, or for this line: a name and its date in the signature block
        # stand 3 spaces apart ("... for Raymond   01/24/2025")
        wide = space is not None and gap > 2.5 * max(space, 0.5) and gap > 0.5 * w["size"]
        if gap > body * 1.6 or wide or (lone_mark and gap > body * 0.6):
            runs.append([w])
        else:
            runs[-1].append(w)
    return runs


def _text(line: list[dict], body: float) -> str:
    parts = []
    for w in line:
        text = w["text"]
        # "(1)" at ~5 pt beside ~8 pt values; a bare digit only when truly superscript-sized, since
        # Table II prints its values smaller than Table I
        if w.get("mark") or (w["size"] < body * 0.8 and _MARK.match(text)) or \
                (w["size"] < body * 0.7 and _BARE_MARK.match(text)):
            ids = _MARK_IDS.findall(text)  # "(1)(3)" printed as one small word cites both
            w["shown"] = "".join(f"({n})" for n in ids) if ids else text
            parts.append(" " + w["shown"])
        else:
            w["shown"] = text
            parts.append((" " if parts else "") + text)
    return "".join(parts).strip()


def _bbox(words: list[dict]) -> tuple[float, float, float, float]:
    if len(words) == 1:
        w = words[0]
        return (w["x0"], w["top"], w["x1"], w["bottom"])
    return (min(w["x0"] for w in words), min(w["top"] for w in words),
            max(w["x1"] for w in words), max(w["bottom"] for w in words))


class PageBuilder:
    def __init__(self, source: Source) -> None:
        self.src = source
        self.block = 0
        self.glyph_spacing = True  # words come from a text layer (False: from OCR)

    def piece(self, text: str, page: int, bbox, table: int = -1, row: int = -1, col: int = -1,
              words: list[dict] | None = None) -> int:
        bbox = tuple(bbox) if bbox is not None else None
        conf = min((w.get("conf", 1.0) for w in words), default=1.0) if words else 1.0
        p = Piece(text=text, index=len(self.src.pieces), table=table, row=row, col=col, page=page, bbox=bbox,
                  block=self.block, conf=conf)
        self.src.pieces.append(p)
        for w in words or ():  # kept with their own boxes, for a reading by geometry (form.reflow)
            self.src.words.append({"text": w["shown"], "x0": w["x0"], "x1": w["x1"], "top": w["top"],
                                   "bottom": w["bottom"], "size": w["size"], "page": page, "piece": p.index,
                                   "conf": w.get("conf", 1.0)})
        return p.index

    def table(self, found, words: list[dict], page: int, body: float) -> None:
        table = Table(index=len(self.src.tables), first_piece=len(self.src.pieces))
        self.src.tables.append(table)
        rows = _logical_rows(found)
        owned = _assign(rows, words)
        for r, cells in enumerate(rows):
            row: list[Cell] = []
            for c in sorted(set(cells) | {c for (rr, c) in owned if rr == r}):
                boxes, span = cells.get(c, ([], 1))
                self.block += 1
                start = len(self.src.pieces)
                inside = owned.get((r, c), [])
                texts = []
                for line in _lines(inside):
                    for run in _runs(line, body, self.glyph_spacing):
                        text = _text(run, body)
                        texts.append(text)
                        self.piece(text, page, _bbox(run), table.index, r, c, run)
                if not inside:
                    self.piece("", page, tuple(boxes[0]) if boxes else None, table.index, r, c)
                row.append(Cell(text=join_lines(texts), col=c, span=span, pieces=(start, len(self.src.pieces))))
            table.rows.append(row)
        table.last_piece = len(self.src.pieces)


def _assign(rows: list[dict[int, tuple[list, int]]], words: list[dict]) -> dict[tuple[int, int], list[dict]]:
    """Words -> (logical row, column). A word outside every cell box (pdfplumber merges a column's
    cells when rows share a title, "Common Stock" printed on each) goes to the row whose band and
    the column whose span hold it."""
    owned: dict[tuple[int, int], list[dict]] = {}
    bands = []
    spans: dict[int, list[float]] = {}
    for cells in rows:
        tops = [b[1] for bs, _ in cells.values() for b in bs]
        bottoms = [b[3] for bs, _ in cells.values() for b in bs]
        bands.append((min(tops, default=0), max(bottoms, default=0)))
        for c, (bs, span) in cells.items():
            if span == 1:
                for b in bs:
                    lo, hi = spans.get(c, [b[0], b[2]])
                    spans[c] = [min(lo, b[0]), max(hi, b[2])]
    # the smallest box holding a word wins: a frame cell around the page loses to the real cell
    boxes = sorted(((b[2] - b[0]) * (b[3] - b[1]), r, c, b) for r, cells in enumerate(rows)
                   for c, (bs, _span) in cells.items() for b in bs)
    bands_of: dict[int, list] = {}  # boxes by 10-pt horizontal band, smallest first: few to test per word
    for entry in boxes:
        for band in range(int(entry[3][1] // 10), int(entry[3][3] // 10) + 1):
            bands_of.setdefault(band, []).append(entry)
    for w in words:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        hit = next(((r, c) for _area, r, c, b in bands_of.get(int(cy // 10), ())
                    if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
        if hit is not None:
            owned.setdefault(hit, []).append(w)
            continue
        cy, cx = (w["top"] + w["bottom"]) / 2, (w["x0"] + w["x1"]) / 2
        r = next((i for i, (lo, hi) in enumerate(bands) if lo <= cy <= hi), None)
        c = next((col for col, (lo, hi) in sorted(spans.items()) if lo <= cx <= hi), None)
        if r is not None and c is not None and c not in rows[r]:  # only where pdfplumber merged a cell away
            owned.setdefault((r, c), []).append(w)
            continue
        # in the gap between two cells' rules (a mark printed right at the edge of its value's
        # cell): the nearest cell of its row, rather than losing it
        reach = 2 * (w["bottom"] - w["top"])
        near = [(max(b[0] - w["x1"], w["x0"] - b[2], 0), rr, c) for _area, rr, c, b in boxes if b[1] <= cy <= b[3]]
        if near:
            gap, rr, c = min(near)
            if gap <= reach:
                owned.setdefault((rr, c), []).append(w)
    return owned


def _logical_rows(found) -> list[dict[int, tuple[list, int]]]:
    """pdfplumber's rows, with a row whose cells lie inside the height of the row above merged
    into it: a cell with extra rules (an underline, a nested box) splits one printed row."""
    rows: list[dict[int, tuple[list, int]]] = []
    bottom = None
    for row in found.rows:
        boxes = list(row.cells)
        top = min((b[1] for b in boxes if b), default=0)
        count = sum(1 for b in boxes if b)
        # a sub-row is sparse (a few cells of one printed row); a tall frame cell beside full
        # rows must not pull them all into one
        sparse = rows and count * 2 <= len(rows[-1])
        if rows and bottom is not None and top < bottom - 0.5 and sparse:
            target = rows[-1]
        else:
            target = {}
            rows.append(target)
            bottom = None
        for c, box in enumerate(boxes):
            if box is None:
                continue
            span = 1
            while c + span < len(boxes) and boxes[c + span] is None:
                span += 1
            if c in target:
                target[c][0].append(box)
            else:
                target[c] = ([box], span)
            bottom = max(bottom or 0, box[3])
    return rows


def layout_page(builder: PageBuilder, words: list[dict], found: list, page_no: int) -> None:
    """One page's words and ruled tables -> pieces: tables as grids, the rest as paragraphs."""
    if not words:
        return
    body = statistics.median(w["size"] for w in words)
    # a one-row "table" is a frame (an outer border, a checkbox, a signature underline),
    # not a grid: its words are read as text
    found = [t for t in found if len(_logical_rows(t)) >= 2]
    # a word belongs to the smallest table holding it: a page frame drawn around everything
    # is a "table" too, and must not take the words of the grids inside it
    bboxes = {id(t): t.bbox for t in found}  # pdfplumber recomputes a table's bbox on every access
    found.sort(key=lambda t: (bboxes[id(t)][2] - bboxes[id(t)][0]) * (bboxes[id(t)][3] - bboxes[id(t)][1]))
    in_table: list[list[dict]] = [[] for _ in found]
    claimed = set()
    ordered = [bboxes[id(t)] for t in found]
    for w in words:  # inlined: it runs for every word of the page against every table
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        for k, box in enumerate(ordered):
            if box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                in_table[k].append(w)
                claimed.add(id(w))
                break
    found, in_table = [t for t, g in zip(found, in_table) if g], [g for g in in_table if g]
    blocks = [(bboxes[id(t)][1], bboxes[id(t)][0], "table", t, group) for t, group in zip(found, in_table)]
    for line in _lines([w for w in words if id(w) not in claimed]):
        blocks.append((line[0]["top"], line[0]["x0"], "line", line, None))
    blocks.sort(key=lambda b: (b[0], b[1]))
    last_bottom = last_x = None
    for top, x0, kind, item, group in blocks:
        if kind == "table":
            builder.block += 1
            builder.table(item, group, page_no, body)
            last_bottom = None
            continue
        if last_bottom is None or top - last_bottom > body * 0.9 or abs(x0 - last_x) > body * 2:
            builder.block += 1  # a vertical gap or a change of indent starts a new paragraph
        last_x = x0
        for run in _runs(item, body, builder.glyph_spacing):
            builder.piece(_text(run, body), page_no, _bbox(run), words=run)
        last_bottom = max(w["bottom"] for w in item)
