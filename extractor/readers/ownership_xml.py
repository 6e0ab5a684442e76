"""ownershipDocument XML (the SEC's own, or form4's output) -> the document model.

Not a rendering reader: it maps elements straight onto the model (provenance
reader "xml", locator = the element path), for validating, reviewing and
re-exporting results, and as the fast path when an EDGAR submission embeds
the XML. Parsed with lxml with entity resolution and network access off.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from ..errors import NotAFormError, UnreadableInputError
from ..model import (
    DerivativeHolding,
    DerivativeTransaction,
    Finding,
    Footnote,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    OwnershipDocument,
    Provenance,
    ReportingOwner,
    Signature,
    Value,
)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
_DOC = re.compile(rb"<ownershipDocument\b.*?</ownershipDocument>", re.S)
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")

ROW_FIELDS = {
    "securityTitle": ("security_title", "text"), "conversionOrExercisePrice": ("conversion_or_exercise_price", "num"),
    "transactionDate": ("transaction_date", "date"), "deemedExecutionDate": ("deemed_execution_date", "date"),
    "transactionTimeliness": ("transaction_timeliness", "text"),
    "transactionAmounts/transactionShares": ("transaction_shares", "num"),
    "transactionAmounts/transactionTotalValue": ("transaction_total_value", "num"),
    "transactionAmounts/transactionPricePerShare": ("transaction_price_per_share", "num"),
    "transactionAmounts/transactionAcquiredDisposedCode": ("transaction_acquired_disposed_code", "text"),
    "exerciseDate": ("exercise_date", "date"), "expirationDate": ("expiration_date", "date"),
    "underlyingSecurity/underlyingSecurityTitle": ("underlying_security_title", "text"),
    "underlyingSecurity/underlyingSecurityShares": ("underlying_security_shares", "num"),
    "underlyingSecurity/underlyingSecurityValue": ("underlying_security_value", "num"),
    "postTransactionAmounts/sharesOwnedFollowingTransaction": ("shares_owned_following_transaction", "num"),
    "postTransactionAmounts/valueOwnedFollowingTransaction": ("value_owned_following_transaction", "num"),
    "ownershipNature/directOrIndirectOwnership": ("direct_or_indirect_ownership", "text"),
    "ownershipNature/natureOfOwnership": ("nature_of_ownership", "text"),
}
ROW_CLASSES = {"nonDerivativeTransaction": NonDerivativeTransaction, "nonDerivativeHolding": NonDerivativeHolding,
               "derivativeTransaction": DerivativeTransaction, "derivativeHolding": DerivativeHolding}


def _convert(kind: str, raw: str):
    raw = raw.strip()
    if not raw:
        return None
    if kind == "num":
        try:
            number = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None  # "NaN", "Infinity": no amount a form states
    if kind == "date":
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            return None
    if kind == "bool":
        return raw.lower() in ("1", "true")
    return raw


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def value(self, el, kind: str, path: str, noted: bool) -> Value | None:
        if el is None:
            return None
        raw = el.findtext("value") if noted else el.text
        notes = [f.get("id", "").strip().upper() for f in el.findall("footnoteId")] if noted else []
        value = _convert(kind, raw or "")
        if value is None and not notes:
            return None
        return Value(value=value, footnote_ids=notes,
                     provenance=Provenance(reader="xml", locator=path, text=(raw or "").strip() or None))

    def plain(self, root, path: str, kind: str = "text") -> Value | None:
        return self.value(root.find(path), kind, path, noted=False)


def read_ownership_xml(data: bytes, name: str) -> OwnershipDocument:
    found = _DOC.search(data)
    if found is None:
        raise NotAFormError("no ownershipDocument element", name)
    repaired: list[str] = []
    try:
        root = etree.fromstring(found.group(0), _PARSER)
    except etree.XMLSyntaxError as exc:
        root, repaired = _repaired(found.group(0))
        if root is None:
            raise UnreadableInputError(f"invalid ownershipDocument XML ({exc.msg})", name) from None
    for el in root.iter():  # drop namespaces so paths stay simple
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    r = _Reader(name)
    doc_type = r.plain(root, "documentType")
    if doc_type is None:
        raise NotAFormError("ownershipDocument without documentType", name)
    doc = OwnershipDocument(document_type=doc_type, source=name, reader="xml", layout="xml",
                            schema_version=root.findtext("schemaVersion"))
    for field, path, kind in (("period_of_report", "periodOfReport", "date"),
                              ("date_of_original_submission", "dateOfOriginalSubmission", "date"),
                              ("no_securities_owned", "noSecuritiesOwned", "bool"),
                              ("not_subject_to_section16", "notSubjectToSection16", "bool"),
                              ("form3_holdings_reported", "form3HoldingsReported", "bool"),
                              ("form4_transactions_reported", "form4TransactionsReported", "bool"),
                              ("aff10b5_one", "aff10b5One", "bool")):
        setattr(doc, field, r.plain(root, path, kind))
    for field in ("issuerCik", "issuerName", "issuerTradingSymbol", "issuerForeignTradingSymbol"):
        setattr(doc.issuer, _CAMEL.sub("_", field).lower(), r.plain(root, f"issuer/{field}"))
    for n, el in enumerate(root.findall("reportingOwner")):
        owner = ReportingOwner()
        base = f"reportingOwner[{n + 1}]"
        for field, path, kind in (
                ("rpt_owner_cik", "reportingOwnerId/rptOwnerCik", "text"),
                ("rpt_owner_name", "reportingOwnerId/rptOwnerName", "text"),
                ("rpt_owner_street1", "reportingOwnerAddress/rptOwnerStreet1", "text"),
                ("rpt_owner_street2", "reportingOwnerAddress/rptOwnerStreet2", "text"),
                ("rpt_owner_city", "reportingOwnerAddress/rptOwnerCity", "text"),
                ("rpt_owner_state", "reportingOwnerAddress/rptOwnerState", "text"),
                ("rpt_owner_zip_code", "reportingOwnerAddress/rptOwnerZipCode", "text"),
                ("rpt_owner_country", "reportingOwnerAddress/rptOwnerCountry", "text"),
                ("is_director", "reportingOwnerRelationship/isDirector", "bool"),
                ("is_officer", "reportingOwnerRelationship/isOfficer", "bool"),
                ("is_ten_percent_owner", "reportingOwnerRelationship/isTenPercentOwner", "bool"),
                ("is_other", "reportingOwnerRelationship/isOther", "bool"),
                ("officer_title", "reportingOwnerRelationship/officerTitle", "text"),
                ("other_text", "reportingOwnerRelationship/otherText", "text")):
            setattr(owner, field, r.value(el.find(path), kind, f"{base}/{path}", noted=False))
        doc.reporting_owners.append(owner)
    targets = {"nonDerivativeTransaction": doc.non_derivative_transactions,
               "nonDerivativeHolding": doc.non_derivative_holdings,
               "derivativeTransaction": doc.derivative_transactions, "derivativeHolding": doc.derivative_holdings}
    for table in ("nonDerivativeTable", "derivativeTable"):
        counts: dict[str, int] = {}
        for el in root.findall(f"{table}/*"):
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag not in ROW_CLASSES:
                continue
            counts[tag] = counts.get(tag, 0) + 1
            base = f"{table}/{tag}[{counts[tag]}]"
            fields: dict = {"row": counts[tag]}
            for path, (field, kind) in ROW_FIELDS.items():
                value = r.value(el.find(path), kind, f"{base}/{path}", noted=True)
                if value is not None:
                    fields[field] = value
            coding = el.find("transactionCoding")
            if coding is not None:
                fields["transaction_form_type"] = r.plain(coding, "transactionFormType")
                code = r.value(coding.find("transactionCode"), "text", f"{base}/transactionCoding", noted=False)
                notes = [f.get("id", "").upper() for f in coding.findall("footnoteId")]
                if code is not None or notes:
                    fields["transaction_code"] = Value(
                        value=code.value if code else None, footnote_ids=notes,
                        provenance=Provenance(reader="xml", locator=f"{base}/transactionCoding"))
                fields["equity_swap_involved"] = r.plain(coding, "equitySwapInvolved", "bool")
            cls = ROW_CLASSES[tag]
            targets[tag].append(cls(**{k: v for k, v in fields.items() if k in cls.model_fields and v is not None}))
    for el in root.findall("footnotes/footnote"):
        text = " ".join("".join(el.itertext()).split())
        doc.footnotes.append(Footnote(id=el.get("id", "").strip().upper(), text=text,
                                      provenance=Provenance(reader="xml", locator=f"footnotes/{el.get('id')}")))
    doc.remarks = r.plain(root, "remarks")
    for n, el in enumerate(root.findall("ownerSignature")):
        doc.owner_signatures.append(Signature(
            signature_name=r.plain(el, "signatureName"), signature_date=r.plain(el, "signatureDate", "date")))
    if repaired:
        doc.findings.append(Finding(
            rule="R10", severity="info", fields=[],
            message=f"the ownershipDocument XML was ill-formed as disseminated and was repaired: {len(repaired)} tag "
                    f"name(s) broken by a line end joined again ({', '.join(repaired[:3])})"))
    return doc


# a tag name a line end cut in two ("</rptOwnerNa" / "me>"), as some disseminated submissions have it
_BROKEN_TAG = re.compile(rb"<(/?)([A-Za-z][\w.-]*)[ \t]*\r?\n[ \t]*([\w.-]+)(\s*/?>)")


def _repaired(xml: bytes):
    """XML parsed after joining tag names a line end broke, when each joined name is one the
    document opens or closes whole elsewhere (so the repair is unambiguous), and the names joined;
    (None, []) when that does not make it well-formed."""
    whole = set(re.findall(rb"</?([A-Za-z][\w.-]*)[\s/>]", _BROKEN_TAG.sub(b"", xml)))
    joined: list[str] = []

    def join(m: re.Match) -> bytes:
        name = m.group(2) + m.group(3)
        if name not in whole:
            return m.group(0)
        joined.append(f"<{m.group(1).decode()}{name.decode()}>")
        return b"<" + m.group(1) + name + m.group(4)

    fixed = _BROKEN_TAG.sub(join, xml)
    if not joined:
        return None, []
    try:
        return etree.fromstring(fixed, _PARSER), joined
    except etree.XMLSyntaxError:
        return None, []
