"""Table I and Table II: find each in the source and place its columns (rows: table_rows).

A table is recognised by its column labels (not its title: converters move the
title in and out of the table). Column positions come from the header row the
labels sit in, so an unexpected extra column shifts nothing; when no header
row is readable the descriptor's column order is used. In Table II the
acquired/disposed code is never printed: it is the sub-column, (A) or (D), that
the number sits in.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..ir import Cell, Source, Table
from ..labels import Hit, LabelIndex, normalise
from ..layout import Layout, SubColumn, TableSpec, all_layouts
from ..model import Problem
from .placed import BLOCK_LABEL as _BLOCK_LABEL
from .placed import Placed
from .table_pages import chain, split_shared


def locate(source: Source, index: LabelIndex, layout: Layout) -> dict[str, Placed]:
    """Match every descriptor table to the source table holding most of its labels."""
    scores: list[tuple[int, str, int]] = []
    hits_by_spec: dict[str, dict[int, dict[int, int]]] = {}
    for key, spec in layout.tables.items():
        per_table: dict[int, dict[int, int]] = {}  # table -> column index -> piece
        ranks: dict[tuple[int, int], int] = {}

        for ci, column in enumerate(spec.columns):
            exact = [h for label in column.labels for h in index.find_all(label)]
            _take(source, per_table, ranks, ci, column.number, exact + _labelled(source, spec.kind, ci))
        # a label OCR or typing garbled ("Indirect (1)") is matched fuzzily over its cell, only in
        # tables that already hold most of this table's labels
        for t, cols in per_table.items():
            if len(cols) * 2 >= len(spec.columns):
                for ci, column in enumerate(spec.columns):
                    if ci not in cols:
                        fuzzy = [h for label in column.labels for h in index.fuzzy_all(label, table=t)]
                        _take(source, per_table, ranks, ci, column.number, fuzzy)
        by_label = {t: len(cols) for t, cols in per_table.items()}  # what ranks tables: labels only
        for t, cols in per_table.items():
            if len(cols) >= 2:
                for ci, column in enumerate(spec.columns):
                    if ci not in cols:  # a typed header too garbled to match: its column number decides
                        numbered = _numbered(source, source.tables[t], cols, column.number)
                        _take(source, per_table, ranks, ci, column.number, numbered)
        hits_by_spec[key] = per_table
        for t, cols in per_table.items():
            if len(cols) * 2 >= len(spec.columns):
                scores.append((by_label[t], key, t))
    scores.sort(key=lambda s: (-s[0], s[2]))
    placed: list[tuple[str, Placed]] = []
    best: dict[str, int] = {}
    for score, key, t in scores:
        if key in best and score < best[key] - 2:
            continue  # a second header of this table is the same header, printed again on a new page
        candidate = _place(source, layout.tables[key], source.tables[t], hits_by_spec[key][t])
        if any(p.table is candidate.table and p.label_row == candidate.label_row for _, p in placed):
            continue  # that header row already belongs to another table of the form
        best.setdefault(key, score)
        placed.append((key, candidate))
    split_shared([p for _, p in placed])
    return chain(placed)


def _take(source: Source, per_table: dict, ranks: dict, ci: int, number: str, hits: list[Hit]) -> None:
    """Keep, per source table, the best-ranked hit of column CI's label (see _label_rank)."""
    for hit in hits:
        piece = source.pieces[hit.piece]
        before = _cell_prefix(source, hit.piece)
        if hit.start == 0 and _NUMBER.fullmatch(before):  # "4." printed on its own line above the label
            rank = _label_rank(f"{before} {piece.text}", 0, number)
        else:
            rank = _label_rank(piece.text, hit.start, number)
        if piece.table < 0 or rank < 0:
            continue
        if rank > ranks.get((piece.table, ci), -1):
            ranks[(piece.table, ci)] = rank
            per_table.setdefault(piece.table, {})[ci] = hit.piece


def _labelled(source: Source, kind: str, ci: int) -> list[Hit]:
    """Hits for the header cells a reading by geometry found to print column CI's label (however
    abbreviated: "Amt. of Sec. Benefic. Owned")."""
    return [Hit(cell.pieces[0], 0, len(source.pieces[cell.pieces[0]].text), 100.0)
            for table in source.tables for row in table.rows[:1] for cell in row
            if cell.label == (kind, ci) and cell.pieces[1] > cell.pieces[0]]


