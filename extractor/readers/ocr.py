"""OCR for pages without a text layer: scanned PDFs and PNG/JPEG/TIFF images.

A page image is deskewed and its ruling lines and ticked boxes are found from its pixels
(:mod:`.ocr_image`); its words are read by rapidocr (:mod:`.ocr_engine`). The result is what
the text-layer PDF reader gets from pdfium: words with boxes in PDF points, plus the page's
ruling lines, so both share one page layout (:func:`extractor.readers.page_layout.layout_page`).
Each word keeps its OCR score, which becomes the confidence of the pieces and the values read
from them. A footnote mark glued to a value ("785(1)") is split off by its place in the line:
OCR boxes do not give glyph sizes reliably. :class:`SecondReader` reads a piece again, from
its own crop, for :mod:`extractor.second_reading`.
"""
from __future__ import annotations

import re

from .ocr_engine import EMPTY_BOXES, TICKED_BOXES, engine, release_memory
from .ocr_image import checkmarks, deskew, rules

_GLUED_MARK = re.compile(r"^(.*?[\w.%$,])((?:\(\d{0,2}\))*\(\d{1,2}\)(?:\(\d{0,2}\))*)$")
_MARK = re.compile(r"^(?:\(\d{1,2}\))+$")
_MARK_FIXES = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0"})
_BRACKETED = re.compile(r"[({\[](\d{1,2})[)}\]]")  # a footnote mark read with a brace: "{22)", "(3]"
_HALF_MARK = re.compile(r"^([A-Z])(\d{1,2})\)$")  # a code and its mark with the "(" lost: "G5)"
_CROSSED = re.compile(r"\((\d{1,2}(?:[Xx×]\d{1,2})+)\)")  # ")(" between marks read as an X: "(1X2)"


def _box_glyph(word: dict) -> tuple[dict | None, dict | None]:
    """A word that starts with a checkbox glyph -> (the box as a word "X" when ticked, else None;
    the rest of the word, or None when nothing follows the glyph)."""
    text = word["text"]
    share = (word["x1"] - word["x0"]) / max(len(text), 1)
    rest = text[1:].strip()
    rest_word = dict(word, text=rest, x0=word["x0"] + share * (len(text) - len(text[1:].lstrip()))) if rest else None
    ticked = dict(word, text="X", box=True, x1=word["x0"] + share) if text[0] in TICKED_BOXES else None
    return ticked, rest_word


def _repair_marks(marks: str, score: float) -> tuple[str, float]:
    """Footnote marks with a digit OCR lost ("(1)()(3)"): marks run in ascending order, so a gap
    of one between its neighbours is filled ("(1)(2)(3)"); any other empty mark is dropped and
    the score lowered, so review shows the value."""
    numbers = [m or None for m in re.findall(r"\((\d{0,2})\)", marks)]
    if None not in numbers:
        return marks, score
    out = []
    for k, n in enumerate(numbers):
        if n is None:
            before = int(numbers[k - 1]) if k > 0 and numbers[k - 1] else None
            after = int(numbers[k + 1]) if k + 1 < len(numbers) and numbers[k + 1] else None
            if before is not None and after is not None and after - before == 2:
                out.append(str(before + 1))
            else:
                score = min(score, 0.5)
            continue
        out.append(n)
    return "".join(f"({n})" for n in out), score


SPACING_DOUBT = 0.7  # under the review threshold: the model's two readings of a line disagree on a space


# what typed form text never holds and OCR slips produce: "_" or "=" for a lost hyphen or space,
# a period or comma with letters hard on both sides ("reporting.person", "GC,CAO"), a speck read as
# a second stop ("W,."), two words run together ("SeniorVice"). A word like this keeps its reading
# but goes to review.
_ODD = re.compile(r"[_=|~^`{}<>]|[A-Za-z]{2}\.[a-z]{2}|[A-Za-z],[A-Za-z]|,[.,]|\.,|[a-z]{3}[A-Z][a-z]")


