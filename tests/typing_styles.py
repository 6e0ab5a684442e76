"""A space of typing styles for pre-2003 Forms 3/4/5: each filing's style is drawn from
independent choices (issue H), so thousands of distinct styles exist, and any document model
(a corpus or synth truth) can be typed in any of them as filer agents typed the era-B form.

    style = Style.draw(random.Random(seed))
    text = type_document(doc, style)     # an EDGAR <DOCUMENT> with the form typed as ASCII

Every choice is one field of :class:`Style`; :data:`CHOICES` lists the values each can take.
Values are typed exactly (a title wraps but is never shortened), so what the form says can be
scored against the truth the document came from (:func:`typed_truth` drops the fields the era's
form had no place for).
"""
from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from dataclasses import dataclass, fields, replace
from decimal import Decimal

from extractor.model import OwnershipDocument, Value
from tests.typed_forms import Column

CHOICES: dict[str, tuple] = {
    "separator": ("|", ":", "!", "space", "markers", "tab"),
    "rule": ("=", "-", "_", "*", "box", "none"),
    "wording": ("full", "abbreviated", "short"),
    "width": ("narrow", "medium", "wide"),  # header labels wrap over 2-9 lines in narrow columns
    "hyphenate": (True, False),
    "numbering": ("1.", "(1)", "Item 1"),
    "check": ("[X]", "(X)", "X", "_X_", "XX", "Yes"),
    "case": ("as printed", "upper", "lower"),
    "table2": ("wide", "split"),
    "row_wrap": ("at spaces", "mid-word"),
    "page_break": ("none", "plain", "header repeated"),
    "marks": ("(1)", "1/", "*", "(a)"),
    "notes_heading": ("Explanation of Responses:", "Footnotes:", "none"),
    "remarks_heading": ("Remarks:", "none"),
    "signature": ("/s/ above the line", "under its label", "labelled"),
    "dates": ("2/7/00", "February 7, 2000", "02-07-2000", "Feb. 7, 2000"),
    "table_dates": ("2/7/00", "02/07/2000", "02-07-2000", "2/7/2000"),
    "numbers": ("12,000", "12000"),
    "prices": ("$40.75", "40.75"),
    "empty": ("", "-", "N/A", "--"),
    "address": ("lines", "sub-labels", "spaced city line"),
    "issuer": ("(TICK)", "[TICK]", "- TICK"),
    "tags": (True, False),  # <TABLE>/<CAPTION> around the tables (always with "markers")
}


@dataclass(frozen=True)
class Style:
    separator: str = "|"
    rule: str = "-"
    wording: str = "full"
    width: str = "medium"
    hyphenate: bool = True
    numbering: str = "1."
    check: str = "[X]"
    case: str = "as printed"
    table2: str = "split"
    row_wrap: str = "at spaces"
    page_break: str = "none"
    marks: str = "(1)"
    notes_heading: str = "Explanation of Responses:"
    remarks_heading: str = "Remarks:"
    signature: str = "/s/ above the line"
    dates: str = "February 7, 2000"
    table_dates: str = "2/7/00"
    numbers: str = "12,000"
    prices: str = "$40.75"
    empty: str = ""
    address: str = "lines"
    issuer: str = "(TICK)"
    tags: bool = True

    @classmethod
    def draw(cls, rng: random.Random) -> "Style":
        return cls(**{f.name: rng.choice(CHOICES[f.name]) for f in fields(cls)})

    def label(self) -> str:
        return ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def typed_date(day, how: str) -> str:
    if how == "2/7/00":
        return f"{day.month}/{day.day}/{day.year % 100:02d}"
    if how == "2/7/2000":
        return f"{day.month}/{day.day}/{day.year}"
    if how == "02/07/2000":
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    if how == "02-07-2000":
        return f"{day.month:02d}-{day.day:02d}-{day.year}"
    month = _MONTHS[day.month - 1]
    if how == "Feb. 7, 2000":
        month = month if len(month) <= 4 else f"{month[:3]}."
    return f"{month} {day.day}, {day.year}"


class Marks:
    """Footnote marks as the style writes them, and the footnotes section's ids they stand for."""

    def __init__(self, style: Style, ids: list[str]):
        how = "(1)" if style.marks == "*" and len(ids) > 3 else style.marks
        self.text = {}
        for k, fid in enumerate(ids):
            n = int(fid[1:]) if fid[1:].isdigit() else k + 1
            self.text[fid] = {"(1)": f"({n})", "1/": f"{n}/", "*": "*" * n,
                              "(a)": f"({chr(ord('a') + (n - 1) % 26)})"}[how]
        self.how = how

    def after(self, text: str, ids: list[str]) -> str:
        marks = [self.text[i] for i in ids if i in self.text]
        if not marks:
            return text
        if self.how == "*":
            return f"{text}{' '.join(marks)}" if text else " ".join(marks)
        return f"{text} {' '.join(marks)}".strip()


