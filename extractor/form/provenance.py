"""Building model values with their provenance from pieces of the source."""
from __future__ import annotations

from typing import Any

from ..ir import Piece, Source
from ..model import Provenance, Value


DOUBTED = 0.6  # the confidence of a value read from a piece the reading doubts (Source.doubt)


def provenance(source: Source, piece: Piece | None, label: str | None, text: str | None,
               locator: str = "inferred") -> Provenance:
    """Where a value was read: PIECE's place, or for a value read from no one place (implied by
    the form, a default, another witness) LOCATOR saying so."""
    if piece is None:
        return Provenance(reader=source.reader, locator=locator, label=label, text=text)
    return Provenance(reader=source.reader, locator=piece.locator(), label=label, text=text,
                      page=piece.page if piece.page >= 0 else None, bbox=piece.bbox)


def make(source: Source, piece: Piece | None, value: Any, *, label: str | None = None,
         text: str | None = None, footnotes: list[str] | None = None, confidence: float = 1.0,
         locator: str = "inferred") -> Value:
    """A value read from PIECE (None: inferred, see :func:`provenance`), as sure as PIECE's reading."""
    if piece is not None and piece.conf < 1.0:  # OCR: an unsure reading makes an unsure value
        confidence = min(confidence, piece.conf)
    if piece is not None and source.doubts and any(i in source.doubts for i in piece.read_from()):
        confidence = min(confidence, DOUBTED)  # read from lines the reading joined by a guess
    out = Value(value=value, footnote_ids=footnotes or [],
                provenance=provenance(source, piece, label, text, locator), confidence=confidence)
    if piece is not None:  # straight into the model's dict: an excluded field, set for every value read
        out.__dict__["pieces"] = piece.read_from()
    return out
