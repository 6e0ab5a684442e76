"""The OCR engine: rapidocr set up for forms (offline models from its wheel).

The detector runs over bands of the page (:class:`BandedDetector`: half the memory), every
line is recognised at its own width (no padding to 320 px), and the recogniser is held to the
characters a Form 3/4/5 prints (:class:`LatinOnly`). The words it reads are made into the page
layout's words by :mod:`.ocr`; page images are prepared by :mod:`.ocr_image`.
"""
from __future__ import annotations

import functools

from ..errors import UnsupportedInputError


def require(name: str) -> None:
    """Raise a one-line error (naming file NAME) saying which extra to install when OCR is missing."""
    try:
        import cv2  # noqa: F401  (rapidocr depends on opencv)
        import numpy  # noqa: F401
        from rapidocr import RapidOCR  # noqa: F401
    except ImportError:
        raise UnsupportedInputError("this page is an image (a scan) and OCR is not installed: "
                                    "pip install 'form4[ocr]' (in a clone of form4: pip install -e '.[ocr]')", name) from None


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
    # rapidocr 3.9 builds its models at once, 3.10 on first use (pinned in pyproject.toml)
    detector = ocr.text_det if getattr(ocr, "text_det", None) is not None else ocr._load_det_model()
    ocr.text_det = BandedDetector(detector)
    recognizer = ocr.text_rec if getattr(ocr, "text_rec", None) is not None else ocr._load_rec_model()
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


# what the (Chinese-trained) recognition model reads a checkbox as when it takes the box into a
# line of text: a ticked box as "区", an empty one as "口". A form's English text has neither.
TICKED_BOXES = frozenset("区図凶冈☒⊠")
EMPTY_BOXES = frozenset("口囗☐□")

# what a Form 3/4/5 prints: ASCII, Latin-1 letters (names), typographic punctuation, and the
# checkbox glyphs the model reads boxes as
_ALLOWED = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)} | set("‘’“”–—•…€™") \
    | TICKED_BOXES | EMPTY_BOXES | {"blank"}


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
