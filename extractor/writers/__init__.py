"""Writers: the model -> output formats. ``WRITERS`` maps a format name to a function."""
from __future__ import annotations

from typing import Callable

from ..model import OwnershipDocument
from .json import to_json
from .xml import to_xml

WRITERS: dict[str, Callable[[OwnershipDocument], str]] = {"xml": to_xml, "json": to_json}
EXTENSIONS = {"xml": "xml", "json": "json"}
