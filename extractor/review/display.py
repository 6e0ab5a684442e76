"""Showing a filing to a person: the form's boxes, Table I and II, findings; and the
source context of one value (the rendering's cells around it, the value highlighted)."""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..fsutil import write_atomic
from ..ir import Source
from ..model import OwnershipDocument, Value
from ..paths import iter_values
from ..readers import read_bytes
from ..readers.detect import sniff
from ..validate.verdict import summary

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


FLAGGED_MARK, UNSURE_MARK = "!", "?"  # after a value: said in text too, since colour is lost in a pipe


def _shown(value: object) -> str:
    """A value as a person reads it: numbers with thousands separators, a tick as yes / no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def _cell(value: Value | None, flagged: set[int], threshold: float) -> Text:
    if value is None:
        return Text("")
    text = Text(_shown(value.value))
    if value.footnote_ids:
        text.append(" " + "".join(f"({f[1:]})" for f in value.footnote_ids), style="green")
    if id(value) in flagged:
        text.stylize("bold red")
        text.append(f" {FLAGGED_MARK}", style="bold red")
    elif value.confidence < threshold:
        text.stylize("yellow")
        text.append(f" {UNSURE_MARK}", style="yellow")
    return text


def _whole(table: Table) -> Table:
    """TABLE with no cell cut short: a narrow column wraps its text instead of ending it in '…'."""
    for column in table.columns:
        column.overflow = "fold"
    return table


def render_document(doc: OwnershipDocument, threshold: float = 0.8) -> Group:
    flagged = set()
    named = {p for f in doc.findings if f.severity != "info" for p in f.fields}
    for path, value in iter_values(doc):
        if path in named:
            flagged.add(id(value))
    c = lambda v: _cell(v, flagged, threshold)  # noqa: E731
    head = Table.grid(padding=(0, 2))
    head.add_row("Form", c(doc.document_type), "Period", c(doc.period_of_report),
                 "Original filed", c(doc.date_of_original_submission))
    head.add_row("Issuer", c(doc.issuer.issuer_name), "Ticker", c(doc.issuer.issuer_trading_symbol),
                 "Exit box", c(doc.not_subject_to_section16))
    head.add_row("10b5-1", c(doc.aff10b5_one) if doc.aff10b5_one else Text("(no such box)"), "Layout", doc.layout,
                 "Source", Path(doc.source).name)
    owners = Table("Reporting owner", "Address", "Dir", "Off", "10%", "Oth", "Title / other", title="Box 1 and 5")
    for o in doc.reporting_owners:
        addr = Text(" ").join(x for x in (c(o.rpt_owner_street1), c(o.rpt_owner_street2), c(o.rpt_owner_city),
                                          c(o.rpt_owner_state), c(o.rpt_owner_zip_code)) if x.plain)
        owners.add_row(c(o.rpt_owner_name), addr, c(o.is_director), c(o.is_officer), c(o.is_ten_percent_owner),
                       c(o.is_other), Text(" / ").join(x for x in (c(o.officer_title), c(o.other_text)) if x.plain))
    t1 = Table("#", "Title", "Date", "Code", "Amount", "A/D", "Price", "Owned after", "D/I", "Nature",
               title="Table I - Non-Derivative Securities")
    for r in sorted(doc.non_derivative_transactions + doc.non_derivative_holdings, key=lambda r: r.row or 0):
        t1.add_row(str(r.row), c(r.security_title), c(getattr(r, "transaction_date", None)),
                   c(getattr(r, "transaction_code", None)), c(getattr(r, "transaction_shares", None)),
                   c(getattr(r, "transaction_acquired_disposed_code", None)),
                   c(getattr(r, "transaction_price_per_share", None)),
                   c(r.shares_owned_following_transaction or r.value_owned_following_transaction),
                   c(r.direct_or_indirect_ownership), c(r.nature_of_ownership))
    t2 = Table("#", "Title", "Ex. price", "Date", "Code", "Amount", "A/D", "Exercisable", "Expires", "Underlying",
               "Und. amount", "Price", "Owned after", "D/I", title="Table II - Derivative Securities")
    for r in sorted(doc.derivative_transactions + doc.derivative_holdings, key=lambda r: r.row or 0):
        t2.add_row(str(r.row), c(r.security_title), c(r.conversion_or_exercise_price),
                   c(getattr(r, "transaction_date", None)), c(getattr(r, "transaction_code", None)),
                   c(getattr(r, "transaction_shares", None) or getattr(r, "transaction_total_value", None)),
                   c(getattr(r, "transaction_acquired_disposed_code", None)), c(r.exercise_date),
                   c(r.expiration_date), c(r.underlying_security_title),
                   c(r.underlying_security_shares or r.underlying_security_value),
                   c(getattr(r, "transaction_price_per_share", None)),
                   c(r.shares_owned_following_transaction or r.value_owned_following_transaction),
                   c(r.direct_or_indirect_ownership))
    verdict = Text(f"Status: {summary(doc)}", style={"ok": "green", "review": "yellow"}.get(doc.status, "bold red"))
    parts: list = [verdict, Panel(head, title="Header"), _whole(owners)]
    for table, rows in ((t1, doc.non_derivative_transactions + doc.non_derivative_holdings),
                        (t2, doc.derivative_transactions + doc.derivative_holdings)):
        parts.append(_whole(table) if rows else Text(f"{table.title}: no rows"))
    if doc.footnotes:
        parts.append(Text("\n".join(f"({n.id[1:]}) {n.text}" for n in doc.footnotes)))
    if doc.remarks is not None:
        parts.append(Text("Remarks: " + str(doc.remarks.value)))
    for s in doc.owner_signatures:
        parts.append(Text(f"Signed: {s.signature_name.value if s.signature_name else ''}  "
                          f"{s.signature_date.value if s.signature_date else ''}"))
    parts.append(Text(f"{FLAGGED_MARK}: a finding names the value; {UNSURE_MARK}: read with confidence under "
                      f"{threshold:g}; (n): cites footnote n", style="dim"))
    for f in doc.findings:
        parts.append(Text(f"{f.severity.upper():7} {f.rule:4} {f.message}", style=SEVERITY_STYLE[f.severity]))
    for p in doc.problems:
        parts.append(Text(f"PROBLEM {p.kind}: {p.message}", style="magenta"))
    return Group(*parts)


def load_source(path: Path) -> Source | None:
    """The rendering behind a value, when PATH is one (results carry no layout to show)."""
    try:
        data = path.read_bytes()
        if sniff(data, str(path)) == "result":
            return None
        return read_bytes(data, str(path))
    except (OSError, ValueError):
        return None


def source_context(source: Source | None, value: Value | None, around: int = 1) -> Table | Text:
    """The table rows (or lines) around VALUE in SOURCE, VALUE's cell highlighted."""
    if source is None or value is None or value.provenance is None:
        return Text("(no source context)", style="dim")
    locator = value.provenance.locator
    at = [p for p in source.pieces if p.locator() == locator]  # a cell may hold several boxes' lines
    hit = next((p for p in at if value.provenance.text and p.text.strip() == value.provenance.text.strip()),
               at[0] if at else None)
    if hit is None:
        return Text(f"(source context: {locator})", style="dim")
    if hit.table < 0:
        lines = [p for p in source.pieces[max(0, hit.index - 3): hit.index + 4] if p.text]
        return Text("\n").join(Text(p.text, style="reverse bold" if p is hit else "") for p in lines)
    table = source.tables[hit.table]
    grid = Table(show_header=False, title=f"{locator}", title_style="dim")
    shown = range(max(0, hit.row - around), min(len(table.rows), hit.row + around + 1))
    # the grid columns any shown row fills (a producer's spacer columns would be empty slivers)
    used = sorted({cell.col for r in shown for cell in table.rows[r] if cell.text} | {hit.col})
    for _col in used:
        grid.add_column(overflow="fold")  # a long cell wraps; none ends in '…'
    for r in shown:
        cells = {col: Text("") for col in used}  # cells at their grid columns (rowspans leave gaps)
        for cell in table.rows[r]:
            if cell.col not in cells:
                continue
            if r == hit.row and cell.col == hit.col:  # the value's own line lit, the rest of its cell plain
                lines = [source.pieces[i] for i in range(*cell.pieces) if source.pieces[i].text]
                cells[cell.col] = Text(" ").join(Text(q.text, style="reverse bold" if q is hit else "")
                                                 for q in lines) if hit in lines else Text(cell.text, style="reverse bold")
            else:
                cells[cell.col] = Text(cell.text)
        grid.add_row(*cells.values())
    return grid


def crop(path: Path, value: Value | None, out_dir: Path, name: str, margin: float = 24.0) -> Path | None:
    """Save the page region behind VALUE (a PDF value with page and bbox) as a PNG under
    OUT_DIR and return its path; None when the value has no place on a page."""
    prov = value.provenance if value is not None else None
    if prov is None or prov.page is None or prov.bbox is None:
        return None
    from ..writers.page_images import page_image

    scale = 2.0
    image = page_image(path, prov.page, scale)
    if image is None:
        return None
    x0, top, x1, bottom = prov.bbox
    box = (max(0, (x0 - margin) * scale), max(0, (top - margin) * scale),
           min(image.width, (x1 + margin) * scale), min(image.height, (bottom + margin) * scale))
    from PIL import ImageDraw

    region = image.crop(box)
    ImageDraw.Draw(region).rectangle((margin * scale - 2, margin * scale - 2, (x1 - x0 + margin) * scale + 2,
                                      (bottom - top + margin) * scale + 2), outline="red", width=2)
    target = out_dir / f"{name}.png"
    buffer = io.BytesIO()
    region.save(buffer, format="PNG")
    write_atomic(target, buffer.getvalue())  # an OutputError when the folder cannot be written
    return target
