"""Other readings of OCR'd values: what was read once from a scan is read again, other ways, and
a value whose readings disagree goes to review.

OCR misreads noise with scores near 1 ("GARRETT M ARK", "(i)" for "(ii)", a speck read as a
period), so a score cannot tell such a misreading from a clear word. A source whose text may be
misread carries a ``second_reader`` (for OCR: :class:`extractor.readers.ocr.SecondReader`).
Every piece a value was read from is read a second time, from its own crop of the page; where
the two readings differ a third, wider crop is read. The third agreeing with the first settles
it. The third agreeing with the second outvotes the first: when they differ only in spacing
(the commonest slip: "PHARM ACEUTICALS") the piece takes the majority's spacing and the
document is built again from the corrected pieces; in every other case the first reading
stays. Either way a value whose first reading was outvoted or left alone against two others
gets a confidence under the review threshold, and both readings are listed in the document's
problems. Only the pieces values came from are read again (labels and the form's printed
instructions are not), a small part of a page's text. A box read as empty gets a second look
too: a lone "X" the detector took into its label's line is found left of the label.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from ..ir import Piece, Source
from ..model import OwnershipDocument, Problem, Value
from ..paths import describe, footnote_texts, iter_values, set_value

DOUBT = 0.6  # under the review threshold
_SPACES = re.compile(r"\s+")
_BEFORE_MARK = re.compile(r"\s+(?=\()")


def _norm(text: str) -> str:
    """Text as readings must agree on: spacing collapsed, "785 (1)" == "785(1)", "Ⅰ" == "I"."""
    return _BEFORE_MARK.sub("", _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip())


def respace(first: str, other: str) -> str:
    """FIRST's characters with OTHER's spaces (the two differ only in spacing), keeping the space
    FIRST puts before a footnote mark: "GARRETT M ARK (1)" + "GARRETT MARK(1)" -> "GARRETT MARK (1)"."""
    marks = set()
    count = 0
    for k, char in enumerate(first):
        if not char.isspace():
            if char == "(" and k and first[k - 1].isspace():
                marks.add(count)
            count += 1
    out, count, gap = [], 0, False
    for char in _norm(other):
        if char.isspace():
            gap = True
            continue
        if out and (gap or count in marks):
            out.append(" ")
        out.append(char)
        count += 1
        gap = False
    return "".join(out)


def _inside(piece: Piece, box) -> bool:
    b = piece.bbox
    return b is not None and b[0] >= box[0] - 0.5 and b[1] >= box[1] - 0.5 and b[2] <= box[2] + 0.5 \
        and b[3] <= box[3] + 0.5


def _read_from(doc: OwnershipDocument, source: Source, keep) -> list[tuple[str, Value, list[Piece]]]:
    """(path, value, the OCR'd pieces it was read from) for every value of DOC, footnote texts
    included, that KEEP(value) accepts."""
    by_page: dict[int, list[Piece]] = {}
    for piece in source.pieces:
        if piece.index in source.second_reader:
            by_page.setdefault(piece.page, []).append(piece)
    out = []
    for path, value in (*iter_values(doc), *footnote_texts(doc)):
        prov = value.provenance
        if keep(value) and prov is not None and prov.bbox is not None:
            pieces = [p for p in by_page.get(prov.page, ()) if _inside(p, prov.bbox)]
            if pieces:
                out.append((path, value, pieces))
    return out


def _texts(value: Value) -> bool:
    return not isinstance(value.value, bool)  # checkboxes are read from the image's geometry


def _empty_boxes(value: Value) -> bool:
    return value.value is False


def check(doc: OwnershipDocument, source: Source,
          rebuild: Callable[[], OwnershipDocument]) -> OwnershipDocument:
    """DOC (just extracted from SOURCE) with its OCR'd values read again; REBUILD extracts the
    document again from SOURCE once a piece's text was corrected."""
    reader = source.second_reader
    if reader is None:
        return doc
    doc = _read_texts_again(doc, source, rebuild)
    _look_for_missed_marks(doc, source)
    return doc


def _look_for_missed_marks(doc: OwnershipDocument, source: Source) -> None:
    """A box read as empty gets a second look left of its label: OCR's detector sometimes takes a
    lone "X" into the line of its label, and the recogniser then drops it. A mark found there
    ticks the box, under the review threshold, and says so in the problems."""
    reader = source.second_reader
    if not hasattr(reader, "mark_before"):
        return
    labels: dict[int, bool] = {}
    for path, value, pieces in _read_from(doc, source, _empty_boxes):
        label = min(pieces, key=lambda p: p.bbox[0])
        if label.index not in labels:
            labels[label.index] = reader.mark_before(label.index)
        if labels[label.index]:
            set_value(doc, path, value.model_copy(update={"value": True, "confidence": DOUBT}))
            doc.problems.append(Problem(kind="second_reading", locator=label.locator(), message=(
                f"{describe(doc, path)}: no mark was read beside '{label.text}' at first; a second look finds one")))


def _read_texts_again(doc: OwnershipDocument, source: Source,
                      rebuild: Callable[[], OwnershipDocument]) -> OwnershipDocument:
    """The vote of the module's docstring over every piece a text value was read from."""
    reader = source.second_reader
    targets = _read_from(doc, source, _texts)
    wanted = sorted({p.index for _, _, pieces in targets for p in pieces})
    first = {i: source.pieces[i].text for i in wanted}
    second = reader(wanted)
    differ = [i for i in wanted if _norm(second[i]) != _norm(first[i])]
    third = reader(differ, wide=True)
    doubtful: dict[int, str] = {}  # piece -> what the other readings said
    corrected = False
    for i in differ:
        a, b, c = _norm(first[i]), _norm(second[i]), _norm(third[i])
        if c == a:
            continue  # the second reading was the odd one out
        doubtful[i] = second[i] if c == b else f"{second[i]}' and then '{third[i]}"
        if c == b and a.replace(" ", "") == b.replace(" ", ""):
            source.retext(i, respace(first[i], second[i]))
            corrected = True
    if not doubtful:
        return doc
    if corrected:
        doc = rebuild()
        targets = _read_from(doc, source, _texts)
    for path, value, pieces in targets:
        hit = next((p for p in pieces if p.index in doubtful), None)
        if hit is None:
            continue
        doc.problems.append(Problem(
            kind="second_reading", locator=hit.locator(),
            message=f"{describe(doc, path)}: OCR read '{first[hit.index]}', other readings '{doubtful[hit.index]}'"))
        if value.confidence > DOUBT:  # a footnote's text too: set_value writes it back to the footnote
            set_value(doc, path, value.model_copy(update={"confidence": DOUBT}))
    return doc
