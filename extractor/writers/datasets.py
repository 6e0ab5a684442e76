"""Flat tables in the layout of the SEC's Insider Transactions Data Sets.

SUBMISSION, REPORTINGOWNER, NONDERIV_TRANS, NONDERIV_HOLDING, DERIV_TRANS, DERIV_HOLDING,
FOOTNOTES and OWNER_SIGNATURE, with the SEC's column names and order (footnote ids in the
``*_FN`` columns, "F1,F3"; dates as DD-MON-YYYY; flags as 0/1). Every table adds what the SEC
sets lack: ``FORM4_SOURCE`` (the file read), ``FORM4_STATUS`` (the
document's verdict: ok, review, not_understood), ``FORM4_CONFIDENCE`` (the row's lowest value
confidence), ``FORM4_REVIEW`` (fields under the review threshold or named by a finding) and
``FORM4_PROVENANCE`` (column -> where its value was read, JSON).

A rendering carries no accession number unless its file name does (``0001127602-25-001055``);
otherwise the key is ``FORM4-`` and the first 16 hex digits of the file's SHA-256.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from ..model import OwnershipDocument, Value
from ..paths import iter_values

_ACCESSION = re.compile(r"\d{10}-\d{2}-\d{6}")
# (column, model attribute or None, with a *_FN column)
_NONDERIV_TRANS = [("SECURITY_TITLE", "security_title", True), ("TRANS_DATE", "transaction_date", True),
                   ("DEEMED_EXECUTION_DATE", "deemed_execution_date", True),
                   ("TRANS_FORM_TYPE", "transaction_form_type", False), ("TRANS_CODE", "transaction_code", False),
                   ("EQUITY_SWAP_INVOLVED", "equity_swap_involved", False),
                   ("EQUITY_SWAP_TRANS_CD_FN", "@coding_fn", False),
                   ("TRANS_TIMELINESS", "transaction_timeliness", True), ("TRANS_SHARES", "transaction_shares", True),
                   ("TRANS_PRICEPERSHARE", "transaction_price_per_share", True),
                   ("TRANS_ACQUIRED_DISP_CD", "transaction_acquired_disposed_code", True)]
_POST = [("SHRS_OWND_FOLWNG_TRANS", "shares_owned_following_transaction", True),
         ("VALU_OWND_FOLWNG_TRANS", "value_owned_following_transaction", True),
         ("DIRECT_INDIRECT_OWNERSHIP", "direct_or_indirect_ownership", True),
         ("NATURE_OF_OWNERSHIP", "nature_of_ownership", True)]
_DERIV_TERMS = [("EXPIRATION_DATE", "expiration_date", True),
                ("UNDLYNG_SEC_TITLE", "underlying_security_title", True),
                ("UNDLYNG_SEC_SHARES", "underlying_security_shares", True),
                ("UNDLYNG_SEC_VALUE", "underlying_security_value", True)]
_DERIV_TRANS = [("SECURITY_TITLE", "security_title", True),
                ("CONV_EXERCISE_PRICE", "conversion_or_exercise_price", True),
                ("TRANS_DATE", "transaction_date", True), ("DEEMED_EXECUTION_DATE", "deemed_execution_date", True),
                ("TRANS_FORM_TYPE", "transaction_form_type", False), ("TRANS_CODE", "transaction_code", False),
                ("EQUITY_SWAP_INVOLVED", "equity_swap_involved", False),
                ("EQUITY_SWAP_INVOLVED_FN", "@coding_fn", False),
                ("TRANS_TIMELINESS", "transaction_timeliness", True), ("TRANS_SHARES", "transaction_shares", True),
                ("TRANS_TOTAL_VALUE", "transaction_total_value", True),
                ("TRANS_PRICEPERSHARE", "transaction_price_per_share", True),
                ("TRANS_ACQUIRED_DISP_CD", "transaction_acquired_disposed_code", True),
                ("EXCERCISE_DATE", "exercise_date", True)]  # sic: the SEC's spelling in this table
_HOLDING = [("SECURITY_TITLE", "security_title", True), ("TRANS_FORM_TYPE", "transaction_form_type", True)]
_DERIV_HOLDING = [("SECURITY_TITLE", "security_title", True),
                  ("CONV_EXERCISE_PRICE", "conversion_or_exercise_price", True),
                  ("TRANS_FORM_TYPE", "transaction_form_type", True), ("EXERCISE_DATE", "exercise_date", True)]
ROW_TABLES = {
    "NONDERIV_TRANS": ("non_derivative_transactions", "NONDERIV_TRANS_SK", _NONDERIV_TRANS + _POST),
    "NONDERIV_HOLDING": ("non_derivative_holdings", "NONDERIV_HOLDING_SK", _HOLDING + _POST),
    "DERIV_TRANS": ("derivative_transactions", "DERIV_TRANS_SK", _DERIV_TRANS + _DERIV_TERMS + _POST),
    "DERIV_HOLDING": ("derivative_holdings", "DERIV_HOLDING_SK", _DERIV_HOLDING + _DERIV_TERMS + _POST),
}
EXTRA = ["FORM4_SOURCE", "FORM4_STATUS", "FORM4_CONFIDENCE", "FORM4_REVIEW", "FORM4_PROVENANCE"]
SUBMISSION = ["ACCESSION_NUMBER", "FILING_DATE", "PERIOD_OF_REPORT", "DATE_OF_ORIG_SUB", "NO_SECURITIES_OWNED",
              "NOT_SUBJECT_SEC16", "FORM3_HOLDINGS_REPORTED", "FORM4_TRANS_REPORTED", "DOCUMENT_TYPE", "ISSUERCIK",
              "ISSUERNAME", "ISSUERTRADINGSYMBOL", "REMARKS", "AFF10B5ONE"]
REPORTINGOWNER = ["ACCESSION_NUMBER", "RPTOWNERCIK", "RPTOWNERNAME", "RPTOWNER_RELATIONSHIP", "RPTOWNER_TITLE",
                  "RPTOWNER_TXT", "RPTOWNER_STREET1", "RPTOWNER_STREET2", "RPTOWNER_CITY", "RPTOWNER_STATE",
                  "RPTOWNER_ZIPCODE", "RPTOWNER_STATE_DESC", "FILE_NUMBER"]


def _columns(spec) -> list[str]:
    out = []
    for column, _attr, fn in spec:
        out.append(column)
        if fn:
            out.append(f"{column}_FN")
    return out


COLUMNS: dict[str, list[str]] = {
    "SUBMISSION": SUBMISSION + EXTRA,
    "REPORTINGOWNER": REPORTINGOWNER + EXTRA,
    **{name: ["ACCESSION_NUMBER", key] + _columns(spec) + EXTRA for name, (_a, key, spec) in ROW_TABLES.items()},
    "FOOTNOTES": ["ACCESSION_NUMBER", "FOOTNOTE_ID", "FOOTNOTE_TXT"] + EXTRA,
    "OWNER_SIGNATURE": ["ACCESSION_NUMBER", "OWNERSIGNATURENAME", "OWNERSIGNATUREDATE"] + EXTRA,
}
#: surrogate keys: whole numbers (INTEGER in SQLite, int64 in Parquet)
KEYS = {"NONDERIV_TRANS_SK", "NONDERIV_HOLDING_SK", "DERIV_TRANS_SK", "DERIV_HOLDING_SK"}
#: dates: the SEC's "21-MAY-2013" in CSV/TSV, a date in Parquet, ISO text (a DATE column) in SQLite
DATES = {"TRANS_DATE", "DEEMED_EXECUTION_DATE", "EXERCISE_DATE", "EXCERCISE_DATE", "EXPIRATION_DATE",
         "FILING_DATE", "PERIOD_OF_REPORT", "DATE_OF_ORIG_SUB", "OWNERSIGNATUREDATE"}
NUMERIC = {"TRANS_SHARES", "TRANS_PRICEPERSHARE", "TRANS_TOTAL_VALUE", "CONV_EXERCISE_PRICE", "UNDLYNG_SEC_SHARES",
           "UNDLYNG_SEC_VALUE", "SHRS_OWND_FOLWNG_TRANS", "VALU_OWND_FOLWNG_TRANS", "FORM4_CONFIDENCE",
           "NONDERIV_TRANS_SK", "NONDERIV_HOLDING_SK", "DERIV_TRANS_SK", "DERIV_HOLDING_SK"}


def accession(doc: OwnershipDocument, sha: str) -> str:
    found = _ACCESSION.search(doc.source or "")
    return found.group(0) if found else f"FORM4-{sha[:16]}"


def cell(value: Any) -> Any:
    """A model value as the SEC sets print it."""
    if isinstance(value, Value):
        value = value.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.strftime("%d-%b-%Y").upper()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _fn(value: Value | None) -> str | None:
    return ",".join(value.footnote_ids) if value is not None and value.footnote_ids else None


class _Extras:
    """The FORM4_* columns of one row: the lowest confidence, fields to review, provenance."""

    def __init__(self, doc: OwnershipDocument, threshold: float) -> None:
        self.source = doc.source
        self.status = doc.status
        self.threshold = threshold
        self.named = {p for f in doc.findings if f.severity != "info" for p in f.fields}
        self.paths = {id(v): p for p, v in iter_values(doc)}

    def row(self, values: dict[str, Value | None]) -> dict[str, Any]:
        present = {c: v for c, v in values.items() if isinstance(v, Value)}
        review = sorted(c for c, v in present.items()
                        if v.confidence < self.threshold or self.paths.get(id(v)) in self.named)
        where = {c: v.provenance.locator for c, v in present.items()
                 if v.provenance and v.provenance.placed}
        return {"FORM4_SOURCE": self.source, "FORM4_STATUS": self.status,
                "FORM4_CONFIDENCE": round(min((v.confidence for v in present.values()), default=1.0), 4),
                "FORM4_REVIEW": ",".join(review) or None,
                "FORM4_PROVENANCE": json.dumps(where, separators=(",", ":"), sort_keys=True) if where else None}


def tables(doc: OwnershipDocument, sha: str, threshold: float = 0.8) -> dict[str, list[dict[str, Any]]]:
    """DOC as rows of each dataset table (dicts keyed by column)."""
    acc = accession(doc, sha)
    extras = _Extras(doc, threshold)
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in COLUMNS}
    issuer = doc.issuer
    sub = {"DOCUMENT_TYPE": doc.document_type, "PERIOD_OF_REPORT": doc.period_of_report,
           "DATE_OF_ORIG_SUB": doc.date_of_original_submission, "NO_SECURITIES_OWNED": doc.no_securities_owned,
           "NOT_SUBJECT_SEC16": doc.not_subject_to_section16,
           "FORM3_HOLDINGS_REPORTED": doc.form3_holdings_reported,
           "FORM4_TRANS_REPORTED": doc.form4_transactions_reported, "ISSUERCIK": issuer.issuer_cik,
           "ISSUERNAME": issuer.issuer_name, "ISSUERTRADINGSYMBOL": issuer.issuer_trading_symbol,
           "REMARKS": doc.remarks, "AFF10B5ONE": doc.aff10b5_one}
    out["SUBMISSION"].append({"ACCESSION_NUMBER": acc, **{k: cell(v) for k, v in sub.items()}, **extras.row(sub)})
    for owner in doc.reporting_owners:
        roles = [name for name, flag in (("Director", owner.is_director), ("Officer", owner.is_officer),
                                         ("TenPercentOwner", owner.is_ten_percent_owner), ("Other", owner.is_other))
                 if flag is not None and flag.value]
        values = {"RPTOWNERCIK": owner.rpt_owner_cik, "RPTOWNERNAME": owner.rpt_owner_name,
                  "RPTOWNER_TITLE": owner.officer_title, "RPTOWNER_TXT": owner.other_text,
                  "RPTOWNER_STREET1": owner.rpt_owner_street1, "RPTOWNER_STREET2": owner.rpt_owner_street2,
                  "RPTOWNER_CITY": owner.rpt_owner_city, "RPTOWNER_STATE": owner.rpt_owner_state,
                  "RPTOWNER_ZIPCODE": owner.rpt_owner_zip_code}
        out["REPORTINGOWNER"].append({"ACCESSION_NUMBER": acc, "RPTOWNER_RELATIONSHIP": ",".join(roles) or None,
                                      **{k: cell(v) for k, v in values.items()}, **extras.row(values)})
    for name, (attr, key, spec) in ROW_TABLES.items():
        for n, row in enumerate(getattr(doc, attr), start=1):
            values: dict[str, Any] = {}
            record: dict[str, Any] = {"ACCESSION_NUMBER": acc, key: n}
            for column, field, fn in spec:
                if field == "@coding_fn":  # transactionCoding's footnotes ride on the code
                    record[column] = _fn(getattr(row, "transaction_code", None))
                    continue
                value = getattr(row, field, None)
                values[column] = value
                record[column] = cell(value)
                if fn:
                    record[f"{column}_FN"] = _fn(value)
            out[name].append({**record, **extras.row(values)})
    for note in doc.footnotes:
        out["FOOTNOTES"].append({"ACCESSION_NUMBER": acc, "FOOTNOTE_ID": note.id, "FOOTNOTE_TXT": note.text,
                                 **extras.row({})})
    for sig in doc.owner_signatures:
        values = {"OWNERSIGNATURENAME": sig.signature_name, "OWNERSIGNATUREDATE": sig.signature_date}
        out["OWNER_SIGNATURE"].append({"ACCESSION_NUMBER": acc, **{k: cell(v) for k, v in values.items()},
                                       **extras.row(values)})
    return out
