"""Rules on how the rendering was read (R1-R6): what the reading reports itself (R1, R3, R4: data
words nobody read, made by extractor.form.coverage, which sees the rendering; R5 from the table
placement) and what the document alone shows: form text inside a value (R2), a row that is only a
title (R5), a form without issuer, owner or signature (R6)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..labels import normalise
from ..model import OwnershipDocument
from ..paths import iter_values
from .registry import Context, reading_rule, rule, v
from .rows import rows

reading_rule("R1", "warning", "every data word of the rendering is read into a field (the fields of the region "
                              "holding an unread word are named)")
reading_rule("R3", "warning", "a box whose label was found has its value read when words sit in its area")
reading_rule("R4", "warning", "a table whose header was found has its rows read when words sit under it")

_ATOM = re.compile(r"[0-9a-z%]+")
_STOP = frozenset("a an and any as at be by each for if in is it its of on or per see the to".split())
# short text fields a label cannot belong in (prose fields, footnotes and remarks, are checked
# for section labels only)
_SHORT = ("issuer_name", "issuer_trading_symbol", "rpt_owner_name", "rpt_owner_street1", "rpt_owner_street2",
          "rpt_owner_city", "rpt_owner_state", "rpt_owner_zip_code", "rpt_owner_country", "officer_title",
          "other_text", "security_title", "underlying_security_title", "nature_of_ownership")
_SUBLABEL = re.compile(r"\(\s*(?:Last|First|Middle|Street|City|State|Zip|Country|Month/Day/Year|Instr\.?\s*\d)",
                       re.I)
_SECTION = re.compile(r"(?:\bRemarks\s*:|Explanation of Responses|Signature of Reporting Person|"
                      r"Reminder:\s*Report on a separate line|Persons who respond to the collection)", re.I)


@lru_cache(maxsize=32)
def _label_pairs(layout_name: str) -> frozenset[tuple[str, str]]:
    """Consecutive content words of the layout's printed phrases: ("reporting", "person"), ..."""
    from ..layout import get_layout

    try:
        layout = get_layout(layout_name)
    except Exception:  # noqa: BLE001 - an unknown layout (a result file) has no phrases to check
        return frozenset()
    pairs = set()
    for phrase in layout.phrases(printed=False):
        words = [w for w in _ATOM.findall(normalise(phrase)) if w not in _STOP and len(w) > 1]
        pairs.update(zip(words, words[1:]))
    return frozenset(pairs)


def _pair_in(text: str, pairs: frozenset[tuple[str, str]]) -> tuple[str, str] | None:
    words = [w for w in _ATOM.findall(normalise(text)) if w not in _STOP and len(w) > 1]
    return next((p for p in zip(words, words[1:]) if p in pairs), None)


@rule("R2", "warning", "a value holds none of the form's own text (labels, sub-labels, options, section titles)")
def contamination(ctx: Context):
    pairs = _label_pairs(ctx.doc.layout)
    for path, value in iter_values(ctx.doc):
        if not isinstance(value.value, str):
            continue
        text = value.value
        name = path.rsplit(".", 1)[-1]
        if name in _SHORT:
            found = _SUBLABEL.search(text)
            pair = None if found else _pair_in(text, pairs)
            if found or pair:
                shown = found.group(0) if found else " ".join(pair)
                yield ctx.finding(f"{path}: {text[:80]!r} holds the form's own words ({shown!r}): "
                                  "a label read into the value", [path], {"text": text})
        elif (found := _SECTION.search(text)) is not None:
            yield ctx.finding(f"{path}: {text[:60]!r}... holds the section title {found.group(0)!r}: another "
                              "section read into it", [path], {"text": text})
    for n, note in enumerate(ctx.doc.footnotes):
        if (found := _SECTION.search(note.text)) is not None:
            yield ctx.finding(f"footnote ({note.id[1:]}) holds the section title {found.group(0)!r}: another "
                              "section read into it", [f"footnotes[{n}].text"], {"text": note.text[:200]})


