"""Atoms: the runs of letters and digits a rendering's words are cut into (as labels are matched),
each with its place in its piece and what the coverage accounting found it to be."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..ir import Source
from ..labels import normalise

ATOM = re.compile(r"[0-9a-z%]+")
FORM, VALUE = "form", "value"


@dataclass(slots=True)
class Atom:
    piece: int
    start: int
    end: int
    token: str
    kind: str = ""  # FORM, VALUE or "" (unplaced)


def atoms_of(source: Source, pieces: list[int] | None = None) -> list[Atom]:
    """Every atom of SOURCE (of its PIECES, indexes in order), in reading order."""
    out: list[Atom] = []
    for p in (source.pieces if pieces is None else [source.pieces[i] for i in pieces]):
        if p.text:
            out.extend(Atom(p.index, m.start(), m.end(), m.group()) for m in ATOM.finditer(normalise(p.text)))
    return out
