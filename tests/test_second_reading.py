"""Other readings of OCR'd values (extractor.form.second_reading), driven without OCR: a real printed
PDF is read, a slip is planted in one piece as OCR would make it, and a scripted second reader
answers for the other readings. Guards against a misreading that scores ~1 passing unreviewed."""
from __future__ import annotations

import pytest

from extractor.extract import extract_source
from extractor.readers import read_bytes

PDF = "edgt_form3.snow.pdf"


class Scripted:
    """A second reader whose readings of some pieces are given (the rest read as they are)."""

    def __init__(self, source, second: dict[int, str], third: dict[int, str], marks: frozenset = frozenset()):
        self.source, self.second, self.third, self.marks = source, second, third, marks
        self.asked: list[tuple[int, bool]] = []

    def __contains__(self, index: int) -> bool:
        return bool(self.source.pieces[index].text)

    def __call__(self, indexes, wide: bool = False) -> dict[int, str]:
        given = self.third if wide else self.second
        self.asked += [(i, wide) for i in indexes]
        return {i: given.get(i, self.source.pieces[i].text) for i in indexes}

    def mark_before(self, index: int) -> bool:
        return self.source.pieces[index].text in self.marks


@pytest.fixture
def source(corpus):
    return read_bytes((corpus / "pdf" / PDF).read_bytes(), PDF)


def _piece(source, text: str) -> int:
    return next(p.index for p in source.pieces if p.text == text)


def test_a_clear_reading_is_read_once_more_and_left_alone(source):
    source.second_reader = reader = Scripted(source, {}, {})
    doc = extract_source(source)
    assert doc.reporting_owners[0].rpt_owner_name.confidence == 1.0
    assert not [p for p in doc.problems if p.kind == "second_reading"]
    assert reader.asked and not any(wide for _, wide in reader.asked)  # no third reading needed
    # only the pieces values were read from are read again: not the form's labels
    assert _piece(source, "1. Name and Address of Reporting Person *") not in {i for i, _ in reader.asked}


def test_spacing_outvoted_two_to_one_is_corrected_and_reviewed(source):
    name = _piece(source, "GARRETT MARK")
    source.retext(name, "GARRETT M ARK")  # what rapidocr read on this filing's scan
    source.second_reader = Scripted(source, {name: "GARRETT MARK"}, {name: "GARRETT MARK"})
    doc = extract_source(source)
    value = doc.reporting_owners[0].rpt_owner_name
    assert (value.value, value.confidence) == ("GARRETT MARK", 0.6)
    assert [p.message for p in doc.problems if p.kind == "second_reading"] == [
        "Box 1 name: OCR read 'GARRETT M ARK', other readings 'GARRETT MARK'"]


def test_a_second_reading_outvoted_by_the_third_changes_nothing(source):
    name = _piece(source, "GARRETT MARK")
    source.second_reader = Scripted(source, {name: "GARRETT M ARK"}, {name: "GARRETT MARK"})
    doc = extract_source(source)
    assert doc.reporting_owners[0].rpt_owner_name.confidence == 1.0
    assert not [p for p in doc.problems if p.kind == "second_reading"]


def test_three_readings_that_differ_in_letters_keep_the_first_and_review_it(source):
    note = next(p.index for p in source.pieces if p.text.startswith("1. Each share of Series E"))
    first = source.pieces[note].text
    source.second_reader = Scripted(source, {note: first.replace("Each", "Fach")},
                                    {note: first.replace("Each", "Eoch")})
    doc = extract_source(source)
    footnote = next(f for f in doc.footnotes if f.id == "F1")
    assert footnote.text.startswith("Each share of Series E") and footnote.confidence == 0.6
    assert any(p.kind == "second_reading" and p.message.startswith("footnote (1): OCR read '1. Each share")
               for p in doc.problems)


def test_an_empty_box_with_a_mark_beside_its_label_is_ticked_and_reviewed(source):
    # (Form 3: the relationship is box 4) the detector took a lone "X" into the line of "10% Owner"
    # and the recogniser dropped it: a second look left of the label finds it
    plain = extract_source(source)
    assert plain.reporting_owners[0].is_ten_percent_owner.value is False
    source.second_reader = Scripted(source, {}, {}, marks=frozenset({"10% Owner"}))
    doc = extract_source(source)
    owner = doc.reporting_owners[0]
    assert (owner.is_ten_percent_owner.value, owner.is_ten_percent_owner.confidence) == (True, 0.6)
    assert (owner.is_officer.value, owner.is_other.value) == (False, False)  # no mark beside the others
    assert [p.message for p in doc.problems if p.kind == "second_reading"] == [
        "Box 4 is_ten_percent_owner: no mark was read beside '10% Owner' at first; a second look finds one"]
