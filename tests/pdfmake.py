"""Tiny PDFs built byte by byte for the bad-input tests (no PDF library writes these cases)."""
from __future__ import annotations


def pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode() + trailer_extra + b">>\n"
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return out


def blank_page() -> bytes:
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])


def no_pages() -> bytes:
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def encrypted() -> bytes:
    enc = (b"<< /Filter /Standard /V 1 /R 2 /O <" + b"41" * 32 + b"> /U <" + b"42" * 32 + b"> /P -4 >>")
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>", enc],
               trailer_extra=b"/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ")


def text_pages(count: int, line: str = "Quarterly report of the board") -> bytes:
    """COUNT pages, each with a few lines of LINE in Helvetica: a long PDF that is not a form."""
    n_fixed = 3  # catalog, pages, font
    kids = " ".join(f"{n_fixed + 1 + 2 * k} 0 R" for k in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for k in range(count):
        text = "".join(f"BT /F1 11 Tf 72 {720 - 16 * i} Td ({line}, page {k + 1}, line {i + 1}) Tj ET\n"
                       for i in range(20)).encode()
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {n_fixed + 2 + 2 * k} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>".encode())
        objects.append(f"<< /Length {len(text)} >>\nstream\n".encode() + text + b"endstream")
    return pdf(objects)
