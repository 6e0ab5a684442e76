"""Printed labels found by the geometry of their words, however the producer wrapped them.

A label printed in a narrow column wraps over several lines ("5. Amount of" / "Securities" /
"Beneficially Owned"), and a page's reading order interleaves those lines with the columns beside
it. Here each word knows its successors as a reader of the form would go on: the next word on
its line, or the first word of the next line that starts under the text read so far (the same
column). A label is a path through these successors that spells it, atom by atom; a word cut at
a line's end continues on the next ("Deriva-" / "tive", "Transactio" / "n"). Used by :mod:`.reflow`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..labels import normalise

_NUMBER = re.compile(r"^\d{1,2}[a-z]?$")  # a box or column number
_TYPED_NUMBER = re.compile(r"^(?:\d{1,2}[A-Za-z]?[.):]|\(\d{1,2}[A-Za-z]?\))$")  # "2.", "2A)", "(2)"
_FUNCTION = {"of", "or", "and", "a", "d", "i", "the", "if", "any", "to", "in"}
# a typist's abbreviations of the form's words that are not their first letters ("Amt.", "No.")
_SHORT = {"amt": "amount", "no": "number", "nos": "numbers", "mo": "month", "yr": "year", "dy": "day"}


def _abbreviates(text: str, atom: str, word: str) -> bool:
    """Whether ATOM, the last of a word typed TEXT, abbreviates the label's WORD: the word ends
    with a period and the atom is the word's start ("Trans.", "Benefic.") or a known short form."""
    if not text.rstrip(":,;)").endswith("."):
        return False
    return _SHORT.get(atom) == word or (len(atom) >= 3 and len(atom) < len(word) and word.startswith(atom))


@dataclass
class Line:
    words: list[dict]  # left to right
    page: int
    top: float
    bottom: float


@dataclass
class Found:
    """One place a phrase is printed: its words, in reading order, and the box around them."""

    words: list[dict]
    x0: float = field(init=False)
    top: float = field(init=False)
    x1: float = field(init=False)
    bottom: float = field(init=False)
    page: int = field(init=False)

    def __post_init__(self) -> None:
        self.x0 = min(w["x0"] for w in self.words)
        self.x1 = max(w["x1"] for w in self.words)
        self.top = min(w["top"] for w in self.words)
        self.bottom = max(w["bottom"] for w in self.words)
        self.page = self.words[0]["page"]


def lines_of(words: list[dict]) -> list[Line]:
    """WORDS grouped into lines, page by page, top to bottom: a word joins the line whose first
    word's band holds its middle (the band does not grow, so staggered lines of neighbouring
    columns stay apart)."""
    out: list[Line] = []
    for w in sorted(words, key=lambda w: (w["page"], (w["top"] + w["bottom"]) / 2, w["x0"])):
        middle = (w["top"] + w["bottom"]) / 2
        line = out[-1] if out else None
        if line is not None and line.page == w["page"] and line.top <= middle <= line.bottom:
            line.words.append(w)
        else:
            out.append(Line([w], w["page"], w["top"], w["bottom"]))
    for line in out:
        line.words.sort(key=lambda w: w["x0"])
    return out


