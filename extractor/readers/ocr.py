"""OCR for pages without a text layer: scanned PDFs and PNG/JPEG/TIFF images.

A page image is deskewed (projection profile), its ruling lines are found with
morphology (OpenCV, which rapidocr brings), and its words are read by rapidocr
(offline models inside the wheel). The result is what the text-layer PDF reader
gets from pdfplumber: words with boxes in PDF points, plus the page's ruled
tables, so both share one page layout (:func:`extractor.readers.pdf.layout_page`).
Each word keeps its OCR score, which becomes the confidence of the pieces and the
values read from them. A footnote mark glued to a value ("785(1)") is split off by
its place in the line: OCR boxes do not give glyph sizes reliably.
"""
from __future__ import annotations

import functools
import re

from ..errors import UnreadableInputError, UnsupportedInputError

DPI = 200  # pages are rendered / read at this resolution
MAX_PIXELS = 60_000_000  # a larger image is refused rather than decoded (memory)
_GLUED_MARK = re.compile(r"^(.*?[\w.%$,])((?:\(\d{0,2}\))*\(\d{1,2}\)(?:\(\d{0,2}\))*)$")
_MARK = re.compile(r"^(?:\(\d{1,2}\))+$")
_MARK_FIXES = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0"})
_BRACKETED = re.compile(r"[({\[](\d{1,2})[)}\]]")  # a footnote mark read with a brace: "{22)", "(3]"
_CROSSED = re.compile(r"\((\d{1,2}(?:[Xx×]\d{1,2})+)\)")  # ")(" between marks read as an X: "(1X2)"


def require(name: str) -> None:
    """Raise a one-line error (naming file NAME) saying which extra to install when OCR is missing."""
    try:
        import cv2  # noqa: F401  (rapidocr depends on opencv)
        import numpy  # noqa: F401
        from rapidocr import RapidOCR  # noqa: F401
    except ImportError:
        raise UnsupportedInputError("this page is an image (a scan) and OCR is not installed: "
                                    "pip install 'form4[ocr]'", name) from None


def threads() -> int:
    """Threads for the OCR models: $FORM4_OCR_THREADS, else every core this process may use
    (a batch sets 1 in each worker: it runs a worker per core)."""
    import os

    if os.environ.get("FORM4_OCR_THREADS", "").isdigit():
        return max(1, int(os.environ["FORM4_OCR_THREADS"]))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def release_memory() -> None:
    """Give the heap's free memory back to the system (glibc's malloc_trim) after a page: the
    models' working buffers (tens of MB, a new size for every band and batch of lines) are freed
    onto the heap and would stack up over the pages of a file (measured: 1.07 GB peak for 6 pages,
    0.7 GB trimmed after each). Elsewhere a no-op."""
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


@functools.lru_cache(maxsize=1)
def engine():
    from rapidocr import RapidOCR

    # lines are recognised one at a time and each at its own width: rapidocr pads every line to
    # at least 320 px (6.7 times its height) by default, a third of the model's work on a form's
    # short labels and values, and the padding misreads some of them ("Indirect (1)")
    ocr = RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False,
                           "EngineConfig.onnxruntime.intra_op_num_threads": threads(),
                           "Rec.rec_batch_num": 1, "Rec.rec_img_shape": [3, 48, 48]})
    ocr.text_det = BandedDetector(ocr._load_det_model())
    recognizer = ocr._load_rec_model()
    recognizer.session = LatinOnly(recognizer.session, recognizer.postprocess_op.character)
    return ocr


BAND = 1024  # px: the detector's working memory follows the area it sees (~700 MB for a page)


class BandedDetector:
    """rapidocr's text detector run over horizontal bands of a page instead of the whole page at
    once: the same boxes (every cut runs through the row with the least ink where a band would
    end, so between two text lines) for about half the memory. Each band is padded with white to
    a multiple of 32 rows, the detector's stride, so it is not rescaled."""

    def __init__(self, detector) -> None:
        self.detector = detector

    def __getattr__(self, name: str):
        return getattr(self.detector, name)  # postprocess_op and the rest, as rapidocr expects

    def __call__(self, img):
        import numpy as np

        cuts = band_rows(img[:, :, 0] if img.ndim == 3 else img)
        if len(cuts) <= 1:
            return self.detector(img)
        boxes, scores, elapse, out = [], [], 0.0, None
        for top, bottom in cuts:
            band = img[top:bottom]
            extra = -band.shape[0] % 32
            if extra:
                band = np.concatenate([band, np.full((extra, *band.shape[1:]), 255, band.dtype)])
            out = self.detector(band)
            elapse += out.elapse
            if out.boxes is not None and len(out.boxes):
                boxes.append(out.boxes + np.array([0, top], dtype=out.boxes.dtype))
                scores.extend(out.scores)
        if not boxes:
            return type(out)()
        return type(out)(img, np.concatenate(boxes), scores, elapse=elapse)