def _cell_prefix(source: Source, index: int) -> str:
    """The text of the pieces before piece INDEX in its own cell ("" when it starts the cell)."""
    piece, k = source.pieces[index], index
    while k > 0 and (prev := source.pieces[k - 1]).table == piece.table and prev.row == piece.row \
            and prev.col == piece.col:
        k -= 1
    return " ".join(p.text for p in source.pieces[k:index] if p.text)


def _numbered(source: Source, table: Table, cols: dict[int, int], number: str) -> list[Hit]:
    """A hit for the header cell that starts with NUMBER ("4." / "4 .") in the row holding the
    other columns' labels, so "3. Trans Date" (a header typed across two columns) still places
    column 3."""
    rows = {_row_of(table, p) for p in cols.values()}
    for row in rows:
        for cell in table.rows[row]:
            m = _NUMBER.match(cell.text)
            if m and m.group(1).lower() == number.lower():
                return [Hit(cell.pieces[0], 0, len(source.pieces[cell.pieces[0]].text), 80.0)]
    return []


_NUMBER = re.compile(r"^\s*(?:[Ii]tem\s+)?\(?(\d{1,2}[A-Za-z]?)\s*[.):]\s*")  # "2A.", "(2A)", "2A)", "Item 2A."
_BARE_NUMBER = re.compile(r"\s*(?:[Ii]tem\s+)?\(?(\d{1,2}[A-Za-z]?)\s*[.)]?\s*")


def _label_rank(text: str, start: int, number: str) -> int:
    """-1: the label sits inside another label's text (not at the start of its cell);
    2: it starts the cell with the column's own number; 1: it starts the cell. A scan may lose
    the number's period ("2 Transaction Date"): a bare number before the label is its number."""
    if text[:start].strip():
        bare = _BARE_NUMBER.fullmatch(text[:start])
        return -1 if bare is None else 2 if bare.group(1).lower() == number.lower() else 0
    m = _NUMBER.match(text[start:])
    if m is None:
        return 1
    return 2 if m.group(1).lower() == number.lower() else 0


@lru_cache(maxsize=1)
def header_words() -> frozenset[str]:
    """Every sub-column label of every known layout ("Code", "V", "(A) or (D)", ...): a row
    made only of these is a sub-header row, whichever edition's table it sits in."""
    return frozenset(" ".join(normalise(label).split()) for lay in all_layouts() for t in lay.tables.values()
                     for c in t.columns for s in c.sub for label in s.labels)


def _row_of(table: Table, piece_index: int) -> int:
    for r, row in enumerate(table.rows):
        for cell in row:
            if cell.pieces[0] <= piece_index < cell.pieces[1]:
                return r
    return -1


def _cell_at(table: Table, piece_index: int) -> Cell | None:
    for row in table.rows:
        for cell in row:
            if cell.pieces[0] <= piece_index < cell.pieces[1]:
                return cell
    return None


