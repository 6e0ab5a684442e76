"""A table placed: a source table matched to a descriptor table, with its column slots, its data
rows and the parts it continues on over later pages (made by :mod:`.tables`, chained by
:mod:`.table_pages`, read by :mod:`.table_rows`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ir import Table
from ..layout import SubColumn, TableSpec
from ..model import Problem

BLOCK_LABEL = re.compile(r"^\s*\d{1,2}[A-Za-z]?\.\s+[A-Z][a-z]+ (?:and|of|or)\b")


@dataclass
class Placed:
    """A source table matched to a descriptor table, with its column positions."""

    spec: TableSpec
    table: Table
    slots: list[tuple[int, SubColumn, str]]  # (grid column, sub-column, "n. label" for people)
    data_rows: list[int]
    problems: list[Problem] = field(default_factory=list)
    header_piece: int = 0  # first piece of the label row: the header boxes end before it
    label_row: int = 0
    first_row: int = 0  # the title row above the labels when there is one
    spans: dict[int, int] = field(default_factory=dict)  # slot column -> grid columns it reads
    continued: list["Placed"] = field(default_factory=list)  # its parts on later pages (table_pages)

    def parts(self) -> list["Placed"]:
        return [self, *self.continued]

    def end_piece(self) -> int:
        """Where what follows the table begins: after its last data row (a PDF grid may run on
        into the owner blocks below it), else after the whole table."""
        if self.continued:
            return self.continued[-1].end_piece()
        if self.data_rows and self.data_rows[-1] + 1 < len(self.table.rows):
            following = self.table.rows[self.data_rows[-1] + 1]
            if following:
                return min(c.pieces[0] for c in following)
        for row in self.table.rows[self.label_row + 1:]:  # no rows: the next labelled block ends it
            texts = [c.text for c in row if c.text]
            if texts and len(texts) <= 2 and BLOCK_LABEL.match(texts[0]):
                return min(c.pieces[0] for c in row)
        return self.table.last_piece
