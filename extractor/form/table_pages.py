"""Tables that share a grid or run over pages.

A printed PDF (or its scan) may draw Table I and Table II as one ruled grid, and a long table
goes on over the next pages: a browser prints the header again at the top of each page, so the
same descriptor table is found under several header rows, in several grids. Each placement
reads the rows under its own header; :func:`chain` puts them in document order behind the
first, whose ``continued`` they become, so the rows read as one table (a row the page break
cut in two is joined again by :func:`extractor.table_rows.rows_over_pages`).
"""
from __future__ import annotations

from .placed import Placed


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


def chain(placed: list[tuple[str, Placed]]) -> dict[str, Placed]:
    """Descriptor table key -> its first placement, carrying the later ones (a header
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

