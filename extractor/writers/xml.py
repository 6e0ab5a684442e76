"""``ownershipDocument`` XML in the SEC's element order (the XSD is a sequence).

Values are written the way EDGAR stores them: dates ``YYYY-MM-DD``, plain
decimals (no commas, no exponent), booleans ``1``/``0``. A value that a
rendering showed only as footnote marks is written as an element holding just
its ``footnoteId`` children, as EDGAR does. Unknown values (None) are left out.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from ..model import OwnershipDocument, ReportingOwner, SecurityRow, Value

_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return _BAD_XML.sub("", str(value))


def _plain(parent: ET.Element, tag: str, v: Value | None) -> None:
    """<tag>text</tag> for header fields that carry no footnotes in the schema."""
    if v is not None and v.value is not None:
        ET.SubElement(parent, tag).text = _text(v.value)


def _noted(parent: ET.Element, tag: str, v: Value | None) -> None:
    """<tag><value>text</value><footnoteId id="F1"/></tag>."""
    if v is None or (v.value is None and not v.footnote_ids):
        return
    el = ET.SubElement(parent, tag)
    if v.value is not None:
        ET.SubElement(el, "value").text = _text(v.value)
    for fid in v.footnote_ids:
        ET.SubElement(el, "footnoteId", id=fid)


def _prints_country(doc: OwnershipDocument) -> bool:
    """rptOwnerCountry exists from the X0609 schema on: a typed or older filing's country line
    ("USA") stays in the model and the JSON, not in an XML that has no element for it."""
    from ..errors import LayoutError
    from ..layout import get_layout

    if not doc.layout:
        return True
    try:
        return get_layout(doc.layout).prints_country
    except LayoutError:
        return True


def _owner(root: ET.Element, o: ReportingOwner, country: bool = True) -> None:
    el = ET.SubElement(root, "reportingOwner")
    ident = ET.SubElement(el, "reportingOwnerId")
    _plain(ident, "rptOwnerCik", o.rpt_owner_cik)
    _plain(ident, "rptOwnerName", o.rpt_owner_name)
    address = ET.Element("reportingOwnerAddress")
    for tag, v in (("rptOwnerStreet1", o.rpt_owner_street1), ("rptOwnerStreet2", o.rpt_owner_street2),
                   ("rptOwnerCity", o.rpt_owner_city), ("rptOwnerState", o.rpt_owner_state),
                   ("rptOwnerZipCode", o.rpt_owner_zip_code),
                   ("rptOwnerCountry", o.rpt_owner_country if country else None)):
        _plain(address, tag, v)
    if len(address):
        el.append(address)
    rel = ET.SubElement(el, "reportingOwnerRelationship")
    for tag, v in (("isDirector", o.is_director), ("isOfficer", o.is_officer),
                   ("isTenPercentOwner", o.is_ten_percent_owner), ("isOther", o.is_other),
                   ("officerTitle", o.officer_title), ("otherText", o.other_text)):
        _plain(rel, tag, v)


def _coding(parent: ET.Element, row: SecurityRow) -> None:
    code = getattr(row, "transaction_code", None)
    form_type = getattr(row, "transaction_form_type", None)
    if code is None and form_type is None:
        return
    el = ET.SubElement(parent, "transactionCoding")
    _plain(el, "transactionFormType", form_type)
    if code is not None:
        if code.value is not None:
            _plain(el, "transactionCode", code)
            swap = getattr(row, "equity_swap_involved", None)
            ET.SubElement(el, "equitySwapInvolved").text = "1" if swap is not None and swap.value else "0"
        for fid in code.footnote_ids:
            ET.SubElement(el, "footnoteId", id=fid)
    timeliness = getattr(row, "transaction_timeliness", None)
    if timeliness is not None and (timeliness.value or timeliness.footnote_ids):
        _noted(parent, "transactionTimeliness", timeliness)


def _post_and_nature(el: ET.Element, row: SecurityRow) -> None:
    post = ET.Element("postTransactionAmounts")
    _noted(post, "sharesOwnedFollowingTransaction", row.shares_owned_following_transaction)
    _noted(post, "valueOwnedFollowingTransaction", row.value_owned_following_transaction)
    if len(post):
        el.append(post)
    nature = ET.Element("ownershipNature")
    _noted(nature, "directOrIndirectOwnership", row.direct_or_indirect_ownership)
    _noted(nature, "natureOfOwnership", row.nature_of_ownership)
    if len(nature):
        el.append(nature)


def _amounts(el: ET.Element, row) -> None:
    amounts = ET.Element("transactionAmounts")
    _noted(amounts, "transactionShares", row.transaction_shares)
    _noted(amounts, "transactionTotalValue", row.transaction_total_value)
    _noted(amounts, "transactionPricePerShare", row.transaction_price_per_share)
    _noted(amounts, "transactionAcquiredDisposedCode", row.transaction_acquired_disposed_code)
    if len(amounts):
        el.append(amounts)


def _derivative_terms(el: ET.Element, row, *, price_first: bool) -> None:
    _noted(el, "exerciseDate", row.exercise_date)
    _noted(el, "expirationDate", row.expiration_date)
    under = ET.Element("underlyingSecurity")
    _noted(under, "underlyingSecurityTitle", row.underlying_security_title)
    _noted(under, "underlyingSecurityShares", row.underlying_security_shares)
    _noted(under, "underlyingSecurityValue", row.underlying_security_value)
    if len(under):
        el.append(under)


def _row(parent: ET.Element, tag: str, row) -> None:
    el = ET.SubElement(parent, tag)
    _noted(el, "securityTitle", row.security_title)
    derivative = tag.startswith("derivative")
    if derivative:
        _noted(el, "conversionOrExercisePrice", row.conversion_or_exercise_price)
    if tag.endswith("Transaction"):
        _noted(el, "transactionDate", row.transaction_date)
        _noted(el, "deemedExecutionDate", row.deemed_execution_date)
        _coding(el, row)
        _amounts(el, row)
    else:
        _coding(el, row)
    if derivative:
        _derivative_terms(el, row, price_first=False)
    _post_and_nature(el, row)


def to_element(doc: OwnershipDocument) -> ET.Element:
    root = ET.Element("ownershipDocument")
    if doc.schema_version:
        ET.SubElement(root, "schemaVersion").text = doc.schema_version
    _plain(root, "documentType", doc.document_type)
    _plain(root, "periodOfReport", doc.period_of_report)
    _plain(root, "dateOfOriginalSubmission", doc.date_of_original_submission)
    _plain(root, "noSecuritiesOwned", doc.no_securities_owned)
    _plain(root, "notSubjectToSection16", doc.not_subject_to_section16)
    _plain(root, "form3HoldingsReported", doc.form3_holdings_reported)
    _plain(root, "form4TransactionsReported", doc.form4_transactions_reported)
    issuer = ET.SubElement(root, "issuer")
    _plain(issuer, "issuerCik", doc.issuer.issuer_cik)
    _plain(issuer, "issuerName", doc.issuer.issuer_name)
    _plain(issuer, "issuerTradingSymbol", doc.issuer.issuer_trading_symbol)
    _plain(issuer, "issuerForeignTradingSymbol", doc.issuer.issuer_foreign_trading_symbol)
    country = _prints_country(doc)
    for owner in doc.reporting_owners:
        _owner(root, owner, country)
    _plain(root, "aff10b5One", doc.aff10b5_one)
    for table_tag, prefix, transactions, holdings in (
            ("nonDerivativeTable", "nonDerivative", doc.non_derivative_transactions, doc.non_derivative_holdings),
            ("derivativeTable", "derivative", doc.derivative_transactions, doc.derivative_holdings)):
        if transactions or holdings:
            table = ET.SubElement(root, table_tag)
            for row in transactions:
                _row(table, f"{prefix}Transaction", row)
            for row in holdings:
                _row(table, f"{prefix}Holding", row)
    if doc.footnotes:
        notes = ET.SubElement(root, "footnotes")
        for note in doc.footnotes:
            ET.SubElement(notes, "footnote", id=note.id).text = _text(note.text)
    _plain(root, "remarks", doc.remarks)
    for sig in doc.owner_signatures:
        el = ET.SubElement(root, "ownerSignature")
        _plain(el, "signatureName", sig.signature_name)
        _plain(el, "signatureDate", sig.signature_date)
    return root


def to_xml(doc: OwnershipDocument) -> str:
    root = to_element(doc)
    ET.indent(root, space="    ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
