"""One document read by one layout: the header boxes above the first table, the tables' rows,
then the tail (owners, footnotes, remarks, signatures), into an
:class:`~extractor.model.OwnershipDocument` whose every value carries its provenance.

Order of work: place the tables (their header rows bound the boxes above), cut the header into
boxes by their labels and read each by its type, read the rows, read the tail. Nothing here
knows which reader produced the source.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import NotAFormError
from ..ir import Source
from ..labels import Hit, LabelIndex
from ..layout import Box, Layout
from ..model import (
    DerivativeHolding,
    DerivativeTransaction,
    Finding,
    Footnote,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    OwnershipDocument,
    Problem,
    ReportingOwner,
    Signature,
    Value,
)
from ..paths import iter_values
from .boxes import ANSWER, date_of, find_boxes, find_options, issuer_parts, mark_before, segments
from .coverage import Anchor
from .owners import owner_from_row, read_address, read_relationship, without_labels
from .printed import printed
from .provenance import make
from .table_rows import read_rows
from .tables import locate
from .tail import APART_DOUBT, read_tail

_RELATIONSHIP = ("is_director", "is_officer", "is_ten_percent_owner", "is_other", "officer_title", "other_text")


@dataclass
class FormReading:
    """A document read by a layout, with what the coverage accounting needs besides it."""

    doc: OwnershipDocument
    anchors: list[Anchor] = field(default_factory=list)  # where the reading found the form's labels
    # values read from the rendering that a second printing of the same facts replaced (box 1 and
    # box 5 when the owners are listed again below the tables), as (path they stood for, value)
    read_twice: list[tuple[str, Value]] = field(default_factory=list)


def read_form(source: Source, index: LabelIndex, layout: Layout) -> FormReading:
    placed = locate(source, index, layout)
    first_table = min((p.header_piece for p in placed.values()), default=len(source.pieces))
    last_table = max((p.end_piece() for p in placed.values()), default=0)
    header = LabelIndex(source.pieces, 0, first_table)
    hits = find_boxes(source, header, layout)
    if not hits and not placed:
        raise NotAFormError("no Form 3/4/5 box labels or tables found", source.name)
    problems: list[Problem] = []
    for key, box in layout.boxes.items():
        if key not in hits:
            problems.append(Problem(kind="missing_box", message=f"box {box.number or key} "
                                    f"({box.label!r}) not found"))
    segs = segments(source, layout, hits, first_table)
    doc = OwnershipDocument(document_type=_form_type(source, index, layout), source=source.name,
                            reader=source.reader, layout=layout.name)
    owner = ReportingOwner()
    for key, seg in segs.items():
        box = seg.box
        label = f"Box {box.number}" if box.number else box.label
        if box.type == "checkbox":
            ticked, piece = mark_before(source, seg.hit, 0)
            after = source.pieces[seg.hit.end_piece]
            if answer := ANSWER.match(after.text[seg.hit.end:]):  # "Check this box ...: Yes"
                ticked, piece = answer.group(1).lower() == "yes", after
            setattr(_holder(doc, box.field), box.field, make(source, piece, ticked, label=label))
        elif box.type == "date":
            when, text = date_of(seg)
            if when is not None:
                setattr(_holder(doc, box.field), box.field,
                        make(source, seg.span_piece(), when, label=label, text=text))
            elif text:
                problems.append(Problem(kind="unparsed_value", message=f"{label}: {text!r} is not a date"))
        elif box.type == "text":
            text = seg.text()
            if text:
                setattr(_holder(doc, box.field), box.field,
                        make(source, seg.span_piece(), text, label=label, text=text))
        elif box.type == "issuer":
            _issuer(source, doc.issuer, seg, label)
        elif box.type == "name_address":
            read_address(source, owner, seg.frags, label, layout.prints_country)
        elif box.type == "relationship":
            read_relationship(source, owner, seg, label)
        elif box.type == "joint_filing":
            found, _ = find_options(source, seg)
            more = next((o for o in found if o.field == "more"), None)
            if more is not None:
                # both lines' marks say it: "X Form filed by One Reporting Person" is read too
                ticked = [o for o in found if o.checked and o.mark_piece is not None]
                doc.filed_by_more_than_one = make(source, more.mark_piece, more.checked, label=label,
                                                  text=" ".join(o.mark_piece.text for o in ticked) or None)
                doc.filed_by_more_than_one.pieces = tuple(o.mark_piece.index for o in ticked) or \
                    doc.filed_by_more_than_one.pieces
    amendment_box = next((k for k, b in layout.boxes.items() if b.field == "date_of_original_submission"), None)
    if doc.date_of_original_submission is not None:  # an amendment: its box 4 names the original's date
        original = doc.date_of_original_submission
        doc.document_type = original.model_copy(update={"value": f"{layout.form}/A", "provenance": original.provenance.
                                                        model_copy(update={"label": "form type, /A: box 4 is filled"})})
    elif amendment_box is not None and amendment_box not in hits:
        doc.document_type = doc.document_type.model_copy(update={"confidence": 0.6})
        problems.append(Problem(kind="inferred", message=f"the form type {layout.form} is not sure: without its "
                                f"box {layout.boxes[amendment_box].number} (If Amendment) it may be {layout.form}/A"))
    _rows(source, doc, placed, layout)
    # the tables' own problems (an extra column, a cell that did not parse), reading included
    problems[:0] = [pr for p in placed.values() for part in p.parts() for pr in part.problems]
    anchors_tail, read_twice = _tail(source, doc, index, layout, owner, last_table or first_table, problems)
    _header_witness(source, doc)
    if "aff10b5_one" not in layout.boxes:
        doc.aff10b5_one = None
    reading = FormReading(doc, _anchors(index, layout, hits, placed) + anchors_tail, read_twice)
    known = {note.id for note in doc.footnotes}
    for fid, where in sorted(cited_footnotes(doc).items()):
        if fid not in known:
            problems.append(Problem(kind="missing_footnote", message=f"footnote ({fid[1:]}) is cited "
                                    f"({where}) but its text was not found", locator=where))
    used = {i for _path, value in iter_values(doc) for i in value.pieces}
    problems += [Problem(kind="doubt", message=why, locator=source.pieces[i].locator())
                 for i, why in sorted(source.doubts.items()) if i in used]
    doc.problems = problems
    return reading


def _form_type(source: Source, index: LabelIndex, layout: Layout) -> Value:
    """The form type, as the form's title says it (an amendment is told by its box 4, later)."""
    title = index.find(layout.match.titles, 100) or index.find(layout.match.titles, layout.match.threshold)
    piece = source.pieces[title.piece] if title is not None else None
    return make(source, piece, layout.form, label="form type, from the title",
                text=piece.text if piece is not None else None, locator="inferred from the layout")


