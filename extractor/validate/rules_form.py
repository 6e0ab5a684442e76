"""Document-level heuristics (SPEC-form345.md §5.2): dates, boxes, form types."""
from __future__ import annotations

from datetime import date, timedelta

from . import Context, rule, v
from .rows import rows

TEN_B5_ONE_EDITION = date(2023, 4, 1)


@rule("H5", "warning", "dates: box 3 is the earliest transaction, none after the signature")
def dates(ctx: Context):
    doc = ctx.doc
    tx = [(v(r.get("transaction_date")), r) for r in rows(doc) if r.transaction and v(r.get("transaction_date"))]
    period = v(doc.period_of_report)
    amended = (v(doc.document_type) or "").endswith("/A")
    if doc.form == "4" and tx and period and not amended:
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
