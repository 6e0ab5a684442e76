"""Rules on how the rendering was read (R1-R6): what the reading reports itself (R1, R3, R4: data
words nobody read, made by extractor.form.coverage, which sees the rendering; R5 from the table
placement) and what the document alone shows: form text inside a value (R2), a row that is only a
title (R5), a form without issuer, owner or signature (R6)."""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from ..labels import normalise
from ..model import OwnershipDocument, Value
from ..paths import iter_values
from .registry import Context, reading_rule, rule, v
from .rows import rows

reading_rule("R1", "warning", "every data word of the rendering is read into a field (the fields of the region "
                              "holding an unread word are named)")
reading_rule("R3", "warning", "a box whose label was found has its value read when words sit in its area")
reading_rule("R4", "warning", "a table whose header was found has its rows read when words sit under it")
reading_rule("R10", "info", "ownershipDocument XML ill-formed as disseminated is read only when the repair is "
                           "unambiguous (a tag name a line end broke, joined again), and says so")
reading_rule("R8", "warning", "each reporting owner's relationship is on the form (box 5 shows only the first "
                              "owner's; the others' are copies to check)")

_ATOM = re.compile(r"[0-9a-z%]+")
_STOP = frozenset("a an and any as at be by each for if in is it its of on or per see the to".split())
# short text fields a label cannot belong in (prose fields, footnotes and remarks, are checked
# for section labels only)
_SHORT = ("issuer_name", "issuer_trading_symbol", "rpt_owner_name", "rpt_owner_street1", "rpt_owner_street2",
          "rpt_owner_city", "rpt_owner_state", "rpt_owner_zip_code", "rpt_owner_country", "officer_title",
          "other_text", "security_title", "underlying_security_title", "nature_of_ownership")
_SUBLABEL = re.compile(r"\(\s*(?:Last|First|Middle|Street|City|State|Zip|Country|Month/Day/Year|Instr\.?\s*\d)",
                       re.I)
_SECTIONS = ("Remarks:", "Explanation of Responses:", "Signature of Reporting Person",
             "Reminder: Report on a separate line", "Persons who respond to the collection of information")
