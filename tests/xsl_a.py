"""Render an ownershipDocument XML the way EDGAR's older stylesheet (XSL-A, "SEC 1474 (9-02)")
laid it out, for tests: the corpus has no such page. Follows that stylesheet's structure as
SPEC-form345.md §6.2 and the stylesheet itself describe it: header boxes interleaved in one
table (name, "(Last) (First) (Middle)" + "street1, street2", "(Street)" + "city, ST zip"),
"__X__ Director" marks for the first owner only, "_X_ Form filed by ..." lines, a checkbox input
for the exit box, footnote marks as <a href="#F1"><sup>(1)</sup></a>, "$" before prices, a
"Reporting Owners" table, a "Signatures" section, then "Explanation of Responses:" with "(1)" cells
and the remarks. Numbers use the stylesheet's '###,##0.####' format.
"""
from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

TITLES = {"3": "INITIAL STATEMENT OF BENEFICIAL OWNERSHIP OF SECURITIES",
          "4": "STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP OF SECURITIES",
          "5": "ANNUAL STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP OF SECURITIES"}


def _t(el, path: str) -> str:
    found = el.find(path) if el is not None else None
    return (found.text or "").strip() if found is not None and found.text else ""


def _flag(el, path: str) -> bool:
    return _t(el, path).lower() in ("1", "true")


def _date(text: str) -> str:
    return f"{text[5:7]}/{text[8:10]}/{text[:4]}" if len(text) >= 10 else ""


