"""Document-level heuristics (SPEC-form345.md §5.2): dates, boxes, form types."""
from __future__ import annotations

import re
from datetime import date, timedelta

from .registry import Context, rule, v
from .rows import rows

TEN_B5_ONE_EDITION = date(2023, 4, 1)


@rule("H5", "warning", "dates: box 3 is the earliest transaction, none after the signature")
def dates(ctx: Context):
    doc = ctx.doc
    tx = [(v(r.get("transaction_date")), r) for r in rows(doc) if r.transaction and v(r.get("transaction_date"))]
    period = v(doc.period_of_report)
    amended = (v(doc.document_type) or "").endswith("/A")
    if ctx.legacy and period:  # a typed form's box 4 is the statement period: transactions fall in it
        monthly = doc.layout.endswith("-a")  # era A: "Statement for Month/Year"
        for day, ref in tx:
            outside = (day.year, day.month) != (period.year, period.month) if monthly else day > period
            if outside:
                yield ctx.finding(f"{ref.label()}: transaction date {day} is outside the statement period {period}",
                                  ["period_of_report", ref.field("transaction_date")], {"date": day, "period": period})
    elif doc.form == "4" and tx and period and not amended:
        earliest, ref = min(tx, key=lambda t: t[0])
        if earliest != period:
            yield ctx.finding(f"box 3 (date of earliest transaction) is {period}, the earliest transaction is "
                              f"{earliest} ({ref.label()})", ["period_of_report", ref.field("transaction_date")],
                              {"box3": period, "earliest": earliest}, earliest)
    signed = [v(s.signature_date) for s in doc.owner_signatures if v(s.signature_date)]
    if signed:
        last_sig = max(signed)
        for day, ref in tx:
            if day > last_sig:
                yield ctx.finding(f"{ref.label()}: transaction date {day} is after the signature date {last_sig}",
                                  [ref.field("transaction_date")], {"date": day, "signed": last_sig})
    for ref in rows(doc):
        day, deemed = v(ref.get("transaction_date")), v(ref.get("deemed_execution_date"))
        if day and deemed and not (day <= deemed <= day + timedelta(days=45)):
            yield ctx.finding(f"{ref.label()}: deemed execution date {deemed} is not shortly after the "
                              f"transaction date {day}", [ref.field("deemed_execution_date")], {"deemed": deemed})


@rule("H6", "warning", "date exercisable is not after the expiration date")
def exercise_window(ctx: Context):
    for ref in rows(ctx.doc):
        start, end = v(ref.get("exercise_date")), v(ref.get("expiration_date"))
        if start and end and start > end:
            yield ctx.finding(f"{ref.label()}: exercisable {start} after expiration {end}",
                              [ref.field("exercise_date"), ref.field("expiration_date")], {"start": start, "end": end})


@rule("H8", "warning", "box 6 agrees with the number of reporting owners")
def joint_box(ctx: Context):
    more = v(ctx.doc.filed_by_more_than_one)
    count = len(ctx.doc.reporting_owners)
    if more is not None and more != (count > 1):
        yield ctx.finding(f"box 6 says {'more than one' if more else 'one'} reporting person, {count} owner(s) "
                          "were read", ["filed_by_more_than_one", "reporting_owners"], {"owners": count})


@rule("H9", "warning", "the 10b5-1 box only exists on the 2023+ editions")
def ten_b5_one(ctx: Context):
    doc = ctx.doc
    period = v(doc.period_of_report)
    if doc.aff10b5_one is not None and period and period < TEN_B5_ONE_EDITION and v(doc.aff10b5_one):
        yield ctx.finding(f"10b5-1 box checked on a filing for {period}, before the box existed", ["aff10b5_one"],
                          {"period": period})


@rule("H12", "warning", "the form type fits the rows")
def form_type(ctx: Context):
    doc = ctx.doc
    if doc.form == "3":
        for ref in rows(doc):
            if ref.transaction:
                yield ctx.finding(f"{ref.label()}: a Form 3 reports holdings only", [ref.path])


def _name_tokens(text: str) -> set[str]:
    return {t for t in re.sub(r"[^a-z0-9 ]", " ", text.lower()).split() if t not in _NAME_NOISE}


_NAME_NOISE = {"inc", "corp", "co", "company", "the", "ltd", "llc", "lp", "de", "corporation"}


@rule("H16", "warning", "the SGML header and the form agree (issuer, owner, period)")
def header_witness(ctx: Context):
    doc, header = ctx.doc, ctx.doc.header
    if not header:
        return
    issuer = header.get("ISSUER COMPANY CONFORMED NAME")
    read = v(doc.issuer.issuer_name)
    if issuer and read and not (_name_tokens(issuer) & _name_tokens(read)):
        yield ctx.finding(f"the header names the issuer {issuer!r}, the form {read!r}", ["issuer.issuer_name"],
                          {"header": issuer, "form": read}, issuer)
    owner = header.get("OWNER COMPANY CONFORMED NAME")
    names = [v(o.rpt_owner_name) for o in doc.reporting_owners if v(o.rpt_owner_name)]
    if owner and names and not any(_name_tokens(owner) <= _name_tokens(n) | {"jr", "sr"} or
                                   len(_name_tokens(owner) & _name_tokens(n)) >= 2 for n in names):
        yield ctx.finding(f"the header names the reporting owner {owner!r}, the form {names[0]!r}",
                          ["reporting_owners[0].rpt_owner_name"], {"header": owner, "form": names[0]}, owner)
    period = header.get("CONFORMED PERIOD OF REPORT")
    day = v(doc.period_of_report)
    if period and day and re.fullmatch(r"\d{8}", period) and period != day.strftime("%Y%m%d"):
        yield ctx.finding(f"the header gives the period {period}, the form {day}", ["period_of_report"],
                          {"header": period, "form": day}, period)
