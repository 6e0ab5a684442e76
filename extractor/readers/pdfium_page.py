"""A PDF page's words and ruling lines from pdfium (pypdfium2), for the page layout of
:mod:`extractor.readers.pdf`.

pdfium hands over a page's characters with their boxes in ~2 ms where pdfplumber's word
extraction takes ~90 ms; ruling lines are the page's thin path objects. Words break at spaces,
line ends, gaps, and font-size changes (so a small footnote mark is its own word beside the
value it cites); each word's ``size`` is the height of its font box. Coordinates are PDF points
from the top-left, as pdfplumber gives them, so both feed the same layout and table finder.
"""
from __future__ import annotations

import pypdfium2.raw as pdfium_c

_BREAKS = {" ", "\u00a0", "\r", "\n", "\t", "\x00"}
_SOFT_HYPHENS = {"\x02", "\ufffe"}  # pdfium's mark for a hyphen that ends a line (per char / in a range)
RULE = 2.0  # a path thinner than this (pt) is a ruling line
_GAP = 0.08  # a gap wider than this many font heights starts a new word (glyph boxes abut inside one)


def words(page) -> list[dict]:
    height = page.get_height()
    text = page.get_textpage()
    try:
        count = text.count_chars()
        chars = text.get_text_range(0, count) if count else ""
        if len(chars) != count:  # surrogate pairs: fall back to one call per character
            chars = "".join(chr(pdfium_c.FPDFText_GetUnicode(text.raw, i)) for i in range(count))
        raw = text.raw
        rect = pdfium_c.FS_RECTF()
        loose_box = pdfium_c.FPDFText_GetLooseCharBox
        generated = pdfium_c.FPDFText_IsGenerated
        out: list[dict] = []
        current: dict | None = None
        for i, char in enumerate(chars):
            if char in _SOFT_HYPHENS:
                char = "-"
            if char in _BREAKS or generated(raw, i):
                current = None
                continue
            loose_box(raw, i, rect)
            left, right, top, bottom = rect.left, rect.right, height - rect.top, height - rect.bottom
            size = bottom - top
            if current is not None:
                gap = left - current["x1"]
                if not (abs(top - current["top"]) < 0.5 * size and abs(size - current["size"]) < 0.08 * size
                        and -0.5 * size < gap < _GAP * size):
                    current = None
            if current is None:
                current = {"text": char, "x0": left, "x1": right, "top": top, "bottom": bottom, "size": size}
                out.append(current)
                continue
            current["text"] += char
            if right > current["x1"]:
                current["x1"] = right
        return [w for w in out if w["text"].strip()]
    finally:
        text.close()


def edges(page) -> list[dict]:
    """Thin path objects (table borders, underlines) as pdfplumber-style edges."""
    height = page.get_height()
    out: list[dict] = []
    for obj in page.get_objects():
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        y0, y1 = height - top, height - bottom
        if h <= RULE and w > h:
            mid = (y0 + y1) / 2
            out.append({"x0": left, "x1": right, "top": mid, "bottom": mid, "width": w, "height": 0.0,
                        "orientation": "h", "object_type": "line"})
        elif w <= RULE and h > w:
            mid = (left + right) / 2
            out.append({"x0": mid, "x1": mid, "top": y0, "bottom": y1, "width": 0.0, "height": h,
                        "orientation": "v", "object_type": "line"})
    return out
