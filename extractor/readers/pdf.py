"""PDF reader: each page's words and ruling lines, laid out into the intermediate form.

Words and rules come from pdfium (:mod:`.pdfium_page`, ~20x faster than pdfplumber's word
extraction) and go through one page layout (:mod:`.page_layout`: ruled tables as grids, the
rest as lines and paragraphs; every piece with its page and bbox). A page without a text layer,
or with only a stamp of one over a page image, is read by OCR (:mod:`.ocr`), which yields the
same words and rules. ``ocr`` is "auto" (OCR pages without text), "always" or "never". A page
with more words or rules than any form prints is refused before its layout (:mod:`.limits`).
"""
from __future__ import annotations

from ..errors import UnreadableInputError
from ..ir import Source
from .limits import MAX_PAGE_EDGES, MAX_PAGE_WORDS, too_much
from .ocr_engine import require as require_ocr
from .page_layout import PageBuilder, layout_page
from .ruled_tables import tables_from_edges

NAME = "pdf"
MAX_PAGES = 40
MAX_OCR_PAGES = 10  # a scan longer than this is not one Form 3/4/5
FEW_WORDS = 25  # a page of a Form 3/4/5 holds hundreds: fewer over a page-size image is a stamp


def ocr_page(builder: PageBuilder, gray, dpi: float, page_no: int) -> None:
    """OCR one page image and lay it out; bboxes are mapped back onto the page as scanned."""
    from . import ocr

    read = ocr.read_image(gray, dpi)
    first = len(builder.src.pieces)
    builder.glyph_spacing = False
    try:
        layout_page(builder, read.words, tables_from_edges(read.edges), page_no)
    finally:
        builder.glyph_spacing = True
    if builder.src.second_reader is None:
        builder.src.second_reader = ocr.SecondReader()
    builder.src.second_reader.add(page_no, read.image, read.scale, builder.src.pieces[first:])
    for piece in builder.src.pieces[first:]:
        piece.bbox = read.unrotate(piece.bbox)


def _render(page):
    import numpy as np

    from .ocr_image import DPI

    return np.asarray(page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")), DPI


def _why_unreadable(data: bytes, name: str) -> UnreadableInputError:
    """pdfium refused the file and its error code is not reliable (it keeps the last call's):
    ask pdfminer what is wrong, for a message a person can act on."""
    import io

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                return UnreadableInputError("the PDF has no pages", name)
    except Exception as exc:  # pdfminer signals a damaged file with many exception types
        inner = exc.args[0] if exc.args else None  # pdfplumber wraps pdfminer's exception
        if isinstance(exc, PDFPasswordIncorrect) or isinstance(inner, PDFPasswordIncorrect):
            return UnreadableInputError("the PDF is encrypted (password-protected)", name)
        detail = str(inner or exc).splitlines()[0][:80] if str(inner or exc) else type(inner or exc).__name__
        return UnreadableInputError(f"not a readable PDF ({detail})", name)
    return UnreadableInputError("not a readable PDF (pdfium cannot load it)", name)


def read(data: bytes, name: str, ocr: str = "auto") -> Source:
    import pypdfium2

    from . import pdfium_page

    source = Source(name=name, reader=NAME)
    builder = PageBuilder(source)
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise _why_unreadable(data, name) from None
    try:
        if len(pdf) == 0:
            raise UnreadableInputError("the PDF has no pages", name)
        ocred = texts = 0
        for page_no in range(min(len(pdf), MAX_PAGES)):
            try:
                page = pdf[page_no]
                words = pdfium_page.words(page) if ocr != "always" else []
            except pypdfium2.PdfiumError as exc:  # a damaged page: report it
                raise UnreadableInputError(f"page {page_no + 1} cannot be read ({exc})", name) from None
            # a scan stamped with a page number or a Bates label has a few words of text layer
            # over the image of the page: that is not a usable text layer
            scanned = not words or (len(words) < FEW_WORDS and pdfium_page.covered_by_image(page))
            if scanned and ocr != "never" and ocred < MAX_OCR_PAGES:
                ocred += 1
                require_ocr(name)
                ocr_page(builder, *_render(page), page_no)
                continue
            texts += bool(words)
            edges = pdfium_page.edges(page) if words else []
            if len(words) > MAX_PAGE_WORDS or len(edges) > MAX_PAGE_EDGES:  # before the layout and table finder
                raise too_much(f"{'words' if len(words) > MAX_PAGE_WORDS else 'ruling lines'} on page {page_no + 1}",
                               max(len(words), len(edges)),
                               MAX_PAGE_WORDS if len(words) > MAX_PAGE_WORDS else MAX_PAGE_EDGES, name)
            layout_page(builder, words, tables_from_edges(edges) if words else [], page_no)
    finally:
        pdf.close()
    if ocred:  # provenance names how the text was read
        source.reader = "pdf+ocr" if texts else "ocr"
    if not any(p.text for p in source.pieces):
        why = "OCR is off (--ocr never)" if ocr == "never" else "OCR found no text"
        raise UnreadableInputError(f"the PDF has no text layer (a scan) and {why}", name)
    return source