def _doubtful_words(line: str | None, words: list[str]) -> set[int]:
    """The words beside a break the model's two readings of one line disagree on. rapidocr gives a
    line's text and, apart, its words; each misplaces spaces now and then ("COMMISSION" split as
    "COM MISSION" by the words; "UNITEDSTATES" joined by the line), with scores near 1 either
    way, so neither can be trusted over the other: where they differ the words go to review."""
    if not line:
        return set()
    flat = "".join(line.split())
    if flat != "".join("".join(w.split()) for w in words):
        return set()  # the readings differ in more than spacing: nothing to compare
    breaks, count = set(), 0
    for char in line.strip():
        if char.isspace():
            breaks.add(count)
        else:
            count += 1
    doubtful, count = set(), 0
    for i, word in enumerate(words[:-1]):
        count += len("".join(word.split()))
        if count not in breaks:
            doubtful.update((i, i + 1))
    return doubtful


def _word(text: str, score: float, quad, scale: float, size: float) -> dict:
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    return {"text": text, "x0": min(xs) * scale, "x1": max(xs) * scale, "top": min(ys) * scale,
            "bottom": max(ys) * scale, "size": size, "conf": float(score)}


def words(image, scale: float) -> list[dict]:
    """OCR IMAGE (RGB/grey array) -> words in points with their scores. A "(n)" after other
    words of its line, or glued to a value, is a footnote mark (``mark=True``)."""
    # rapidocr keeps use_det/use_rec from the last call: say them every time (see reread)
    result = engine()(image, use_det=True, use_rec=True, return_word_box=True)
    out: list[dict] = []
    if result.boxes is None:
        return out
    lines = getattr(result, "txts", None) or [None] * len(result.boxes)
    for line_box, line_words, line_text in zip(result.boxes, result.word_results or (), lines):
        height = (max(p[1] for p in line_box) - min(p[1] for p in line_box)) * scale
        size = height / 2  # a detection box is about twice the font size high
        doubtful = _doubtful_words(line_text, [w[0] for w in line_words])
        for i, (text, score, quad) in enumerate(line_words):
            text = _BRACKETED.sub(r"(\1)", text.strip())
            text = _HALF_MARK.sub(r"\1(\2)", text)
            if "(" in text:
                text = _CROSSED.sub(lambda m: "".join(f"({n})" for n in re.split("[Xx×]", m.group(1))), text)
            if not text:
                continue
            if i in doubtful or _ODD.search(text):
                score = min(float(score), SPACING_DOUBT)
            glued = _GLUED_MARK.match(text)
            if glued and not _MARK.match(text):
                word = _word(glued.group(1), score, quad, scale, size)
                out.append(word)
                marks, conf = _repair_marks(glued.group(2), word["conf"])
                word["conf"] = conf
                mark = dict(word, text=marks, mark=True, x0=word["x1"])
                out.append(mark)
                continue
            word = _word(text, score, quad, scale, size)
            if text[0] in TICKED_BOXES or text[0] in EMPTY_BOXES:
                ticked, rest = _box_glyph(word)
                out.extend(w for w in (ticked, rest) if w is not None)
                continue
            fixed = text.translate(_MARK_FIXES)
            if i > 0 and _MARK.match(fixed):
                word.update(text=fixed, mark=True)
            out.append(word)
    return out


def reread(image, box: tuple[float, float, float, float], scale: float, wide: bool = False) -> str:
    """Another reading of one line of text: the region BOX (points on the deskewed page IMAGE,
    SCALE points a pixel) cut out on its own (WIDE: with a margin around it) and given to the
    recognition model alone. The first reading saw the detector's crop of the whole line; these
    see other crops, so a misreading of noise (a space in "GARRETT M ARK", "(i)" for "(ii)")
    seldom repeats, while a clear word reads the same every time."""
    x0, top, x1, bottom = (v / scale for v in box)
    high = bottom - top
    dx, dy = (1.0 * high, 0.15 * high) if wide else (0.5 * high, 0.0)
    crop = image[max(0, int(top - dy)):int(bottom + dy) + 1, max(0, int(x0 - dx)):int(x1 + dx) + 1]
    return " ".join(text for text, _score in _recognise(crop))


def _recognise(crop) -> list[tuple[str, float]]:
    """What the recognition model alone reads in CROP (one line of a page image): its texts and
    their scores, blanks left out."""
    if crop.size == 0:
        return []
    result = engine()(crop, use_det=False, use_rec=True, return_word_box=False)
    texts = getattr(result, "txts", None) or ()
    scores = getattr(result, "scores", None) or ()
    return [(t.strip(), float(score)) for t, score in zip(texts, scores) if t.strip()]


