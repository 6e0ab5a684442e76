"""JSON from the pydantic model: every value with its footnotes, provenance and confidence."""
from __future__ import annotations

from ..model import OwnershipDocument


def to_json(doc: OwnershipDocument, *, indent: int | None = 2) -> str:
    return doc.model_dump_json(indent=indent) + "\n"