@rule("R5", "warning", "a table row holds more than a title (a lone title is the wrapped end of the row above)")
def lone_title(ctx: Context):
    by_table: dict[str, list] = {}
    for ref in rows(ctx.doc):
        by_table.setdefault(ref.table, []).append(ref)
    for refs in by_table.values():
        refs.sort(key=lambda r: r.row.row)
        for k, ref in enumerate(refs):
            filled = [name for name, value in ref.row if name not in ("transaction_form_type", "equity_swap_involved")
                      and (getattr(value, "value", None) is not None or getattr(value, "footnote_ids", None))]
            if filled != ["security_title"]:
                continue
            fields = [ref.field("security_title")] + ([refs[k - 1].field("security_title")] if k else [])
            yield ctx.finding(f"{ref.label()}: only a title ({v(ref.get('security_title'))!r}) was read: the wrapped "
                              "end of the title above, or a row whose cells were not read", fields)


_NUMBER = re.compile(r"(?<![\w(])\$?\d[\d,]*(?:\.\d+)?(?![\w)])")  # not a footnote mark "(1)"
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_RATIO = re.compile(r"\d+\s*(?:for|-for-|:)\s*\d+", re.I)  # "1 for 1": one exercise price
_KINDS = {"transaction_shares": "n", "transaction_price_per_share": "n", "shares_owned_following_transaction": "n",
          "conversion_or_exercise_price": "n", "underlying_security_shares": "n", "transaction_date": "d",
          "deemed_execution_date": "d", "exercise_date": "d", "expiration_date": "d",
          "direct_or_indirect_ownership": "c", "transaction_acquired_disposed_code": "c", "transaction_code": "c"}


def _several(kind: str, text: str) -> bool:
    """TEXT (a cell as printed) holds more than one value of its column's KIND."""
    if kind == "n":
        return not _RATIO.search(text) and len(_NUMBER.findall(text)) > 1
    if kind == "d":
        return len(_DATE.findall(text)) > 1
    words = [w for w in re.split(r"[\s,/]+", re.sub(r"\(\d{1,2}\)", " ", text)) if w]
    return len(words) > 1 and all(len(w) == 1 and w.isalpha() for w in words)


@rule("R7", "warning", "a table row's cells hold one value each (several: printed rows read as one)")
def merged_rows(ctx: Context):
    for ref in rows(ctx.doc):
        crowded = [name for name, kind in _KINDS.items() if (value := ref.get(name)) is not None
                   and value.provenance and value.provenance.text and _several(kind, value.provenance.text)]
        if crowded:
            texts = ", ".join(repr(ref.get(n).provenance.text) for n in crowded[:3])
            fields = [ref.field(name) for name, value in ref.row if getattr(value, "value", None) is not None
                      or getattr(value, "footnote_ids", None)]
            yield ctx.finding(f"{ref.label()}: {texts} hold several values in one cell: printed rows read as one "
                              "(a row may be missing)", fields)


@rule("R6", "warning", "a form has its issuer, its reporting owner and a signature")
def essentials(ctx: Context):
    doc: OwnershipDocument = ctx.doc
    if doc.issuer.issuer_name is None or not doc.issuer.issuer_name.value:
        yield ctx.finding("the issuer's name was not read (box 2)", ["issuer.issuer_name"])
    for n, owner in enumerate(doc.reporting_owners or [None]):
        if owner is None or owner.rpt_owner_name is None or not owner.rpt_owner_name.value:
            yield ctx.finding(f"reporting owner {n + 1}: no name was read (box 1)",
                              [f"reporting_owners[{n}].rpt_owner_name"])
    signed = [s for s in doc.owner_signatures if s.signature_name is not None and s.signature_name.value]
    if not signed:
        yield ctx.finding("no signature was read", ["owner_signatures[0].signature_name",
                                                    "owner_signatures[0].signature_date"])