_MARKS = {"X", "x", "×", "✓", "✔"} | set(TICKED_BOXES)


def mark_left_of(image, box: tuple[float, float, float, float], scale: float) -> bool:
    """Whether a mark ("X") stands just left of the label at BOX (points on the deskewed page
    IMAGE): the strip one to three line heights wide before it, level with it, read alone. The
    detector sometimes takes a lone "X" into its label's line and the recogniser drops it."""
    x0, top, _x1, bottom = (v / scale for v in box)
    high = bottom - top
    crop = image[max(0, int(top - 0.3 * high)):int(bottom + 0.3 * high) + 1,
                 max(0, int(x0 - 3 * high)):max(0, int(x0 - 0.15 * high))]
    if crop.size == 0 or crop.shape[1] < 4 or (crop[:, :, 0] < 128).mean() < 0.004:
        return False  # blank paper: nothing to read
    read = _recognise(crop)
    return len(read) == 1 and read[0][0] in _MARKS and read[0][1] >= 0.5


class SecondReader:
    """What :mod:`extractor.second_reading` asks an OCR'd source for: each OCR'd page's deskewed
    image, each OCR'd piece's box on it, and other readings of any of those pieces."""

    def __init__(self) -> None:
        self.pages: dict[int, tuple[object, float]] = {}  # page -> (image, points a pixel)
        self.boxes: dict[int, tuple[int, tuple[float, float, float, float]]] = {}  # piece -> (page, box)

    def add(self, page: int, image, scale: float, pieces) -> None:
        self.pages[page] = (image, scale)
        for piece in pieces:
            if piece.text and piece.bbox is not None:
                self.boxes[piece.index] = (page, piece.bbox)

    def __contains__(self, index: int) -> bool:
        return index in self.boxes

    def __call__(self, indexes, wide: bool = False) -> dict[int, str]:
        """piece index -> what another reading of that piece says (WIDE: a third, wider crop)."""
        return {index: reread(*self._place(index), wide) for index in indexes}

    def mark_before(self, index: int) -> bool:
        """Whether a second look finds a mark just left of piece INDEX (an option's label)."""
        return mark_left_of(*self._place(index))

    def _place(self, index: int):
        """(deskewed page image, piece INDEX's box on it, points a pixel)."""
        page, box = self.boxes[index]
        image, scale = self.pages[page]
        return image, box, scale


class PageRead:
    """What OCR read on one page: WORDS and ruling EDGES in points of the deskewed page, and
    how to map a bbox back onto the page as it is (:meth:`unrotate`)."""

    def __init__(self, words: list[dict], edges: list[dict], angle: float, size: tuple[float, float],
                 image=None, scale: float = 1.0):
        self.words, self.edges, self.angle, self.size = words, edges, angle, size
        self.image, self.scale = image, scale  # the deskewed page as OCR saw it

    def unrotate(self, bbox):
        if not self.angle or bbox is None:
            return bbox
        import cv2
        import numpy as np

        m = cv2.invertAffineTransform(cv2.getRotationMatrix2D((self.size[0] / 2, self.size[1] / 2), self.angle, 1))
        x0, top, x1, bottom = bbox
        corners = np.array([[x0, top, 1], [x1, top, 1], [x0, bottom, 1], [x1, bottom, 1]]) @ m.T
        return (float(corners[:, 0].min()), float(corners[:, 1].min()),
                float(corners[:, 0].max()), float(corners[:, 1].max()))


def read_image(gray, dpi: float) -> PageRead:
    """One page image (grey uint8 array at DPI) -> what OCR read on it, in points."""
    import cv2

    scale = 72 / dpi
    level, angle = deskew(gray)
    rgb = cv2.cvtColor(level, cv2.COLOR_GRAY2RGB)
    read = words(rgb, scale)
    release_memory()
    for mark in checkmarks(level, scale):
        if not any(_overlaps(mark, w) for w in read):
            read.append(mark)
    return PageRead(read, rules(level, scale), angle, (gray.shape[1] * scale, gray.shape[0] * scale), rgb, scale)


def _overlaps(a: dict, b: dict) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


