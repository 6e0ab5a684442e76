"""Renderings made by producers this project was not built against, made here from corpus HTML.

Users do not choose how their filings were rendered. Each test renders two corpus filings (a Form 4
with eight footnotes and a signature by an attorney-in-fact, a Form 3 with derivative holdings only)
with one producer of bench/zoo.py (a PDF engine, a Markdown converter, a plain-text dump), reads the
result, and checks named values and then every field against the SEC's own XML; a rendering that
loses what the form needs must send every wrong field to review instead. A producer missing here is
skipped; under CI=true the ones pip installs (the `test` extra) are required, and the zoo runs with
them on a handful of filings.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from extractor import extract, to_xml

#: producers the `test` extra installs: their absence under CI=true is a broken setup, not a skip
PIP_PRODUCERS = {"xhtml2pdf", "html-to-markdown", "markitdown", "inscriptis"}
APPLE, SNOWFLAKE = "edgt_0000320193-22-000061", "edgt_form3.snow"
BOTH = (APPLE, SNOWFLAKE)
#: renderings read exactly: every field as the SEC's XML has it, status ok
PDF_ENGINES = [(p, f) for p in ("xhtml2pdf", "weasyprint", "wkhtmltopdf", "chromium-a4-landscape") for f in BOTH]
MARKDOWN_CONVERTERS = [(p, f) for p in ("html-to-markdown", "markitdown", "pandoc-gfm", "pandoc-mmd") for f in BOTH]
TEXT_DUMPS = [("w3m", APPLE), ("pdftotext-wkhtmltopdf", APPLE)]
#: renderings that lose what the form needs: some fields wrong, every one of them sent to review
NOT_READ = [("inscriptis", APPLE), ("inscriptis", SNOWFLAKE), ("libreoffice", APPLE), ("libreoffice", SNOWFLAKE),
            ("pdftotext-wkhtmltopdf", SNOWFLAKE), ("pdftotext-chromium", APPLE), ("lynx", APPLE),
            ("turndown", SNOWFLAKE), ("html2text", APPLE)]


def _apple_form4(doc) -> None:
    assert doc.document_type.value == "4"
    assert doc.issuer.issuer_name.value == "Apple Inc."
    assert doc.reporting_owners[0].rpt_owner_name.value == "Adams Katherine L."
    first, second = doc.non_derivative_transactions[:2]
    assert (first.transaction_date.value, first.transaction_shares.value,
            first.transaction_price_per_share.value) == (date(2022, 5, 4), Decimal("9136"), Decimal("159.94"))
    assert (second.transaction_shares.value, second.transaction_price_per_share.value) == (Decimal("5316"), Decimal("160.82"))
    assert len(doc.footnotes) == 8
    assert doc.owner_signatures[0].signature_name.value == \
        "/s/ Sam Whittington, Attorney-in-Fact for Katherine L. Adams"
    assert doc.owner_signatures[0].signature_date.value == date(2022, 5, 6)


def _snowflake_form3(doc) -> None:
    assert doc.document_type.value == "3"
    assert doc.issuer.issuer_name.value == "Snowflake Inc."
    assert doc.reporting_owners[0].rpt_owner_name.value == "GARRETT MARK"
    preferred, option = doc.derivative_holdings[:2]
    assert (preferred.security_title.value, preferred.underlying_security_shares.value) == \
        ("Series E Preferred Stock", Decimal("134018"))
    assert (option.security_title.value, option.conversion_or_exercise_price.value,
            option.underlying_security_shares.value) == ("Stock Option (Right to Buy)", Decimal("3.74"), Decimal("383594"))
    assert len(doc.footnotes) == 9
    assert doc.owner_signatures[0].signature_date.value == date(2020, 9, 15)


FILINGS = {APPLE: _apple_form4, SNOWFLAKE: _snowflake_form3}


def _render(producer: str, filing: str, corpus: Path, tmp_path: Path) -> Path:
    from bench.zoo import PRODUCERS

    ext, render, available, need = PRODUCERS[producer]
    if not available():
        if producer in PIP_PRODUCERS and os.environ.get("CI") == "true":
            pytest.fail(f"{producer} is missing (CI=true; `pip install -e '.[test]'` installs it)")
        pytest.skip(f"{producer} is not installed here ({need})")
    out = tmp_path / f"{filing}.{ext}"
    render(corpus / "html" / f"{filing}.html", out)
    return out


def _read(producer: str, filing: str, corpus: Path, scorer, tmp_path: Path):
    """The document PRODUCER's rendering of FILING reads as, and its fields that differ from the
    SEC's XML: (key, want, got), and those of them that review would not show."""
    from bench.score_corpus import flagged_copy
    from extractor.review.journal import default_threshold

    doc = extract(_render(producer, filing, corpus, tmp_path))
    ours, marked = tmp_path / "ours.xml", tmp_path / "marked.xml"
    ours.write_text(to_xml(doc))
    marked.write_text(to_xml(flagged_copy(doc, default_threshold())))
    result = scorer.score_pair(corpus / "truth" / f"{filing}.xml", ours)
    wrong = result["wrong"] + [(k, t, None) for k, t in result["missing"]] + \
        [(k, None, p) for k, p in result["extra"]]
    plain, shown = (scorer.leaves(ET.fromstring(f.read_text())) for f in (ours, marked))
    unflagged = [w for w in wrong if doc.status == "ok" and shown.get(w[0]) == plain.get(w[0])]
    return doc, wrong, unflagged


