"""Typed (pre-2003) filings: EDGAR envelopes, ASCII tables, the SGML header as a second witness."""
from __future__ import annotations

import time

import pytest

from extractor import extract, extract_bytes, to_xml
from extractor.errors import NotAFormError, UnreadableInputError
from extractor.readers.envelope import undo_dash_stuffing, unwrap
from extractor.readers.ownership_xml import read_ownership_xml
from tests.legacy_gen import type_filing

LEGACY = ["edgt_0001094891-00-000193", "rnst_2003_form4_legacy"]


@pytest.mark.parametrize("stem", LEGACY)
def test_corpus_legacy_filings_read_exactly(corpus, scorer, tmp_path, stem):
    doc = extract(corpus / "legacy" / f"{stem}.txt")
    assert doc.layout.startswith("legacy-form4-")
    pred = tmp_path / f"{stem}.xml"
    pred.write_text(to_xml(doc))
    result = scorer.score_pair(corpus / "truth" / f"{stem}.xml", pred)
    assert result["correct"] == result["truth"] == result["predicted"], result
    assert not [f for f in doc.findings if f.severity == "error"]  # typed forms: warnings at most


def test_era_a_quirks(corpus):
    """Monthly form, PEM-wrapped: 'February 29,2000', a title wrapped mid-word, '2/7/0' + '0',
    '12,000 -', 'A,D', '-' for empty, the signature typed under its label, CIKs from the header."""
    doc = extract(corpus / "legacy" / "edgt_0001094891-00-000193.txt")
    assert doc.layout == "legacy-form4-a" and str(doc.period_of_report.value) == "2000-02-29"
    row = doc.derivative_transactions[0]
    assert row.security_title.value == "Options to Purchase Common Stock"
    assert (str(row.transaction_date.value), str(row.exercise_date.value), str(row.expiration_date.value)) == \
        ("2000-02-07", "2000-02-07", "2005-02-07")
    assert (row.transaction_shares.value, row.transaction_acquired_disposed_code.value) == (12000, "A")
    assert row.transaction_price_per_share is None or row.transaction_price_per_share.value is None
    assert (row.transaction_form_type.value, str(row.conversion_or_exercise_price.value)) == ("5", "1.375")
    assert (doc.issuer.issuer_cik.value, doc.reporting_owners[0].rpt_owner_cik.value) == ("0000911787", "0001050609")
    assert doc.issuer.issuer_cik.provenance.label == "SGML header: ISSUER CENTRAL INDEX KEY"
    assert [(s.signature_name.value, str(s.signature_date.value)) for s in doc.owner_signatures] == \
        [("/s/ Alan H. Foster", "2000-03-13")]


def test_era_b_quirks(corpus):
    """Transitional form: '( X )' boxes, '(PHC)' ticker, 'Ms.' state, Table II in two blocks whose
    rows pair up, '$40.75 (2)', '(1)' as a whole cell, the IRS box never emitted."""
    doc = extract(corpus / "legacy" / "rnst_2003_form4_legacy.txt")
    assert doc.layout == "legacy-form4-b"
    assert (doc.issuer.issuer_name.value, doc.issuer.issuer_trading_symbol.value) == ("The Peoples Holding Company",
                                                                                      "PHC")
    owner = doc.reporting_owners[0]
    assert (owner.rpt_owner_city.value, owner.rpt_owner_state.value, owner.rpt_owner_zip_code.value) == \
        ("Tupelo", "MS", "38802")
    assert owner.is_director.value is True and owner.is_officer.value is False
    row = doc.derivative_transactions[0]
    assert (str(row.transaction_price_per_share.value), row.transaction_price_per_share.footnote_ids) == \
        ("40.75", ["F2"])
    assert row.exercise_date.value is None and row.exercise_date.footnote_ids == ["F1"]
    assert (row.underlying_security_title.value, str(row.shares_owned_following_transaction.value)) == \
        ("Common Stock", "175.28")
    assert "###" not in doc.model_dump_json()


def test_header_disagreement_is_a_finding(corpus):
    text = (corpus / "legacy" / "edgt_0001094891-00-000193.txt").read_text()
    changed = text.replace("COMPANY CONFORMED NAME:\t\t\tPRODUCTIVITY TECHNOLOGIES CORP /",
                           "COMPANY CONFORMED NAME:\t\t\tACME WIDGETS INC").replace(
        "CONFORMED PERIOD OF REPORT:\t20000229", "CONFORMED PERIOD OF REPORT:\t20000331")
    doc = extract_bytes(changed.encode(), "changed.txt")
    h16 = [f for f in doc.findings if f.rule == "H16"]
    assert [f.fields for f in h16] == [["issuer.issuer_name"], ["period_of_report"]]
    assert extract(corpus / "legacy" / "edgt_0001094891-00-000193.txt").findings[0].rule != "H16"


def test_dash_stuffing_is_undone():
    text = ("-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n\n<SEC-DOCUMENT>x\n"
            "<DOCUMENT>\n<TYPE>4\n<TEXT>\n- -----------\nbody\n</TEXT>\n</DOCUMENT>\n"
            "-----END PRIVACY-ENHANCED MESSAGE-----\n")
    out = undo_dash_stuffing(text)
    assert "\n-----------\n" in out and "Proc-Type" not in out and "END PRIVACY" not in out


