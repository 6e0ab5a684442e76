"""Table I and Table II rows: each data row of a placed table (:mod:`.tables`), over every page
it runs on (:mod:`.table_pages`; a row a page break cut in two is joined again), read cell by
cell into values with their footnotes.

A row holding only the ends of wrapped texts continues the row above; a slot reads every grid
column its header cell spans; in Table II the acquired/disposed code is the sub-column, (A) or
(D), the number sits in.
"""
from __future__ import annotations

import re

from ..ir import Cell, Piece, Source
from ..layout import SubColumn
from ..labels import words
from ..model import Problem, Value
from .placed import Placed
from .provenance import make
from .values import is_empty, is_money, parse_date, parse_number, split_footnotes

# a transaction code is a letter: a scan's "I" read as a one or a bar, "O" as a zero, "S" as a five
_LOOKALIKES = {"1": "I", "l": "I", "|": "I", "0": "O", "5": "S"}
_CODE = re.compile(r"^([A-Z])\s*(?:[/(\-]?\s*(K)\s*\)?)?\s*(V)?$")


def _continuation(placed: Placed, row: list[Cell]) -> bool:
    """A row holding only text-column fragments continues the row above (a wrapped title,
    "Stock options (right" / "to buy)"), as PDFs and typed tables split them."""
    kinds = {col: sub.type for col, sub, _ in placed.slots}
    filled = [c for c in row if c.text]
    return bool(filled) and all(kinds.get(c.col) == "text" for c in filled) and \
        kinds.get(min(c.col for c in filled)) == "text" and not any(parse_date(c.text) for c in filled)


def join_cells(above: Cell, rest: Cell) -> Cell:
    """ABOVE's cell with the wrapped rest of its text, REST, after it (in ABOVE's place)."""
    if not above.text:
        return Cell(text=rest.text, col=above.col, span=above.span, pieces=rest.pieces, header=above.header,
                    more=rest.more)
    return Cell(text=f"{above.text} {rest.text}".strip(), col=above.col, span=above.span, pieces=above.pieces,
                header=above.header, more=above.more + (rest.pieces,) + rest.more)


def _merged_rows(placed: Placed) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for r in placed.data_rows:
        row = placed.table.rows[r]
        if rows and _continuation(placed, row):
            above = {c.col: c for c in rows[-1]}
            for cell in row:
                if cell.text and cell.col in above and cell.text not in above[cell.col].text:
                    above[cell.col] = join_cells(above[cell.col], cell)
            rows[-1] = list(above.values())
        else:
            rows.append(list(row))
    return rows


def slot_cells(placed: Placed, row: list[Cell]) -> list[tuple[Cell, SubColumn, str]]:
    """ROW's filled cells as (cell, sub-column, slot name), one per slot of PLACED."""
    by_col = {c.col: c for c in row}
    starts = sorted(col for col, _s, _n in placed.slots)
    out = []
    for col, sub, name in placed.slots:
        cell = _slot_cell(by_col, col, placed.spans.get(col, 1), starts)
        if cell is not None and cell.text:
            out.append((cell, sub, name))
    return out


def rows_over_pages(table: Placed) -> list[tuple[Placed, list[tuple[Cell, SubColumn, str]]]]:
    """TABLE's data rows over all its parts, each as (its part, [(cell, sub-column, slot name)]).
    A part's first row holding only the ends of wrapped texts ("(right to buy)") is the rest of
    the previous part's last row, cut by the page break: its texts join that row's, by slot."""
    out: list[tuple[Placed, list[tuple[Cell, SubColumn, str]]]] = []
    for part in table.parts():
        for k, row in enumerate(_merged_rows(part)):
            cells = slot_cells(part, row)
            if k == 0 and out and part is not table and _continuation(part, row):
                above = out[-1][1]
                names = {name: i for i, (_c, _s, name) in enumerate(above)}
                for cell, sub, name in cells:
                    if name in names:
                        a, a_sub, _ = above[names[name]]
                        above[names[name]] = (join_cells(a, cell), a_sub, name)
                    else:
                        above.append((cell, sub, name))
                continue
            out.append((part, cells))
    return out


def _slot_cell(by_col: dict[int, Cell], col: int, span: int, starts: list[int]) -> Cell | None:
    """The cell a slot reads: its own, joined with cells further right inside its span."""
    cell = by_col.get(col)
    if span <= 1:
        return cell
    stop = min([s for s in starts if s > col] + [col + span])
    parts = [by_col[c] for c in range(col, stop) if c in by_col and by_col[c].text]
    if len(parts) <= 1:
        return parts[0] if parts else cell
    first = parts[0]
    return Cell(text=" ".join(p.text for p in parts), col=col, span=stop - col, pieces=first.pieces,
                more=first.more + tuple(r for p in parts[1:] for r in (p.pieces, *p.more)))


def _header_text(spec, known):
    """A test of whether a text is SPEC's own header text: words of its labels, a label's letters
    spaced apart ("Date Exercisabl e", "Amountor Numberof Shares"), or the form's printed text."""
    labels = [words(label) for column in spec.columns
              for label in column.labels + [x for sub in column.sub for x in sub.labels]]
    vocab = {w for label in labels for w in label} | {"instr", *"123456789"}  # "(Instr. 5)" too
    squeezed_labels = ["".join(label) for label in labels]

    def test(text: str) -> bool:
        found = words(text)
        squeezed = "".join(found)
        return set(found) <= vocab or bool(squeezed) and any(squeezed in s for s in squeezed_labels) or \
            known is not None and known.covers(found, text)
    return test


