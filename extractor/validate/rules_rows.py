"""Cross-row heuristics on the tables (SPEC-form345.md §5.2): balances, codes, prices, pairing."""
from __future__ import annotations

import re
from decimal import Decimal

from .registry import Context, rule, v
from .rows import RowRef, number_fields, rows

ACQUIRED = {"P", "L"}
DISPOSED = {"S", "F", "U", "D", "E", "H"}
EXERCISE = {"M", "X", "O", "C"}
_RANGE = re.compile(r"rang\w*\s+from\s+\$?\s*([\d,]+(?:\.\d+)?)\s+to\s+\$?\s*([\d,]+(?:\.\d+)?)", re.I)
_OPTIONS = re.compile(r"\b(option|warrant|right to buy|call|put)s?\b", re.I)


def _norm_title(text: str | None) -> str:
    return " ".join((text or "").lower().replace("(", " ").replace(")", " ").split())


def _with_notes(value) -> tuple:
    return (None, ()) if value is None else (value.value, tuple(value.footnote_ids))


def _places(*values: Decimal) -> int:
    return max(max(0, -n.as_tuple().exponent) for n in values)


@rule("H1", "warning", "running balance per security and ownership form (era A: one month-end balance)")
def running_balance(ctx: Context):
    groups: dict[tuple, RowRef] = {}
    for ref in rows(ctx.doc):
        if not ref.transaction:
            continue
        # Table II: grants of one title are told apart by price and their date/footnote terms
        terms = tuple(_with_notes(ref.get(n)) for n in ("conversion_or_exercise_price", "exercise_date",
                                                         "expiration_date")) if ref.derivative else ()
        key = (ref.table, _norm_title(v(ref.get("security_title"))), v(ref.get("direct_or_indirect_ownership")),
               _norm_title(v(ref.get("nature_of_ownership"))), terms)
        prev = groups.get(key)
        groups[key] = ref
        if prev is None:
            continue
        period_end = "month" if ctx.legacy and ctx.doc.layout.endswith("-a") else \
            "issuer's fiscal year" if ctx.doc.form == "5" else None
        if period_end:
            # the monthly form (era A) and Form 5 state one balance at the end of the month or year,
            # not one per row: every row of a security that shows it must show the same figure
            shown = [x for x in (v(prev.get("shares_owned_following_transaction")),
                                 v(ref.get("shares_owned_following_transaction"))) if x is not None]
            if len(shown) == 2 and shown[0] != shown[1]:
                yield ctx.finding(f"{ref.label()}: the balance at the end of the {period_end} is {shown[1]} here and "
                                  f"{shown[0]} in row {prev.row.row}",
                                  [ref.field("shares_owned_following_transaction"),
                                   prev.field("shares_owned_following_transaction")],
                                  {"this_row": shown[1], "previous": shown[0]})
            continue
        before, after = v(prev.get("shares_owned_following_transaction")), v(ref.get("shares_owned_following_transaction"))
        shares, code = v(ref.get("transaction_shares")), v(ref.get("transaction_acquired_disposed_code"))
        if None in (before, after, shares) or code not in ("A", "D"):
            continue
        expected = before + shares if code == "A" else before - shares
        places = _places(before, after, shares)
        if round(expected, places) != round(after, places):
            # a footnoted balance ("Includes shares acquired under the ESPP ...") is a known exception
            footnoted = bool(ref.get("shares_owned_following_transaction").footnote_ids)
            yield ctx.finding(
                f"{ref.label()}: {before} {'+' if code == 'A' else '-'} {shares} = {expected}, but column "
                f"{'9' if ref.derivative else '5'} says {after} (previous row {prev.row.row})",
                [ref.field("shares_owned_following_transaction"), ref.field("transaction_shares"),
                 ref.field("transaction_acquired_disposed_code"), prev.field("shares_owned_following_transaction")],
                {"previous": before, "shares": shares, "code": code, "following": after}, expected,
                severity="info" if footnoted else None)


@rule("H2", "warning", "transaction code agrees with acquired/disposed")
def code_vs_direction(ctx: Context):
    for ref in rows(ctx.doc):
        code, ad = v(ref.get("transaction_code")), v(ref.get("transaction_acquired_disposed_code"))
        if not code or ad not in ("A", "D"):
            continue
        if code in EXERCISE:
            want = "D" if ref.derivative else "A"
        elif code in ACQUIRED or (code == "A"):
            want = "A"
        elif code in DISPOSED:
            want = "D"
        else:
            continue
        if ad != want:
            yield ctx.finding(f"{ref.label()}: code {code} normally means {want} ({'disposed' if want == 'D' else 'acquired'}), "
                              f"the row says {ad}", [ref.field("transaction_acquired_disposed_code"),
                                                      ref.field("transaction_code")],
                              {"code": code, "acquired_disposed": ad}, want)


@rule("H3", "warning", "open-market purchases and sales have a price")
def price_sanity(ctx: Context):
    for ref in rows(ctx.doc):
        code, price = v(ref.get("transaction_code")), ref.get("transaction_price_per_share")
        if code in ("P", "S") and price is not None and price.value is not None and price.value == 0 \
                and not price.footnote_ids:
            yield ctx.finding(f"{ref.label()}: code {code} at a price of 0", [ref.field("transaction_price_per_share")],
                              {"price": price.value})


