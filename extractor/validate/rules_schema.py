"""Hard rules S1-S12 (SPEC-form345.md §5.1): what EDGAR itself would have rejected."""
from __future__ import annotations

import re
from datetime import date

from .registry import Context, rule, v
from .rows import number_fields, rows

TRANSACTION_CODES = set("PSADFIMCEHOXGLWZJKU")
_FOOTNOTE_ID = re.compile(r"^F([1-9]\d?)$")


@rule("S1", "error", "numbers are non-negative with at most 4 decimal places")
def numbers(ctx: Context):
    for ref in rows(ctx.doc):
        for name, value in number_fields(ref):
            n = value.value
            if n is None:
                continue
            if n < 0 or -n.as_tuple().exponent > 4:
                yield ctx.finding(f"{ref.label()}: {name.replace('_', ' ')} {n} is negative or has more than "
                                  "4 decimals", [ref.field(name)], {"value": n})


@rule("S2", "error", "codes come from their choice lists")
def choice_lists(ctx: Context):
    checks = [("transaction_acquired_disposed_code", {"A", "D"}), ("direct_or_indirect_ownership", {"D", "I"}),
              ("transaction_code", TRANSACTION_CODES), ("transaction_timeliness", {"E", "L"})]
    for ref in rows(ctx.doc):
        for name, allowed in checks:
            value = v(ref.get(name))
            if value is not None and value not in allowed:
                yield ctx.finding(f"{ref.label()}: {name.replace('_', ' ')} {value!r} is not one of "
                                  f"{', '.join(sorted(allowed))}", [ref.field(name)], {"value": value})
        form_type = v(ref.get("transaction_form_type"))
        if ref.transaction and ctx.doc.form == "4" and form_type not in (None, "4", "5"):
            yield ctx.finding(f"{ref.label()}: transaction form type {form_type!r} on a Form 4",
                              [ref.field("transaction_form_type")], {"value": form_type})


@rule("S3", "error", "indirect ownership has a nature; direct has none")
def ownership_nature(ctx: Context):
    for ref in rows(ctx.doc):
        form, nature = v(ref.get("direct_or_indirect_ownership")), ref.get("nature_of_ownership")
        has_nature = nature is not None and (nature.value or nature.footnote_ids)
        if form == "I" and not has_nature:
            yield ctx.finding(f"{ref.label()}: indirect ownership (I) without its nature (column 7/11)",
                              [ref.field("nature_of_ownership"), ref.field("direct_or_indirect_ownership")],
                              {"ownership": form})
        elif form == "D" and nature is not None and nature.value:
            yield ctx.finding(f"{ref.label()}: direct ownership (D) with a nature of indirect ownership "
                              f"{nature.value!r}", [ref.field("direct_or_indirect_ownership"),
                                                    ref.field("nature_of_ownership")],
                              {"ownership": form, "nature": nature.value})


@rule("S4", "error", "relationship boxes, officer title and other text")
def relationship(ctx: Context):
    for i, owner in enumerate(ctx.doc.reporting_owners):
        base = f"reporting_owners[{i}]"
        flags = {n: v(getattr(owner, n)) for n in ("is_director", "is_officer", "is_ten_percent_owner", "is_other")}
        if all(f is None for f in flags.values()):
            continue  # relationship not shown for this owner
        if not any(flags.values()):
            yield ctx.finding(f"owner {i + 1}: no relationship box is checked", [f"{base}.{n}" for n in flags])
        for flag_name, text_name, what in (("is_officer", "officer_title", "officer title"),
                                           ("is_other", "other_text", "other text")):
            text = v(getattr(owner, text_name))
            if flags[flag_name] and not text:
                yield ctx.finding(f"owner {i + 1}: {flag_name[3:]} is checked but no {what} is given",
                                  [f"{base}.{text_name}", f"{base}.{flag_name}"])
            if text and flags[flag_name] is False:
                yield ctx.finding(f"owner {i + 1}: {what} {text!r} is given but the box is not checked",
                                  [f"{base}.{flag_name}", f"{base}.{text_name}"], {what: text})
            if text and len(text) > 30:
                yield ctx.finding(f"owner {i + 1}: {what} is {len(text)} characters (at most 30)",
                                  [f"{base}.{text_name}"], {what: text}, severity="warning")


@rule("S5", "error", "exactly one of shares or value")
def shares_or_value(ctx: Context):
    pairs = [("transaction_shares", "transaction_total_value"),
             ("underlying_security_shares", "underlying_security_value"),
             ("shares_owned_following_transaction", "value_owned_following_transaction")]
    for ref in rows(ctx.doc):
        for shares, value in pairs:
            a, b = ref.get(shares), ref.get(value)
            if a is not None and b is not None:
                yield ctx.finding(f"{ref.label()}: both {shares.replace('_', ' ')} and {value.replace('_', ' ')}",
                                  [ref.field(shares), ref.field(value)])
        needs_post = ref.transaction or ctx.doc.form != "3" or ref.derivative is False
        if needs_post and ref.get("shares_owned_following_transaction") is None and \
                ref.get("value_owned_following_transaction") is None:
            yield ctx.finding(f"{ref.label()}: no amount owned following the transaction(s)",
                              [ref.field("shares_owned_following_transaction")])
        if ref.derivative and ref.transaction and ref.get("transaction_shares") is None and \
                ref.get("transaction_total_value") is None:
            yield ctx.finding(f"{ref.label()}: no number of derivative securities in (A) or (D)",
                              [ref.field("transaction_shares")])