def read_rows(source: Source, table: Placed, form: str, known=None) -> list[tuple[str, dict]]:
    """Each data row, over every page the table runs on -> ('transaction' | 'holding', {field: Value}).
    A row holding nothing but fillers ("--", "N/A") or the form's own text (KNOWN: "(Instr. 5)" a
    header left under itself) is no row."""
    out = []
    n = 0
    is_header = _header_text(table.spec, known)  # (every page's part prints the one table)
    for placed, cells in rows_over_pages(table):
        n += 1
        fields: dict = {"row": n}
        for cell, sub, name in cells:
            label = f"Table {'I' if placed.spec.kind == 'non_derivative' else 'II'} row {n}, col {name}"
            _read_cell(source, cell, sub, label, fields, placed.problems)
        values = [v for v in fields.values() if isinstance(v, Value)]
        texts = [v.provenance.text for v in values if v.provenance and v.provenance.text]
        if not values or texts and any(v.value is None or v.confidence < 1.0 for v in values) and all(
                is_header(text) for text in texts):
            n -= 1  # (a header's words left under it: "or (D)", "(Instr. 5)", "Date Exercisabl e")
            continue
        if out and "security_title" not in fields and all(v.value is None and v.confidence < 1.0 for v in values):
            # no title and nothing that reads ("025" of a date the row above wrapped): the rest of the
            # row above, whose values it would complete are in doubt
            above = out[-1][1]
            for name, value in fields.items():
                if isinstance(value, Value):
                    old = above.get(name)
                    above[name] = value if old is None else old.model_copy(
                        update={"confidence": min(old.confidence, value.confidence)})
            n -= 1
            continue
        code = fields.get("transaction_code")
        is_tx = placed.spec.rows != "holdings" and (
            (code is not None and code.value is not None)
            or any(k in fields for k in ("transaction_date", "transaction_shares", "transaction_total_value",
                                         "transaction_acquired_disposed_code", "transaction_price_per_share",
                                         "deemed_execution_date")))
        if is_tx:
            v_flag = fields.pop("_v", None)
            fields.setdefault("transaction_form_type", make(
                source, None, "5" if v_flag or form == "5" else "4", locator="inferred from the form and column V",
                label="transaction form type: the form's, or 5 where column V is marked"))
            fields.setdefault("equity_swap_involved", make(source, None, False, locator="inferred: no K after the code",
                                                           label="equity swap"))
        else:
            fields.pop("_v", None)
        out.append(("transaction" if is_tx else "holding", fields))
    return out


def _read_cell(source: Source, cell: Cell, sub: SubColumn, label: str, fields: dict,
               problems: list[Problem]) -> None:
    piece = Piece.span([source.pieces[i] for i in cell.piece_indexes()])  # every line of the cell
    raw = cell.text
    text, notes = split_footnotes(raw)
    if is_empty(text) and not notes:
        return
    kind = sub.type
    value: object = None
    confidence = 1.0
    target = sub.field
    if kind == "text":
        value = text or None
    elif kind == "date":
        value = parse_date(text) if text else None
        if text and value is None and not is_empty(text):
            confidence = 0.3
            problems.append(Problem(kind="unparsed_value", message=f"{label}: {raw!r} is not a date",
                                    locator=piece.locator() if piece else None))
    elif kind == "number":
        if sub.value_field and is_money(text):
            target = sub.value_field
        value = parse_number(text) if text and not is_empty(text) else None
        if text and value is None and not is_empty(text):
            confidence = 0.3
            problems.append(Problem(kind="unparsed_value", message=f"{label}: {raw!r} is not a number",
                                    locator=piece.locator() if piece else None))
        if sub.acquired_disposed and (value is not None or notes):
            fields["transaction_acquired_disposed_code"] = make(
                source, piece, sub.acquired_disposed, label=label, text=raw, confidence=0.99)
        elif sub.acquired_disposed and confidence < 1.0:  # an amount not read: which column holds it is not sure
            fields.setdefault("transaction_acquired_disposed_code", make(
                source, piece, None, label=label, text=raw, confidence=confidence))
    elif kind == "code":
        m = _CODE.match(_LOOKALIKES.get(text.strip(), text).upper())
        value = m.group(1) if m else (text or None)
        if m and m.group(2):
            fields["equity_swap_involved"] = make(source, piece, True, label=label, text=raw)
        if m and m.group(3):
            fields["_v"] = True
        if not m and text:
            confidence = 0.4
    elif kind == "v":
        if text.upper().startswith("V"):
            fields["_v"] = True
        if notes:
            fields["transaction_timeliness"] = make(source, piece, None, label=label, text=raw, footnotes=notes)
        return
    elif kind in ("acquired_disposed", "ownership"):
        allowed = ("A", "D") if kind == "acquired_disposed" else ("D", "I")
        value = text.strip().upper()[:1] if text else None
        if kind == "ownership" and value in ("1", "L", "|") and len(text.strip()) == 1:
            value = "I"  # a scan's "I" read as a one or a bar: nothing else is printed in this column
        if value and (value not in allowed or len(text.strip()) > 3):
            confidence = 0.4
    fields[target] = make(source, piece, value, label=label, text=raw, footnotes=notes, confidence=confidence)
