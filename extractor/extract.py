"""The extractor, stage by stage: bytes -> a reader's :class:`~extractor.ir.Source` -> the
layout descriptor chosen once -> the form read into the model (:mod:`.form`) -> the validator's
findings (:mod:`.validate`). Result files (form4's JSON, ownershipDocument XML, an EDGAR
submission embedding it) are read as they are. Nothing here knows which reader produced the source.
"""
from __future__ import annotations

from pathlib import Path

from .errors import NotAFormError, UnreadableInputError
from .form import second_reading
from .form.coverage import account
from .form.document import read_form
from .form.reflow import reflow
from .ir import Source
from .labels import LabelIndex
from .layout import Layout, choose_layout, get_layout
from .model import Corrections, OwnershipDocument
from .readers import OCR_MODES, read_bytes
from .readers.detect import is_envelope, narrow, sniff
from .readers.ownership_xml import read_ownership_xml
from .validate.verdict import settle, status_of

MAX_BYTES = 50 * 1024 * 1024


def extract(path: str | Path, *, layout: str | None = None, kind: str | None = None,
            validate: bool = True, ocr: str = "auto", corrections: bool = True) -> OwnershipDocument:
    """Read the rendering at PATH and return what its ownershipDocument XML says.

    With VALIDATE (the default) the validator's findings are attached to the document
    and the confidence of every field they name is lowered (see extractor.validate). OCR says
    when page images (scans) are OCR'd: "auto" (pages without a text layer), "always", "never".
    With CORRECTIONS (the default) a person's corrections of this filing, journaled by
    ``form4 review`` beside it (``PATH.form4-review.jsonl``, entries matched by the file's content
    hash), are applied, and ``corrections`` on the document says from where and how many."""
    if isinstance(path, str) and path.lower().startswith(("http://", "https://", "ftp://")):
        raise UnreadableInputError("a URL: form4 reads files; download the filing first (e.g. curl -O with a "
                                   "User-Agent, as EDGAR asks)", path)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableInputError(f"file is {size // 1_048_576} MB, larger than the "
                                       f"{MAX_BYTES // 1_048_576} MB a rendering can be", str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(exc.strerror or str(exc), str(path)) from None
    journal = _journal_of(path) if corrections else None
    if journal is None:
        return extract_bytes(data, str(path), layout=layout, kind=kind, validate=validate, ocr=ocr)
    return _corrected(extract_bytes(data, str(path), layout=layout, kind=kind, validate=False, ocr=ocr),
                      journal, path, data, validate)


def _journal_of(path: Path) -> Path | None:
    from .review.journal import journal_path

    journal = journal_path(path)
    return journal if journal.is_file() else None


def _corrected(doc: OwnershipDocument, journal: Path, path: Path, data: bytes, validate: bool) -> OwnershipDocument:
    """DOC (not yet validated) with the corrections JOURNAL holds for this content, validated
    after them when VALIDATE (a fix clears its own flags)."""
    from .review.journal import Journal, apply_journal, content_hash, revalidate

    doc, applied = apply_journal(doc, Journal(journal).entries(), str(path), sha=content_hash(data))
    if validate:
        doc = revalidate(doc)
    if applied:
        doc.corrections = Corrections(journal=str(journal), applied=applied)
    return doc


def extract_bytes(data: bytes, name: str, *, layout: str | None = None, kind: str | None = None,
                  validate: bool = True, ocr: str = "auto") -> OwnershipDocument:
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    data = narrow(data)  # UTF-16/32 text with a byte order mark is read as the text it is
    kind = kind or sniff(data, name)
    if kind == "result":
        doc = read_result(data, name)
    else:
        doc = extract_source(read_bytes(data, name, kind, ocr=ocr), layout=get_layout(layout) if layout else None)
    if validate:
        from .validate import flag
        from .validate import validate as run_rules

        doc = flag(doc, run_rules(doc))
    return doc


def read_result(data: bytes, name: str) -> OwnershipDocument:
    """A result file: form4's JSON, or ownershipDocument XML (the SEC's or form4's)."""
    head = data.lstrip()[:1]
    if head == b"{":
        try:
            return OwnershipDocument.model_validate_json(data)
        except ValueError as exc:
            first = str(exc).splitlines()[0]
            raise UnreadableInputError(f"not a form4 JSON result ({first})", name) from None
    doc = read_ownership_xml(data, name)
    if is_envelope(data):
        doc.reader = "envelope"  # provenance: read from the XML embedded in the submission
    return doc


def extract_source(source: Source, layout: Layout | None = None) -> OwnershipDocument:
    """The document SOURCE renders, by LAYOUT (chosen from the source when None). Values read by
    OCR are read again (:mod:`.form.second_reading`): disagreements go to review. Then every word
    of the rendering is accounted for (:mod:`.form.coverage`): what no field took is reported.
    When the producer's own structure (its cells, its rules) did not carry the form, the page is
    read again by the geometry of its words and the form's labels (:mod:`.form.reflow`), and that
    reading is kept when its verdict is better (:func:`_rank`)."""
    try:
        doc = _read(source, layout)
    except NotAFormError:
        doc = None
    if (doc is None or doc.status != "ok") and source.words:
        again = reflow(source)
        if again is not None:
            try:
                other = _read(again[0], layout or again[1])
            except NotAFormError:
                other = None
            if other is not None and (doc is None or _rank(other) > _rank(doc)):
                doc = other
    if doc is None:
        raise NotAFormError("not a Form 3, 4 or 5 rendering (no form title or box labels found)", source.name)
    return settle(doc)


_STATUS_RANK = {"not_understood": 0, "review": 1, "ok": 2}


def _rank(doc: OwnershipDocument) -> tuple[int, float]:
    """How well a reading went: its verdict; between two documents of one verdict (not understood,
    or to review), how much of the rendering each accounts for, to the hundredth. A tie keeps the
    producer's own reading: its cells are the better evidence."""
    status = _STATUS_RANK.get(doc.status or "ok", 0)
    return status, round(doc.coverage or 0.0, 2) if status < 2 else 0.0


def _read(source: Source, layout: Layout | None) -> OwnershipDocument:
    """One reading of SOURCE: the form, its second readings, its coverage and verdict."""
    index = LabelIndex(source.pieces)
    layout = layout or choose_layout(source, index)
    reading = read_form(source, index, layout)
    doc = reading.doc
    if source.second_reader is not None:
        def again() -> OwnershipDocument:  # a piece's text was corrected: read the form again
            nonlocal reading
            reading = read_form(source, LabelIndex(source.pieces), layout)
            return reading.doc

        doc = second_reading.check(doc, source, again)
    accounted = account(source, layout, doc, reading.anchors, reading.read_twice)
    doc.findings = accounted.findings + doc.findings
    doc.coverage = round(accounted.share, 4)
    doc.status = status_of(doc)
    return doc
