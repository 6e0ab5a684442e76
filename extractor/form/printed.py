"""The form's own printed text: which atoms of a rendering are form text, not data.

Each edition prints its labels and fixed text (:meth:`Layout.phrases`). Atoms that spell one of
these phrases in reading order are form text; so are words only the form prints, form words typed
over a hyphen or misspelt amid form text, and the short numbers beside them (box numbers,
"(Instr. 3)", the OMB number wrapped in its box). Used by :mod:`.coverage`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..ir import Piece, Source
from ..labels import normalise
from ..layout import Layout, all_layouts
from .atoms import ATOM as _ATOM
from .atoms import FORM, VALUE, Atom
from .values import parse_date

_SHORT_NUMBER = re.compile(r"^\d{1,2}[a-z]?$")  # a box or column number, an instruction number
STOPWORDS = frozenset("a an and any as at be by each for if in is it its of on or per see the to".split())
DATE = "\x00date"  # "{date}" in a printed phrase: any date ("Expires: {date}")


@dataclass(frozen=True)
class Printed:
    """What the known editions print whatever the filing, ready for matching."""

    by_first: dict[str, list[tuple[str, ...]]]  # phrases as atom tuples, by first atom, longest first
    vocab: frozenset[str]  # their words (letters only, 2+ characters, no function words)
    numbers: frozenset[str]  # their numbers ("3235", "1934", "0" and "5" of "0.5")
    # the phrases and their runs of two or more atoms holding a form word, by first atom, longest
    # first: the pieces a rendering cuts the form's text into ("Estimated average burden" / "hours
    # per response:"), told at once (see covers)
    runs: dict[str, list[tuple[str, ...]]]
    whole: frozenset[str]  # each phrase's atoms joined by spaces: most label pieces, at once
    seen: dict[str, bool] = field(default_factory=dict)  # covers() by piece text: filings repeat the form's

    def covers(self, atoms: list[str], text: str) -> bool:
        """A piece with ATOMS and TEXT is all form text: runs of the printed phrases, each maybe
        after a box number ("1.", "2A."), and a lone bracketed letter only as the whole piece."""
        found = self.seen.get(text)
        if found is None:
            if len(self.seen) > 20_000:
                self.seen.clear()
            found = self.seen[text] = self._covers(atoms, text)
        return found

    def _covers(self, atoms: list[str], text: str) -> bool:
        if len(atoms) == 1 and len(atoms[0]) == 1:
            return text.strip(" *.:") in ("(A)", "(D)", "(I)", "V", "(a)", "(d)")
        if " ".join(atoms) in self.whole:
            return True
        i, n = 0, len(atoms)
        while i < n:
            for run in self.runs.get(atoms[i], ()):
                if tuple(atoms[i:i + len(run)]) == run:
                    i += len(run)
                    break
            else:
                if not ((_SHORT_NUMBER.match(atoms[i]) or atoms[i] == "item") and i + 1 < n):  # a box number before its label
                    return False
                i += 1
        return True


def _printed(layouts: tuple[Layout, ...]) -> Printed:
    """All editions' phrases, not only the chosen one's: a rendering holds no other edition's fixed
    text, and a near edition's wording still counts as form text."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    vocab: set[str] = set()
    numbers: set[str] = set()
    runs: dict[str, set[tuple[str, ...]]] = {}
    whole: set[str] = set()
    for phrase in dict.fromkeys(p for layout in layouts for p in layout.phrases()):
        parts = [tuple(_ATOM.findall(normalise(part))) for part in phrase.split("{date}")]
        tokens = tuple(t for k, part in enumerate(parts) for t in ((DATE,) if k else ()) + part)
        if not tokens or tokens[0] == DATE:
            continue
        by_first.setdefault(tokens[0], []).append(tokens)
        vocab.update(t for t in tokens if len(t) > 1 and t != DATE and not any(ch.isdigit() for ch in t))
        numbers.update(t for t in tokens if any(ch.isdigit() for ch in t))
        if DATE not in tokens and (len(tokens) > 1 or len(tokens[0]) > 1):
            whole.add(" ".join(tokens))
        for part in parts:
            for a in range(len(part)):
                for b in range(a + 1, len(part) + 1):
                    run = part[a:b]
                    if (len(run) > 1 or len(run[0]) > 1) and any(w in vocab and w not in STOPWORDS for w in run):
                        runs.setdefault(run[0], set()).add(run)
    for options in by_first.values():
        options.sort(key=len, reverse=True)  # the longest phrase first
    vocab.add("item")  # "Item 4." typed before a box's label
    return Printed(by_first, frozenset(vocab - STOPWORDS), frozenset(numbers),
                   {first: sorted(found, key=len, reverse=True) for first, found in runs.items()},
                   frozenset(" ".join(r) for found in runs.values() for r in found) | whole)