def band_rows(gray) -> list[tuple[int, int]]:
    """GRAY's rows as (top, bottom) bands of at most BAND rows, cut through the row with the least
    ink in the last quarter of each band: a gap between text lines, where at most the vertical
    rules of a table cross."""
    import numpy as np

    height = gray.shape[0]
    if height <= BAND * 1.25:
        return [(0, height)]
    ink = np.convolve((gray < 128).sum(axis=1), np.ones(5), mode="same")
    out, top = [], 0
    while height - top > BAND * 1.25:
        lo, hi = top + BAND * 3 // 4, top + BAND
        cut = hi - 1 - int(np.argmin(ink[lo:hi][::-1]))  # the last of the emptiest rows: long bands
        out.append((top, cut))
        top = cut
    out.append((top, height))
    return out


def deskew(gray):
    """Rotate GRAY (uint8 array, dark ink on light paper) so its text lines are horizontal.
    Returns (image, angle in degrees). The angle maximises the variance of the row sums
    of the ink mask (text lines and rules become sharp peaks when level)."""
    import cv2
    import numpy as np

    h, w = gray.shape
    scale = 800 / w if w > 800 else 1.0
    small = cv2.resize(gray, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    ink = (small < 128).astype(np.float32)
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, m, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST)
        return float(np.var(rotated.sum(axis=1)))

    best = max((a / 4 for a in range(-12, 13)), key=score)  # +-3 degrees, 0.25 steps
    best = max((best + a / 20 for a in range(-5, 6)), key=score)  # refine to 0.05
    if abs(best) < 0.05:
        return gray, 0.0
    m = cv2.getRotationMatrix2D((w / 2, h / 2), best, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255), best


def rules(gray, scale: float) -> list[dict]:
    """Horizontal and vertical ruling lines as pdfplumber-style edges, in points (px * SCALE)."""
    import cv2

    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    length = max(20, int(gray.shape[1] / 60))
    edges: list[dict] = []
    for orientation, kernel in (("h", (length, 1)), ("v", (1, length))):
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            x, y, w, h = cv2.boundingRect(c)
            if orientation == "h":
                mid = (y + h / 2) * scale
                edges.append({"x0": x * scale, "x1": (x + w) * scale, "top": mid, "bottom": mid,
                              "width": w * scale, "height": 0.0, "orientation": "h"})
            else:
                mid = (x + w / 2) * scale
                edges.append({"x0": mid, "x1": mid, "top": y * scale, "bottom": (y + h) * scale,
                              "width": 0.0, "height": h * scale, "orientation": "v"})
    return edges


def checkmarks(gray, scale: float) -> list[dict]:
    """Ticked checkboxes: a small ruled square (6-18 pt a side, every side inked) with ink
    inside. OCR models skip a lone "X" framed by a box, so the box is read from the image;
    each ticked box becomes a word "X" where the text layer of a PDF would have one."""
    import cv2
    import numpy as np

    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    lo, hi = 6 / scale, 18 / scale
    found: list[dict] = []
    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        if not (lo <= w <= hi and lo <= h <= hi):
            continue
        box = ink[y:y + h, x:x + w] > 0
        band = max(2, int(min(w, h) * 0.12))
        sides = (box[:band].any(axis=0).mean(), box[-band:].any(axis=0).mean(),
                 box[:, :band].any(axis=1).mean(), box[:, -band:].any(axis=1).mean())
        if min(sides) < 0.85:
            continue  # not a framed square (letters such as O or D leave corners empty)
        my, mx = int(h * 0.25), int(w * 0.25)
        inside = float(np.mean(box[my:h - my, mx:w - mx]))
        if inside < 0.06:
            continue  # an empty box
        if any(abs(f["x0"] - x * scale) < 2 and abs(f["top"] - y * scale) < 2 for f in found):
            continue  # the inner and outer outline of one box
        found.append({"text": "X", "box": True, "x0": x * scale, "x1": (x + w) * scale, "top": y * scale,
                      "bottom": (y + h) * scale, "size": h * scale / 2, "conf": 0.9})
    return found


