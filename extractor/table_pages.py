"""Tables that share a grid or run over pages.

A printed PDF (or its scan) may draw Table I and Table II as one ruled grid, and a long table
goes on over the next pages: a browser prints the header again at the top of each page, so the
same descriptor table is found under several header rows, in several grids. Each placement
reads the rows under its own header; :func:`chain` puts them in document order behind the
first, whose ``continued`` they become, so the rows read as one table. A row the page break
cut in two goes on under the repeated header with the rest of its wrapped texts, which
:func:`rows_over_pages` joins to it, slot by slot.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .ir import Cell

if TYPE_CHECKING:
    from .ir import Source
    from .layout import SubColumn
    from .tables import Placed


def split_shared(placed: list[Placed]) -> None:
    """Placements in one grid: each keeps the rows above the next one's title."""
    by_table: dict[int, list[Placed]] = {}
    for p in placed:
        by_table.setdefault(id(p.table), []).append(p)
    for group in by_table.values():
        group.sort(key=lambda p: p.label_row)
        for upper, lower in zip(group, group[1:]):
            stop = lower.first_row
            upper.data_rows = [r for r in upper.data_rows if r < stop]


def chain(source: Source, placed: list[tuple[str, Placed]]) -> dict[str, Placed]:
    """Descriptor table key -> its first placement in SOURCE, carrying the later ones (a header
    printed again over the rest of its rows on the next page) as ``continued``."""
    by_key: dict[str, list[Placed]] = {}
    for key, p in placed:
        by_key.setdefault(key, []).append(p)
    out: dict[str, Placed] = {}
    for key, parts in by_key.items():
        parts.sort(key=lambda p: (p.table.first_piece, p.label_row))
        first = parts[0]
        first.continued = [p for p in parts[1:] if p.data_rows]
        out[key] = first
    return out


def rows_over_pages(table: Placed) -> list[tuple[Placed, list[tuple[Cell, SubColumn, str]]]]:
    """TABLE's data rows over all its parts, each as (its part, [(cell, sub-column, slot name)]).
    A part's first row holding only the ends of wrapped texts ("(right to buy)") is the rest of
    the previous part's last row, cut by the page break: its texts join that row's, by slot."""
    from .table_rows import _continuation, _merged_rows, slot_cells

    out: list[tuple[Placed, list[tuple[Cell, SubColumn, str]]]] = []
    for part in table.parts():
        for k, row in enumerate(_merged_rows(part)):
            cells = slot_cells(part, row)
            if k == 0 and out and part is not table and _continuation(part, row):
                above = out[-1][1]
                names = {name: i for i, (_c, _s, name) in enumerate(above)}
                for cell, sub, name in cells:
                    if name in names:
                        a, a_sub, _ = above[names[name]]
                        above[names[name]] = (Cell(text=f"{a.text} {cell.text}", col=a.col, span=a.span,
                                                   pieces=a.pieces), a_sub, name)
                    else:
                        above.append((cell, sub, name))
                continue
            out.append((part, cells))
    return out
