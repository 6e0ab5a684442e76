"""EDGAR submissions: the PEM wrapper, the SGML header and the <DOCUMENT> blocks.

``unwrap`` undoes the PEM wrapper's dash-stuffing ("- -----" -> "-----"), reads the SGML
header into a flat dict (the second witness for CIKs, names, period) and returns the text of
the Form 3/4/5 document among the exhibits (EX-24 powers of attorney and the like are passed by).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import NotAFormError, UnreadableInputError

FORM_TYPES = {"3", "4", "5", "3/A", "4/A", "5/A"}
_DOC = re.compile(r"<DOCUMENT>(.*?)(?:</DOCUMENT>|\Z)", re.S | re.I)
_TYPE = re.compile(r"<TYPE>\s*([^\s<]+)", re.I)
_TEXT = re.compile(r"<TEXT>(.*?)(?:</TEXT>|\Z)", re.S | re.I)
_FIELD = re.compile(r"^\s*([A-Z][A-Z0-9 /-]+?):\s*(.*?)\s*$")
MAX_DOCUMENT = 2_000_000  # characters of one document's text worth reading


@dataclass
class Submission:
    header: dict[str, str] = field(default_factory=dict)
    form_type: str = ""
    text: str = ""


def undo_dash_stuffing(text: str) -> str:
    """The PEM wrapper escapes lines starting with "-" as "- -": undo it, drop the wrapper lines."""
    if "-----BEGIN PRIVACY-ENHANCED MESSAGE-----" not in text[:200]:
        return text
    lines = text.splitlines()
    out = []
    body = False
    for line in lines:
        if not body:
            body = line.startswith("<")  # the PEM header ends where the SGML starts
            if not body:
                continue
        if line.startswith("-----END PRIVACY-ENHANCED MESSAGE-----"):
            break
        out.append(line[2:] if line.startswith("- ") else line)
    return "\n".join(out)


def _header(text: str) -> dict[str, str]:
    """Flat fields of the SGML header; the subject company's and the owner's are prefixed."""
    end = re.search(r"</SEC-HEADER>|</IMS-HEADER>|<DOCUMENT>", text, re.I)
    head = text[: end.start() if end else 0]
    out: dict[str, str] = {}
    section = ""
    for line in head.splitlines():
        stripped = line.strip()
        upper = stripped.upper()
        if upper in ("SUBJECT COMPANY:", "ISSUER:"):
            section = "ISSUER "
        elif upper in ("<REPORTING-OWNER>", "REPORTING-OWNER:", "REPORTING OWNER:", "FILED BY:"):
            section = "OWNER "
        elif upper.startswith("<RELATIONSHIP>"):
            out.setdefault("OWNER RELATIONSHIP", stripped[len("<RELATIONSHIP>"):].strip())
        m = _FIELD.match(line)
        if m and m.group(2):
            out.setdefault(section + m.group(1).strip(), m.group(2).strip())
    return out


def unwrap(text: str, name: str) -> Submission:
    text = undo_dash_stuffing(text)
    docs = list(_DOC.finditer(text))
    if not docs:
        raise UnreadableInputError("an EDGAR submission without a <DOCUMENT> block", name)
    found = []
    for doc in docs:
        kind = _TYPE.search(doc.group(1)[:500])
        form = kind.group(1).upper() if kind else ""
        body = _TEXT.search(doc.group(1))
        found.append((form, body.group(1) if body else doc.group(1)))
    chosen = next(((f, t) for f, t in found if f in FORM_TYPES), None)
    if chosen is None:
        kinds = ", ".join(sorted({f or "?" for f, _t in found}))
        raise NotAFormError(f"the submission holds no Form 3/4/5 document (document types: {kinds})", name)
    form, body = chosen
    if len(body) > MAX_DOCUMENT:
        raise UnreadableInputError(f"the Form {form} document is {len(body) // 1_000_000} MB of text, too large "
                                   "to be one filing", name)
    if not body.strip():
        raise UnreadableInputError(f"the Form {form} document is empty", name)
    return Submission(_header(text), form, body)
