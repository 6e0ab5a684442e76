"""Planted faults for the validator: the misreads renderings really suffer, applied to correct
extractions of corpus filings. A fault counts as caught when a finding that the unmutated
document did not have names (one of) the mutated field(s).

Observable faults: the fault leaves a trace the form itself can show. A lost mark whose footnote is
still cited by another value, in a table without a citation pattern, a swapped A/D on a code of no fixed
direction with no running balance, a dropped box next to another ticked one: these change nothing any
rule can see, and are counted separately ("unobservable") instead of inflating or deflating the rate.

Kinds:
  glued_mark      a footnote mark read into the number ("757,756 (1)" -> 757,7561), mark lost
  dropped_mark    a footnote mark lost from a value
  swapped_ad      acquired/disposed read as the other one
  shifted_column  the last cells of a Table I row shifted one column right
  dropped_check   a ticked relationship box read as empty
  lost_footnote   a footnote's text missing under "Explanation of Responses"
  shifted_date    a transaction date misread a month later
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Callable, Iterator

from extractor.model import OwnershipDocument, Provenance, Value
from extractor.paths import get, iter_values, set_value
from extractor.validate import validate


@dataclass
class Fault:
    kind: str
    fields: list[str]  # where the fault was planted (field paths; a lost mark also names its footnote)
    apply: Callable[[OwnershipDocument], None]
    observable: bool = True  # False: the document keeps no trace of this fault (see module docstring)


def _numbers(doc) -> Iterator[tuple[str, Value]]:
    for path, value in iter_values(doc):
        if isinstance(value.value, Decimal) and "[" in path:
            yield path, value


FIXED_DIRECTION = set("PSADFMXCOULEH")


def _citations(doc) -> dict[str, int]:
    count: dict[str, int] = {}
    for _p, v in iter_values(doc):
        for fid in v.footnote_ids:
            count[fid] = count.get(fid, 0) + 1
    return count


def _pattern(doc, path: str) -> bool:
    """Do all other transaction rows of PATH's table cite a footnote in its column (3+ rows)?"""
    table, _, name = path.partition(".")
    listing = table.split("[")[0]
    if not listing.endswith("transactions"):
        return False
    rows = getattr(doc, listing)
    others = [r for i, r in enumerate(rows) if f"{listing}[{i}]" != table]
    return len(rows) >= 3 and all(getattr(r, name, None) is not None and getattr(r, name).footnote_ids for r in others)


def _note_path(doc, fid: str) -> str:
    return next((f"footnotes[{i}]" for i, n in enumerate(doc.footnotes) if n.id == fid), "footnotes")


def faults(doc: OwnershipDocument) -> Iterator[Fault]:
    cites = _citations(doc)
    for path, value in _numbers(doc):
        if value.footnote_ids and value.value == value.value.to_integral():
            fid = value.footnote_ids[-1]
            seen = value.value >= 1000 or cites.get(fid, 0) == 1 or (len(value.footnote_ids) == 1
                                                                        and _pattern(doc, path))

            def glue(d, path=path, fid=fid):
                v = get(d, path)
                n = fid[1:]
                text = f"{int(v.value):,}{n}"
                set_value(d, path, Value(value=Decimal(f"{int(v.value)}{n}"),
                                         footnote_ids=[f for f in v.footnote_ids if f != fid],
                                         provenance=Provenance(reader="mutation", locator="-", text=text)))
            yield Fault("glued_mark", [path, _note_path(doc, fid)], glue, seen)
    for path, value in iter_values(doc):
        if "[" in path and value.footnote_ids:
            def drop(d, path=path):
                v = get(d, path)
                set_value(d, path, v.model_copy(update={"footnote_ids": v.footnote_ids[:-1]}))
            fid = value.footnote_ids[-1]
            yield Fault("dropped_mark", [path, _note_path(doc, fid)], drop,
                        cites.get(fid, 0) == 1 or (len(value.footnote_ids) == 1 and _pattern(doc, path)))
    for i, row in enumerate(doc.non_derivative_transactions):
        base = f"non_derivative_transactions[{i}]"
        if row.transaction_acquired_disposed_code and row.transaction_acquired_disposed_code.value in ("A", "D"):
            yield Fault("swapped_ad", [f"{base}.transaction_acquired_disposed_code"], _swap(base), _directed(row))
        if row.shares_owned_following_transaction and row.direct_or_indirect_ownership:
            yield Fault("shifted_column", [f"{base}.shares_owned_following_transaction",
                                           f"{base}.direct_or_indirect_ownership", f"{base}.nature_of_ownership"],
                        _shift(base))
        if row.transaction_date and row.transaction_date.value:
            yield Fault("shifted_date", [f"{base}.transaction_date", "period_of_report"], _later(base))
    for i, row in enumerate(doc.derivative_transactions):
        base = f"derivative_transactions[{i}]"
        if row.transaction_acquired_disposed_code and row.transaction_acquired_disposed_code.value in ("A", "D"):
            yield Fault("swapped_ad", [f"{base}.transaction_acquired_disposed_code"], _swap(base), _directed(row))
        if row.transaction_date and row.transaction_date.value:
            yield Fault("shifted_date", [f"{base}.transaction_date", "period_of_report"], _later(base))
    for i, owner in enumerate(doc.reporting_owners):
        for name in ("is_director", "is_officer", "is_ten_percent_owner", "is_other"):
            flag = getattr(owner, name)
            if flag is not None and flag.value and flag.confidence >= 0.8:
                path = f"reporting_owners[{i}].{name}"
                ticked = sum(1 for n in ("is_director", "is_officer", "is_ten_percent_owner", "is_other")
                             if getattr(owner, n) is not None and getattr(owner, n).value)
                texted = name in ("is_officer", "is_other")
                yield Fault("dropped_check", [path], lambda d, path=path: set_value(
                    d, path, get(d, path).model_copy(update={"value": False})), ticked == 1 or texted)
    for n, note in enumerate(doc.footnotes):
        def lose(d, fid=note.id):
            d.footnotes = [f for f in d.footnotes if f.id != fid]
        citing = [p for p, v in iter_values(doc) if note.id in v.footnote_ids]
        yield Fault("lost_footnote", citing + [f"footnotes[{n}]"], lose)


def _directed(row) -> bool:
    code = row.transaction_code.value if row.transaction_code else None
    return code in FIXED_DIRECTION


def _swap(base: str):
    def apply(d):
        path = f"{base}.transaction_acquired_disposed_code"
        v = get(d, path)
        set_value(d, path, v.model_copy(update={"value": "D" if v.value == "A" else "A"}))
    return apply


def _shift(base: str):
    def apply(d):
        row = get(d, base)
        post, form = row.shares_owned_following_transaction, row.direct_or_indirect_ownership
        row.nature_of_ownership = form
        row.direct_or_indirect_ownership = post.model_copy(update={"value": f"{post.value:,}"})
        row.shares_owned_following_transaction = None
    return apply


def _later(base: str):
    def apply(d):
        path = f"{base}.transaction_date"
        v = get(d, path)
        set_value(d, path, v.model_copy(update={"value": v.value + timedelta(days=31)}))
    return apply


def caught(doc: OwnershipDocument, fault: Fault) -> bool:
    before = {(f.rule, f.message) for f in validate(doc)}
    mutated = doc.model_copy(deep=True)
    fault.apply(mutated)
    for finding in validate(mutated):
        if (finding.rule, finding.message) in before:
            continue
        if set(finding.fields) & set(fault.fields):
            return True
    return False