# what the (Chinese-trained) recognition model reads a checkbox as when it takes the box into a
# line of text: a ticked box as "区", an empty one as "口". A form's English text has neither.
_TICKED_BOXES = frozenset("区図凶冈☒⊠")
_EMPTY_BOXES = frozenset("口囗☐□")

# what a Form 3/4/5 prints: ASCII, Latin-1 letters (names), typographic punctuation, and the
# checkbox glyphs the model reads boxes as
_ALLOWED = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)} | set("‘’“”–—•…€™") \
    | _TICKED_BOXES | _EMPTY_BOXES | {"blank"}


class LatinOnly:
    """The recognition model restricted to the characters a Form 3/4/5 prints (a character
    whitelist): its alphabet is mostly Chinese, and on a noisy crop it reads "(D)" as "( 问 )" or
    "I" as "一". Every other character's score is set to 0 before decoding, so the model's best
    reading among the allowed characters wins."""

    def __init__(self, session, characters: list[str]) -> None:
        import numpy as np

        self.session = session
        self.mask = np.array([c in _ALLOWED or c == " " for c in characters], dtype=np.float32)

    def __getattr__(self, name: str):
        return getattr(self.session, name)

    def __call__(self, batch):
        preds = self.session(batch)
        return preds * self.mask if preds.shape[-1] == self.mask.shape[0] else preds


def _box_glyph(word: dict) -> tuple[dict | None, dict | None]:
    """A word that starts with a checkbox glyph -> (the box as a word "X" when ticked, else None;
    the rest of the word, or None when nothing follows the glyph)."""
    text = word["text"]
    share = (word["x1"] - word["x0"]) / max(len(text), 1)
    rest = text[1:].strip()
    rest_word = dict(word, text=rest, x0=word["x0"] + share * (len(text) - len(text[1:].lstrip()))) if rest else None
    ticked = dict(word, text="X", box=True, x1=word["x0"] + share) if text[0] in _TICKED_BOXES else None
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
# a period or comma with letters hard on both sides ("reporting.person", "GC,CAO"), two words run
# together ("SeniorVice"). A word like this keeps its reading but goes to review.
_ODD = re.compile(r"[_=|~^`{}<>]|[A-Za-z]{2}\.[a-z]{2}|[A-Za-z],[A-Za-z]|[a-z]{3}[A-Z][a-z]")


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
            if text[0] in _TICKED_BOXES or text[0] in _EMPTY_BOXES:
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
    if crop.size == 0:
        return ""
    result = engine()(crop, use_det=False, use_rec=True, return_word_box=False)
    texts = getattr(result, "txts", None)
    return " ".join(t.strip() for t in texts if t.strip()) if texts else ""


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
        out = {}
        for index in indexes:
            page, box = self.boxes[index]
            image, scale = self.pages[page]
            out[index] = reread(image, box, scale, wide)
        return out


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


def open_image(data: bytes, name: str):
    """PNG/JPEG/TIFF bytes -> list of (grey array, dpi), one per frame."""
    import io

    import numpy as np
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        if img.width * img.height > MAX_PIXELS:
            raise UnreadableInputError(f"the image is {img.width}x{img.height} pixels, too large to OCR", name)
        frames = []
        for frame in ImageSequence.Iterator(img):
            dpi = float((frame.info.get("dpi") or (DPI, DPI))[0]) or DPI
            grey = frame.convert("L")
            if dpi > DPI * 1.2:  # OCR at DPI: more pixels cost time and do not read better
                factor = DPI / dpi
                grey = grey.resize((int(grey.width * factor), int(grey.height * factor)), Image.LANCZOS)
                dpi = DPI
            frames.append((np.asarray(grey), dpi))
            if len(frames) >= 40:
                break
        return frames
    except UnreadableInputError:
        raise
    except Image.DecompressionBombError:
        raise UnreadableInputError(f"the image has more than {MAX_PIXELS:,} pixels, too large to OCR", name) from None
    except (OSError, ValueError) as exc:
        raise UnreadableInputError(f"not a readable image ({type(exc).__name__})", name) from None