def test_the_form_document_is_picked_among_exhibits():
    text = ("<SEC-HEADER>\nACCESSION NUMBER:\t\t0000000000-01-000001\n</SEC-HEADER>\n"
            "<DOCUMENT>\n<TYPE>EX-24\n<TEXT>\nPOWER OF ATTORNEY\n</TEXT>\n</DOCUMENT>\n"
            "<DOCUMENT>\n<TYPE>4\n<TEXT>\nFORM 4 body\n</TEXT>\n</DOCUMENT>\n")
    sub = unwrap(text, "x")
    assert (sub.form_type, sub.text.strip(), sub.header["ACCESSION NUMBER"]) == ("4", "FORM 4 body",
                                                                                 "0000000000-01-000001")


@pytest.mark.parametrize("data,error,words", [
    (b"<SEC-DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\nminutes\n</TEXT>\n</DOCUMENT>\n", NotAFormError,
     "no Form 3/4/5 document (document types: EX-99)"),
    (b"-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n"
     b"-----END PRIVACY-ENHANCED MESSAGE-----\n", UnreadableInputError, "without a <DOCUMENT> block"),
    (b"<DOCUMENT>\n<TYPE>4\n<TEXT>\n" + b"x" * 10_500_000 + b"\n</TEXT>\n</DOCUMENT>\n", UnreadableInputError,
     "too large to be one filing"),
])
def test_bad_submissions(data, error, words):
    start = time.perf_counter()
    with pytest.raises(error) as info:
        extract_bytes(data, "sub.txt")
    assert "sub.txt" in str(info.value) and words in str(info.value) and "\n" not in str(info.value)
    assert time.perf_counter() - start < 5  # bounded, even for a 10 MB document


GENERATED = ["edgt_374WaterForm4", "syeo_RSU_with_disposal", "obb_000032019324000097", "rxd_arrowhead_footnotes",
             "syeo_multi_standard_acquisition", "dsp_1_emb0"]
_ROW_FIELDS = ["security_title", "transaction_date", "transaction_code", "transaction_form_type",
               "transaction_shares", "transaction_acquired_disposed_code", "transaction_price_per_share",
               "shares_owned_following_transaction", "direct_or_indirect_ownership", "nature_of_ownership",
               "conversion_or_exercise_price", "exercise_date", "expiration_date", "underlying_security_title",
               "underlying_security_shares"]


def _facts(doc) -> dict:
    def value(v):
        return None if v is None else (None if v.value is None else str(v.value), tuple(v.footnote_ids))

    out = {"issuer": value(doc.issuer.issuer_name), "ticker": value(doc.issuer.issuer_trading_symbol),
           "owner": value(doc.reporting_owners[0].rpt_owner_name), "period": value(doc.period_of_report),
           "signature": [(value(s.signature_name), value(s.signature_date)) for s in doc.owner_signatures],
           "footnotes": [(f.id, " ".join(f.text.split())) for f in doc.footnotes]}
    for table in ("non_derivative_transactions", "derivative_transactions"):
        out[table] = [{f: value(getattr(r, f, None)) for f in _ROW_FIELDS if value(getattr(r, f, None))}
                      for r in getattr(doc, table)]
    return out


@pytest.mark.parametrize("style", ["pipes", "columns"])
@pytest.mark.parametrize("stem", GENERATED)
def test_generated_legacy_variants_read_back_exactly(corpus, stem, style):
    """Corpus filings typed as era-B ASCII (both table styles, wrapped titles, Table II in two blocks)."""
    truth = read_ownership_xml((corpus / "truth" / f"{stem}.xml").read_bytes(), stem)
    doc = extract_bytes(type_filing(truth, style).encode(), f"{stem}.{style}.txt")
    assert doc.layout == "legacy-form4-b"
    assert _facts(doc) == _facts(truth)


@pytest.mark.parametrize("stem", GENERATED[:4])
def test_generated_legacy_html_reads_back_exactly(corpus, stem):
    """A filer-made HTML Form 4 (2001-2003) inside a submission: the HTML reader, the era B layout."""
    from tests.legacy_gen import type_html_filing

    truth = read_ownership_xml((corpus / "truth" / f"{stem}.xml").read_bytes(), stem)
    doc = extract_bytes(type_html_filing(truth).encode(), f"{stem}.html.txt")
    assert (doc.layout, doc.reader) == ("legacy-form4-b", "html")
    assert _facts(doc) == _facts(truth)


def test_era_a_balance_is_one_per_month(corpus):
    """In the monthly form column 9 is the balance at the end of the month: two rows of one security
    showing different month-end balances are flagged (a per-row running balance is not expected)."""
    from decimal import Decimal

    from extractor.validate import validate

    doc = extract(corpus / "legacy" / "edgt_0001094891-00-000193.txt", validate=False)
    assert not [f for f in validate(doc) if f.rule == "H1"]
    again = doc.derivative_transactions[0].model_copy(deep=True)
    again.row = 2
    again.shares_owned_following_transaction = again.shares_owned_following_transaction.model_copy(
        update={"value": Decimal(9000)})
    doc.derivative_transactions.append(again)
    assert [f.fields for f in validate(doc) if f.rule == "H1"] == [
        ["derivative_transactions[1].shares_owned_following_transaction",
         "derivative_transactions[0].shares_owned_following_transaction"]]


@pytest.mark.parametrize("text,want", [("February 29,2000", "2000-02-29"), ("2/7/00", "2000-02-07"),
                                       ("Jan. 3, 2003", "2003-01-03"), ("December 31, 2002", "2002-12-31")])
def test_typed_dates(text, want):
    from extractor.form.values import parse_date

    assert str(parse_date(text)) == want


@pytest.mark.parametrize("text", ["-", "N/A", "n/a", ""])
def test_typed_empties(text):
    from extractor.form.values import is_empty

    assert is_empty(text)


def test_typed_amount_with_a_filler_dash():
    from extractor.form.values import parse_number

    assert str(parse_number("12,000 -")) == "12000" and parse_number("- 12") is None