def _reads_exactly(producer: str, filing: str, corpus: Path, scorer, tmp_path: Path) -> None:
    doc, wrong, _unflagged = _read(producer, filing, corpus, scorer, tmp_path)
    assert (doc.status, doc.coverage) == ("ok", 1.0)
    FILINGS[filing](doc)
    assert wrong == []


@pytest.mark.parametrize("producer,filing", PDF_ENGINES)
def test_pdf_engine(producer, filing, corpus, scorer, tmp_path):
    _reads_exactly(producer, filing, corpus, scorer, tmp_path)


@pytest.mark.parametrize("producer,filing", MARKDOWN_CONVERTERS)
def test_markdown_converter(producer, filing, corpus, scorer, tmp_path):
    _reads_exactly(producer, filing, corpus, scorer, tmp_path)


@pytest.mark.parametrize("producer,filing", TEXT_DUMPS)
def test_text_dump(producer, filing, corpus, scorer, tmp_path):
    _reads_exactly(producer, filing, corpus, scorer, tmp_path)


@pytest.mark.parametrize("producer,filing", NOT_READ)
def test_a_rendering_not_read_says_so(producer, filing, corpus, scorer, tmp_path):
    """What these producers lose leaves wrong fields, and each of them goes to review by a finding,
    a low confidence or the document's verdict: inscriptis sets a table's rows without the
    header's column spans (values under other columns' labels), LibreOffice prints the form in
    5-point type with footnote marks apart from their values, pdftotext closes up the columns
    (an amount one space after a title), lynx and html2text write the boxes one after another,
    turndown writes nested tables as raw HTML."""
    _doc, wrong, unflagged = _read(producer, filing, corpus, scorer, tmp_path)
    assert wrong, "read exactly now: move it to the producers read exactly"
    assert unflagged == []


def test_zoo_on_a_handful(corpus, tmp_path):
    """bench/zoo.py, as CI runs it: the producers pip installs, on the first five corpus filings;
    its report has a row per producer, and no producer leaves a wrong field unflagged."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    present = sorted(p for p in PIP_PRODUCERS if _installed(p))
    if not present:
        pytest.skip("none of the pip producers is installed")
    run = subprocess.run([sys.executable, str(root / "bench" / "zoo.py"), "--producers", ",".join(present),
                          "--files", "5", "--cache", str(tmp_path), "--corpus", str(corpus)],
                         capture_output=True, text=True, timeout=600, check=True)
    rows = [line.split() for line in run.stdout.splitlines()]
    table = {row[0]: row for row in rows if len(row) == 12 and row[0] in present}  # the summary table
    assert sorted(table) == present, run.stdout
    for name, row in table.items():
        files, unflagged = int(row[1]), int(row[4])
        assert (name, files, unflagged) == (name, 5, 0), run.stdout


def _installed(producer: str) -> bool:
    from bench.zoo import PRODUCERS

    available = PRODUCERS[producer][2]()
    if not available and os.environ.get("CI") == "true":
        pytest.fail(f"{producer} is missing (CI=true; `pip install -e '.[test]'` installs it)")
    return available
