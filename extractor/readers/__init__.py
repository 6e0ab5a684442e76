"""Readers: one module per input kind, one contract, one registry.

Contract: ``read(data: bytes, name: str) -> extractor.ir.Source`` (page readers also take
``ocr=``). A reader
raises :class:`~extractor.errors.UnreadableInputError` for input it cannot
parse. ``READERS`` maps a kind to its module; :func:`read_bytes` picks the
kind by content (see :mod:`.detect`).
"""
from __future__ import annotations

from importlib import import_module

from ..ir import Source
from .detect import sniff
from .limits import check_source

READERS: dict[str, str] = {
    "html": "extractor.readers.html",
    "markdown": "extractor.readers.markdown",
    "pdf": "extractor.readers.pdf",
    "image": "extractor.readers.image",
    "legacy": "extractor.readers.legacy_text",
    "text": "extractor.readers.text_layout",
}
OCR_MODES = ("auto", "always", "never")


def read_bytes(data: bytes, name: str, kind: str | None = None, ocr: str = "auto") -> Source:
    """Read DATA (named NAME in messages) with the reader for KIND, sniffed if None. OCR says
    when page images are OCR'd: "auto" (pages without a text layer), "always", "never"."""
    kind = kind or sniff(data, name)
    module = import_module(READERS[kind])
    source = module.read(data, name, ocr=ocr) if kind in ("pdf", "image") else module.read(data, name)
    check_source(source)
    return source
