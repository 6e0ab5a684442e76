"""Page images for OCR: image files opened within bounds, and what is read from a page's
pixels rather than by the models: its skew, its ruling lines and its ticked checkboxes."""
from __future__ import annotations

from ..errors import UnreadableInputError

DPI = 200  # pages are rendered / read at this resolution
MAX_PIXELS = 60_000_000  # a larger image is refused rather than decoded (memory)


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