def _header_witness(source: Source, doc: OwnershipDocument) -> None:
    """An EDGAR submission's SGML header names the issuer's and the owner's CIKs, which no
    rendering prints: fill them from it. The validator (H16) compares the rest with the form."""
    header = source.meta.get("header") or {}
    if not header:
        return
    doc.header = dict(header)
    def witness(key: str):
        return make(source, None, header[key], label=f"SGML header: {key}", locator="SGML header") \
            if header.get(key) else None
    if doc.issuer.issuer_cik is None:
        doc.issuer.issuer_cik = witness("ISSUER CENTRAL INDEX KEY")
    if len(doc.reporting_owners) == 1 and doc.reporting_owners[0].rpt_owner_cik is None:
        doc.reporting_owners[0].rpt_owner_cik = witness("OWNER CENTRAL INDEX KEY")


def _holder(doc: OwnershipDocument, field: str):
    """The model a box's field lives in: the document itself or its issuer (checked at layout load)."""
    return doc if field in OwnershipDocument.model_fields else doc.issuer


def cited_footnotes(doc: OwnershipDocument) -> dict[str, str]:
    """Every footnote id cited by a table value -> the label of its first citing value."""
    cited: dict[str, str] = {}
    for rows in (doc.non_derivative_transactions, doc.non_derivative_holdings, doc.derivative_transactions,
                 doc.derivative_holdings):
        for row in rows:
            for _name, value in row:
                if isinstance(value, Value):
                    for fid in value.footnote_ids:
                        label = value.provenance.label if value.provenance else None
                        cited.setdefault(fid, label or "a table value")
    return cited


