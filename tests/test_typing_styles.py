"""Typed filings in the typing-style space (issue H, tests/typing_styles.py): every value of every
choice, one at a time from the plain style, typed from corpus filings and read back field by field
against the SEC's XML; and random styles drawn from the whole space. A field is never silently
wrong: a value read wrong carries a finding or a confidence under the review threshold."""
from __future__ import annotations

import dataclasses
import random
import xml.etree.ElementTree as ET

import pytest

from bench.score_corpus import flagged_copy
from extractor import extract_bytes, to_xml
from extractor.readers.ownership_xml import read_ownership_xml
from extractor.review.journal import default_threshold
from tests.typing_styles import CHOICES, Style, type_document, typed_truth

FILINGS = ["edgt_374WaterForm4", "dsp_1_emb0"]  # both tables, wrapped titles, holdings with a nature
FORMS_3_5 = ["edgt_form3.snow", "rsk_form5_emb0"]
# read with fields wrong, every one flagged: a mid-word cut no line of the column proves
# ("Class A Comm" / "on Stock" typed alike in every row), remarks with no heading after a footnote
FLAGGED_NOT_EXACT = {("edgt_form3.snow", "row_wrap", "mid-word"),
                     ("edgt_form3.snow", "remarks_heading", "none"), ("rsk_form5_emb0", "notes_heading", "none")}
LAYOUTS = {"edgt_form3.snow": "legacy-form3-b", "rsk_form5_emb0": "legacy-form5-b"}


def _read(corpus, tmp_path, scorer, stem: str, style: Style):
    """Wrong fields and those of them left unflagged, for STEM typed in STYLE."""
    data = (corpus / "truth" / f"{stem}.xml").read_bytes()
    doc = extract_bytes(type_document(read_ownership_xml(data, stem), style).encode(), f"{stem}.txt")
    truth, ours, marked = tmp_path / "truth.xml", tmp_path / "ours.xml", tmp_path / "marked.xml"
    truth.write_bytes(typed_truth(data))
    ours.write_text(to_xml(doc))
    marked.write_text(to_xml(flagged_copy(doc, default_threshold())))
    result = scorer.score_pair(truth, ours)
    plain, flagged = (scorer.leaves(ET.fromstring(p.read_text())) for p in (ours, marked))
    wrong = [k for k, *_ in result["wrong"]] + [k for k, _ in result["missing"]] + [k for k, _ in result["extra"]]
    silent = [k for k in wrong if flagged.get(k) == plain.get(k) and (k in plain or doc.status == "ok")]
    return doc, wrong, silent


@pytest.mark.parametrize("stem", FILINGS + FORMS_3_5)
@pytest.mark.parametrize("choice,value", [(c, v) for c, values in CHOICES.items() for v in values])
def test_each_typing_choice(corpus, tmp_path, scorer, stem, choice, value):
    doc, wrong, silent = _read(corpus, tmp_path, scorer, stem, dataclasses.replace(Style(), **{choice: value}))
    assert doc.layout == LAYOUTS.get(stem, "legacy-form4-b")
    assert silent == []
    assert bool(wrong) == ((stem, choice, value) in FLAGGED_NOT_EXACT)


def test_random_styles(corpus, tmp_path, scorer):
    """Twenty styles drawn from the whole space (every choice at once): most fields read, none of
    the wrong ones silent."""
    rng = random.Random(2002)
    wrong_total = silent_total = 0
    for k in range(20):
        _doc, wrong, silent = _read(corpus, tmp_path, scorer, FILINGS[k % 2], Style.draw(rng))
        wrong_total += len(wrong)
        silent_total += len(silent)
    assert silent_total <= 0.05 * max(wrong_total, 1)
    assert wrong_total <= 60  # of 20 x ~40 fields


def test_a_typed_style_reads_by_the_form_not_the_style(corpus):
    """The style that typed a filing leaves no trace in what is read: two far-apart styles give
    the same document."""
    data = (corpus / "truth" / "edgt_374WaterForm4.xml").read_bytes()
    truth = read_ownership_xml(data, "x")
    plain = Style()
    other = Style(separator="tab", rule="none", wording="abbreviated", numbering="(1)", check="_X_", case="upper",
                  table2="wide", marks="(a)", notes_heading="none", signature="under its label", dates="2/7/00",
                  table_dates="02-07-2000", numbers="12000", prices="40.75", empty="N/A", address="spaced city line",
                  issuer="[TICK]", tags=False)
    a, b = (extract_bytes(type_document(truth, s).encode(), "x.txt") for s in (plain, other))
    assert to_xml(a) == to_xml(b)
