"""Reporting owners: the name and address box (or an owner block of a joint filing), the
relationship box 5, and a row of the older stylesheet's Reporting Owners table, read into
:class:`~extractor.model.ReportingOwner` values with their provenance."""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..ir import Piece, Source, join_lines
from ..layout import Layout
from ..model import ReportingOwner
from .address import US_STATES, by_column, join_wrapped, parse_address, split_city_line
from .boxes import find_options, state_code
from .provenance import make
from .reflow_boxes import WRAP_DOUBT

_STATE_CODES = set(US_STATES.values())
_STREET_LIKE = re.compile(r"^\d+[A-Z]?\s+(?:[NSEW]\.?\s+)?[A-Za-z0-9 .'-]*\b(?:st|street|ave|avenue|rd|road|dr|drive|blvd|"
                          r"boulevard|ln|lane|way|ct|court|pl|place|pkwy|parkway|hwy|highway|suite|ste)\b\.?", re.I)
_NUMBER_ONLY = re.compile(r"^\s*#?\d+[A-Za-z]?\s*$")
_NUMBERED = re.compile(r"^\s*(?:[Ii]tem\s+)?\(?\d{1,2}[A-Za-z]?\s*[.)]\s+")


def column_label(text: str, layout: Layout) -> bool:
    """TEXT is (the start or the rest of) a table column label, "11. Nature" / "of Indirect
    Beneficial Ownership (Instr. 4)": an OCR'd page may read a header cell out of its table into
    an owner block below, where it is not a name."""
    head = _NUMBERED.sub("", text).lower().strip()
    if len(head) < 6 or (len(head) < 12 and not _NUMBERED.match(text)):
        return False
    return any(fuzz.partial_ratio(head, label.lower()) >= 90 for spec in layout.tables.values()
               for column in spec.columns for label in column.labels)


def without_labels(pieces: list[Piece], layout: Layout) -> list[Piece]:
    """PIECES less any table column label among them, with the lines it wraps onto on a page
    (the same left edge, no gap): "11. Nature" / "of Indirect" / "Beneficial" / "Ownership"."""
    out: list[Piece] = []
    label: list[float] | None = None  # [left edge, bottom, line height] of the label being skipped
    for p in pieces:
        if label is not None and p.bbox is not None and abs(p.bbox[0] - label[0]) <= 5 \
                and p.bbox[1] - label[1] < label[2]:
            label[1] = p.bbox[3]
            continue
        label = None
        if column_label(p.text, layout):
            if p.bbox is not None:
                label = [p.bbox[0], p.bbox[3], p.bbox[3] - p.bbox[1]]
            continue
        out.append(p)
    return out


def _cell_right(source: Source, piece: Piece) -> float | None:
    """Where PIECE's table cell ends on the page: the left edge of the nearest text to its right
    in the same table row (None outside a table, or when nothing is printed to its right)."""
    if piece.table < 0 or piece.bbox is None:
        return None
    table = source.tables[piece.table]
    edges = [source.pieces[i].bbox[0] for cell in table.rows[piece.row] if cell.col > piece.col
             for i in range(*cell.pieces) if source.pieces[i].bbox and source.pieces[i].text]
    return min(edges, default=None)


def read_address(source: Source, owner: ReportingOwner, frags, label: str, country: bool = False) -> None:
    addr = parse_address(frags, country)
    if addr.name:
        text = join_lines(t for t, _ in addr.name)
        # lines no sub-label parted and no city line ended: the address may be read into the name
        sure = 0.5 if len(addr.name) > 2 and not addr.street and not addr.city else 1.0
        if _STREET_LIKE.match(text):  # "123 Main St": a name line left empty, the street read as the name?
            sure = 0.5
        owner.rpt_owner_name = make(source, Piece.span([p for _, p in addr.name]), text, label=f"{label} name",
                                    text=text, confidence=sure)
        if sure < 1.0 and not addr.street and not addr.city:  # the address may be in the name: in review too
            for name in ("rpt_owner_street1", "rpt_owner_city", "rpt_owner_state", "rpt_owner_zip_code"):
                setattr(owner, name, make(source, owner.rpt_owner_name and Piece.span([p for _, p in addr.name]),
                                          None, label=f"{label} address", text="", confidence=sure))
    if addr.street:
        addr.street = join_wrapped(addr.street, _cell_right(source, addr.street[0][1]))
        rest = join_lines(t for t, _ in addr.street[1:]) if len(addr.street) > 1 else ""
        # a second line that is only a number ("560") is a suite number wrapped from the first, or a
        # line of its own; three lines or more for the form's two are split by a guess: either reading
        # may be the filing's, so both lines go to review
        sure = 0.6 if _NUMBER_ONLY.match(rest) or len(addr.street) > 2 else 1.0
        owner.rpt_owner_street1 = make(source, addr.street[0][1], addr.street[0][0], label=f"{label} (Street)",
                                       confidence=sure)
        if rest:
            owner.rpt_owner_street2 = make(source, Piece.span([p for _, p in addr.street[1:]]), rest,
                                           label=f"{label} (Street)", confidence=sure)
        elif any(source.doubts.get(i) == WRAP_DOUBT for i in addr.street[0][1].read_from()):
            # street 1 joins lines that may have been two: street 2 may be in it, so it is in doubt too
            owner.rpt_owner_street2 = make(source, addr.street[0][1], None, label=f"{label} (Street)",
                                           text="")
    # a city holding a zip or a state code ("MINNEAPOLIS MINNEAPOLIS MN MN 55416"): lines of other
    # blocks read into this one, all three parts in doubt
    city = addr.city[0][0] if addr.city else ""
    sure = 0.5 if any(ch.isdigit() for ch in city) or any(t in _STATE_CODES for t in city.split()) else 1.0
    for (text, piece), name, sub in zip(addr.city, ("rpt_owner_city", "rpt_owner_state", "rpt_owner_zip_code"),
                                        ("(City)", "(State)", "(Zip)")):
        if text:
            value = state_code(text) if name == "rpt_owner_state" else text
            setattr(owner, name, make(source, piece, value, label=f"{label} {sub}", text=text, confidence=sure))
    city = owner.rpt_owner_city
    if city is not None and city.confidence < 1.0 and owner.rpt_owner_state is None and addr.city:
        # the city joins lines that may have been two ("FRANKLIN NJ" / "LAKES"): a state may be in it
        owner.rpt_owner_state = make(source, addr.city[0][1], None, label=f"{label} (State)", text="")
    if addr.country:
        text = join_lines(t for t, _ in addr.country)
        owner.rpt_owner_country = make(source, Piece.span([p for _, p in addr.country]), text,
                                       label=f"{label} (Country)")


