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

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process

from ..ir import Piece, Source
from ..labels import normalise
from ..layout import Layout, all_layouts
from ..model import Finding, OwnershipDocument, Value
from ..paths import describe, iter_values
from .values import parse_date

_ATOM = re.compile(r"[0-9a-z%]+")
_SHORT_NUMBER = re.compile(r"^\d{1,2}[a-z]?$")  # a box or column number, an instruction number
_TICKS = {"x", "xx", "yes"}
STOPWORDS = frozenset("a an and any as at be by each for if in is it its of on or per see the to".split())
FORM, VALUE, OUTSIDE = "form", "value", "outside"
DATE = "\x00date"  # "{date}" in a printed phrase: any date ("Expires: {date}")


@dataclass(slots=True)
class Atom:
    piece: int
    start: int
    end: int
    token: str
    kind: str = ""  # FORM, VALUE or "" (unplaced)


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


def _printed(layouts: tuple[Layout, ...]) -> tuple[dict[str, list[tuple[str, ...]]], frozenset[str], frozenset[str]]:
    """The phrases every known edition prints, by first token; their vocabulary of words (letters
    only, 2+ characters); and their numbers ("3235", "1934", "0"/"5" of "0.5"). All editions', not
    only the chosen one's: a rendering holds no other edition's fixed text, and a near edition's
    wording still counts as form text."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    vocab: set[str] = set()
    numbers: set[str] = set()
    for phrase in dict.fromkeys(p for layout in layouts for p in layout.phrases()):
        parts = [tuple(_ATOM.findall(normalise(part))) for part in phrase.split("{date}")]
        tokens = tuple(t for k, part in enumerate(parts) for t in ((DATE,) if k else ()) + part)
        if not tokens or tokens[0] == DATE:
            continue
        by_first.setdefault(tokens[0], []).append(tokens)
        vocab.update(t for t in tokens if len(t) > 1 and t != DATE and not any(ch.isdigit() for ch in t))
        numbers.update(t for t in tokens if any(ch.isdigit() for ch in t))
    for options in by_first.values():
        options.sort(key=len, reverse=True)  # the longest phrase first
    return by_first, frozenset(vocab - STOPWORDS), frozenset(numbers)


_PRINTED: dict[tuple[int, ...], tuple] = {}


def printed(layout: Layout) -> tuple[dict[str, list[tuple[str, ...]]], frozenset[str]]:
    """:func:`_printed` of the known editions and LAYOUT, computed once per set of editions."""
    known = all_layouts()
    layouts = known if any(layout is k for k in known) else (*known, layout)
    key = tuple(id(k) for k in layouts)
    if key not in _PRINTED:
        _PRINTED.clear()  # a new set of editions ($FORM4_LAYOUTS changed): the old one is done with
        _PRINTED[key] = _printed(layouts)
    return _PRINTED[key]


def atoms_of(source: Source) -> list[Atom]:
    out: list[Atom] = []
    for p in source.pieces:
        if p.text:
            out.extend(Atom(p.index, m.start(), m.end(), m.group()) for m in _ATOM.finditer(normalise(p.text)))
    return out


def mark_phrases(atoms: list[Atom], source: Source, layout: Layout) -> None:
    """Atoms that spell one of the printed phrases in reading order are form text (over a line or
    cell break too: the phrases are the form's own wording, no data spells them). A one-letter
    phrase ("V", "(A)") only counts where the rendering prints it alone in its piece."""
    by_first, _vocab, _numbers = printed(layout)
    pieces = source.pieces
    n = len(atoms)
    i = 0
    while i < n:
        atom = atoms[i]
        matched = 0
        for tokens in by_first.get(atom.token, ()):
            if len(tokens) == 1 and len(tokens[0]) == 1:  # "V", "(A)": only as the whole piece
                text = pieces[atom.piece].text.strip(" ()[]*.:")
                if normalise(text).strip() == tokens[0]:
                    matched = 1
                    break
                continue
            matched = _spells(atoms, i, tokens, pieces)
            if matched:
                break
        for j in range(matched):
            atoms[i + j].kind = FORM
        i += max(matched, 1)


def _spells(atoms: list[Atom], i: int, tokens: tuple[str, ...], pieces: list[Piece]) -> int:
    """How many atoms from I spell TOKENS (0: they do not); DATE takes the 1-3 atoms of a date."""
    k = i
    for token in tokens:
        if k >= len(atoms):
            return 0
        if token == DATE:
            width = next((w for w in (3, 1) if k + w <= len(atoms) and atoms[k].piece == atoms[k + w - 1].piece
                          and parse_date(pieces[atoms[k].piece].text[atoms[k].start:atoms[k + w - 1].end])), 0)
            if not width:
                return 0
            k += width
        elif atoms[k].token == token:
            k += 1
        else:
            return 0
    return k - i


def mark_vocabulary(atoms: list[Atom], source: Source, layout: Layout) -> None:
    """Left-over words only the form prints ("Beneficially", "Instr") are form text, and so are,
    beside form text in the same paragraph or cell, short numbers ("4." before a label, "(Instr. 3)"),
    the form's own numbers ("3235-" / "0104" wrapped in the OMB box) and the short rest of a word
    that starts as form text ("1(b)." after "See Instruction")."""
    _by_first, vocab, numbers = printed(layout)
    pieces = source.pieces
    for atom in atoms:  # a function word is no data on its own ("of", "the"): in a value it is placed
        if not atom.kind and (atom.token in vocab or atom.token in STOPWORDS):
            atom.kind = FORM
    _mark_broken(atoms, pieces, vocab)
    _mark_misspelt(atoms, pieces, vocab)
    for order in (range(len(atoms)), range(len(atoms) - 1, -1, -1)):  # a chain of them, either way
        for k in order:
            atom = atoms[k]
            short = _SHORT_NUMBER.match(atom.token) or len(atom.token) <= 2
            if atom.kind or not (short or atom.token in numbers):
                continue
            for j in (k - 1, k + 1):
                if 0 <= j < len(atoms) and atoms[j].kind == FORM and _beside(atoms[j], atom, pieces) and \
                        (_SHORT_NUMBER.match(atom.token) or atom.token in numbers or _one_word(atoms[j], atom, pieces)):
                    atom.kind = FORM
                    break


def _mark_broken(atoms: list[Atom], pieces: list[Piece], vocab: frozenset[str]) -> None:
    """A form word typed over a hyphen or a line break, in two or three parts of one piece
    ("Deriva- tive", "Ind- ire- ct"), is form text."""
    for k in range(len(atoms)):
        for width in (3, 2):
            group = atoms[k:k + width]
            if len(group) < width or all(a.kind for a in group) or len({a.piece for a in group}) > 1:
                continue
            text = pieces[group[0].piece].text
            if any(text[a.end:b.start].strip(" -\n") for a, b in zip(group, group[1:])):
                continue
            if "".join(a.token for a in group) in vocab:
                for a in group:
                    a.kind = FORM
                break


def _mark_misspelt(atoms: list[Atom], pieces: list[Piece], vocab: frozenset[str]) -> None:
    """A form word typed wrong ("Insturction", "Benefi- ficially") beside form text of its paragraph,
    and beside no value, is form text; so is a lone letter in brackets there ("(D)")."""
    words = sorted(vocab)
    for k, atom in enumerate(atoms):
        if atom.kind:
            continue
        near = [atoms[j] for j in (k - 1, k + 1) if 0 <= j < len(atoms) and _beside(atoms[j], atom, pieces)]
        if not any(a.kind == FORM for a in near) or any(a.kind == VALUE for a in near):
            continue
        text = pieces[atom.piece].text
        if len(atom.token) == 1 and text[atom.start - 1:atom.start] == "(" and text[atom.end:atom.end + 1] == ")":
            atom.kind = FORM
            continue
        after = atoms[k + 1] if k + 1 < len(atoms) and atoms[k + 1].piece == atom.piece else None
        joined = atom.token + after.token if after is not None and not after.kind and \
            not text[atom.end:after.start].strip(" -\n") else None
        for token, group in ((atom.token, [atom]), (joined, [atom, after])):
            if token and len(token) >= 6 and token.isalpha() and \
                    process.extractOne(token, words, scorer=fuzz.ratio, score_cutoff=85) is not None:
                for a in group:
                    a.kind = FORM
                break


def _beside(a: Atom, b: Atom, pieces: list[Piece]) -> bool:
    """A and B are next to each other in one paragraph, one cell or one line."""
    if a.piece == b.piece:
        return True
    p, q = pieces[a.piece], pieces[b.piece]
    if p.table >= 0 or q.table >= 0:
        return (p.table, p.row, p.col) == (q.table, q.row, q.col)
    return p.block == q.block and p.page == q.page


def _one_word(a: Atom, b: Atom, pieces: list[Piece]) -> bool:
    """A and B are parts of one printed word ("1(b)": "1" and "b")."""
    if a.piece != b.piece:
        return False
    lo, hi = sorted((a, b), key=lambda x: x.start)
    return not any(ch.isspace() for ch in pieces[a.piece].text[lo.end:hi.start])


def _value_tokens(value: Value) -> Counter:
    texts = [value.provenance.text] if value.provenance and value.provenance.text else []
    if value.value is not None and not isinstance(value.value, (bool, date)):
        texts.append(str(value.value))
    tokens: Counter = Counter()
    for text in texts:
        tokens |= Counter(_ATOM.findall(normalise(text)))
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


def mark_values(atoms: list[Atom], doc: OwnershipDocument, source: Source) -> dict[int, list[str]]:
    """The atoms each value was read from are placed. Returns piece -> the paths read from it."""
    by_piece: dict[int, list[int]] = {}
    for k, atom in enumerate(atoms):
        by_piece.setdefault(atom.piece, []).append(k)
    read_from: dict[int, list[str]] = {}
    leaves = [(path, value, value.pieces) for path, value in iter_values(doc) if value.pieces]
    leaves += [(path, value, value.pieces) for path, value in doc._read_twice if value.pieces]
    for n, note in enumerate(doc.footnotes):
        if note.pieces:
            text = Value(value=note.text, footnote_ids=[note.id])
            leaves.append((f"footnotes[{n}].text", text, note.pieces))
    for path, value, pieces in leaves:
        for p in pieces:
            read_from.setdefault(p, []).append(path)
        mine = [atoms[k] for p in pieces for k in by_piece.get(p, ())]
        wanted = _value_tokens(value)
        for atom in mine:
            if not atom.kind and wanted[atom.token] > 0:
                atom.kind = VALUE
                wanted[atom.token] -= 1
        if isinstance(value.value, date) and not (value.provenance and value.provenance.text):
            _mark_date(mine, value.value, source)
    return read_from


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


def _mark_outside(atoms: list[Atom], marks: list[tuple[int, int, Anchor]]) -> None:
    """What precedes the form's title, when the title comes before every box, is not the form's
    (a page title, a converter's or browser's header): not counted either way."""
    if not marks or marks[0][2].kind != "title":
        return
    start = marks[0][:2]
    for atom in atoms:
        if (atom.piece, atom.start) >= start:
            break
        if not atom.kind:
            atom.kind = OUTSIDE


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


def account(source: Source, layout: Layout, doc: OwnershipDocument, anchors: list[Anchor]) -> Coverage:
    """Account for every word of SOURCE (see the module docstring)."""
    atoms = atoms_of(source)
    mark_phrases(atoms, source, layout)
    read_from = mark_values(atoms, doc, source)
    mark_vocabulary(atoms, source, layout)
    by_row: dict[str, list[str]] = {}
    for path, _value in iter_values(doc):
        if prefix := _row_prefix(path):
            by_row.setdefault(prefix, []).append(path)
    row_paths: dict[tuple[int, int], set[str]] = {}
    for piece_index, paths in read_from.items():
        piece = source.pieces[piece_index]
        for path in paths:
            prefix = _row_prefix(path)
            if piece.table >= 0 and prefix:
                row_paths.setdefault((piece.table, piece.row), set()).update(by_row.get(prefix, ()))
    marks = sorted(((a.piece, a.start, a) for a in anchors), key=lambda m: (m[0], m[1]))
    _mark_outside(atoms, marks)
    out = Coverage()
    groups: dict[str, tuple[list[str], Anchor | None, list[Atom]]] = {}
    for atom in atoms:
        if atom.kind == VALUE:
            out.placed += 1
        elif not atom.kind:
            out.unplaced += 1
            key, fields, anchor = _region(atom, source, read_from, row_paths, marks)
            groups.setdefault(key, (fields, anchor, []))[2].append(atom)
    for fields, anchor, lost in groups.values():
        out.findings.append(_finding(doc, fields, anchor, _words(lost, source), source.pieces[lost[0].piece]))
    return out


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
    from ..paths import get

    for path in fields:
        try:
            node = get(doc, path)
        except KeyError:
            continue
        if (isinstance(node, Value) and node.value is not None) or (isinstance(node, list) and node):
            return True
    return False
