"""Value parsers: the text of a rendered cell -> a typed value plus its footnote ids.

Pure functions, no knowledge of layouts or readers. Each parser returns None
for text it cannot read (the caller records the problem), never guesses.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from ..ir import CHECKED, UNCHECKED

# footnote marks as filers typed them: "(1)", and in typed filings "1/", "(a)", "*", "**"
_MARKS_AT_END = re.compile(r"(?:\s*\(\s*(?:\d{1,2}|[a-z])\s*\)|(?:^|\s+)\d{1,2}/|\s*\*{1,3})+\s*$")
_MARK = re.compile(r"\(\s*(\d{1,2}|[a-z])\s*\)|(\d{1,2})/|(\*{1,3})")
_SPACE = re.compile(r"\s+")
_EMPTY_WORDS = {"", "-", "--", "n/a", "na", "none", "\u2014", "\u2013"}


def clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def note_id(mark: str) -> str:
    """The footnote id a mark stands for: "1" (of "(1)" or "1/") is F1, "b" (of "(b)") F2, "**" F2."""
    if mark.isdigit():
        return f"F{int(mark)}"
    if mark.startswith("*"):
        return f"F{len(mark)}"
    return f"F{ord(mark) - ord('a') + 1}"


def split_footnotes(text: str) -> tuple[str, list[str]]:
    """'785 (1)(2)' -> ('785', ['F1', 'F2']); '(1)' -> ('', ['F1']).

    Only marks at the end of the text are footnote references: '(right to buy)'
    and a mark in the middle of a title stay part of the value.
    """
    text = clean(text)
    found = _MARKS_AT_END.search(text)
    if not found:
        return text, []
    ids = [note_id(next(g for g in m.groups() if g)) for m in _MARK.finditer(found.group(0))]
    seen: list[str] = []
    for fid in ids:
        if fid not in seen:
            seen.append(fid)
    return text[: found.start()].strip(), seen


_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2,4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORD_DATE = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s*(\d{2,4})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_DATE_IN_TEXT = re.compile(r"\b(\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{2}-\d{2})\b")
# a date in words counts only standing alone (a typed signature date): inside prose it is prose
_WORDS_DATE = re.compile(r"^\s*(?:(?i:date)\s*[:.]?\s*)?((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s*\d{4})\s*$")


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        return 2000 + n if n < 50 else 1900 + n
    return n


def parse_date(text: str) -> date | None:
    """MM/DD/YYYY, M/D/YY, YYYY-MM-DD, 'February 29,2000', 'Jan. 3, 2003', '3 Jan 2003'."""
    t = clean(text).rstrip(".")
    try:
        if m := _NUMERIC_DATE.match(t):
            return date(_year(m.group(3)), int(m.group(1)), int(m.group(2)))
        if m := _ISO_DATE.match(t):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _WORD_DATE.match(t):
            month = _MONTHS.get(m.group(1)[:3].lower())
            return date(_year(m.group(3)), month, int(m.group(2))) if month else None
        if m := _DAY_FIRST.match(t):
            month = _MONTHS.get(m.group(2)[:3].lower())
            return date(int(m.group(3)), month, int(m.group(1))) if month else None
    except ValueError:
        return None
    return None


def find_date(text: str) -> tuple[date | None, str]:
    """The first date inside TEXT ("05/21/2013", "January 2, 2003") and TEXT without it (signature lines)."""
    m = _DATE_IN_TEXT.search(text) or _WORDS_DATE.match(text)
    if not m:
        return None, clean(text)
    found = parse_date(m.group(1))
    if found is None:
        return None, clean(text)
    rest = clean(text[: m.start()] + " " + text[m.end():])
    return found, rest


MAX_DIGITS = (24, 12)  # integer digits (with the thousands commas) and decimals a number may have
_NUMBER = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?$")


def parse_number(text: str) -> Decimal | None:
    """'12,759' -> 12759; '$ 150.841' -> 150.841; '5,381.2'; '$7'; '12,000 -' (a typed filler dash).
    Never negative."""
    t = clean(text)
    if t.endswith(" -"):
        t = t[:-2].rstrip()
    if t.startswith("$"):
        t = t[1:].lstrip()
    if not t or t in ("$",):
        return None
    m = _NUMBER.match(t)
    if not m or not (m.group(1) or m.group(2)):
        return None
    if len(m.group(1) or "") > MAX_DIGITS[0] or len(m.group(2) or "") > MAX_DIGITS[1] + 1:
        return None  # beyond any amount a form reports: not read, said by the cell's finding
    try:
        return Decimal((m.group(1) or "0").replace(",", "") + (m.group(2) or ""))
    except InvalidOperation:
        return None


def is_money(text: str) -> bool:
    return clean(text).startswith("$")


def is_empty(text: str) -> bool:
    return clean(text).lower() in _EMPTY_WORDS


_CHECK_TOKENS = re.compile(
    r"^(?:" + CHECKED + r"|\[\s*[xX\u2713\u2714]\s*\]|\(\s*[xX]\s*\)|_*[xX]_+|_+[xX]_*|[xX]{2}|[xX\u2713\u2714\u2612\u2611])$")
_UNCHECK_TOKENS = re.compile(r"^(?:" + UNCHECKED + r"|\[\s*\]|\(\s*\)|_{2,})$")


def check_state(token: str) -> bool | None:
    """True for a ticked mark ('X', '__X__', '[X]', a checked box), False for an
    empty one ('____', '[ ]', an empty box), None when TOKEN is no mark at all."""
    t = clean(token)
    if _CHECK_TOKENS.match(t):
        return True
    if _UNCHECK_TOKENS.match(t):
        return False
    return None
