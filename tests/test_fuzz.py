"""Bad input never escapes as a traceback: truncated, corrupted and random renderings either
extract or raise one ExtractionError (a one-line message) -- nothing else."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import extract_bytes
from extractor.errors import ExtractionError

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "samples" / "form4-allied-motion-2013.md").read_bytes()


def _survives(data: bytes, name: str) -> None:
    try:
        doc = extract_bytes(data, name)
    except ExtractionError as exc:
        assert "\n" not in str(exc) and name in str(exc)
        return
    assert doc.document_type.value[0] in "345"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(SEED)), flips=st.lists(
    st.tuples(st.integers(min_value=0, max_value=len(SEED) - 1), st.integers(min_value=0, max_value=255)),
    max_size=8))
def test_corrupted_seed(cut, flips):
    data = bytearray(SEED[:cut])
    for at, byte in flips:
        if at < len(data):
            data[at] = byte
    _survives(bytes(data), "corrupt.md")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["<table>", "</table>", "<tr>", "<td colspan=99999>", "<td rowspan=-3>", "</td>",
                                 "<sup>", "(1)", "</sup>", "<input type=checkbox checked>", "<br>", "Table I",
                                 "1. Title of Security", "X", "Director", "<u>", "12,759", "$", "05/21/2013",
                                 "STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP", "| a | b |", "|---|---|", "\x00"]),
                max_size=60))
def test_tag_soup(parts):
    _survives("".join(parts).encode(), "soup.html")


def test_truncations_of_a_real_page(corpus):
    page = (corpus / "html" / "edgt_374WaterForm4.real.html").read_bytes()
    for cut in range(0, len(page), max(1, len(page) // 40)):
        _survives(page[:cut], "cut.html")


@pytest.mark.parametrize("kind", ["pdf"])
def test_truncations_of_a_pdf(corpus, kind):
    data = (corpus / "pdf" / "dsp_1_emb0.pdf").read_bytes()
    for cut in range(0, len(data), max(1, len(data) // 12)):
        _survives(data[:cut], "cut.pdf")
