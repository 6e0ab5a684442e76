"""Pictures of a filing's pages: a page of a PDF or scanned image as a PIL image in PDF
points times SCALE, and ``--debug-images`` (every field's box drawn on its page)."""
from __future__ import annotations

import io
from pathlib import Path

from ..errors import ExtractionError, output_error
from ..fsutil import write_atomic
from ..model import OwnershipDocument
from ..paths import footnote_texts, iter_values

#: box colours by confidence: sure, to review, unsure
COLOURS = ((0.8, (0, 150, 0)), (0.5, (230, 140, 0)), (0.0, (220, 0, 0)))


def page_image(path: Path, page: int, scale: float = 2.0):
    """Page PAGE (0-based) of the PDF or image at PATH as an RGB PIL image, SCALE pixels per
    point (the unit of provenance bboxes); None when the file has no such page."""
    from PIL import Image, ImageSequence

    from ..readers.detect import sniff
    from ..readers.ocr_image import DPI

    try:
        data = path.read_bytes()
        kind = sniff(data, str(path))
    except (OSError, ExtractionError):
        return None
    if kind == "pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(data)
        try:
            return pdf[page].render(scale=scale).to_pil().convert("RGB") if page < len(pdf) else None
        finally:
            pdf.close()
    if kind == "image":
        img = Image.open(io.BytesIO(data))
        for i, frame in enumerate(ImageSequence.Iterator(img)):
            if i == page:
                dpi = float((frame.info.get("dpi") or (DPI, DPI))[0]) or DPI
                factor = scale * 72 / dpi
                frame = frame.convert("RGB")
                return frame.resize((int(frame.width * factor), int(frame.height * factor)))
    return None


def draw_fields(doc: OwnershipDocument, path: Path, out_dir: Path, scale: float = 2.0) -> list[Path]:
    """Write OUT_DIR/<file>.p<N>.png for each page holding a field of DOC: the page with each
    field's bbox drawn and labelled with its field path, coloured by confidence."""
    from PIL import ImageDraw

    by_page: dict[int, list] = {}
    for field, value in (*iter_values(doc), *footnote_texts(doc)):
        prov = value.provenance
        if prov is not None and prov.page is not None and prov.bbox is not None:
            by_page.setdefault(prov.page, []).append((field, value))
    written = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a read-only folder: one line naming it
        raise output_error(exc, out_dir) from None
    for page, values in sorted(by_page.items()):
        image = page_image(path, page, scale)
        if image is None:
            continue
        draw = ImageDraw.Draw(image)
        for field, value in values:
            colour = next(c for floor, c in COLOURS if value.confidence >= floor)
            x0, top, x1, bottom = (v * scale for v in value.provenance.bbox)
            draw.rectangle((x0 - 1, top - 1, x1 + 1, bottom + 1), outline=colour, width=2)
            draw.text((x0, max(0, top - 11)), f"{field} {value.confidence:.2f}", fill=colour)
        target = out_dir / f"{path.name}.p{page + 1}.png"
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        write_atomic(target, buffer.getvalue())
        written.append(target)
    return written
