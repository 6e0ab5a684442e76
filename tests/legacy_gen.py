"""Type a Form 4 the way filers did before 2003 (era B, "Statement for Month/Day/Year"), from a
document model: an EDGAR submission with the boxes as text and both tables as ASCII, in either
table style seen in real filings: ``pipes`` (``|``-ruled cells, headers hyphenated down the
column, long titles wrapped mid-word onto a continuation line) or ``columns`` (whitespace
aligned under ``<S>``/``<C>`` markers, titles wrapped at a space). Table II is typed in two
``<CAPTION>`` blocks (columns 1-6, then 7-11), as real filers split it.
"""
from __future__ import annotations

import textwrap
from decimal import Decimal

from extractor.model import OwnershipDocument, Value

# (top label, widths of its cells, fields, sub-labels or None)
T1 = [("1. Title of Security (Instr.3)", [22], ("security_title",), None),
      ("2. Trans- action Date (Mo/Dy/Yr)", [11], ("transaction_date",), None),
      ("2A. Deemed Execution Date, if any", [11], ("deemed_execution_date",), None),
      ("3. Trans- action Code (Instr.8)", [5, 3], ("transaction_code", "transaction_timeliness"), ["Code", "V"]),
      ("4. Securities Acquired (A) or Disposed of (D) (Instr.3,4 and 5)", [13, 6, 11],
       ("transaction_shares", "transaction_acquired_disposed_code", "transaction_price_per_share"),
       ["Amount", "(A) or (D)", "Price"]),
      ("5. Amount of Securities Beneficially Owned Following Reported Transaction(s) (Instr.3 and 4)", [20],
       ("shares_owned_following_transaction",), None),
      ("6. Owner- ship Form: Direct (D) or Indirect (I) (Instr.4)", [10], ("direct_or_indirect_ownership",), None),
      ("7. Nature of Indirect Beneficial Ownership (Instr.4)", [18], ("nature_of_ownership",), None)]
T2A = [("1. Title of Derivative Security (Instr.3)", [22], ("security_title",), None),
       ("2. Conver- sion or Exercise Price of Deriv- ative Security", [12], ("conversion_or_exercise_price",), None),
       ("3. Trans- action Date (Mo/Dy/Yr)", [11], ("transaction_date",), None),
       ("3A. Deemed Execution Date, if any (Mo/Dy/Yr)", [11], ("deemed_execution_date",), None),
       ("4. Trans- action Code (Instr.8)", [5, 3], ("transaction_code", "transaction_timeliness"), ["Code", "V"]),
       ("5. Number of Derivative Securities Acquired (A) or Disposed of (D) (Instr.3,4 and 5)", [12, 12],
        ("@A", "@D"), ["(A)", "(D)"]),
       ("6. Date Exercisable and Expiration Date (Month/Day/Year)", [12, 12], ("exercise_date", "expiration_date"),
        ["Date Exer- cisable", "Expira- tion Date"])]
T2B = [("7. Title and Amount of Underlying Securities (Instr.3 and 4)", [20, 14],
        ("underlying_security_title", "underlying_security_shares"), ["Title", "Amount or Number of Shares"]),
       ("8. Price of Deriv- ative Security (Instr.5)", [12], ("transaction_price_per_share",), None),
       ("9. Number of Deriv- ative Securities Beneficially Owned Following Reported Transaction(s) (Instr.4)",
        [20], ("shares_owned_following_transaction",), None),
       ("10. Ownership Form of Derivative Security: Direct (D) or Indirect (I) (Instr.4)", [14],
        ("direct_or_indirect_ownership",), None),
       ("11. Nature of Indirect Beneficial Ownership (Instr.4)", [18], ("nature_of_ownership",), None)]


def _fmt(value: Value | None, field: str, row) -> str:
    if field == "transaction_timeliness":
        form = getattr(row, "transaction_form_type", None)
        return "V" if form is not None and form.value == "5" else ""
    if value is None:
        return ""
    v = value.value
    if v is None:
        text = ""
    elif hasattr(v, "strftime"):
        text = f"{v.month}/{v.day}/{v.year}"
    elif isinstance(v, Decimal) and field in ("transaction_price_per_share", "conversion_or_exercise_price"):
        text = f"${v:,}"
    elif isinstance(v, Decimal):
        text = f"{v:,}"
    else:
        text = str(v)
    marks = " ".join(f"({f[1:]})" for f in value.footnote_ids)
    return f"{text} {marks}".strip()


def _cells(spec, row) -> list[str]:
    out = []
    for _label, _widths, fields, _subs in spec:
        for field in fields:
            if field.startswith("@"):
                ad = row.transaction_acquired_disposed_code
                shares = _fmt(row.transaction_shares, "transaction_shares", row)
                out.append(shares if ad is not None and ad.value == field[1] else "")
            else:
                out.append(_fmt(getattr(row, field, None), field, row))
    return out


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def _line(parts: list[tuple[str, int]], style: str) -> str:
    """Cells of the given widths, each followed by a rule ("|") or a space."""
    sep = "|" if style == "pipes" else " "
    return "".join(text[:width].ljust(width) + sep for text, width in parts).rstrip()


