"""Box 1 "Name and Address of Reporting Person": the name, street and city lines.

Works on the fragments between the box label and the next box (or owner
block), in reading order, with the printed sub-labels ``(Last) (First)
(Middle)``, ``(Street)``, ``(City) (State) (Zip)`` and, from 2026, ``(Country)``
as separators. City, state and zip arrive as three cells (EDGAR HTML, most
converters) or as one line ("ENGLEWOOD CO 80112", "TORONTO, A6 M5J 2T3") that
is split here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ir import Piece, join_lines

_SUB = re.compile(r"\(\s*(last|first|middle|street|city|state|zip|country)\s*\)", re.I)
_POSTAL_PAIR = re.compile(r"^[A-Z0-9]{2,4} [A-Z0-9]{3}$", re.I)
_ZIP = re.compile(r"^(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z0-9]{2,4}[ -]?[A-Z0-9]{3}|\d{3,10})$", re.I)
US_STATES = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA", "COLORADO": "CO",
    "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC", "FLORIDA": "FL", "GEORGIA": "GA",
    "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL", "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS",
    "KENTUCKY": "KY", "LOUISIANA": "LA", "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA",
    "MICHIGAN": "MI", "MINNESOTA": "MN", "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT",
    "NEBRASKA": "NE", "NEVADA": "NV", "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM",
    "NEW YORK": "NY", "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK",
    "OREGON": "OR", "PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
    "TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA", "WASHINGTON": "WA",
    "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY", "PUERTO RICO": "PR", "GUAM": "GU",
    "VIRGIN ISLANDS": "VI",
}


@dataclass
class Address:
    name: list[tuple[str, Piece]] = field(default_factory=list)
    street: list[tuple[str, Piece]] = field(default_factory=list)
    city: list[tuple[str, Piece | None]] = field(default_factory=list)  # [city, state, zip] when known
    country: list[tuple[str, Piece]] = field(default_factory=list)


def _sublabels(text: str) -> tuple[list[str], str]:
    """The sub-labels in TEXT and TEXT without them."""
    found = [m.group(1).lower() for m in _SUB.finditer(text)]
    rest = _SUB.sub(" ", text).strip(" -\u2014")
    return found, rest.strip()


def split_city_line(text: str) -> tuple[str, str, str]:
    """'ENGLEWOOD CO 80112' -> (ENGLEWOOD, CO, 80112); 'TUPELO, MISSISSIPPI 38804' too."""
    tokens = text.replace(",", " , ").split()
    zip_code = ""
    pair = " ".join(tokens[-2:]) if len(tokens) >= 3 else ""
    if pair and _POSTAL_PAIR.match(pair) and all(any(c.isdigit() for c in t) for t in tokens[-2:]):
        zip_code = pair
        tokens = tokens[:-2]
    elif tokens and _ZIP.match(tokens[-1]) and any(ch.isdigit() for ch in tokens[-1]):
        zip_code = tokens.pop()
    words = [t for t in tokens]
    state = ""
    upper = " ".join(w for w in words if w != ",").upper()
    for name in sorted(US_STATES, key=len, reverse=True):
        if upper.endswith(" " + name) or upper == name:
            state = " ".join(words[-len(name.split()):])
            words = words[: -len(name.split())]
            break
    if not state and len(words) >= 2 and re.fullmatch(r"[A-Z][A-Z0-9]", words[-1]):
        state = words.pop()
    elif not state and len(words) >= 3 and words[-2] == "," and re.fullmatch(r"[A-Za-z]{2}\.?", words[-1]):
        state = words.pop()  # typed as in a letter: "Tupelo, Ms. 38802"
    city = " ".join(w for w in words).replace(" ,", ",").strip(" ,")
    return city, state, zip_code


def by_column(frags: list[tuple[str, Piece]], tolerance: float = 12.0) -> list[tuple[str, Piece]]:
    """Fragments printed on a page (bbox known) joined per column, left to right: a PDF wraps
    "FRANKLIN LAKES" inside its cell onto a second line. Without bboxes, FRAGS unchanged."""
    if not frags or any(p.bbox is None for _, p in frags):
        return frags
    columns: list[list[tuple[str, Piece]]] = []
    for text, piece in frags:
        for col in columns:
            if abs(col[0][1].bbox[0] - piece.bbox[0]) < tolerance:
                col.append((text, piece))
                break
        else:
            columns.append([(text, piece)])
    columns.sort(key=lambda c: c[0][1].bbox[0])
    return [(join_lines(t for t, _ in col), Piece.span([p for _, p in col])) for col in columns]


def join_wrapped(lines: list[tuple[str, Piece]], right: float | None) -> list[tuple[str, Piece]]:
    """Street lines with a line that is only the wrap of the one above it rejoined: a PDF or scan
    prints "C/O VERTEX PHARMACEUTICALS" / "INCORPORATED" in a narrow cell. A line is a wrap when
    both hold: it sits at the line pitch, closer than the gap between two street rows (EDGAR
    pads those), and its first word would not have fitted at the end of the line above before
    RIGHT, the edge of the cell (the next box's left). Without bboxes or RIGHT: LINES unchanged."""
    if right is None or len(lines) < 2 or any(p.bbox is None for _, p in lines):
        return lines
    out = [lines[0]]
    above = lines[0][1]  # the line above, for its geometry (out[-1] may span several lines)
    for text, piece in lines[1:]:
        height = above.bbox[3] - above.bbox[1]
        tight = 0 < height and piece.page == above.page and piece.bbox[1] - above.bbox[1] <= 1.25 * height
        first = text.split()[0] if text.split() else ""
        width = (piece.bbox[2] - piece.bbox[0]) * len(first) / max(len(text), 1)
        fits = above.bbox[2] + 0.3 * height + width < right
        if tight and not fits and abs(piece.bbox[0] - above.bbox[0]) < height:
            out[-1] = (join_lines((out[-1][0], text)), Piece.span([out[-1][1], piece]))
        else:
            out.append((text, piece))
        above = piece
    return out


def parse_address(frags: list[tuple[str, Piece]], country: bool = False) -> Address:
    """Fragments of one box 1 (or one owner block) -> its parts, by sub-label phase.
    COUNTRY: the edition prints a (Country) line after (City) (State) (Zip)."""
    out = Address()
    phase = "name"
    city_frags: list[tuple[str, Piece]] = []
    for text, piece in frags:
        subs, rest = _sublabels(text)
        if rest and phase == "name":
            out.name.append((rest, piece))
        elif phase == "street" and (rest or piece.table >= 0) and not subs:
            if rest:
                out.street.append((rest, piece))
        elif phase == "city" and not subs:
            city_frags.append((rest, piece))
        elif phase == "country" and rest:
            out.country.append((rest, piece))
        if subs:
            last = subs[-1]
            if last in ("last", "first", "middle"):
                phase = "street"
            elif last == "street":
                phase = "city"
            elif last in ("city", "state", "zip"):
                phase = "country" if country else "done"
            elif last == "country":
                phase = "done"
    if phase == "name" and len(out.name) > 1:
        _lines_without_sublabels(out, country)
        return out
    filled = by_column([(t, p) for t, p in city_frags if t])
    if len(city_frags) == 3 and len({p.col for _, p in city_frags}) == 3:
        out.city = [(t, p) for t, p in city_frags]
    elif len(filled) == 3 and _ZIP.match(filled[2][0]) and not _ZIP.match(filled[0][0]):
        out.city = filled
    elif filled:
        # one line, or cells printed too close to tell apart ("MORRISVILLE NC" + "27560")
        line = " ".join(t for t, _ in filled)
        city, state, zip_code = split_city_line(line)
        p = Piece.span([p for _, p in filled])
        out.city = [(city, p), (state, p), (zip_code, p)]
    return out


_CITY_LINE = re.compile(r"[A-Za-z].*?,?\s+[A-Za-z][A-Za-z.]{1,14}\.?\s+\d{5}(?:-\d{4})?$")


def _same_line(a: Piece, b: Piece) -> bool:
    """Whether pieces A and B were printed on one line (a text's line number, or level on a page)."""
    if a.bbox is not None and b.bbox is not None:
        return a.page == b.page and a.bbox[2] <= b.bbox[0] and abs(a.bbox[1] - b.bbox[1]) < 0.5 * (a.bbox[3] - a.bbox[1])
    return a.line >= 0 and a.line == b.line and a.block == b.block


def _lines_without_sublabels(out: Address, country: bool) -> None:
    """A typed box 1 has no (Street) / (City) sub-labels: name first, then street lines, then
    "Tupelo, Ms. 38802" (its zip may be typed apart: "New York, NY" + "10022"), then a country."""
    lines = list(out.name)
    merged: list[tuple[str, Piece]] = []
    for text, piece in lines:  # parts typed apart on one line ("ATLANTA   GA   30303"), a zip apart from its city line
        if merged and _same_line(merged[-1][1], piece):
            merged[-1] = (f"{merged[-1][0]} {text}", Piece.span([merged[-1][1], piece]))
        elif merged and _ZIP.match(text) and text[:1].isdigit() and not any(ch.isdigit() for ch in merged[-1][0]):
            merged[-1] = (f"{merged[-1][0]} {text}", Piece.span([merged[-1][1], piece]))
        else:
            merged.append((text, piece))
    city_at = next((k for k in range(len(merged) - 1, 0, -1) if _CITY_LINE.match(merged[k][0])), None)
    if city_at is None:
        return
    out.name = merged[:1]
    out.street = merged[1:city_at]
    city, state, zip_code = split_city_line(merged[city_at][0])
    piece = merged[city_at][1]
    out.city = [(city, piece), (state, piece), (zip_code, piece)]
    out.country = merged[city_at + 1:]  # typed after the city line ("USA"), whether or not the edition prints one
