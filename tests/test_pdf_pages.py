"""PDFs whose tables and signatures run over pages (tests/printed: synth filings printed by
Chromium). Each must read exactly as the HTML it was printed from: the guard is against rows
lost at a page break, a cut row read as two, or signatures parted from their label."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from extractor import extract, to_xml

PRINTED = Path(__file__).parent / "printed"
STEMS = ["synth_00483", "synth_00436", "synth_00452", "synth_00213", "synth_00013"]


@pytest.mark.parametrize("stem", STEMS)
def test_a_print_reads_as_the_page_it_was_printed_from(stem, scorer):
    pdf = scorer.leaves(ET.fromstring(to_xml(extract(PRINTED / f"{stem}.pdf"))))
    html = scorer.leaves(ET.fromstring(to_xml(extract(PRINTED / f"{stem}.html"))))
    assert pdf == html
    truth = scorer.leaves(ET.parse(PRINTED / f"{stem}.xml").getroot())
    rows = lambda fields: {k.split("]")[0] for k in fields if "Table/" in k}  # noqa: E731
    assert rows(pdf) == rows(truth)  # every row of every table, however the pages fall


def test_rows_run_on_under_a_header_printed_again_and_a_cut_row_is_one_row():
    doc = extract(PRINTED / "synth_00483.pdf")
    assert len(doc.non_derivative_transactions) == 13 and len(doc.non_derivative_holdings) == 3
    titles = [(r.security_title.value, r.security_title.provenance.page) for r in doc.derivative_transactions]
    assert titles == [("Series A Preferred Stock", 0), ("Employee Stock Option (right to buy)", 0),
                      ("Convertible Notes", 1), ("Convertible Notes", 1), ("Warrants (right to buy)", 1),
                      ("Employee Stock Option (right to buy)", 1)]
    cut = doc.derivative_transactions[1]  # its row starts at the foot of page 1, its title ends on page 2
    assert (str(cut.conversion_or_exercise_price.value), str(cut.shares_owned_following_transaction.value)) == \
        ("305.948", "322")
    assert [h.security_title.value for h in doc.derivative_holdings] == ["Stock Option (Right to Buy)",
                                                                         "Convertible Notes"]


def test_signatures_above_a_page_break_keep_their_label():
    doc = extract(PRINTED / "synth_00436.pdf")
    assert [(s.signature_name.value, str(s.signature_date.value)) for s in doc.owner_signatures] == [
        ("Clark Elizabeth Chloe, by Lopez William Barbara as attorney-in-fact", "2025-05-05"),
        ("/s/ Anderson Barbara Jennifer, Attorney-in-Fact", "2025-05-06"),
        ("/s/ Cedar Capital Inc.", "2025-05-07"),
        ("/s/ Lewis Patricia Patricia, Attorney-in-Fact", "2025-05-08"),
        ("Meridian Biosciences Inc., by Chen Jennifer as attorney-in-fact", "2025-05-07")]


def test_a_name_that_runs_up_to_its_date():
    doc = extract(PRINTED / "synth_00452.pdf")
    assert [(s.signature_name.value, str(s.signature_date.value)) for s in doc.owner_signatures] == [
        ("/s/ Patel Rajesh, Attorney-in-Fact", "2024-09-03"), ("/s/ Harris Chloe J", "2024-09-03")]


@pytest.mark.parametrize("stem,section16,plan", [("synth_00213", False, True), ("synth_00013", True, True)])
def test_each_box_takes_the_mark_beside_its_own_label(stem, section16, plan):
    doc = extract(PRINTED / f"{stem}.pdf")
    assert (doc.not_subject_to_section16.value, doc.aff10b5_one.value) == (section16, plan)