def _issuer(source: Source, issuer: Issuer, seg, label: str) -> None:
    # each value's text is the part it was read from: what follows the ticker stays unread (coverage)
    name, ticker, _rest = issuer_parts(seg.text())
    piece = seg.span_piece()
    if name:
        issuer.issuer_name = make(source, piece, name, label=label, text=name)
    if ticker:
        # EDGAR trading symbols are upper case: lower-case letters are a misreading (OCR "sCwo"), so
        # the symbol is upper-cased and sent to review
        confidence = 0.6 if ticker != ticker.upper() else 1.0
        issuer.issuer_trading_symbol = make(source, piece, ticker.upper(), label=label, text=f"[ {ticker} ]",
                                            confidence=confidence)


def _rows(source: Source, doc: OwnershipDocument, placed, layout: Layout) -> None:
    for key, p in placed.items():
        derivative = p.spec.kind == "derivative"
        for kind, fields in read_rows(source, p, layout.form, printed(layout)):
            if derivative:
                target = doc.derivative_transactions if kind == "transaction" else doc.derivative_holdings
                cls = DerivativeTransaction if kind == "transaction" else DerivativeHolding
            else:
                target = doc.non_derivative_transactions if kind == "transaction" else doc.non_derivative_holdings
                cls = NonDerivativeTransaction if kind == "transaction" else NonDerivativeHolding
            allowed = cls.model_fields
            target.append(cls(**{k: v for k, v in fields.items() if k in allowed}))


def _tail(source: Source, doc: OwnershipDocument, index: LabelIndex, layout: Layout,
          box_owner: ReportingOwner, start: int, problems: list[Problem]
          ) -> tuple[list[Anchor], list[tuple[str, Value]]]:
    """Owners listed after the tables, footnotes, remarks, signatures; returns their anchors and the
    values of box 1 the owners listed there replace."""
    read_twice: list[tuple[str, Value]] = []
    tail = read_tail(source, index, layout, start)
    owners: list[ReportingOwner] = []
    bounds = [h.piece for h in tail.owner_hits]
    stop = min([n for n in (tail.footnotes[0][2].index if tail.footnotes else None,) if n is not None]
               + [len(source.pieces)])
    for n, hit in enumerate(tail.owner_hits):
        end = bounds[n + 1] if n + 1 < len(bounds) else stop
        frags = [(source.pieces[hit.end_piece].text[hit.end:], source.pieces[hit.end_piece])] + \
            [(p.text, p) for p in without_labels(source.pieces[hit.end_piece + 1:end], layout)]
        listed = ReportingOwner()
        read_address(source, listed, frags, f"Reporting owner {n + 1}", layout.prints_country)
        owners.append(listed)  # a block is an owner even when EDGAR printed no name
    if tail.owner_rows or owners:  # box 1 printed the first owner again: its values were read too
        read_twice = [(f"reporting_owners[0].{name}", value) for name, value in box_owner if value is not None]
    if tail.owner_rows:
        owners = [owner_from_row(source, row, n) for n, row in enumerate(tail.owner_rows)]
        for name in _RELATIONSHIP:  # box 5 states the first owner's flags exactly
            if getattr(box_owner, name) is not None:
                setattr(owners[0], name, getattr(box_owner, name))
        doc.reporting_owners = owners
    elif owners:
        # Box 5 is printed once, for the first owner; the form calls it the relationship
        # of "Reporting Person(s)", so later owners get it too, flagged for review.
        for n, listed in enumerate(owners):
            for name in _RELATIONSHIP:
                value = getattr(box_owner, name)
                if value is not None and n > 0:
                    value = value.model_copy(update={"confidence": min(value.confidence, 0.5)})
                setattr(listed, name, value)
        doc.reporting_owners = owners
        if len(owners) > 1:
            doc.findings.append(Finding(
                rule="R8", severity="warning", message=f"box 5 is printed once, for the first reporting owner: the "
                f"relationship of owners 2-{len(owners)} (director, officer and title, ...) is not on the form",
                fields=[f"reporting_owners[{n}].{name}" for n in range(1, len(owners)) for name in _RELATIONSHIP]))
    else:
        doc.reporting_owners = [box_owner]
    for fid, text, piece in tail.footnotes:
        read = make(source, piece, None)  # an OCR'd footnote is as sure as its least sure line
        note = Footnote(id=fid, text=text, provenance=read.provenance, confidence=read.confidence)
        note.pieces = read.pieces
        doc.footnotes.append(note)
    if tail.remarks:
        doc.remarks = make(source, tail.remarks[1], tail.remarks[0], label="Remarks")
    elif tail.footnotes and tail.footnotes[-1][2] is not None:
        last = tail.footnotes[-1][2]
        if any(source.doubts.get(i) == APART_DOUBT for i in last.read_from()):
            # the last footnote goes on past a blank line: what follows it may be the remarks
            doc.remarks = make(source, last, None, label="Remarks", text="")
    for name, when, name_piece, date_piece in tail.signatures:
        doc.owner_signatures.append(Signature(
            signature_name=make(source, name_piece, name, label="Signature of Reporting Person"),
            signature_date=make(source, date_piece, when, label="Signature date")))
    if not doc.owner_signatures:
        problems.append(Problem(kind="missing_signature", message="no signature name/date found"))
    anchors = [Anchor(h.piece, h.start, _OWNER_FIELDS(n), f"reporting owner {n + 1}", "section")
               for n, h in enumerate(tail.owner_hits)]
    for kind, hit in tail.sections:
        fields = {"footnotes": [f"footnotes[{n}].text" for n in range(len(doc.footnotes))], "remarks": ["remarks"],
                  "signatures": [f"owner_signatures[{n}].{name}" for n in range(max(len(doc.owner_signatures), 1))
                                 for name in ("signature_name", "signature_date")]}.get(kind, [])
        what = {"end": "the form's footer"}.get(kind, kind.capitalize())
        anchors.append(Anchor(hit.piece, hit.start, fields, what, "section"))
    return anchors, read_twice


