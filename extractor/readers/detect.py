"""Decoding and content sniffing shared by the readers.

Kinds are decided by content, not extension: a ``.txt`` holding HTML is read as
HTML. Binary junk and empty files fail here with one line naming the file.
"""
from __future__ import annotations

import re

from ..errors import UnreadableInputError

_ENVELOPE = re.compile(rb"\s*(?:<SEC-DOCUMENT>|<SEC-HEADER>|<IMS-DOCUMENT>|<SUBMISSION>|<DOCUMENT>|"
                       rb"-----BEGIN PRIVACY-ENHANCED MESSAGE-----)")


def is_envelope(data: bytes) -> bool:
    """An EDGAR submission (.txt with SGML header, PEM wrapper, .nc)."""
    return bool(_ENVELOPE.match(data[:200]))
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_HTML_HINT = re.compile(rb"<\s*(html|body|table|td|tr|div|span|p|br)\b", re.I)
_MD_DELIM = re.compile(rb"^\s*\|?\s*:?-{3,}:?\s*\|\s*:?-*", re.M)


# Windows "save as Unicode text" and some exporters write UTF-16 or UTF-32 with a byte order mark
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
              (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def narrow(data: bytes) -> bytes:
    """DATA as UTF-8 when it is UTF-16 or UTF-32 text with a byte order mark; else unchanged."""
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace").encode("utf-8")
    return data


def decode(data: bytes, name: str) -> str:
    """Bytes -> text, refusing empty and binary input."""
    if not data.strip():
        raise UnreadableInputError("empty file", name)
    head = data[:4096]
    if b"\x00" in head:
        raise UnreadableInputError("binary data, not a text rendering", name)
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves a few bytes undefined
        text = data.decode("latin-1")
    controls = len(_CONTROLS.findall(text, 0, 4096))
    if controls > 40:
        raise UnreadableInputError("binary data, not a text rendering", name)
    return text.lstrip("\ufeff")


def sniff(data: bytes, name: str) -> str:
    """Which reader should read DATA: 'pdf', 'image', 'legacy', 'html', 'markdown', 'text' (a page laid
    out in columns) or 'result' (raw HTML inside Markdown, as pandoc writes it, is still Markdown: a
    pipe-table delimiter row decides)."""
    head = narrow(data[:200_000])
    if head[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    start = head.lstrip()[:15].lower()
    if start.startswith(b"{") or (b"<ownershipDocument" in head[:4096] and b"<td" not in head[:4096].lower()):
        return "result"  # form4 JSON, or ownershipDocument XML
    if is_envelope(head):
        if re.search(rb"<ownershipDocument\b", data):
            return "result"  # an EDGAR submission embedding its XML: read the XML, not a rendering
        return "legacy"  # a typed (pre-2003) or filer-made HTML filing inside the submission
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")):
        return "html"
    if _MD_DELIM.search(head):
        return "markdown"
    if len(_HTML_HINT.findall(head[:20000])) >= 3:
        return "html"
    return "text" if laid_out(head.decode("utf-8", errors="replace")) else "markdown"


_BOX_DRAWING = re.compile(r"[\u2500-\u257f]")
_GAP = re.compile(r"\S {3,}\S")


def laid_out(text: str) -> bool:
    """Whether TEXT is a page laid out in two dimensions (a browser's or pdftotext's dump, a grid
    table): drawn with box characters, or a quarter of its lines holding text in columns apart."""
    if _BOX_DRAWING.search(text):
        return True
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= 10 and sum(1 for line in lines if _GAP.search(line.strip())) >= len(lines) / 4