def _header(spec, style: str) -> list[str]:
    tops = [_wrap(label, sum(widths) + len(widths) - 2) for label, widths, _f, _s in spec]
    height = max(len(t) for t in tops)
    lines = []
    for k in range(height):
        lines.append(_line([((t[k] if k < len(t) else ""), sum(w) + len(w) - 1)
                            for t, (_l, w, _f, _s) in zip(tops, spec)], style))
    subs = [[_wrap(sub, width - 1) for sub, width in zip(s, w)] if s else None for _l, w, _f, s in spec]
    depth = max((len(x) for sub in subs if sub for x in sub), default=0)
    for k in range(depth):
        parts = []
        for sub, (_l, widths, _f, _s) in zip(subs, spec):
            if sub is None:
                parts.append(("", widths[0]))
            else:
                parts += [((x[k] if k < len(x) else ""), w) for x, w in zip(sub, widths)]
        lines.append(_line(parts, style))
    return lines


def _rows(rows, spec, style: str) -> list[str]:
    widths = [w for _l, ws, _f, _s in spec for w in ws]
    lines = []
    for row in rows:
        cells = _cells(spec, row)
        title = cells[0]
        if style == "pipes":  # a title longer than its cell wraps mid-word, as real filers' did
            chunks = [title[i:i + widths[0]] for i in range(0, max(len(title), 1), widths[0])]
        else:
            chunks = _wrap(title, widths[0] - 1) or [""]
        lines.append(_line([(chunks[0], widths[0])] + list(zip(cells[1:], widths[1:])), style))
        for chunk in chunks[1:]:
            lines.append(_line([(chunk, widths[0])] + [("", w) for w in widths[1:]], style))
    return lines


def _markers(spec) -> str:
    widths = [w for _l, ws, _f, _s in spec for w in ws]
    return "".join(("<S>" if k == 0 else "<C>").ljust(w + 1) for k, w in enumerate(widths)).rstrip()


def _table(title: str, blocks: list[tuple[list, list]], style: str) -> list[str]:
    lines = ["<TABLE>", "=" * 100, title, "=" * 100]
    for spec, rows in blocks:
        rule = "+" + "-" * 120 if style == "pipes" else "-" * 120
        lines += ["<CAPTION>"] + _header(spec, style) + [rule, _markers(spec)]
        lines += _rows(rows, spec, style) + ["-" * 120, ""]
    lines.append("</TABLE>")
    return lines


def _box(flag) -> str:
    return "( X )" if flag is not None and flag.value else "(   )"


def type_filing(doc: OwnershipDocument, style: str = "pipes") -> str:
    owner = doc.reporting_owners[0]
    period = doc.period_of_report.value
    lines = ["<DOCUMENT>", "<TYPE>4", "<SEQUENCE>1", "<TEXT>", "FORM 4", "",
             "                  STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP", "",
             "( ) Check this box if no longer subject to Section 16. Form 4 or Form 5 obligations may continue.", "",
             "1.  Name (Last, First Middle) and Address of Reporting Person*", "",
             f"        {owner.rpt_owner_name.value}"]
    for part in (owner.rpt_owner_street1, owner.rpt_owner_street2):
        if part is not None and part.value:
            lines.append(f"        {part.value}")
    if owner.rpt_owner_city is not None:
        lines.append(f"        {owner.rpt_owner_city.value}, {owner.rpt_owner_state.value} {owner.rpt_owner_zip_code.value}")
    ticker = doc.issuer.issuer_trading_symbol.value if doc.issuer.issuer_trading_symbol else ""
    lines += ["", "2.  Issuer Name and Ticker or Trading Symbol", "",
              f"        {doc.issuer.issuer_name.value} ({ticker})", "",
              "3.  IRS Identification Number of Reporting Person, if an entity (Voluntary)", "",
              "4.  Statement for Month/Day/Year", "", f"        {period.strftime('%B')} {period.day}, {period.year}", "",
              "5.  If Amendment, Date of Original (Month/Day/Year)", "",
              "6.  Relationship of Reporting Person(s) to Issuer (Check all applicable)", "",
              f"        {_box(owner.is_director)} Director                   {_box(owner.is_ten_percent_owner)} 10% Owner",
              f"        {_box(owner.is_officer)} Officer (give title below) {_box(owner.is_other)} Other (specify below)"]
    title = (owner.officer_title or owner.other_text)
    if title is not None and title.value:
        lines.append(f"             {title.value}")
    lines += ["", "7.  Individual or Joint/Group Filing (Check Applicable Line)",
              "        ( X ) Form filed by One Reporting Person",
              "        (   ) Form filed by More than One Reporting Person", ""]
    lines += _table("Table I - - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned",
                    [(T1, doc.non_derivative_transactions)], style)
    lines += ["", "FORM 4 (Continued)", ""]
    lines += _table("TABLE II - - Derivative Securities Acquired, Disposed of, or Beneficially Owned",
                    [(T2A, doc.derivative_transactions), (T2B, doc.derivative_transactions)], style)
    lines += ["Explanation of Responses:", ""]
    for note in doc.footnotes:
        lines += [f"({note.id[1:]}) {line}" if k == 0 else f"    {line}"
                  for k, line in enumerate(_wrap(" ".join(note.text.split()), 100))]
    sig = doc.owner_signatures[0]
    day = sig.signature_date.value
    name = sig.signature_name.value
    lines += ["", f"{name:<48}    {day.strftime('%B')} {day.day}, {day.year}",
              "___________________________________             ________________________________",
              "**Signature of Reporting Person" + " " * (21 + max(0, len(name) - 48)) + "Date", "", "</TEXT>",
              "</DOCUMENT>"]
    return "\n".join(lines) + "\n"