@rule("S6", "error", "a value or at least one footnote where the schema requires it")
def value_or_footnote(ctx: Context):
    for ref in rows(ctx.doc):
        names = []
        if ref.transaction and ref.table == "I":
            names = ["transaction_price_per_share"]
        elif ref.derivative:
            names = ["conversion_or_exercise_price", "exercise_date", "expiration_date"]
            if ref.transaction:
                names.append("transaction_price_per_share")
            if ref.get("underlying_security_value") is None:
                names.append("underlying_security_shares")
        for name in names:
            value = ref.get(name)
            if value is None or (value.value is None and not value.footnote_ids):
                yield ctx.finding(f"{ref.label()}: {name.replace('_', ' ')} is empty and cites no footnote",
                                  [ref.field(name)])


@rule("S7", "error", "footnote references resolve and every footnote is cited")
def footnotes(ctx: Context):
    doc = ctx.doc
    listed: dict[str, int] = {}
    for i, note in enumerate(doc.footnotes):
        if not _FOOTNOTE_ID.match(note.id):
            yield ctx.finding(f"footnote id {note.id!r} is not F1-F99", [f"footnotes[{i}]"])
        if note.id in listed:
            yield ctx.finding(f"footnote {note.id} is listed twice", [f"footnotes[{i}]"])
        listed[note.id] = i
    cited: dict[str, list[str]] = {}
    for ref in rows(doc):
        for name in type(ref.row).model_fields:
            value = ref.get(name)
            if not hasattr(value, "footnote_ids"):
                continue
            if len(set(value.footnote_ids)) != len(value.footnote_ids):
                yield ctx.finding(f"{ref.label()}: {name.replace('_', ' ')} cites a footnote twice",
                                  [ref.field(name)])
            for fid in value.footnote_ids:
                cited.setdefault(fid, []).append(ref.field(name))
    for fid, fields in cited.items():
        if fid not in listed:
            yield ctx.finding(f"({fid[1:]}) is cited but there is no footnote {fid}", fields, {"footnote": fid})
    for fid, i in listed.items():
        if fid not in cited:
            yield ctx.finding(f"footnote {fid} is never cited (a mark may have been lost or misread)",
                              [f"footnotes[{i}]"], {"footnote": fid})


@rule("S8", "error", "limits on rows, owners, signatures, footnotes and lengths")
def limits(ctx: Context):
    doc = ctx.doc
    t1 = len(doc.non_derivative_transactions) + len(doc.non_derivative_holdings)
    t2 = len(doc.derivative_transactions) + len(doc.derivative_holdings)
    for count, limit, what in ((t1, 30, "Table I rows"), (t2, 30, "Table II rows"), (t1 + t2, 60, "rows"),
                               (len(doc.reporting_owners), 10, "reporting owners"),
                               (len(doc.owner_signatures), 10, "signatures"), (len(doc.footnotes), 99, "footnotes")):
        if count > limit:
            yield ctx.finding(f"{count} {what} (at most {limit})", [], {"count": count})
    for i, note in enumerate(doc.footnotes):
        if len(note.text) > 1000:
            yield ctx.finding(f"footnote {note.id} is {len(note.text)} characters (at most 1000)",
                              [f"footnotes[{i}]"], severity="warning")
    if doc.remarks is not None and doc.remarks.value and len(doc.remarks.value) > 2000:
        yield ctx.finding("remarks are longer than 2000 characters", ["remarks"], severity="warning")
    for ref in rows(doc):
        for name, limit in (("security_title", 60), ("underlying_security_title", 60), ("nature_of_ownership", 100)):
            text = v(ref.get(name))
            if text and len(text) > limit:
                yield ctx.finding(f"{ref.label()}: {name.replace('_', ' ')} is {len(text)} characters (at most "
                                  f"{limit})", [ref.field(name)], severity="warning")


@rule("S9", "error", "Forms 4 and 5 report a transaction unless the exit box is checked")
def has_transactions(ctx: Context):
    doc = ctx.doc
    if doc.form in ("4", "5") and not doc.non_derivative_transactions and not doc.derivative_transactions \
            and not v(doc.not_subject_to_section16):
        if doc.form == "5" and (doc.non_derivative_holdings or doc.derivative_holdings):
            return
        yield ctx.finding(f"Form {doc.form} with no transaction and the Section 16 exit box not checked",
                          ["not_subject_to_section16"])
    if doc.form == "4":
        for ref in rows(doc):
            if not ref.transaction and v(ref.get("transaction_code")):
                yield ctx.finding(f"{ref.label()}: a Form 4 holding carries a transaction code",
                                  [ref.field("transaction_code")])


@rule("S10", "error", "an amendment (/A) has the original filing date, and only then")
def amendment(ctx: Context):
    doc = ctx.doc
    amended = (v(doc.document_type) or "").endswith("/A")
    if amended != (doc.date_of_original_submission is not None):
        yield ctx.finding(f"document type {v(doc.document_type)} but box 'If Amendment, Date Original Filed' is "
                          f"{'empty' if amended else 'filled'}", ["document_type", "date_of_original_submission"])


@rule("S11", "error", "no reporting owner twice")
def duplicate_owners(ctx: Context):
    seen: dict[str, int] = {}
    for i, owner in enumerate(ctx.doc.reporting_owners):
        cik = v(owner.rpt_owner_cik)
        if cik:
            if cik in seen:
                yield ctx.finding(f"owners {seen[cik] + 1} and {i + 1} have the same CIK {cik}",
                                  [f"reporting_owners[{i}].rpt_owner_cik"])
            seen[cik] = i


@rule("S12", "error", "dates are real dates in a plausible range")
def plausible_dates(ctx: Context):
    from ..paths import iter_values

    for path, value in iter_values(ctx.doc):
        if isinstance(value.value, date) and not (date(1934, 1, 1) <= value.value <= date(2100, 12, 31)):
            yield ctx.finding(f"{path}: date {value.value} is outside 1934-2100", [path], {"date": value.value})
