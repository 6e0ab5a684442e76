"""Coverage: every word of the rendering accounted for, and the words nobody read reported.

Each word of the source (cut into atoms: runs of letters and digits, as labels are matched) ends
in exactly one of three places:

* **form text**: the edition's printed words (its labels and fixed text, :meth:`Layout.phrases`),
  found as whole phrases in reading order, or, for a lone word, one that only the form prints;
* **a value**: the atoms of the pieces each value was read from (``Value.pieces``) that its text
  holds;
* **unplaced**: everything else. An unplaced atom is data nobody read.

Unplaced atoms are grouped by the region they sit in: the values of their own piece or table row,
else the nearest label or value before them (on a page: above them and level with them). Each
region gives one finding (R1; R3 for a box whose label was found but whose value is empty; R4 for
a table whose header was found but no row read) naming the region's fields, so review shows them.
``placed / (placed + unplaced)`` is the document's coverage. Nothing here knows which reader ran.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..ir import Piece, Source
from ..labels import normalise
from ..layout import Layout
from ..model import Finding, OwnershipDocument, Value
from ..paths import describe, get, iter_values
from .atoms import ATOM, FORM, VALUE, Atom, atoms_of
from .printed import mark_phrases, mark_vocabulary, printed
from .values import parse_date

_TICKS = {"x", "xx", "yes"}


@dataclass(slots=True)
class Anchor:
    """A place the form reading found (a box label, a table header, a tail section) and the
    fields that read from the area after it."""

    piece: int
    start: int
    fields: list[str]
    what: str  # how a person names it: "box 2 (Issuer Name ...)", "Table I", "Remarks"
    kind: str = "box"  # "box", "table", "section", "title"


@dataclass
class Coverage:
    placed: int = 0
    unplaced: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def share(self) -> float:
        total = self.placed + self.unplaced
        return self.placed / total if total else 1.0


def _value_tokens(value: Value) -> Counter:
    texts = [value.provenance.text] if value.provenance and value.provenance.text else []
    if value.value is not None and not isinstance(value.value, (bool, date)):
        texts.append(str(value.value))
    tokens: Counter = Counter()
    for text in texts:
        tokens |= Counter(ATOM.findall(normalise(text)))
    for fid in value.footnote_ids:
        tokens[fid[1:]] += 1
    if value.value is True:  # a ticked box: its mark was read (an unticked box has none to read)
        tokens.update(_TICKS)
    return tokens


def _mark_date(atoms: list[Atom], when: date, source: Source) -> None:
    """A date value read without its text: the atoms of its pieces that spell it ("04/29/2024",
    "February 7, 2000")."""
    for width in (3, 1):
        for k in range(len(atoms) - width + 1):
            group = atoms[k:k + width]
            if any(a.kind for a in group) or len({a.piece for a in group}) > 1:
                continue
            text = source.pieces[group[0].piece].text[group[0].start:group[-1].end]
            if parse_date(text) == when:
                for a in group:
                    a.kind = VALUE
                return


def _leaves(doc: OwnershipDocument, read_twice) -> list[tuple[str, Value, tuple[int, ...]]]:
    """Every value read from the rendering as (path, value, its pieces); a footnote as a value."""
    leaves = [(path, value, value.pieces) for path, value in iter_values(doc) if value.pieces]
    leaves += [(path, value, value.pieces) for path, value in read_twice if value.pieces]
    for n, note in enumerate(doc.footnotes):
        if note.pieces:
            leaves.append((f"footnotes[{n}].text", Value(value=note.text, footnote_ids=[note.id]), note.pieces))
    return leaves


def _spelt(value: Value) -> list[str]:
    """The texts whose words a piece VALUE was read from may hold, atoms joined by spaces and
    padded: its raw text, its value, a footnote with its number, a date as printed, a tick."""
    texts = [value.provenance.text] if value.provenance and value.provenance.text else []
    if isinstance(value.value, date):
        when = value.value
        texts.append(f"{when.month:02d}/{when.day:02d}/{when.year}")
    elif value.value is True:
        texts += ["x", "xx", "yes"]
    elif value.value is False:
        texts.append("no")
    elif value.value is not None and value.value is not False:
        texts.append(str(value.value))
    if value.footnote_ids and texts:  # its marks as "(1)" or "1/", or as letters "(a)"
        texts.append(" ".join(f[1:] for f in value.footnote_ids) + " " + texts[0])
        texts.append(" ".join(chr(96 + int(f[1:])) for f in value.footnote_ids if f[1:].isdigit()
                              and 0 < int(f[1:]) <= 26) + " " + texts[0])
    return [f" {' '.join(normalise(t).split())} " for t in texts]


def mark_values(atoms: list[Atom], leaves, source: Source) -> None:
    """The atoms each value was read from are placed, as many of each as its text holds."""
    by_piece: dict[int, list[int]] = {}
    for k, atom in enumerate(atoms):
        by_piece.setdefault(atom.piece, []).append(k)
    for _path, value, pieces in leaves:
        mine = [atoms[k] for p in pieces for k in by_piece.get(p, ())]
        if not mine:
            continue
        wanted = _value_tokens(value)
        for atom in mine:
            if not atom.kind and wanted[atom.token] > 0:
                atom.kind = VALUE
                wanted[atom.token] -= 1
        for a, b in zip(mine, mine[1:]):  # a word a cell's edge cut, read joined ("stock" / "units)")
            if not b.kind and wanted[a.token + b.token] > 0:
                a.kind = b.kind = VALUE
                wanted[a.token + b.token] -= 1
        if isinstance(value.value, date) and not (value.provenance and value.provenance.text):
            _mark_date(mine, value.value, source)


def _row_prefix(path: str) -> str | None:
    head, _, _ = path.partition(".")
    return head if "[" in head and not head.startswith(("footnotes", "owner_signatures")) else None


def _region(atom: Atom, source: Source, read_from: dict[int, list[str]], row_paths: dict[tuple[int, int], set[str]],
            marks: list[tuple[int, int, Anchor]]) -> tuple[str, list[str], Anchor | None]:
    """(region key, its fields, its anchor) for an unplaced atom: see the module docstring."""
    piece = source.pieces[atom.piece]
    if atom.piece in read_from:
        paths = read_from[atom.piece]
        return f"piece:{atom.piece}", paths, None
    if piece.table >= 0 and (piece.table, piece.row) in row_paths:
        return f"row:{piece.table}:{piece.row}", sorted(row_paths[(piece.table, piece.row)]), None
    best = _nearest(atom, piece, source, marks)
    if best is None:
        return "document", [], None
    return f"anchor:{id(best)}", best.fields, best


def _nearest(atom: Atom, piece: Piece, source: Source, marks: list[tuple[int, int, Anchor]]) -> Anchor | None:
    """The anchor whose area holds ATOM: on a page the nearest one above and level with it, else
    the last one before it in reading order."""
    before = [m for m in marks if (m[0], m[1]) <= (atom.piece, atom.start)]
    if piece.bbox is not None:
        x0, top, x1, _bottom = piece.bbox
        scored = []
        for pi, _start, anchor in marks:
            other = source.pieces[pi]
            if other.bbox is None or other.page != piece.page or other.bbox[1] > top + 2:
                continue
            ax0, atop, ax1, _ = other.bbox
            dx = max(ax0 - x1, x0 - ax1, 0.0)
            scored.append((top - atop + 3 * dx, pi, anchor))
        if scored:
            return min(scored, key=lambda s: (s[0], -s[1]))[2]
    return before[-1][2] if before else None


def _words(atoms: list[Atom], source: Source) -> list[str]:
    """The whitespace words of the rendering that hold ATOMS, in order, once each."""
    out: list[str] = []
    seen: set[tuple[int, int]] = set()
    for atom in atoms:
        text = source.pieces[atom.piece].text
        lo = text.rfind(" ", 0, atom.start) + 1
        hi = text.find(" ", atom.end)
        hi = len(text) if hi < 0 else hi
        if (atom.piece, lo) not in seen:
            seen.add((atom.piece, lo))
            out.append(text[lo:hi])
    return out


def account(source: Source, layout: Layout, doc: OwnershipDocument, anchors: list[Anchor],
            read_twice: list[tuple[str, Value]] = ()) -> Coverage:
    """Account for every word of SOURCE (see the module docstring). A piece that is one printed
    phrase, or whose words are all in the text of a value read from it, is settled at once (most
    of them); the others are cut into atoms and each atom accounted for."""
    leaves = _leaves(doc, read_twice)
    spelt: dict[int, list[str]] = {}
    exact: set[int] = set()  # pieces whose whole text a value was read from (most table cells)
    for _path, value, pieces in leaves:
        if len(pieces) == 1 and value.provenance and value.provenance.text == source.pieces[pieces[0]].text:
            exact.add(pieces[0])
            continue
        for p in pieces:
            spelt.setdefault(p, []).extend(_spelt(value))
    known = printed(layout)
    marks = sorted(((a.piece, a.start, a) for a in anchors), key=lambda m: (m[0], m[1]))
    # what precedes the form's title, when the title comes before every box, is not the form's
    # (a page title, a converter's or browser's header): not counted either way
    outside = marks[0][0] if marks and marks[0][2].kind == "title" else 0
    out = Coverage()
    settled: dict[int, str] = {}  # piece -> FORM or VALUE
    rest: list[int] = []
    after_form = False
    for piece in source.pieces[outside:]:
        words = normalise(piece.text).split() if piece.text else None
        if not words:
            continue
        texts = spelt.get(piece.index, ())
        if piece.index in exact or any(f" {' '.join(words)} " in text for text in texts) or \
                (len(texts) > 1 and _all_in(words, texts)):
            out.placed += len(words)
            settled[piece.index] = VALUE
        elif known.covers(words, piece.text) or (after_form and all(w in known.numbers for w in words)):
            settled[piece.index] = FORM  # (the form's own number after its label: "0.5" of the OMB box)
        else:
            rest.append(piece.index)
        after_form = settled.get(piece.index) == FORM
    if rest:
        # the settled pieces beside them come along as context (a phrase may run over from one)
        near = sorted({i for r in rest for i in (r - 1, r, r + 1) if i in settled or i in rest})
        atoms = atoms_of(source, near)
        for atom in atoms:
            atom.kind = settled.get(atom.piece, "")
        _account_atoms(source, layout, doc, leaves, marks, atoms, set(rest), out)
    return out


def _all_in(words: list[str], texts: list[str]) -> bool:
    """Every one of WORDS is in TEXTS, as many times (a piece several values were read from:
    "Workday, Inc. [ WDAY ]" holds the issuer's name and its ticker)."""
    have = Counter(w for text in texts for w in text.split())
    return not Counter(words) - have


def _account_atoms(source: Source, layout: Layout, doc: OwnershipDocument, leaves, marks, atoms: list[Atom],
                   rest: set[int], out: Coverage) -> None:
    """The pieces REST not settled at once, atom by atom (among ATOMS, which hold their settled
    neighbours too): printed phrases, values, form words, and the rest reported by region."""
    mark_phrases(atoms, source, layout)
    mark_values(atoms, leaves, source)
    mark_vocabulary(atoms, source, layout)
    atoms = [a for a in atoms if a.piece in rest]
    out.placed += sum(1 for a in atoms if a.kind == VALUE)
    lost = [a for a in atoms if not a.kind]
    if not lost:
        return
    out.unplaced += len(lost)
    read_from: dict[int, list[str]] = {}
    by_row: dict[str, list[str]] = {}
    for path, _value, pieces in leaves:
        for p in pieces:
            read_from.setdefault(p, []).append(path)
        if prefix := _row_prefix(path):
            by_row.setdefault(prefix, []).append(path)
    row_paths: dict[tuple[int, int], set[str]] = {}
    for piece_index, paths in read_from.items():
        piece = source.pieces[piece_index]
        for path in paths:
            prefix = _row_prefix(path)
            if piece.table >= 0 and prefix:
                row_paths.setdefault((piece.table, piece.row), set()).update(by_row.get(prefix, ()))
    groups: dict[str, tuple[list[str], Anchor | None, list[Atom]]] = {}
    for atom in lost:
        key, fields, anchor = _region(atom, source, read_from, row_paths, marks)
        groups.setdefault(key, (fields, anchor, []))[2].append(atom)
    for fields, anchor, group in groups.values():
        out.findings.append(_finding(doc, fields, anchor, _words(group, source), source.pieces[group[0].piece]))
    ticks = [a for a in lost if a.token in _TICKS and _whole_word(a, source)]
    if ticks:  # a tick no box took: any box read as unticked may be the one it marks
        unticked = [path for path, value in iter_values(doc) if value.value is False]
        out.findings.append(Finding(rule="R1", severity="warning", fields=unticked, values={"marks": str(len(ticks))},
                                    message=f"{len(ticks)} check mark(s) (first at "
                                            f"{source.pieces[ticks[0].piece].locator()}) were read into no box: "
                                            "a box read as unticked may be ticked"))


def _whole_word(atom: Atom, source: Source) -> bool:
    """ATOM is all the letters of its word ("X", "[X]"), not part of one."""
    text = source.pieces[atom.piece].text
    before, after = text[atom.start - 1:atom.start], text[atom.end:atom.end + 1]
    return not (before.isalnum() or after.isalnum())


def _finding(doc: OwnershipDocument, fields: list[str], anchor: Anchor | None, words: list[str],
             first: Piece) -> Finding:
    shown = ", ".join(repr(w) for w in words[:6]) + (f" and {len(words) - 6} more" if len(words) > 6 else "")
    where = first.locator()
    if anchor is not None and anchor.kind == "table" and not _any_read(doc, fields):
        return Finding(rule="R4", severity="warning", fields=fields, values={"words": " ".join(words)},
                       message=f"{anchor.what}: its header was found but no row was read, while {shown} "
                               f"sit under it ({where})")
    if anchor is not None and anchor.kind == "box" and not _any_read(doc, fields):
        return Finding(rule="R3", severity="warning", fields=fields, values={"words": " ".join(words)},
                       message=f"{anchor.what}: no value was read, while {shown} sit in its area ({where})")
    region = anchor.what if anchor is not None else (describe(doc, fields[0]) if fields else "the document")
    return Finding(rule="R1", severity="warning", fields=fields, values={"words": " ".join(words)},
                   message=f"{region}: {shown} ({where}) were not read into any field")


def _any_read(doc: OwnershipDocument, fields: list[str]) -> bool:
    for path in fields:
        try:
            node = get(doc, path)
        except KeyError:
            continue
        if (isinstance(node, Value) and node.value is not None) or (isinstance(node, list) and node):
            return True
    return False
