"""Validator: every rule fires on a fault planted in a real corpus filing, at the right field;
no error-level false alarm on the corpus; the mutation suite is flagged at >= 95 %."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extractor import extract
from extractor.model import Provenance, Value
from extractor.paths import get
from extractor.readers.ownership_xml import read_ownership_xml
from extractor.validate import RULES, flag, validate
from extractor.validate.verdict import document_findings


def truth(corpus, stem):
    return read_ownership_xml((corpus / "truth" / f"{stem}.xml").read_bytes(), stem)


def _set(doc, path, **update):
    head, _, name = path.rpartition(".")
    parent = get(doc, head) if head else doc
    setattr(parent, name, getattr(parent, name).model_copy(update=update))


def _drop_table1_m(doc):
    doc.non_derivative_transactions = [r for r in doc.non_derivative_transactions if r.transaction_code.value != "M"]


def _range_price(doc):
    _set(doc, "non_derivative_transactions[1].transaction_price_per_share", value=Decimal("171.5"))


def _thirty_one_rows(doc):
    doc.non_derivative_transactions = doc.non_derivative_transactions * 5


def _label_in_city(doc):
    doc.layout = "form4"  # R2 knows the form's words from the edition's descriptor
    _set(doc, "reporting_owners[0].rpt_owner_city", value="MT. PLEASANT MI 48858 X Form filed by One Reporting Person")


def _only_a_title(doc):
    row = doc.non_derivative_holdings[0]
    row.shares_owned_following_transaction = row.direct_or_indirect_ownership = row.nature_of_ownership = None


def _shifted_row(doc):
    """A row read with its columns shifted: an amount in the nature of ownership, 'A' as the form."""
    _set(doc, "non_derivative_transactions[0].direct_or_indirect_ownership", value="A")
    doc.non_derivative_transactions[0].nature_of_ownership = Value(value="$ 18.14 15,711.8844")


PLANTED = [  # (rule, filing, fault, a field the finding must name)
    ("R2", "dsp_1_emb0", _label_in_city, "reporting_owners[0].rpt_owner_city"),
    ("R2", "edgt_form3.snow", lambda d: _set(d, "derivative_holdings[0].underlying_security_title",
                                              value="Class B Common Stock 134,018"),
     "derivative_holdings[0].underlying_security_title"),
    ("R2", "dsp_1_emb0", lambda d: _set(d, "non_derivative_transactions[0].security_title", value="common common common"),
     "non_derivative_transactions[0].security_title"),
    ("R6", "edgt_form3.snow", lambda d: setattr(d, "period_of_report", None), "period_of_report"),
    ("R2", "edgt_form4.Evans", lambda d: setattr(d, "remarks", Value(
        value="/s/Jessica L. Brosius, Attorney in Fact for Nora B. 01/26/2023 Sullivan")), "remarks"),
    ("R2", "edgt_form4.Evans", lambda d: setattr(d, "remarks", Value(value="/s/Jessica L. Brosius, Attorney-")),
     "owner_signatures[0].signature_name"),
    ("R9", "dsp_1_emb0", _shifted_row, "non_derivative_transactions[0].shares_owned_following_transaction"),
    ("R5", "dsp_1_emb0", _only_a_title, "non_derivative_holdings[0].security_title"),
    ("R6", "dsp_1_emb0", lambda d: setattr(d.issuer, "issuer_name", None), "issuer.issuer_name"),
    ("R7", "dsp_1_emb0", lambda d: _set(d, "non_derivative_holdings[0].direct_or_indirect_ownership",
                                         provenance=Provenance(reader="pdf", locator="x", text="I D")),
     "non_derivative_holdings[0].direct_or_indirect_ownership"),
    ("S1", "dsp_1_emb0", lambda d: _set(d, "non_derivative_transactions[0].transaction_shares",
                                        value=Decimal("275.63412")), "non_derivative_transactions[0].transaction_shares"),
    ("S2", "dsp_1_emb0", lambda d: _set(d, "non_derivative_transactions[0].direct_or_indirect_ownership", value="O"),
     "non_derivative_transactions[0].direct_or_indirect_ownership"),
    ("S3", "dsp_1_emb0", lambda d: _set(d, "non_derivative_transactions[0].direct_or_indirect_ownership", value="I"),
     "non_derivative_transactions[0].nature_of_ownership"),
    ("S4", "edgt_374WaterForm4", lambda d: _set(d, "reporting_owners[0].is_officer", value=False),
     "reporting_owners[0].is_officer"),
    ("S5", "edgt_374WaterForm4", lambda d: setattr(d.derivative_transactions[0], "transaction_total_value",
                                                   Value(value=Decimal(5))), "derivative_transactions[0].transaction_total_value"),
    ("S6", "edgt_374WaterForm4", lambda d: setattr(d.derivative_transactions[0], "exercise_date", None),
     "derivative_transactions[0].exercise_date"),
    ("S7", "edgt_374WaterForm4", lambda d: _set(d, "non_derivative_transactions[0].transaction_shares",
                                                footnote_ids=["F1", "F2"]), "non_derivative_transactions[0].transaction_shares"),
    ("S8", "edgt_0000320193-22-000061", _thirty_one_rows, None),
    ("S9", "dsp_1_emb0", lambda d: setattr(d, "non_derivative_transactions", []), "not_subject_to_section16"),
    ("S10", "dsp_1_emb0", lambda d: _set(d, "document_type", value="4/A"), "date_of_original_submission"),
    ("S11", "dsp_form4-regression-test_emb0", lambda d: setattr(d.reporting_owners[1], "rpt_owner_cik",
                                                               d.reporting_owners[0].rpt_owner_cik),
     "reporting_owners[1].rpt_owner_cik"),
    ("S12", "dsp_1_emb0", lambda d: _set(d, "period_of_report", value=date(1900, 4, 29)), "period_of_report"),
    ("H1", "edgt_0000320193-22-000061", lambda d: _set(d, "non_derivative_transactions[3].shares_owned_following_transaction",
                                                       value=Decimal("1")), "non_derivative_transactions[3].shares_owned_following_transaction"),
    ("H2", "edgt_0000320193-22-000061", lambda d: _set(d, "non_derivative_transactions[2].transaction_acquired_disposed_code",
                                                       value="A"), "non_derivative_transactions[2].transaction_acquired_disposed_code"),
    ("H3", "dsp_1_emb0", lambda d: _set(d, "non_derivative_transactions[0].transaction_price_per_share", value=Decimal(0)),
     "non_derivative_transactions[0].transaction_price_per_share"),
    ("H4", "syeo_RSU_with_disposal", _drop_table1_m, "derivative_transactions[0].transaction_code"),
    ("H5", "dsp_1_emb0", lambda d: _set(d, "period_of_report", value=date(2024, 4, 30)), "period_of_report"),
    ("H6", "edgt_374WaterForm4", lambda d: setattr(d.derivative_transactions[0], "exercise_date",
                                                   Value(value=date(2036, 1, 1))), "derivative_transactions[0].exercise_date"),
    ("H7", "edgt_0000320193-22-000061", _range_price, "non_derivative_transactions[1].transaction_price_per_share"),
    ("H8", "dsp_1_emb0", lambda d: setattr(d, "filed_by_more_than_one", Value(value=True)), "filed_by_more_than_one"),
    ("H9", "edgt_0000320193-22-000061", lambda d: setattr(d, "aff10b5_one", Value(value=True)), "aff10b5_one"),
    ("H10", "dsp_1_emb0", lambda d: _set(d, "non_derivative_transactions[0].security_title", value="Warrants"),
     "non_derivative_transactions[0].security_title"),
    ("H11", "dsp_1_emb0", lambda d: setattr(d.non_derivative_transactions[0], "transaction_code", None),
     "non_derivative_transactions[0].transaction_code"),
    ("H12", "jcl_form3", lambda d: d.non_derivative_transactions.append(
        __import__("extractor.model", fromlist=["x"]).NonDerivativeTransaction(row=1)), "non_derivative_transactions[0]"),
    ("H13", "dsp_1_emb0", lambda d: setattr(d.non_derivative_transactions[0], "transaction_total_value",
                                            Value(value=Decimal(5))), "non_derivative_transactions[0].transaction_total_value"),
    ("H14", "dsp_1_emb0", lambda d: _set(d, "non_derivative_transactions[0].shares_owned_following_transaction",
                                         value=None, footnote_ids=[],
                                         provenance=__import__("extractor.model", fromlist=["x"]).Provenance(
                                             reader="html", locator="x", text="15,711.88.44")),
     "non_derivative_transactions[0].shares_owned_following_transaction"),
    ("H15", "edgt_0000320193-22-000061", lambda d: _set(d, "non_derivative_transactions[4].security_title",
                                                        footnote_ids=[]), "non_derivative_transactions[4].security_title"),
    ("H16", "dsp_1_emb0", lambda d: setattr(d, "header", {"ISSUER COMPANY CONFORMED NAME": "ACME WIDGETS INC"}),
     "issuer.issuer_name"),
]


def test_every_rule_has_a_planted_fault_test():
    """Every validator rule; the reading's own findings (R1, R3, R4) are planted in renderings, in
    test_coverage."""
    assert {rule for rule, *_ in PLANTED} == {rule for rule, r in RULES.items() if r.check is not None}


@pytest.mark.parametrize("rule,stem,fault,field", PLANTED, ids=[p[0] for p in PLANTED])
def test_rule_fires_on_planted_fault(corpus, rule, stem, fault, field):
    doc = truth(corpus, stem)
    before = {(f.rule, f.message) for f in validate(doc)}
    assert not [f for f in validate(doc) if f.rule == rule and f.severity == "error"], "fault-free filing flagged"
    fault(doc)
    fresh = [f for f in validate(doc) if f.rule == rule and (f.rule, f.message) not in before]
    assert fresh, f"{rule} did not fire"
    if field is not None:
        assert any(field in f.fields for f in fresh), [f.fields for f in fresh]


def test_no_error_findings_on_the_corpus(corpus):
    errors = {}
    for path in sorted((corpus / "html").glob("*.html")) + sorted((corpus / "md").glob("*.md")):
        found = [f.message for f in extract(path).findings if f.severity == "error"]
        if found:
            errors[path.name] = found
    assert errors == {}


def test_real_filings_raise_no_warnings_either(corpus):
    """Warnings on the corpus come only from the SEC's spec samples (jcl_*: invented data), and from
    what the form itself does not show: R8, the relationship of a joint filing's later owners."""
    noisy = {}
    for path in sorted((corpus / "html").glob("*.html")):
        if path.name.startswith("jcl_"):
            continue
        found = [f"{f.rule} {f.message}" for f in extract(path).findings if f.severity != "info" and f.rule != "R8"]
        if found:
            noisy[path.name] = found
    assert noisy == {}


