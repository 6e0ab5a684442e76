"""The document verdict: ``ok``, ``review`` or ``not_understood``, from what the reading reported.

Field-level doubts (a finding on a value, a confidence under the review threshold) send that
value to review and leave the verdict alone. The verdict speaks for what no field can carry:
data words of the rendering that no field took (R1, R3, R4), printed rows read as one (R7: a row
is missing), a footnote cited nowhere or a citation with no footnote (S7: a mark or a text was not
read), a finding on a field the document has no place for (no signature read: no signature to flag),
a document mostly unread (coverage under 0.8). Then a person must look at the document
itself, since a value that was never read has no field to flag. A document under half read, or
whose values break the validator's rules everywhere, was not understood.
"""
from __future__ import annotations

from ..model import OwnershipDocument
from ..paths import get, iter_values

#: reading findings that say a part of the document was not understood
DOCUMENT_RULES = frozenset({"R1", "R3", "R4", "R7", "S7"})
REVIEW_BELOW = 0.8  # a document with a smaller share of its data words read is never "ok"
NOT_UNDERSTOOD_BELOW = 0.5
NOT_UNDERSTOOD_CONFIDENCE = 0.5  # nothing read from a document not understood is sure


def _nothing_read(doc: OwnershipDocument) -> bool:
    rows = (doc.non_derivative_transactions, doc.non_derivative_holdings, doc.derivative_transactions,
            doc.derivative_holdings)
    names = [o.rpt_owner_name for o in doc.reporting_owners] + [doc.issuer.issuer_name]
    return not any(rows) and all(n is None or not n.value for n in names)


def _mostly_wrong(doc: OwnershipDocument) -> bool:
    """Whether the validator's errors are too many for a reading to be trusted anywhere: more than
    three, and more than one value in seven (a reading that put values in the wrong columns breaks
    the form's arithmetic and codes everywhere; a sound reading of an odd filing, a few)."""
    errors = sum(1 for f in doc.findings if f.severity == "error")
    return errors > 3 and errors * 7 > sum(1 for _ in iter_values(doc))


def _placeless(doc: OwnershipDocument, finding) -> bool:
    """FINDING names a field DOC has no place for (the first signature when none was read):
    review cannot show it on a field, so the document itself needs a look."""
    for path in finding.fields:
        try:
            get(doc, path)
        except KeyError:
            return True
    return False


def document_findings(doc: OwnershipDocument) -> list:
    """The findings that speak for the document itself rather than a field (see the module)."""
    return [f for f in doc.findings if f.severity != "info" and (f.rule in DOCUMENT_RULES or _placeless(doc, f))]


def status_of(doc: OwnershipDocument) -> str:
    coverage = doc.coverage
    if (coverage is not None and coverage < NOT_UNDERSTOOD_BELOW) or _nothing_read(doc) or _mostly_wrong(doc):
        return "not_understood"
    if document_findings(doc) or (coverage is not None and coverage < REVIEW_BELOW):
        return "review"
    return "ok"


def settle(doc: OwnershipDocument) -> OwnershipDocument:
    """DOC with its status set; a document not understood has every value's and footnote's
    confidence under review (a copy then: the values may be shared with another document)."""
    doc.status = status_of(doc)
    if doc.status == "not_understood":
        doc = doc.model_copy(deep=True)
        for _path, value in iter_values(doc):
            value.confidence = min(value.confidence, NOT_UNDERSTOOD_CONFIDENCE)
        for note in doc.footnotes:
            note.confidence = min(note.confidence, NOT_UNDERSTOOD_CONFIDENCE)
    return doc


def summary(doc: OwnershipDocument) -> str:
    """The verdict in a line for a person: "ok", or what was not understood and where to look."""
    # never "100 %" for a document some word of which was not read (0.9967 is 99.7 %)
    percent = "100" if doc.coverage == 1 else f"{min(100 * (doc.coverage or 0), 99.9):.1f}".removesuffix(".0")
    share = f", {percent} % of its data words read" if doc.coverage is not None else ""
    if doc.status == "ok":
        return f"ok{share}"
    why = document_findings(doc)
    if doc.status == "not_understood":
        head = "not understood" + share + ": check every value against the document"
    else:
        head = "needs review" + share
    if why:
        head += f"; {len(why)} finding(s) on the document, first: {why[0].rule} {why[0].message}"
    elif doc.coverage is not None and doc.coverage < REVIEW_BELOW:
        head += "; most of it was not read"
    return head