def _html_table(title: str, specs: list[list], rows) -> list[str]:
    """One HTML table: numbered labels (colspan over their sub-columns), sub-labels, rows."""
    out = [f"<p><b>{title}</b></p>", "<table border=1>"]
    spec = [col for part in specs for col in part]
    out.append("<tr>" + "".join(f'<td colspan="{len(w)}">{label}</td>' for label, w, _f, _s in spec) + "</tr>")
    out.append("<tr>" + "".join("".join(f"<td>{s}</td>" for s in subs) if subs else "<td></td>"
                                for _l, _w, _f, subs in spec) + "</tr>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in _cells(spec, row)) + "</tr>")
    return out + ["</table>"]


def type_html_filing(doc: OwnershipDocument) -> str:
    """The same filing as a filer-made HTML page (2001-2003 style) inside a submission."""
    owner = doc.reporting_owners[0]
    period, sig = doc.period_of_report.value, doc.owner_signatures[0]
    ticker = doc.issuer.issuer_trading_symbol.value if doc.issuer.issuer_trading_symbol else ""
    address = [p.value for p in (owner.rpt_owner_street1, owner.rpt_owner_street2) if p is not None and p.value]
    if owner.rpt_owner_city is not None:
        address.append(f"{owner.rpt_owner_city.value}, {owner.rpt_owner_state.value} {owner.rpt_owner_zip_code.value}")
    mark = lambda flag: "[X]" if flag is not None and flag.value else "[ ]"  # noqa: E731
    lines = ["<DOCUMENT>", "<TYPE>4", "<TEXT>", "<HTML><BODY>", "<p>FORM 4</p>",
             "<p>STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP</p>",
             "<p>[ ] Check this box if no longer subject to Section 16.</p>",
             "<p>1. Name (Last, First Middle) and Address of Reporting Person*</p>",
             f"<p>{owner.rpt_owner_name.value}<br>" + "<br>".join(address) + "</p>",
             "<p>2. Issuer Name and Ticker or Trading Symbol</p>",
             f"<p>{doc.issuer.issuer_name.value} ({ticker})</p>",
             "<p>3. IRS Identification Number of Reporting Person, if an entity (Voluntary)</p>",
             "<p>4. Statement for Month/Day/Year</p>", f"<p>{period.strftime('%B')} {period.day}, {period.year}</p>",
             "<p>5. If Amendment, Date of Original (Month/Day/Year)</p>",
             "<p>6. Relationship of Reporting Person(s) to Issuer (Check all applicable)</p>",
             f"<p>{mark(owner.is_director)} Director {mark(owner.is_ten_percent_owner)} 10% Owner "
             f"{mark(owner.is_officer)} Officer (give title below) {mark(owner.is_other)} Other (specify below)</p>"]
    title = owner.officer_title or owner.other_text
    if title is not None and title.value:
        lines.append(f"<p>{title.value}</p>")
    lines += ["<p>7. Individual or Joint/Group Filing (Check Applicable Line)</p>",
              "<p>[X] Form filed by One Reporting Person</p>"]
    lines += _html_table("Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned", [T1],
                         doc.non_derivative_transactions)
    lines += _html_table("Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned",
                         [T2A, T2B], doc.derivative_transactions)
    lines += ["<p>Explanation of Responses:</p>"]
    lines += [f"<p>({note.id[1:]}) {' '.join(note.text.split())}</p>" for note in doc.footnotes]
    day = sig.signature_date.value
    lines += [f"<p>{sig.signature_name.value}</p>", f"<p>{day.strftime('%B')} {day.day}, {day.year}</p>",
              "<p>**Signature of Reporting Person</p>", "<p>Date</p>", "</BODY></HTML>", "</TEXT>", "</DOCUMENT>"]
    return "\n".join(lines) + "\n"