class WordGraph:
    """The words of a page or document with their reading successors (see the module docstring)."""

    def __init__(self, words: list[dict]) -> None:
        self.lines = lines_of(words)
        self.words: list[dict] = []
        for n, line in enumerate(self.lines):
            for k, w in enumerate(line.words):
                w["_line"], w["_k"], w["_id"] = n, k, len(self.words)
                w["_atoms"] = normalise(w["text"]).split()
                self.words.append(w)
        self.by_atom: dict[str, list[int]] = {}
        for w in self.words:
            if w["_atoms"]:
                self.by_atom.setdefault(w["_atoms"][0], []).append(w["_id"])

    def right(self, w: dict) -> dict | None:
        line = self.lines[w["_line"]].words
        if w["_k"] + 1 >= len(line):
            return None
        nxt = line[w["_k"] + 1]
        height = max(w["bottom"] - w["top"], 1.0)
        return nxt if nxt["x0"] - w["x1"] < 2.5 * height else None

    def below(self, w: dict, x0: float, x1: float) -> list[dict]:
        """The words that may go on from W on the next lines of the column [X0, X1] read so far,
        best first: those starting inside the column, within two lines' height (three past lines
        with nothing in the column), the one at the
        column's left edge (a left-aligned wrap) before the others (a centred one)."""
        height = max(w["bottom"] - w["top"], 1.0)
        page = self.lines[w["_line"]].page
        found = []
        for n in range(w["_line"] + 1, min(w["_line"] + 6, len(self.lines))):
            line = self.lines[n]
            # within two lines' height; three when the lines between hold nothing in the column (a
            # text dump sets a title's larger type lines apart, other columns' lines between)
            if line.page != page or line.top - w["bottom"] > (2.2 if found else 3.5) * height:
                break
            inside = [c for c in line.words if x0 - 1.5 * height <= c["x0"] < x1 - 0.3 * height]
            if inside:  # the line's word nearest the column's left edge (the text beside ends left of it)
                c = min(inside, key=lambda c: abs(c["x0"] - x0))
                found.append((abs(c["x0"] - x0) > height, n, abs(c["x0"] - x0), c))
        return [c for *_key, c in sorted(found, key=lambda f: f[:3])][:3]

    def find(self, phrase: str, limit: int = 64) -> list[Found]:
        """Every place PHRASE is printed (up to LIMIT), in reading order."""
        target = normalise(phrase).split()
        if not target:
            return []
        out: list[Found] = []
        used: set[int] = set()
        first = target[0]  # a first word may be cut too: "Conversio" / "n"
        starts = [*self.by_atom.get(first, ()), *(i for m in range(3, len(first)) for i in self.by_atom.get(first[:m], ())),
                  *(i for short, word in _SHORT.items() if word == first for i in self.by_atom.get(short, ()))]
        for start in sorted(set(starts)):
            if start in used:
                continue
            w = self.words[start]
            path = self._spell(target, 0, w, 0, self.column_start(w), w["x1"], [w], set())
            if path is not None:
                out.append(Found(path))
                used.update(p["_id"] for p in path)
                if len(out) >= limit:
                    break
        return out

    def numbered(self, number: str, labels: list[str], subs: list[str] = ()) -> list[Found]:
        """Every place a label is typed short after its number: "2. Date" for "2. Transaction
        Date", "9. No. Owned": the number ("2.", "(2)", "2)") and the words right of it that are
        words of LABELS (or their abbreviations), at least one of them not a function word. Down the
        column it stops at a sub-label (SUBS: "Title", "Amount or Number of Shares")."""
        starts = {normalise(s).split()[0] for s in subs if normalise(s).split()}
        vocab = {a for label in labels for a in normalise(label).split()}

        def fits(word: dict | None) -> bool:  # a word of the label, maybe abbreviated or cut ("Exer-")
            return word is not None and bool(word["_atoms"]) and all(
                a in vocab or any(_abbreviates(word["text"], a, v) or _SHORT.get(a) == v
                                  or word["text"].endswith("-") and len(a) >= 2 and v.startswith(a) for v in vocab)
                for a in word["_atoms"])

        out = []
        for i in self.by_atom.get(number.lower(), ()):
            w = self.words[i]
            if not _TYPED_NUMBER.match(w["text"]) or w["_atoms"] != [number.lower()]:
                continue
            path = [w]
            x0, x1 = w["x0"], w["x1"] + 3 * max(w["bottom"] - w["top"], 1.0)
            last = w
            while True:  # on along the line, else down the column ("2A." / "Deemed" / "Date")
                down = [c for c in self.below(last, x0, x1)[:1] if c["_atoms"][:1] and c["_atoms"][0] not in starts]
                nxt = next((c for c in (self.right(last), *down) if fits(c)), None)
                if nxt is None or nxt["_id"] in {p["_id"] for p in path}:
                    break
                path.append(nxt)
                x0, x1 = min(x0, nxt["x0"]), max(x1, nxt["x1"])
                last = nxt
            if any(a not in _FUNCTION for p in path[1:] for a in p["_atoms"]):
                out.append(Found(path))
        return out

    def column_start(self, w: dict) -> float:
        """Where the column of a label starting at W begins: at its box number or mark, when one is
        printed just before it ("1." before "Title of", "**" before "Signature of"), else at W."""
        line = self.lines[w["_line"]].words
        if w["_k"] > 0:
            before = line[w["_k"] - 1]
            if (len(before["_atoms"]) == 1 and _NUMBER.match(before["_atoms"][0]) or before["text"] in ("*", "**")) \
                    and w["x0"] - before["x1"] < 2 * max(w["bottom"] - w["top"], 1.0):
                item = line[w["_k"] - 2] if w["_k"] > 1 else None  # "Item 4." typed before a label
                if item is not None and item["text"].lower() == "item" and before["x0"] - item["x1"] < 2 * max(
                        w["bottom"] - w["top"], 1.0):
                    return item["x0"]
                return before["x0"]
        return w["x0"]

    def _spell(self, target: list[str], k: int, w: dict, j: int, x0: float, x1: float, path: list[dict],
               seen: set) -> list[dict] | None:
        """Go on spelling TARGET[K:] from atom J of word W (the column read so far is [X0, X1])."""
        atoms = w["_atoms"]
        while j < len(atoms) and k < len(target):
            if atoms[j] == target[k] or j == len(atoms) - 1 and _abbreviates(w["text"], atoms[j], target[k]):
                j, k = j + 1, k + 1
            elif j == len(atoms) - 1 and target[k].startswith(atoms[j]) and len(atoms[j]) >= 2:
                return self._hyphen(target, k, atoms[j], w, x0, x1, path, seen)
            else:
                return None
        if k == len(target):
            return path
        state = (w["_id"], k)
        if state in seen:
            return None
        seen.add(state)
        for nxt in (self.right(w), *self.below(w, x0, x1)):
            if nxt is not None and nxt["_id"] not in {p["_id"] for p in path}:
                found = self._spell(target, k, nxt, 0, min(x0, nxt["x0"]), max(x1, nxt["x1"]), path + [nxt], seen)
                if found is not None:
                    return found
        return None

    def _hyphen(self, target, k, head, w, x0, x1, path, seen):
        """A word cut at the line's end, with a hyphen or not (a narrow cell breaks "Transactio" /
        "n"): its rest starts the next line of the column."""
        for nxt in self.below(w, x0, x1):
            if not nxt["_atoms"]:
                continue
            joined = head + nxt["_atoms"][0]
            x0n, x1n = min(x0, nxt["x0"]), max(x1, nxt["x1"])
            if joined == target[k]:
                found = self._spell(target, k + 1, nxt, 1, x0n, x1n, path + [nxt], seen)
            elif len(nxt["_atoms"]) == 1 and target[k].startswith(joined) and len(path) < 64:
                found = self._hyphen(target, k, joined, nxt, x0n, x1n, path + [nxt], seen)  # "Ben-" / "efici-" / "ally"
            else:
                continue
            if found is not None:
                return found
        return None