def _OWNER_FIELDS(n: int) -> list[str]:  # noqa: N802 - reads as the constant list it stands for
    return [f"reporting_owners[{n}].{name}" for name in ("rpt_owner_name", "rpt_owner_street1", "rpt_owner_street2",
                                                         "rpt_owner_city", "rpt_owner_state", "rpt_owner_zip_code",
                                                         "rpt_owner_country")]


def box_fields(box: Box) -> list[str]:
    """The field paths a header box fills (the first reporting owner's, for boxes 1 and 5)."""
    if box.type == "name_address":
        return _OWNER_FIELDS(0)
    if box.type == "relationship":
        return [f"reporting_owners[0].{name}" for name in _RELATIONSHIP]
    if box.type == "issuer":
        return ["issuer.issuer_name", "issuer.issuer_trading_symbol"]
    if box.type == "joint_filing":
        return ["filed_by_more_than_one"]
    if box.field is None:
        return []
    return [box.field if box.field in OwnershipDocument.model_fields else f"issuer.{box.field}"]


def _anchors(index: LabelIndex, layout: Layout, hits: dict[str, Hit], placed: dict) -> list[Anchor]:
    """Where the form reading found the title, each box label and each table header."""
    out = []
    title = index.find(layout.match.titles, 100)
    if title is not None:
        out.append(Anchor(title.piece, title.start, [], "the form's title", "title"))
    for key, hit in hits.items():
        box = layout.boxes[key]
        what = f"box {box.number} ({box.label})" if box.number else f"box '{box.label}'"
        out.append(Anchor(hit.piece, hit.start, box_fields(box), what, "box"))
    for p in placed.values():
        lists = ["derivative_transactions", "derivative_holdings"] if p.spec.kind == "derivative" else \
            ["non_derivative_transactions", "non_derivative_holdings"]
        name = "Table II" if p.spec.kind == "derivative" else "Table I"
        out.extend(Anchor(part.header_piece, 0, lists, name, "table") for part in p.parts())
    return out
