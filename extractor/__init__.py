"""form4: rendered SEC Forms 3/4/5 back into the SEC's ownershipDocument data.

    from extractor import extract
    doc = extract("filing.html")          # -> OwnershipDocument (pydantic)
    print(to_xml(doc))

Data flow (one module or package each): readers/ -> ir -> layout -> extract
-> model -> writers/. The CLI (cli.py) is a thin layer over this API.
"""
from __future__ import annotations

from .errors import ExtractionError, LayoutError, NotAFormError, UnreadableInputError
from .extract import extract, extract_bytes
from .model import OwnershipDocument
from .writers.json import to_json
from .writers.xml import to_xml

__version__ = "0.1.0"
__all__ = ["extract", "extract_bytes", "OwnershipDocument", "to_xml", "to_json", "ExtractionError",
           "LayoutError", "NotAFormError", "UnreadableInputError", "__version__"]