_PRINTED: dict[tuple[int, ...], Printed] = {}
_BY_LAYOUT: dict[int, tuple[Layout, Printed]] = {}  # the layout is kept: its id is not reused


def printed(layout: Layout) -> Printed:
    """:func:`_printed` of the known editions and LAYOUT, computed once per set of editions."""
    if (seen := _BY_LAYOUT.get(id(layout))) is not None and seen[0] is layout:
        return seen[1]
    known = all_layouts()
    layouts = known if any(layout is k for k in known) else (*known, layout)
    key = tuple(id(k) for k in layouts)
    if key not in _PRINTED:
        _PRINTED.clear()  # a new set of editions ($FORM4_LAYOUTS changed): the old one is done with
        _BY_LAYOUT.clear()
        _PRINTED[key] = _printed(layouts)
    _BY_LAYOUT[id(layout)] = (layout, _PRINTED[key])
    return _PRINTED[key]


def mark_phrases(atoms: list[Atom], source: Source, layout: Layout) -> None:
    """Atoms that spell one of the printed phrases in reading order are form text (over a line or
    cell break too: the phrases are the form's own wording, no data spells them). A one-letter
    phrase ("V", "(A)") only counts where the rendering prints it alone in its piece."""
    by_first = printed(layout).by_first
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
    known = printed(layout)
    vocab, numbers = known.vocab, known.numbers
    pieces = source.pieces
    for atom in atoms:  # a function word is no data on its own ("of", "the"): in a value it is placed
        if not atom.kind and (atom.token in vocab or atom.token in STOPWORDS):
            atom.kind = FORM
    _mark_broken(atoms, pieces, vocab)
    _mark_misspelt(atoms, pieces, vocab)
    _mark_abbreviated(atoms, pieces, vocab)
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


_ABBREVIATED = {"amt": "amount", "no": "number"}  # a typist's short forms that are not a word's start


def _mark_abbreviated(atoms: list[Atom], pieces: list[Piece], vocab: frozenset[str]) -> None:
    """A form word a typist abbreviated ("Trans.", "Benefic.", "Amt.", "No."), beside form text
    of its piece, is form text."""
    for k, atom in enumerate(atoms):
        text = pieces[atom.piece].text
        if atom.kind or text[atom.end:atom.end + 1] != "." or not (
                _ABBREVIATED.get(atom.token) in vocab or len(atom.token) >= 3 and any(
                    w.startswith(atom.token) and w != atom.token for w in vocab)):
            continue
        near = [atoms[j] for j in (k - 1, k + 1) if 0 <= j < len(atoms) and atoms[j].piece == atom.piece]
        if any(a.kind == FORM for a in near) or all(
                _ABBREVIATED.get(a.token) in vocab or any(w.startswith(a.token) for w in vocab) for a in near):
            atom.kind = FORM


def _mark_broken(atoms: list[Atom], pieces: list[Piece], vocab: frozenset[str]) -> None:
    """A form word typed over a hyphen or a line break, in two or three parts of one piece
    ("Deriva- tive", "Ind- ire- ct") or of pieces one after another (a cell's lines: "Tran-" /
    "saction"), is form text."""
    def joined(a: Atom, b: Atom) -> bool:
        if a.piece == b.piece:
            return not pieces[a.piece].text[a.end:b.start].strip(" -\n")
        return b.piece == a.piece + 1 and not pieces[a.piece].text[a.end:].strip(" -") \
            and not pieces[b.piece].text[:b.start].strip()

    for k in range(len(atoms)):
        for width in (3, 2):
            group = atoms[k:k + width]
            if len(group) < width or all(a.kind for a in group) or not all(map(joined, group, group[1:])):
                continue
            if "".join(a.token for a in group) in vocab:
                for a in group:
                    a.kind = FORM
                break


_LOOKALIKE = str.maketrans("l1|0", "iiio")


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
        if len(atom.token) <= 3 and atom.token.translate(_LOOKALIKE) in vocab:
            atom.kind = FORM  # "Table Il": a scan's I read as a lower-case L or a one
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