def _place(source: Source, spec: TableSpec, table: Table, hits: dict[int, int]) -> Placed:
    problems: list[Problem] = []
    label_rows = [_row_of(table, p) for p in hits.values()]
    label_row = max(set(label_rows), key=label_rows.count)
    starts: dict[int, int] = {}
    for ci, piece_index in hits.items():
        if _row_of(table, piece_index) == label_row and (cell := _cell_at(table, piece_index)):
            starts[ci] = cell.col
    kept = _in_order(starts)
    if len(kept) < len(starts):  # a label matched in the wrong cell (OCR, fuzzy): its neighbours place it
        problems.append(Problem(kind="column_order", message=f"{spec.title}: the labels of column(s) "
                                f"{[spec.columns[ci].number for ci in sorted(set(starts) - set(kept))]} "
                                "were found out of order; placed by their neighbours"))
        starts = kept
    # fill unmatched columns from their neighbours, in descriptor order
    pos, ordered = 0, []
    for ci, column in enumerate(spec.columns):
        start = starts.get(ci, pos)
        ordered.append(start)
        pos = start + column.width
    if any(b <= a for a, b in zip(ordered, ordered[1:])):
        problems.append(Problem(kind="column_order", message=f"{spec.title}: header columns out of order; "
                                "using the descriptor's order"))
        ordered = [sum(c.width for c in spec.columns[:i]) for i in range(len(spec.columns))]
    label_cells = {c.col: c for c in table.rows[label_row]}
    sub_row = {c.col: c for c in table.rows[label_row + 1]} if label_row + 1 < len(table.rows) else {}
    spans: dict[int, int] = {}
    slots: list[tuple[int, SubColumn, str]] = []
    for ci, column in enumerate(spec.columns):
        subs = column.slots()
        room = ordered[ci + 1] - ordered[ci] if ci + 1 < len(ordered) else len(subs)
        if 0 < room < len(subs):
            problems.append(Problem(kind="narrow_column", message=f"{spec.title}: column {column.number} has "
                                    f"{room} cell(s), the form {len(subs)}; reading the first {room}"))
            subs = subs[:room]
        cols = _sub_columns(sub_row, subs, ordered[ci], ordered[ci + 1] if ci + 1 < len(ordered) else None) \
            if column.sub else None
        for k, sub in enumerate(subs):
            name = f"{column.number}. {sub.label}" if column.sub else f"{column.number}. {column.label}"
            col = cols[k] if cols else ordered[ci] + k
            slots.append((col, sub, name))
            # a slot reads every grid column its header cell spans (a PDF grid may split one printed
            # cell, "$" | "159.94" | "(2)"); HTML and Markdown give span 1
            header = sub_row.get(col) if column.sub else label_cells.get(col)
            if header is not None and header.span > 1:
                spans[col] = header.span  # bounded by the next slot's column when read
    covered = {col for col, _sub, _name in slots}
    sub_labels = header_words()
    data_rows = []
    for r in range(label_row + 1, len(table.rows)):
        row = table.rows[r]
        texts = [c.text for c in row if c.text]
        if not texts:
            continue
        known = sum(" ".join(normalise(t).split()) in sub_labels for t in texts)
        if known == len(texts) or (r == label_row + 1 and known * 2 > len(texts) and known >= 2):
            continue  # the Code / V / Amount ... sub-header row (right under the labels, one misread)
        if len(texts) <= 2 and _BLOCK_LABEL.match(texts[0]):
            break  # "1. Name and Address of ..." below the rows: the next part of the form begins
        data_rows.append(r)
    # cells that hold text decide: Markdown tables pad every row to the header's width
    width = max((c.col + c.span for r in data_rows for c in table.rows[r] if c.text), default=0)
    stray = sorted({c.col for r in data_rows for c in table.rows[r] if c.col not in covered and c.text})
    if width > spec.width and stray:
        problems.append(Problem(kind="extra_column", message=f"{spec.title}: rows have {width} cells, the form "
                                f"{spec.width}; cells in grid column(s) {[c + 1 for c in stray]} were not read",
                                locator=f"table {table.index + 1}"))
    if not data_rows:
        problems = []  # a header without rows: nothing was misread
    # a PDF grid may hold the header boxes above the table's own rows: they end at the title row
    first_row = label_row - 1 if label_row > 0 and len([c for c in table.rows[label_row - 1] if c.text]) == 1 \
        else label_row
    header_piece = min((c.pieces[0] for c in table.rows[first_row]), default=table.first_piece)
    placed = Placed(spec, table, slots, data_rows, problems, header_piece, label_row, first_row)
    placed.spans = spans
    return placed


def _in_order(starts: dict[int, int]) -> dict[int, int]:
    """The most columns of STARTS (descriptor column -> grid column) whose grid columns rise
    with the descriptor's order (a longest increasing run, by dynamic programming)."""
    keys = sorted(starts)
    best: list[list[int]] = []
    for i, ci in enumerate(keys):
        prev = [best[j] for j in range(i) if starts[keys[j]] < starts[ci]]
        best.append(max(prev, key=len, default=[]) + [ci])
    chosen = max(best, key=len, default=[])
    return {ci: starts[ci] for ci in chosen}


def _sub_columns(sub_row: dict[int, Cell], subs: list[SubColumn], start: int, stop: int | None) -> list[int] | None:
    """Where a column's sub-headers ("Amount", "(A) or (D)", "Price") sit in the grid, when the
    grid has extra columns between them (a scan's rules, a PDF's page frame): the sub-header
    cells under the column, matched by label, else taken in order when there are as many."""
    cells = sorted((c for col, c in sub_row.items() if col >= start and (stop is None or col < stop) and c.text),
                   key=lambda c: c.col)
    if not cells or all(c.col == start + k for k, c in enumerate(cells)):
        return None  # contiguous: the default placement already holds
    found: list[int] = []
    for k, sub in enumerate(subs):
        texts = {" ".join(normalise(label).split()) for label in sub.labels}
        match = next((c.col for c in cells if " ".join(normalise(c.text).split()) in texts
                      and (not found or c.col > found[-1])), None)
        found.append(match if match is not None else -1)
    if all(col >= 0 for col in found):
        return found
    if len(cells) == len(subs):
        return [c.col for c in cells]
    return None
