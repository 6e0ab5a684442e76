"""The choices the commands' options take, shared by the commands' modules (help lists them)."""
from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    xml = "xml"
    json = "json"


class Listing(str, Enum):
    table = "table"
    json = "json"


class Ocr(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


OCR_HELP = "When to OCR page images: auto (pages without a text layer), always, never."
