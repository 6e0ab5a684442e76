"""Value parsers: numbers, dates, footnote marks, check marks. Exact, and property-based."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.form.values import check_state, find_date, parse_date, parse_number, split_footnotes


@pytest.mark.parametrize("text,value", [
    ("12,759", Decimal("12759")), ("5,381.2", Decimal("5381.2")), ("$7", Decimal("7")),
    ("$ 150.841", Decimal("150.841")), ("0", Decimal("0")), ("$0", Decimal("0")), (".5", Decimal("0.5")),
    ("1,234,567.8901", Decimal("1234567.8901")),
])
def test_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "$", "abc", "1,23", "12,34,567", "-5", "(1,000)", "N/A", "7 8"])
def test_not_numbers(text):
    assert parse_number(text) is None


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.9999"), places=4))
def test_number_round_trip_with_thousands(value):
    assert parse_number(f"{value:,}") == value
    assert parse_number(f"$ {value:,}") == value


@pytest.mark.parametrize("text,value", [
    ("05/21/2013", date(2013, 5, 21)), ("2/7/00", date(2000, 2, 7)), ("2013-05-21", date(2013, 5, 21)),
    ("February 29,2000", date(2000, 2, 29)), ("Jan. 3, 2003", date(2003, 1, 3)),
    ("December 31, 2002", date(2002, 12, 31)), ("3 Jan 2003", date(2003, 1, 3)),
])
def test_dates(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["", "02/30/2020", "13/01/2020", "(Month/Day/Year)", "Immediately", "N/A"])
def test_not_dates(text):
    assert parse_date(text) is None


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31)))
def test_date_formats_round_trip(day):
    assert parse_date(day.strftime("%m/%d/%Y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%B %d, %Y")) == day


@pytest.mark.parametrize("text,value,ids", [
    ("785 (1)", "785", ["F1"]), ("785 (1)(2)", "785", ["F1", "F2"]), ("757,756(1)", "757,756", ["F1"]),
    ("(1)", "", ["F1"]), ("$ 45.3012 (3)", "$ 45.3012", ["F3"]), ("Stock options (right to buy)",
    "Stock options (right to buy)", []), ("Common Stock (1) (12)", "Common Stock", ["F1", "F12"]),
    ("See footnote (1)(1)", "See footnote", ["F1"]),
])
def test_footnote_marks(text, value, ids):
    assert split_footnotes(text) == (value, ids)


@given(st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=5, unique=True),
       st.decimals(min_value=0, max_value=10**9, places=2))
def test_every_mark_is_kept_in_order(ids, value):
    text = f"{value:,}" + "".join(f" ({n})" for n in ids)
    assert split_footnotes(text) == (f"{value:,}", [f"F{n}" for n in ids])


@pytest.mark.parametrize("token,state", [
    ("X", True), ("x", True), ("[X]", True), ("__X__", True), ("_X_", True), ("\u2612", True), ("\u2713", True),
    ("_____", False), ("___", False), ("[ ]", False), ("\u2610", False), ("Director", None), ("", None),
])
def test_check_marks(token, state):
    assert check_state(token) is state


def test_signature_date_inside_a_wrapped_name():
    when, rest = find_date("Susan M. Chiarmonte, attorney-in-fact for Richard D. 05/21/2013 Federico")
    assert when == date(2013, 5, 21)
    assert rest == "Susan M. Chiarmonte, attorney-in-fact for Richard D. Federico"


def test_join_lines_keeps_a_hyphen_that_ended_a_line():
    from extractor.ir import join_lines

    assert join_lines(["Co-", "President, Customer Ops."]) == "Co-President, Customer Ops."
    assert join_lines(["attorney-", "in-fact"]) == "attorney-in-fact"
    assert join_lines(["Smith -", "Jones", "", "10-", "20"]) == "Smith - Jones 10- 20"


def test_a_value_read_from_several_lines_is_as_sure_as_its_least_sure_line():
    from extractor.ir import Piece

    lines = [Piece("/s/ Warren E. Buffett, on", 139, page=1, bbox=(372, 158, 468, 171), conf=0.97),
             Piece("other reporting.person", 142, page=1, bbox=(373, 183, 458, 195), conf=0.7),
             Piece("hereunder", 143, page=1, bbox=(372, 194, 413, 207), conf=1.0)]
    span = Piece.span(lines)
    assert (span.index, span.text, span.bbox, span.conf) == (139, "/s/ Warren E. Buffett, on", (372, 158, 468, 207), 0.7)
    assert Piece.span(lines[:1]) is lines[0] and Piece.span([]) is None