@rule("H4", "warning", "a Table II exercise has its Table I counterpart")
def exercise_pairing(ctx: Context):
    table1 = [r for r in rows(ctx.doc) if r.table == "I" and r.transaction]
    for ref in rows(ctx.doc):
        code = v(ref.get("transaction_code"))
        if not (ref.derivative and ref.transaction and code in EXERCISE):
            continue
        if v(ref.get("transaction_acquired_disposed_code")) != "D":
            continue
        day = v(ref.get("transaction_date"))
        mates = [r for r in table1 if v(r.get("transaction_code")) == code and v(r.get("transaction_date")) == day]
        if not mates:
            yield ctx.finding(f"{ref.label()}: exercise/conversion ({code}) on {day} has no Table I row with code "
                              f"{code} on that day", [ref.field("transaction_code"), ref.field("transaction_date")],
                              {"code": code, "date": day})
            continue
        under = v(ref.get("underlying_security_shares"))
        if under is not None and not any(v(m.get("transaction_shares")) == under for m in mates):
            yield ctx.finding(f"{ref.label()}: {under} underlying shares exercised, but no Table I {code} row that day "
                              "has that many shares", [ref.field("underlying_security_shares")] +
                              [m.field("transaction_shares") for m in mates], {"underlying": under}, under)


@rule("H7", "warning", "a weighted-average price lies inside its footnoted range")
def weighted_average(ctx: Context):
    notes = {n.id: n.text for n in ctx.doc.footnotes}
    for ref in rows(ctx.doc):
        price = ref.get("transaction_price_per_share")
        if price is None or price.value is None:
            continue
        for fid in price.footnote_ids:
            m = _RANGE.search(notes.get(fid, ""))
            if not m:
                continue
            low, high = (Decimal(g.replace(",", "")) for g in m.groups())
            if not low <= price.value <= high:
                yield ctx.finding(f"{ref.label()}: price {price.value} is outside the range ${low}-${high} of "
                                  f"footnote {fid}", [ref.field("transaction_price_per_share")],
                                  {"price": price.value, "range": f"{low}-{high}"}, f"{low} to {high}")


@rule("H10", "info", "Table I holds no options; Table II underlyings match Table I titles")
def titles(ctx: Context):
    for ref in rows(ctx.doc):
        title = v(ref.get("security_title"))
        if ref.table == "I" and title and _OPTIONS.search(title) and "stock" not in title.lower():
            yield ctx.finding(f"{ref.label()}: {title!r} looks like a derivative in Table I",
                              [ref.field("security_title")], {"title": title})


@rule("H11", "warning", "a transaction row has its date and code (else it is a mis-segmented holding)")
def segmented_rows(ctx: Context):
    for ref in rows(ctx.doc):
        if not ref.transaction:
            continue
        lacking = [n for n in ("transaction_date", "transaction_code") if v(ref.get(n)) is None]
        if lacking:
            yield ctx.finding(f"{ref.label()}: a transaction row without {' and '.join(n.replace('_', ' ') for n in lacking)}"
                              "; values in columns 2-4 of a holding row, or a row split in two?",
                              [ref.field(n) for n in lacking])


@rule("H13", "warning", "dollar amounts stand in for share counts only where the form allows")
def dollar_amounts(ctx: Context):
    for ref in rows(ctx.doc):
        if ref.table == "I" and ref.get("transaction_total_value") is not None:
            yield ctx.finding(f"{ref.label()}: a dollar transaction value in Table I", [ref.field("transaction_total_value")])


@rule("H14", "warning", "every printed number was read")
def unread_numbers(ctx: Context):
    for ref in rows(ctx.doc):
        for name in type(ref.row).model_fields:
            value = ref.get(name)
            if hasattr(value, "provenance") and value.value is None and not value.footnote_ids \
                    and value.provenance and value.provenance.text:
                yield ctx.finding(f"{ref.label()}: {name.replace('_', ' ')} {value.provenance.text!r} could not be read",
                                  [ref.field(name)], {"text": value.provenance.text})
        for name, value in number_fields(ref):
            text = (value.provenance.text if value.provenance else "") or ""
            digits = text.replace(",", "").split("(")[0].strip(" $")
            if value.value is not None and re.search(r"\d,\d{4}", text):
                yield ctx.finding(f"{ref.label()}: {text!r} has a broken digit group (a footnote mark glued on?)",
                                  [ref.field(name)], {"text": digits})


@rule("H15", "warning", "a footnote mark missing where every other row of the table has one")
def footnote_pattern(ctx: Context):
    by_table: dict[str, list] = {}
    for ref in rows(ctx.doc):
        if ref.transaction:
            by_table.setdefault(ref.table, []).append(ref)
    for refs in by_table.values():
        if len(refs) < 3:
            continue
        for name in ("security_title", "transaction_price_per_share", "transaction_shares", "transaction_code",
                     "shares_owned_following_transaction", "conversion_or_exercise_price", "exercise_date",
                     "expiration_date"):
            cites = [bool(ref.get(name) is not None and ref.get(name).footnote_ids) for ref in refs]
            if cites.count(False) == 1:
                ref = refs[cites.index(False)]
                yield ctx.finding(f"{ref.label()}: {name.replace('_', ' ')} cites no footnote, while every other "
                                  f"row of Table {ref.table} does (a lost mark?)", [ref.field(name)])
