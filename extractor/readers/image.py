"""Image reader: PNG, JPEG and TIFF pages (a scanned filing), one page per frame, read by OCR
into the same words-and-rules page layout as PDFs (:func:`extractor.readers.page_layout.layout_page`)."""
from __future__ import annotations

from ..errors import UnreadableInputError
from ..ir import Source
from .ocr_engine import require
from .ocr_image import open_image
from .page_layout import PageBuilder
from .pdf import ocr_page

NAME = "ocr"


def read(data: bytes, name: str, ocr: str = "auto") -> Source:
    if ocr == "never":
        raise UnreadableInputError("an image can only be read by OCR, and OCR is off (--ocr never)", name)
    source = Source(name=name, reader=NAME)
    builder = PageBuilder(source)
    require(name)
    for page_no, (gray, dpi) in enumerate(open_image(data, name)):
        ocr_page(builder, gray, dpi, page_no)
    if not any(p.text for p in source.pieces):
        raise UnreadableInputError("OCR found no text in the image", name)
    return source