_MARKUP = re.compile(r"[\^|<>\\]|\*\*|__|\]\(|\[\s*\]")  # a converter's syntax left in the text
_DATE_IN = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_AMOUNT_IN = re.compile(r"(?<![\w.,])\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,])")  # "134,018", "$1,250.00"
_SIGNED_END = re.compile(r"/s/[^/]{0,80}$")  # remarks ending in a signature's first line ("/s/ A. Name, Attorney-")
_SIGNED = re.compile(r"/s/.{0,120}?\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.S)  # "/s/ A. Name ... 05/01/2024"
_THRICE = re.compile(r"\b([A-Za-z]{3,})(?:\s+\1\b){2,}", re.I)
_NO_DATES = ("issuer_name", "rpt_owner_name", "rpt_owner_street1", "rpt_owner_street2", "rpt_owner_city",
             "rpt_owner_state", "rpt_owner_zip_code", "rpt_owner_country", "officer_title", "other_text")


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


def _repeated(text: str) -> str | None:
    """A run of two or more words printed twice in TEXT ("OMAHA NE 68131 OMAHA NE 68131"): the
    same part of the page read twice."""
    words = text.split()
    for size in range(len(words) // 2, 1, -1):
        for k in range(len(words) - 2 * size + 1):
            run = words[k:k + size]
            if any(words[j:j + size] == run for j in range(k + size, len(words) - size + 1)):
                return " ".join(run)
    return None


_SECTION_WORDS = re.compile(r"signature|remarks|explanation|reminder|persons who", re.I)


def _section_in(text: str, cutoff: float = 80) -> str | None:
    """A section title inside prose (a footnote, the remarks), also when another column's words
    split it ("Signature of Date Reporting Person"): a fuzzy match over its own length."""
    if not _SECTION_WORDS.search(text):  # no title word at all: nothing to match (most texts)
        return None
    low = " ".join(_ATOM.findall(normalise(text)))
    for title in _SECTIONS:
        target = " ".join(_ATOM.findall(normalise(title)))
        if len(low) < len(target):
            continue
        found = fuzz.partial_ratio_alignment(target, low, score_cutoff=cutoff)
        if found is not None and found.dest_end - found.dest_start <= len(target) + 8:
            return title
    return None


@lru_cache(maxsize=8192)
def _suspect(name: str, text: str, pairs: frozenset[tuple[str, str]]) -> str | None:
    """Why a short text value is not what its box holds, or None (memoised: titles, names and
    natures of ownership come back in filing after filing)."""
    if found := _SUBLABEL.search(text):
        return f"holds the form's sub-label {found.group(0)!r}"
    if pair := _pair_in(text, pairs):
        return f"holds the form's own words {' '.join(pair)!r}"
    if found := _MARKUP.search(text):
        return f"holds {found.group(0)!r}, a converter's markup"
    if name in _NO_DATES and (found := _DATE_IN.search(text)):
        return f"holds a date ({found.group(0)!r}) that belongs to another box"
    if found := _AMOUNT_IN.search(text):
        return f"holds an amount ({found.group(0)!r}) that belongs to another column or box"
    if found := _THRICE.search(text):  # "common common common": one column's cells read as one
        return f"repeats {found.group(1)!r}: one part of the page read several times"
    if text.count(" ") >= 3 and (run := _repeated(text)):
        return f"repeats {run!r}: one part of the page read twice"
    return None


_AMOUNTS = ("transaction_shares", "transaction_price_per_share", "shares_owned_following_transaction",
            "conversion_or_exercise_price", "underlying_security_shares", "transaction_total_value",
            "value_owned_following_transaction", "underlying_security_value")


def _empty_amounts(doc: OwnershipDocument, path: str, why: str) -> list[str]:
    """The amount fields left empty in the table row of PATH when its text holds an amount: the
    column the amount belongs to was read as empty (a column the table's other rows fill)."""
    row_path, _, _name = path.rpartition(".")
    if not why.startswith("holds an amount") or not row_path.endswith("]"):
        return []
    lists, _, index = row_path[:-1].partition("[")
    table = getattr(doc, lists)
    row = table[int(index)]
    return [f"{row_path}.{n}" for n in _AMOUNTS if n in type(row).model_fields and getattr(row, n) is None
            and (len(table) == 1 or any(getattr(other, n) is not None for other in table))]


@rule("R2", "warning", "a value holds only its own box's text (no label, sub-label, section title, markup, date "
                       "of another box, or text read twice)")
def contamination(ctx: Context):
    pairs = _label_pairs(ctx.doc.layout)
    for path, value in iter_values(ctx.doc):
        if not isinstance(value.value, str):
            continue
        text = value.value
        name = path.rsplit(".", 1)[-1]
        if name in _SHORT:
            if why := _suspect(name, text, pairs):
                yield ctx.finding(f"{path}: {text[:80]!r} {why}", [path, *_empty_amounts(ctx.doc, path, why)],
                                  {"text": text})
        elif name in ("remarks", "signature_name") and \
                (title := _section_in(text, 80 if name == "remarks" else 95)) is not None:
            yield ctx.finding(f"{path}: {text[:60]!r}... holds the section title {title!r}: another section read "
                              "into it", [path], {"text": text})
        elif name == "remarks" and (found := _SIGNED.search(text) or _SIGNED_END.search(text)):
            yield ctx.finding(f"{path}: {text[:60]!r}... holds a signature ({found.group(0)!r}): the "
                              "signature read into the remarks", [path, "owner_signatures[0].signature_name",
                                                                   "owner_signatures[0].signature_date"],
                              {"text": text})
    for n, note in enumerate(ctx.doc.footnotes):
        if (title := _section_in(note.text)) is not None:
            yield ctx.finding(f"footnote ({note.id[1:]}) holds the section title {title!r}: another section read "
                              "into it", [f"footnotes[{n}].text"], {"text": note.text[:200]})


@rule("R5", "warning", "a table row has a title and more (a lone title is the wrapped end of the row above, "
                       "values without a title the rest of it)")
def split_rows(ctx: Context):
    by_table: dict[str, list] = {}
    for ref in rows(ctx.doc):
        by_table.setdefault(ref.table, []).append(ref)
    for refs in by_table.values():
        refs.sort(key=lambda r: r.row.row)
        for k, ref in enumerate(refs):
            filled = [name for name, value in ref.row.__dict__.items() if isinstance(value, Value)
                      and name not in ("transaction_form_type", "equity_swap_involved")
                      and (value.value is not None or value.footnote_ids)]
            if filled and filled != ["security_title"] and "security_title" in filled:
                continue  # a row with its title and more: the common case
            above = [refs[k - 1].field(n) for n, v in refs[k - 1].row.__dict__.items() if isinstance(v, Value)] \
                if k else []
            if filled == ["security_title"]:
                yield ctx.finding(f"{ref.label()}: only a title ({v(ref.get('security_title'))!r}) was read: the "
                                  "wrapped end of the title above, or a row whose cells were not read",
                                  [ref.field("security_title")] + [f for f in above if f.endswith("security_title")])
            elif filled and "security_title" not in filled:
                yield ctx.finding(f"{ref.label()}: values without a title: the rest of the row above, printed on "
                                  "a line of its own?", [ref.field(n) for n in filled] + above)


_NUMBER = re.compile(r"(?<![\w(])\$?\d[\d,]*(?:\.\d+)?(?![\w)/])")  # not a footnote mark "(1)", "1/"
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
    # codes stacked as lines ("D" over "I"); a typed "A,D" is one cell of the form, read as printed
    words = re.sub(r"\(\d{1,2}\)|\b\d{1,2}/(?!\d)|\([a-z]\)", " ", text).split()
    return len(words) > 1 and all(len(w) == 1 and w.isalpha() for w in words)


@rule("R7", "warning", "a table row's cells hold one value each (several: printed rows read as one)")
def merged_rows(ctx: Context):
    for ref in rows(ctx.doc):
        crowded = [name for name, kind in _KINDS.items() if (value := ref.get(name)) is not None
                   and value.provenance and value.provenance.text and " " in value.provenance.text.strip()
                   and _several(kind, value.provenance.text)]
        if crowded:
            texts = ", ".join(repr(ref.get(n).provenance.text) for n in crowded[:3])
            fields = [ref.field(name) for name, value in ref.row if getattr(value, "value", None) is not None
                      or getattr(value, "footnote_ids", None)]
            yield ctx.finding(f"{ref.label()}: {texts} hold several values in one cell: printed rows read as one "
                              "(a row may be missing)", fields)


@rule("R6", "warning", "a form has its issuer, its reporting owner, its period of report and a signature")
def essentials(ctx: Context):
    doc: OwnershipDocument = ctx.doc
    if doc.issuer.issuer_name is None or not doc.issuer.issuer_name.value:
        yield ctx.finding("the issuer's name was not read (box 2)", ["issuer.issuer_name"])
    for n, owner in enumerate(doc.reporting_owners or [None]):
        if owner is None or owner.rpt_owner_name is None or not owner.rpt_owner_name.value:
            yield ctx.finding(f"reporting owner {n + 1}: no name was read (box 1)",
                              [f"reporting_owners[{n}].rpt_owner_name"])
    if doc.period_of_report is None or not doc.period_of_report.value:
        yield ctx.finding("the period of report was not read (the date box: Form 3 box 2, Forms 4 and 5 box 3)",
                          ["period_of_report"])
    signed = [s for s in doc.owner_signatures if s.signature_name is not None and s.signature_name.value]
    if not signed:
        yield ctx.finding("no signature was read", ["owner_signatures[0].signature_name",
                                                    "owner_signatures[0].signature_date"])