def test_findings_lower_confidence_and_never_mutate(corpus):
    doc = truth(corpus, "dsp_1_emb0")
    doc.non_derivative_transactions[0].direct_or_indirect_ownership.value = "O"
    findings = validate(doc)
    assert doc.findings == []  # validate reports, never changes
    flagged = flag(doc, findings)
    assert flagged.non_derivative_transactions[0].direct_or_indirect_ownership.confidence == 0.3
    assert doc.non_derivative_transactions[0].direct_or_indirect_ownership.confidence == 1.0


def test_legacy_era_downgrades_hard_rules(corpus):
    doc = truth(corpus, "dsp_1_emb0")
    doc.layout = "legacy-a"
    doc.non_derivative_transactions[0].direct_or_indirect_ownership.value = "O"
    assert {f.severity for f in validate(doc) if f.rule == "S2"} == {"warning"}


def test_mutation_suite(corpus):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.mutation_report import run

    r = run(corpus)
    planted, hit = sum(r["planted"].values()), sum(r["hit"].values())
    assert planted >= 200 and len([k for k, n in r["planted"].items() if n]) >= 6
    assert hit / planted >= 0.95, r["misses"]


def test_a_signature_not_read_makes_the_document_need_review(corpus):
    """No signature read: the finding has no field to lower (there is no first signature), so the
    document's verdict carries it; an issuer name not read is flagged on its own field."""
    doc = truth(corpus, "edgt_form4.Evans")
    doc.owner_signatures = []
    flagged = flag(doc, validate(doc))
    assert flagged.status == "review"
    assert [f.rule for f in document_findings(flagged)] == ["R6"]
    doc = truth(corpus, "edgt_form4.Evans")
    doc.issuer.issuer_name = None
    assert flag(doc, validate(doc)).status == "ok"


def test_form5_balance_is_one_per_year_end(corpus):
    """Form 5's column 5 is the balance at the end of the issuer's fiscal year: two rows of one
    security must show the same figure (not a running balance)."""
    from decimal import Decimal

    from extractor.validate import validate

    doc = extract(corpus / "html" / "rsk_form5_emb0.html", validate=False)
    assert doc.form == "5" and not [f for f in validate(doc) if f.rule == "H1"]
    again = doc.non_derivative_transactions[0].model_copy(deep=True)
    again.row = 2
    doc.non_derivative_transactions.append(again)
    assert not [f for f in validate(doc) if f.rule == "H1"]  # the same year-end balance twice: no running sum
    again.shares_owned_following_transaction = again.shares_owned_following_transaction.model_copy(
        update={"value": Decimal(9000)})
    found = [f for f in validate(doc) if f.rule == "H1"]
    assert len(found) == 1 and "end of the issuer's fiscal year" in found[0].message