def read_relationship(source: Source, owner: ReportingOwner, seg, label: str) -> None:
    found, trailing = find_options(source, seg)
    flags = {o.field: o for o in found}
    for o in found:
        setattr(owner, o.field, make(source, o.mark_piece, o.checked, label=f"{label} {o.field}"))
    # a PDF wraps a title over lines of one column: join them per column (HTML gives one piece per cell)
    texts = by_column([(t, p) for t, p in trailing if t and not _REMNANT.match(t)])
    officer = flags.get("is_officer") is not None and flags["is_officer"].checked
    other = flags.get("is_other") is not None and flags["is_other"].checked
    title = other_text = None
    confidence = 1.0
    if len(texts) >= 2:
        title, other_text = texts[0], texts[-1]
    elif len(texts) == 1:
        t, p = texts[0]
        if officer and other and " / " in t:
            a, b = t.split(" / ", 1)
            title, other_text = (a.strip(), p), (b.strip(), p)
        elif other and not officer:
            other_text = texts[0]
        elif officer and other and (split := split_title_other(t)):
            # the rendering joined both texts on one line; split where a title ends
            title, other_text = (split[0], p), (split[1], p)
            confidence = 0.6
        elif officer and other and p.col >= 2:
            other_text = texts[0]
        else:
            title = texts[0]
    if title:
        owner.officer_title = make(source, title[1], title[0], label=f"{label} officer title",
                                   confidence=min(confidence, 1.0 if officer else 0.6))
    if other_text:
        owner.other_text = make(source, other_text[1], other_text[0], label=f"{label} other text",
                                confidence=min(confidence, 1.0 if other else 0.6))


_REMNANT = re.compile(r"^(?:\(?(?:give\s+)?(?:title\s+)?(?:specify\s+)?below\)\s*)+$", re.I)


_TITLE_ENDS = {"CEO", "CFO", "COO", "CTO", "CAO", "CIO", "CLO", "OFFICER", "PRESIDENT", "DIRECTOR", "SECRETARY",
               "TREASURER", "COUNSEL", "CHAIRMAN", "CHAIR", "VP", "CONTROLLER", "MANAGER", "PARTNER", "FOUNDER",
               "EVP", "SVP", "HEAD", "OPERATIONS", "FINANCE", "SALES", "MARKETING", "TECHNOLOGY"}


def split_title_other(text: str) -> tuple[str, str] | None:
    """'President and CEO Public Affairs Officer' -> ('President and CEO', 'Public Affairs Officer'):
    the split after a word that ends titles, both parts within the 30-character limit."""
    words = text.split()
    for k in range(len(words) - 1, 0, -1):
        left, right = " ".join(words[:k]), " ".join(words[k:])
        if words[k - 1].strip(",.").upper() in _TITLE_ENDS and len(left) <= 30 and len(right) <= 30:
            return left, right
    return None


_STREET_START = re.compile(r"^(?:\d|C/O\b|P\.?\s?O\.?\s+BOX|ONE |TWO |THREE |SUITE )", re.I)


def owner_from_row(source: Source, row, n: int) -> ReportingOwner:
    """A row of the older stylesheet's Reporting Owners table -> an owner."""
    label = f"Reporting Owners row {n + 1}"
    owner = ReportingOwner()
    lines = list(row.lines)
    if lines and (any(ch.isdigit() for ch in lines[-1][0]) or "," in lines[-1][0]):
        text, piece = lines.pop()
        city, state, zip_code = split_city_line(text)
        for name, value in (("rpt_owner_city", city), ("rpt_owner_state", state_code(state) if state else ""),
                            ("rpt_owner_zip_code", zip_code)):
            if value:
                setattr(owner, name, make(source, piece, value, label=label, text=text))
    if lines and not _STREET_START.match(lines[0][0]):
        text, piece = lines.pop(0)
        owner.rpt_owner_name = make(source, piece, text, label=f"{label} name")
    for name, (text, piece) in zip(("rpt_owner_street1", "rpt_owner_street2"), lines):
        setattr(owner, name, make(source, piece, text, label=f"{label} address"))
    first = row.lines[0][1] if row.lines else None
    owner.is_director = make(source, first, row.director, label=f"{label} Director")
    owner.is_ten_percent_owner = make(source, first, row.ten_percent, label=f"{label} 10% Owner")
    owner.is_officer = make(source, first, row.officer_title is not None, label=f"{label} Officer", confidence=0.9)
    owner.is_other = make(source, first, row.other_text is not None, label=f"{label} Other", confidence=0.9)
    if row.officer_title:
        owner.officer_title = make(source, row.officer_title[1], row.officer_title[0], label=f"{label} Officer")
    if row.other_text:
        owner.other_text = make(source, row.other_text[1], row.other_text[0], label=f"{label} Other")
    return owner
