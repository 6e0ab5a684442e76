"""A PDF page's words and ruling lines from pdfium (pypdfium2), for the page layout of
:mod:`extractor.readers.pdf`.

pdfium hands over a page's characters with their boxes in ~2 ms where pdfplumber's word
extraction takes ~90 ms; ruling lines are the page's thin path objects. Words break at spaces,
line ends, gaps, and font-size changes (so a small footnote mark is its own word beside the
value it cites); each word's ``size`` is the height of its font box. Coordinates are PDF points
from the top-left, as pdfplumber gives them, so both feed the same layout and table finder.
"""
from __future__ import annotations

import ctypes
import re

import pypdfium2.raw as pdfium_c

_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAKS = {" ", "\u00a0", "\r", "\n", "\t", "\x00"}
_SOFT_HYPHENS = {"\x02", "\ufffe"}  # pdfium's mark for a hyphen that ends a line (per char / in a range)
RULE = 2.0  # a path thinner than this (pt) is a ruling line
_GAP = 0.08  # a gap wider than this many font heights starts a new word (glyph boxes abut inside one)


def _untyped(function):
    """FUNCTION (a pypdfium2 binding) callable without ctypes converting its arguments on every
    call: half the cost of a call, which counts once per character (pass c_void_p / int)."""
    bare = ctypes.cast(ctypes.cast(function, ctypes.c_void_p), ctypes.CFUNCTYPE(function.restype))
    bare.argtypes = None
    return bare


def words(page) -> list[dict]:
    height = page.get_height()
    text = page.get_textpage()
    try:
        count = text.count_chars()
        chars = text.get_text_range(0, count) if count else ""
        if len(chars) != count:  # surrogate pairs: fall back to one call per character
            chars = "".join(chr(pdfium_c.FPDFText_GetUnicode(text.raw, i)) for i in range(count))
        if _SURROGATE.search(chars):  # a broken font map gives lone surrogates, which no output can hold
            chars = _SURROGATE.sub("\ufffd", chars)
        raw = ctypes.cast(text.raw, ctypes.c_void_p)
        rect = pdfium_c.FS_RECTF()
        rect_p = ctypes.c_void_p(ctypes.addressof(rect))
        box = (ctypes.c_float * 4).from_address(ctypes.addressof(rect))  # left, top, right, bottom
        loose_box = _untyped(pdfium_c.FPDFText_GetLooseCharBox)
        font_size = _untyped(pdfium_c.FPDFText_GetFontSize)
        out: list[dict] = []
        parts: list[str] = []
        x0 = x1 = top = bottom = size = points = last_left = last_right = 0.0
        open_word = False
        # the characters pdfium generates itself are the spaces and line ends it infers, all in
        # _BREAKS, so no per-character FPDFText_IsGenerated call is needed
        for i, char in enumerate(chars):
            if char in _BREAKS:
                if parts:
                    out.append({"text": "".join(parts), "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                                "size": size})
                    parts = []
                open_word = False
                continue
            if char in _SOFT_HYPHENS:
                char = "-"
            loose_box(raw, i, rect_p)
            left, c_top, right, c_bottom = box[:]
            if not -1e9 < left + c_top + right + c_bottom < 1e9:  # NaN or infinite: a damaged text matrix
                continue
            c_top, c_bottom = height - c_top, height - c_bottom
            c_size = c_bottom - c_top
            # one word: the same font size on the same baseline, glyphs abutting. A glyph's loose box is
            # the font's height in most engines' PDFs; in some it is the glyph's ("A" over "p"), so where
            # the heights differ the font size itself decides (asked of pdfium only then)
            same = abs(c_size - size) < 0.08 * c_size or abs(font_size(raw, i) - points) < 0.08 * points
            # a ligature ("ffi") gives each of its letters the one glyph's box: the word goes on
            ligature = left == last_left and right == last_right
            if open_word and abs(c_bottom - bottom) < 0.3 * c_size and same and \
                    (-0.5 * c_size < left - x1 < _GAP * c_size or ligature):
                last_left, last_right = left, right
                parts.append(char)
                if right > x1:
                    x1 = right
                if c_top < top:
                    top = c_top
                continue
            if parts:
                out.append({"text": "".join(parts), "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size})
            parts = [char]
            x0, x1, top, bottom, size, points = left, right, c_top, c_bottom, c_size, font_size(raw, i)
            last_left, last_right = left, right
            open_word = True
        if parts:
            out.append({"text": "".join(parts), "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size})
        return [w for w in out if w["text"].strip()]
    finally:
        text.close()


def _objects(page, wanted: int, forms: int = 4):
    """The objects of type WANTED on PAGE (raw handles), and inside its form objects opened to
    FORMS levels."""
    kind_of = _untyped(pdfium_c.FPDFPageObj_GetType)

    def walk(container, count, get, depth: int):
        get = _untyped(get)
        get.restype = ctypes.c_void_p
        for k in range(count(container)):
            obj = ctypes.c_void_p(get(container, k))
            kind = kind_of(obj)
            if kind == wanted:
                yield obj
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < forms:
                yield from walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, depth + 1)

    return walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)


def edges(page) -> list[dict]:
    """Thin path objects (table borders, underlines) as pdfplumber-style edges."""
    height = page.get_height()
    out: list[dict] = []
    seen: set[tuple] = set()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    refs = [ctypes.byref(v) for v in (left, bottom, right, top)]
    bounds = _untyped(pdfium_c.FPDFPageObj_GetBounds)
    for obj in _objects(page, pdfium_c.FPDF_PAGEOBJ_PATH):
        if not bounds(obj, *refs) or not -1e9 < left.value + bottom.value + right.value + top.value < 1e9:
            continue
        w, h = right.value - left.value, top.value - bottom.value
        y0, y1 = height - top.value, height - bottom.value
        if h <= RULE and w > h:
            mid = (y0 + y1) / 2
            key = ("h", round(mid), round(left.value), round(right.value))
            edge = {"x0": left.value, "x1": right.value, "top": mid, "bottom": mid, "width": w, "height": 0.0,
                    "orientation": "h", "object_type": "line"}
        elif w <= RULE and h > w:
            mid = (left.value + right.value) / 2
            key = ("v", round(mid), round(y0), round(y1))
            edge = {"x0": mid, "x1": mid, "top": y0, "bottom": y1, "width": 0.0, "height": h,
                    "orientation": "v", "object_type": "line"}
        else:
            continue
        if key not in seen:  # each cell draws its own borders: neighbours draw a shared one twice
            seen.add(key)
            out.append(edge)
    return out


def covered_by_image(page) -> bool:
    """Whether an image object of PAGE covers most of it (a scanned page)."""
    width, height = page.get_width(), page.get_height()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = _untyped(pdfium_c.FPDFPageObj_GetBounds)
    for obj in _objects(page, pdfium_c.FPDF_PAGEOBJ_IMAGE, forms=0):
        if bounds(obj, *(ctypes.byref(v) for v in (left, bottom, right, top))):
            area = (right.value - left.value) * (top.value - bottom.value)
            if area >= 0.5 * width * height:
                return True
    return False