def _number(v: Decimal, style: Style, price: bool) -> str:
    text = f"{v:,}" if style.numbers == "12,000" else f"{v}"
    return f"${text}" if price and style.prices == "$40.75" else text


def cell_text(value: Value | None, column: Column, style: Style, marks: Marks) -> str:
    if value is None or (value.value is None and not value.footnote_ids):
        return ""
    v = value.value
    if v is None:
        text = ""
    elif hasattr(v, "strftime"):
        text = typed_date(v, style.table_dates)
    elif isinstance(v, Decimal):
        text = _number(v, style, column.price)
    else:
        text = str(v)
    return marks.after(text, value.footnote_ids)


def row_cells(row, columns: list[Column], style: Style, marks: Marks) -> list[str]:
    out = []
    for column in columns:
        if column.field.startswith("@"):  # Table II's (A) and (D) amount columns
            ad = getattr(row, "transaction_acquired_disposed_code", None)
            shares = getattr(row, "transaction_shares", None)
            take = ad is not None and ad.value == column.field[1:]
            out.append(cell_text(shares, column, style, marks) if take else "")
        else:
            value = getattr(row, column.field, None)
            if (value is None or value.value is None) and column.value_field and getattr(row, column.value_field, None):
                value = getattr(row, column.value_field)  # a value instead of shares: typed as money
                out.append(cell_text(value, replace(column, price=True), replace(style, prices="$40.75"),
                                     marks))
                continue
            out.append(cell_text(value, column, style, marks))
    return [c if c else style.empty for c in out]


def _cased(text: str, style: Style) -> str:
    return text.upper() if style.case == "upper" else text.lower() if style.case == "lower" else text


def wrap(text: str, width: int, *, hyphenate: bool, mid_word: bool = False) -> list[str]:
    """TEXT in lines of WIDTH: at spaces; a word too long for a line broken after a "/" or,
    when HYPHENATE, with a hyphen ("Trans-" / "action"); MID_WORD: cut wherever the line is full."""
    if not text:
        return [""]
    if mid_word:
        return [text[i:i + width].strip() for i in range(0, len(text), width)]
    out: list[str] = []
    line = ""
    for word in text.split():
        while word:
            room = width - len(line) - (1 if line else 0)
            if len(word) <= room:
                line = f"{line} {word}" if line else word
                break
            # a word longer than a line breaks after a "/" ("(Month/" / "Day/Year)"); others go down whole
            cut = word.rfind("/", 0, room) + 1 if room > 0 and len(word) > width else 0
            if cut >= 3:
                head, word = word[:cut], word[cut:]
            elif hyphenate and room >= 4 and word[:room - 1].isalpha() and word[room - 1:room + 2].isalpha() \
                    and len(word) >= 7 and len(word) - (room - 1) >= 3:  # a long word, at least three letters either side: "Trans-" / "action"
                head, word = f"{word[:room - 1]}-", word[room - 1:]  # "Trans-" / "action"
            elif line:
                out.append(line)
                line = ""
                continue
            else:
                head, word = word[:width], word[width:]
            out.append(f"{line} {head}" if line else head)
            line = ""
    if line:
        out.append(line)
    return out


def typed_truth(xml: bytes) -> bytes:
    """The SEC's XML less what an era-B typed form had no place for (the 10b5-1 box, the 2026
    country line), so a typed filing is scored on what it can say; and its period of report as
    the era's form states it (:func:`statement_date`)."""
    root = ET.fromstring(xml)
    for parent in root.iter():
        for child in list(parent):
            if child.tag in ("aff10b5One", "rptOwnerCountry", "rptOwnerCountryDescription"):
                parent.remove(child)
    period = root.find("periodOfReport")
    kind = (root.findtext("documentType") or "").split("/")[0]
    days = [d.text.strip() for d in root.iter("transactionDate") for d in d.iter("value") if d.text]
    if period is not None and period.text and kind in ("4", "5"):
        period.text = max([period.text.strip(), *days])
    return ET.tostring(root, encoding="utf-8")


def statement_date(doc: OwnershipDocument):
    """Box 4 of an era-B Form 4 or 5 ("Statement for Month/Day/Year", "...Fiscal Year Ended"):
    no transaction reported on the statement is after it (the XML era's period of report is the
    earliest transaction instead)."""
    period = doc.period_of_report.value if doc.period_of_report else None
    if period is None or doc.document_type.value.split("/")[0] == "3":
        return period
    days = [r.transaction_date.value for r in doc.non_derivative_transactions + doc.derivative_transactions
            if r.transaction_date is not None and r.transaction_date.value is not None]
    return max([period, *days])


def type_document(doc: OwnershipDocument, style: Style) -> str:
    from tests.typed_layout import Typist

    return Typist(doc, style).document()