def _num(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return html.escape(text)
    value = value.quantize(Decimal("0.0001")).normalize()
    whole, _, frac = f"{value:f}".partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def _cell(el, path: str, kind: str = "text", money: bool = False) -> str:
    node = el.find(path)
    if node is None:
        return "<td>&#160;</td>"
    value = _t(node, "value")
    shown = _date(value) if kind == "date" else _num(value) if kind == "number" and value else html.escape(value)
    if money and value:
        shown = "$" + shown
    marks = "".join(f'<a href="#{f.get("id")}"><sup>({f.get("id")[1:]})</sup></a>' for f in node.findall("footnoteId"))
    return f"<td>{shown or '&#160;'}{marks}</td>"


def _coding(row, form: str = "4") -> str:
    coding = row.find("transactionCoding")
    blank = "<td>&#160;</td>" if form == "5" else "<td>&#160;</td><td>&#160;</td>"
    if coding is None:
        return blank
    code = _t(coding, "transactionCode") + ("/K" if _flag(coding, "equitySwapInvolved") else "")
    marks = "".join(f'<a href="#{f.get("id")}"><sup>({f.get("id")[1:]})</sup></a>'
                    for f in coding.findall("footnoteId"))
    v = "V" if _t(coding, "transactionFormType") == "5" else "&#160;"
    if form == "5":  # Form 5 has no V sub-column
        return f"<td>{code}{marks}</td>"
    return f"<td>{code}{marks}</td><td>{v}</td>"


def _post(row) -> str:
    if row.find("postTransactionAmounts/valueOwnedFollowingTransaction") is not None:
        return _cell(row, "postTransactionAmounts/valueOwnedFollowingTransaction", "number", money=True)
    return _cell(row, "postTransactionAmounts/sharesOwnedFollowingTransaction", "number")


def _table1(doc, form: str) -> str:
    rows = []
    for row in doc.findall("nonDerivativeTable/*"):
        cells = [_cell(row, "securityTitle")]
        if form != "3":
            cells += [_cell(row, "transactionDate", "date"),
                      _cell(row, "deemedExecutionDate", "date"), _coding(row, form),
                      _cell(row, "transactionAmounts/transactionShares", "number"),
                      _cell(row, "transactionAmounts/transactionAcquiredDisposedCode"),
                      _cell(row, "transactionAmounts/transactionPricePerShare", "number", money=True)]
        cells += [_post(row), _cell(row, "ownershipNature/directOrIndirectOwnership"),
                  _cell(row, "ownershipNature/natureOfOwnership")]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if form == "3":
        head = ("<tr><td>1.Title of Security<br/>(Instr. 4)</td><td>2. Amount of Securities Beneficially Owned"
                "<br/>(Instr. 4)</td><td>3. Ownership Form: Direct (D) or Indirect (I)<br/>(Instr. 5)</td>"
                "<td>4. Nature of Indirect Beneficial Ownership<br/>(Instr. 5)</td></tr>")
    else:
        head = ('<tr><td rowspan="2">1.Title of Security<br/>(Instr. 3)</td><td rowspan="2">2. Transaction Date '
                '(Month/Day/Year)</td><td rowspan="2">2A. Deemed Execution Date, if any (Month/Day/Year)</td>'
                '<td colspan="2">3. Transaction Code<br/>(Instr. 8)</td><td colspan="3">4. Securities Acquired (A) '
                'or Disposed of (D)<br/>(Instr. 3, 4 and 5)</td><td rowspan="2">5. Amount of Securities '
                'Beneficially Owned Following Reported Transaction(s)<br/>(Instr. 3 and 4)</td><td rowspan="2">6. '
                'Ownership Form: Direct (D) or Indirect (I)<br/>(Instr. 4)</td><td rowspan="2">7. Nature of '
                'Indirect Beneficial Ownership<br/>(Instr. 4)</td></tr><tr><td>Code</td><td>V</td><td>Amount</td>'
                '<td>(A) or (D)</td><td>Price</td></tr>')
    if form == "5":
        head = head.replace('<td colspan="2">3. Transaction Code', '<td rowspan="2">3. Transaction Code')
        head = head.replace("<td>Code</td><td>V</td>", "")
    return "<table>" + head + "".join(rows) + "</table>"


def _under(row) -> str:
    out = _cell(row, "underlyingSecurity/underlyingSecurityTitle")
    if row.find("underlyingSecurity/underlyingSecurityValue") is not None:
        return out + _cell(row, "underlyingSecurity/underlyingSecurityValue", "number", money=True)
    return out + _cell(row, "underlyingSecurity/underlyingSecurityShares", "number")


def _table2(doc, form: str) -> str:
    rows = []
    for row in doc.findall("derivativeTable/*"):
        price = _cell(row, "conversionOrExercisePrice", "number", money=True)
        dates = _cell(row, "exerciseDate", "date") + _cell(row, "expirationDate", "date")
        nature = _cell(row, "ownershipNature/directOrIndirectOwnership") + _cell(row, "ownershipNature/natureOfOwnership")
        if form == "3":
            cells = [_cell(row, "securityTitle"), dates, _under(row), price, nature]
        else:
            code = _t(row, "transactionAmounts/transactionAcquiredDisposedCode/value")
            total = row.find("transactionAmounts/transactionTotalValue") is not None
            path = "transactionAmounts/transactionTotalValue" if total else "transactionAmounts/transactionShares"
            amount = _cell(row, path, "number", money=total) if row.find(path) is not None else "<td>&#160;</td>"
            a, d = (amount, "<td>&#160;</td>") if code == "A" else ("<td>&#160;</td>", amount) if code == "D" \
                else ("<td>&#160;</td>", "<td>&#160;</td>")
            cells = [_cell(row, "securityTitle"), price, _cell(row, "transactionDate", "date"),
                     _cell(row, "deemedExecutionDate", "date"), _coding(row, form), a, d, dates, _under(row),
                     _cell(row, "transactionAmounts/transactionPricePerShare", "number", money=True), _post(row), nature]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if form == "3":
        head = ('<tr><td rowspan="2">1. Title of Derivative Security<br/>(Instr. 4)</td><td colspan="2">2. Date '
                'Exercisable and Expiration Date (Month/Day/Year)</td><td colspan="2">3. Title and Amount of '
                'Securities Underlying Derivative Security<br/>(Instr. 4)</td><td rowspan="2">4. Conversion or '
                'Exercise Price of Derivative Security</td><td rowspan="2">5. Ownership Form of Derivative '
                'Security: Direct (D) or Indirect (I)<br/>(Instr. 5)</td><td rowspan="2">6. Nature of Indirect '
                'Beneficial Ownership<br/>(Instr. 5)</td></tr><tr><td>Date Exercisable</td><td>Expiration Date</td>'
                '<td>Title</td><td>Amount or Number of Shares</td></tr>')
    else:
        head = ('<tr><td rowspan="2">1. Title of Derivative Security<br/>(Instr. 3)</td><td rowspan="2">2. '
                'Conversion or Exercise Price of Derivative Security</td><td rowspan="2">3. Transaction Date '
                '(Month/Day/Year)</td><td rowspan="2">3A. Deemed Execution Date, if any (Month/Day/Year)</td>'
                '<td colspan="2">4. Transaction Code<br/>(Instr. 8)</td><td colspan="2">5. Number of Derivative '
                'Securities Acquired (A) or Disposed of (D)<br/>(Instr. 3, 4, and 5)</td><td colspan="2">6. Date '
                'Exercisable and Expiration Date (Month/Day/Year)</td><td colspan="2">7. Title and Amount of '
                'Underlying Securities<br/>(Instr. 3 and 4)</td><td rowspan="2">8. Price of Derivative Security'
                '<br/>(Instr. 5)</td><td rowspan="2">9. Number of Derivative Securities Beneficially Owned '
                'Following Reported Transaction(s)<br/>(Instr. 4)</td><td rowspan="2">10. Ownership Form of '
                'Derivative Security: Direct (D) or Indirect (I)<br/>(Instr. 4)</td><td rowspan="2">11. Nature of '
                'Indirect Beneficial Ownership<br/>(Instr. 4)</td></tr><tr><td>Code</td><td>V</td><td>(A)</td>'
                '<td>(D)</td><td>Date Exercisable</td><td>Expiration Date</td><td>Title</td><td>Amount or Number '
                'of Shares</td></tr>')
    if form == "5":
        head = head.replace('<td colspan="2">4. Transaction Code', '<td rowspan="2">4. Transaction Code')
        head = head.replace("<td>Code</td><td>V</td>", "")
    title = ("Table II - Derivative Securities Beneficially Owned" if form == "3" else
             "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned")
    return f"<p><b>{title}</b><br/>(e.g., puts, calls, warrants, options, convertible securities)</p>" \
        "<table>" + head + "".join(rows) + "</table>"


def render(xml_text: str) -> str:
    doc = ET.fromstring(xml_text)
    kind = _t(doc, "documentType")
    form = kind[0]
    owners = doc.findall("reportingOwner")
    first = owners[0]
    rel = first.find("reportingOwnerRelationship")
    marks = {k: "__X__" if _flag(rel, k) else "_____" for k in ("isDirector", "isTenPercentOwner", "isOfficer", "isOther")}
    titles = " / ".join(t for t in (_t(rel, "officerTitle"), _t(rel, "otherText")) if t)
    addr = first.find("reportingOwnerAddress")
    street = ", ".join(t for t in (_t(addr, "rptOwnerStreet1"), _t(addr, "rptOwnerStreet2")) if t)
    city = _t(addr, "rptOwnerCity") + (", " if _t(addr, "rptOwnerCity") and _t(addr, "rptOwnerState") else "") + \
        _t(addr, "rptOwnerState") + "&#160;" + _t(addr, "rptOwnerZipCode")
    checked = "checked='true' " if _flag(doc, "notSubjectToSection16") else ""
    exit_box = "" if form == "3" else (
        f'<input type="checkbox" {checked}disabled="true"/>'
        "Check this box if no longer subject to Section 16. Form 4 or Form 5 obligations may continue. See Instruction 1(b).")
    if form == "3":
        date_box, issuer_no, rel_no, amend_no = "2. Date of Event Requiring Statement (Month/Day/Year)", "3", "4", "5"
    elif form == "5":
        date_box, issuer_no, rel_no, amend_no = "3. Statement for Issuer's Fiscal Year Ended (Month/Day/Year)", "2", "5", "4"
    else:
        date_box, issuer_no, rel_no, amend_no = "3. Date of Earliest Transaction (Month/Day/Year)", "2", "5", "4"
    one, more = ("___", "_X_") if len(owners) > 1 else ("_X_", "___")
    issuer = f"{html.escape(_t(doc, 'issuer/issuerName'))} [{html.escape(_t(doc, 'issuer/issuerTradingSymbol'))}]"
    header = f"""<table><tr><td><div>FORM {form}</div>{exit_box}</td><td>UNITED STATES SECURITIES AND EXCHANGE
    COMMISSION<br/>Washington, D.C. 20549<p/><b>{TITLES[form]}</b><p/>Filed pursuant to Section 16(a) of the
    Securities Exchange Act of 1934</td><td>OMB APPROVAL</td></tr></table><font>(Print or Type Responses)</font>
    <table><tr><td><table><tr><td>1. Name and Address of Reporting Person <a href="#*"><sup>*</sup></a></td></tr>
    <tr><td>{html.escape(_t(first, "reportingOwnerId/rptOwnerName"))}</td></tr></table></td>
    <td>{issuer_no}. Issuer Name <b>and</b> Ticker or Trading Symbol<br/>{issuer}</td>
    <td rowspan="2">{rel_no}. Relationship of Reporting Person(s) to Issuer<br/>(Check all applicable)<table>
    <tr><td>{marks["isDirector"]} Director</td><td>{marks["isTenPercentOwner"]} 10% Owner</td></tr>
    <tr><td>{marks["isOfficer"]} Officer (give title below)</td><td>{marks["isOther"]} Other (specify below)</td></tr>
    <tr><td colspan="2">{html.escape(titles)}</td></tr></table></td></tr>
    <tr><td><table><tr><td>(Last)</td><td>(First)</td><td>(Middle)</td></tr></table>{html.escape(street)}</td>
    <td>{date_box}<br/>{_date(_t(doc, "periodOfReport"))}</td></tr>
    <tr><td><table><tr><td>(Street)<br/></td></tr></table>{city}</td>
    <td>{amend_no}. If Amendment, Date Original Filed (Month/Day/Year)<br/>{_date(_t(doc, "dateOfOriginalSubmission"))}</td>
    <td>6. Individual or Joint/Group Filing (Check Applicable Line)<br/>{one} Form filed by One Reporting Person<br/>
    {more} Form filed by More than One Reporting Person</td></tr>
    <tr><td><table><tr><td>(City)</td><td>(State)</td><td>(Zip)</td></tr></table></td>
    <td colspan="3"><b>{"Table I - Non-Derivative Securities Beneficially Owned" if form == "3" else
    "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned"}</b></td></tr></table>"""
    owner_rows = []
    for owner in owners:
        a = owner.find("reportingOwnerAddress")
        r = owner.find("reportingOwnerRelationship")
        lines = [_t(owner, "reportingOwnerId/rptOwnerName"), _t(a, "rptOwnerStreet1"), _t(a, "rptOwnerStreet2")]
        cityline = _t(a, "rptOwnerCity") + (", " if _t(a, "rptOwnerCity") and _t(a, "rptOwnerState") else "") + \
            _t(a, "rptOwnerState") + "&#160;" + _t(a, "rptOwnerZipCode")
        cell0 = "<br/>".join(html.escape(x) for x in lines if x) + "<br/>" + cityline
        owner_rows.append(
            f"<tr><td>{cell0}</td><td>&#160;{'X' if _flag(r, 'isDirector') else ''}</td>"
            f"<td>&#160;{'X' if _flag(r, 'isTenPercentOwner') else ''}</td><td>&#160;{html.escape(_t(r, 'officerTitle'))}</td>"
            f"<td>{html.escape(_t(r, 'otherText')) or '&#160;'}</td></tr>")
    owners_html = ('<h2>Reporting Owners</h2><table><tr><td rowspan="2">Reporting Owner Name / Address</td>'
                   '<td colspan="4">Relationships</td></tr><tr><td>&#160;Director</td><td>&#160;10% Owner</td>'
                   '<td>&#160;Officer</td><td>&#160;Other</td></tr>' + "".join(owner_rows) + "</table>")
    sigs = "".join(f'<tr><td>&#160;{html.escape(_t(s, "signatureName"))}</td><td rowspan="2"></td>'
                   f'<td>&#160;{_date(_t(s, "signatureDate"))}</td></tr><tr><td><sup><a href="#**">**</a></sup>'
                   f'Signature of Reporting Person</td><td>Date<p/></td></tr>' for s in doc.findall("ownerSignature"))
    notes = "".join(f'<tr><td><b>(<a name="#{f.get("id")}"></a>{f.get("id")[1:]})</b></td><td>'
                    f'{html.escape("".join(f.itertext()).strip())}</td></tr>' for f in doc.findall("footnotes/footnote"))
    remarks = _t(doc, "remarks")
    remark_row = f'<tr><td colspan="2">&#160;<br/><b>Remarks:</b><br/>{html.escape(remarks)}</td></tr>' if remarks else ""
    tail = (f"<h2>Signatures</h2><dd/><table>{sigs}</table><h2>Explanation of Responses:</h2><dd/><table>"
            '<tr><td><b><a name="#*">*</a></b></td><td>If the form is filed by more than one reporting person, '
            '<i>see</i> Instruction 4(b)(v).</td></tr><tr><td><b><a name="#**">**</a></b></td><td>Intentional '
            "misstatements or omissions of facts constitute Federal Criminal Violations. <i>See</i> 18 U.S.C. 1001 "
            f"and 15 U.S.C. 78ff(a).</td></tr>{notes}{remark_row}</table><p/><dd/>Note: File three copies of this "
            "Form, one of which must be manually signed. If space is insufficient, <i>see</i> Instruction 6 for "
            "procedure.<p/><dd/>Potential persons who are to respond to the collection of information contained in "
            "this form are not required to respond unless the form displays a currently valid OMB number.")
    body = header + _table1(doc, form) + "<p/><font>SEC 1474 (9-02)</font>" + _table2(doc, form) + owners_html + tail
    return ("<html><head><title> Ownership Submission </title></head><body>" + body + "</body></html>")
