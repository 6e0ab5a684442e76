"""A typist at work: a document model typed as an era-B Form 3/4/5 in one :class:`Style`
(tests/typing_styles.py): the boxes one under another, the tables as ASCII with the header
wrapped in its columns, rows wrapped in theirs, footnotes, remarks and signatures, inside the
EDGAR ``<DOCUMENT>`` a submission carried."""
from __future__ import annotations

from extractor.model import OwnershipDocument
from tests.typed_forms import FORMS, Box, Column, Group
from tests.typing_styles import Marks, Style, _cased, row_cells, statement_date, typed_date, wrap

_MIN = {"narrow": 5, "medium": 8, "wide": 11}
_TEXT = {"narrow": 12, "medium": 18, "wide": 30}
_GAP = 2  # spaces between whitespace-aligned cells


class Typist:
    def __init__(self, doc: OwnershipDocument, style: Style):
        self.doc, self.style = doc, style
        self.form = FORMS[doc.document_type.value.split("/")[0]]
        self.marks = Marks(style, [f.id for f in doc.footnotes])

    # --- the page -----------------------------------------------------------------------------
    def document(self) -> str:
        doc, form = self.doc, self.form
        kind = doc.document_type.value
        lines = ["<DOCUMENT>", f"<TYPE>{kind}", "<SEQUENCE>1", "<TEXT>", "", f"FORM {form.name}", "",
                 f"          {self.case(form.title)}", ""]
        for label, field in form.checkboxes:
            lines.append(self.option(label, getattr(doc, field, None)))
        lines.append("")
        for box in form.boxes:
            lines += self.box(box, 0)
        for k in range(1, len(doc.reporting_owners)):  # joint filers: each one's name, address, relationship
            lines += self.box(form.boxes[0], k) + self.box(next(b for b in form.boxes if b.kind == "relationship"), k)
        rows1 = doc.non_derivative_transactions + doc.non_derivative_holdings
        rows2 = doc.derivative_transactions + doc.derivative_holdings
        lines += self.table(form.table1_title, [form.table1], rows1)
        lines += ["", f"FORM {form.name} (continued)", ""]
        split = self.style.table2 == "split" and form.split_at
        blocks = [form.table2[:form.split_at], form.table2[form.split_at:]] if split else [form.table2]
        lines += self.table(form.table2_title, blocks, rows2)
        lines += self.tail()
        return "\n".join(lines + ["</TEXT>", "</DOCUMENT>"]) + "\n"

    def case(self, text: str) -> str:
        return _cased(text, self.style)

    def mark(self, checked: bool) -> str:
        how = self.style.check
        if how == "X":
            return "X" if checked else " "
        if how == "XX":
            return "XX" if checked else "  "
        if how == "_X_":
            return "_X_" if checked else "___"
        return how if checked else how.replace("X", " ")

    def option(self, label: str, flag) -> str:
        checked = flag is not None and bool(flag.value)
        if self.style.check == "Yes":
            return f"    {self.case(label)}: {'Yes' if checked else 'No'}"
        return f"    {self.mark(checked)} {self.case(label)}"

    def number(self, n: str) -> str:
        return {"1.": f"{n}.", "(1)": f"({n})", "Item 1": f"Item {n}."}[self.style.numbering]

    # --- the boxes ----------------------------------------------------------------------------
    def box(self, box: Box, k: int) -> list[str]:
        doc, style = self.doc, self.style
        head = [f"{self.number(box.number)} {self.case(box.label)}"]
        pad = "        "
        if box.kind == "owner":
            return head + [""] + [pad + line for line in self.address(doc.reporting_owners[k])] + [""]
        if box.kind == "issuer":
            name = doc.issuer.issuer_name.value if doc.issuer.issuer_name else ""
            tick = doc.issuer.issuer_trading_symbol.value if doc.issuer.issuer_trading_symbol else ""
            shown = {"(TICK)": f"({tick})", "[TICK]": f"[{tick}]", "- TICK": f"- {tick}"}[style.issuer]
            shown = f"({tick})" if not name else shown
            return head + ["", f"{pad}{name} {shown}".rstrip() if tick else f"{pad}{name}", ""]
        if box.kind == "period":
            day = statement_date(doc)
            return head + ["", f"{pad}{typed_date(day, style.dates)}" if day else "", ""]
        if box.kind == "amendment":
            day = doc.date_of_original_submission.value if doc.date_of_original_submission else None
            return head + (["", f"{pad}{typed_date(day, style.dates)}"] if day else []) + [""]
        if box.kind == "relationship":
            owner = doc.reporting_owners[k]
            lines = head + [self.option("Director", owner.is_director) + "      " +
                            self.option("10% Owner", owner.is_ten_percent_owner).strip(),
                            self.option("Officer (give title below)", owner.is_officer) + "      " +
                            self.option("Other (specify below)", owner.is_other).strip()]
            for text in (owner.officer_title, owner.other_text):
                if text is not None and text.value:
                    lines.append(f"{pad}{text.value}")
            return lines + [""]
        if box.kind == "joint":
            one = len(doc.reporting_owners) == 1
            return head + [self.option("Form filed by One Reporting Person", _Flag(one)),
                           self.option("Form filed by More than One Reporting Person", _Flag(not one)), ""]
        return head + [""]  # the IRS number: left blank, as most filers did

    def address(self, owner) -> list[str]:
        def v(x):
            return x.value if x is not None and x.value else ""

        name, streets = v(owner.rpt_owner_name), [v(owner.rpt_owner_street1), v(owner.rpt_owner_street2)]
        city, state, zip_code = v(owner.rpt_owner_city), v(owner.rpt_owner_state), v(owner.rpt_owner_zip_code)
        streets = [s for s in streets if s]
        how = self.style.address
        if how == "sub-labels":
            out = [name, self.case("(Last)     (First)     (Middle)"), ""] + streets + [self.case("(Street)"), ""]
            return out + [f"{city}     {state}     {zip_code}".strip(), self.case("(City)     (State)     (Zip)")]
        last = f"{city}, {state}  {zip_code}" if how == "lines" else f"{city}     {state}     {zip_code}"
        return [name] + streets + ([last.strip(" ,")] if city or state or zip_code else [])

    # --- the tables ---------------------------------------------------------------------------
    def table(self, title: str, blocks: list[tuple[Group, ...]], rows) -> list[str]:
        style = self.style
        out = ["<TABLE>"] if style.tags or style.separator == "markers" else []
        out += self.rule(100) + [self.case(title)] + self.rule(100)
        for groups in blocks:
            columns = [c for g in groups for c in g.columns]
            cells = [row_cells(r, columns, style, self.marks) for r in rows]
            widths = self.widths(groups, cells)
            header = self.header(groups, widths)
            body = [line for row in cells for line in self.row(row, columns, widths)]
            starts = self.row_starts(cells, columns, widths)
            if style.page_break != "none" and len(starts) > 1:
                cut = starts[1]
                again = header if style.page_break == "header repeated" else []
                body = body[:cut] + ["\f"] + again + body[cut:]
            out += header + body + self.rule(max(len(x) for x in header)) + [""]
        return out + (["</TABLE>"] if style.tags or style.separator == "markers" else [])

    def rule(self, width: int) -> list[str]:
        r = self.style.rule
        return [] if r == "none" else ["-" * width if r == "box" else r * width]

    def widths(self, groups, cells) -> list[int]:
        style, widths, k = self.style, [], 0
        for group in groups:
            first = k
            for column in group.columns:
                longest = max([len(row[k]) for row in cells] + [0])
                if column.kind == "text":
                    width = min(max(longest, _MIN[style.width]), _TEXT[style.width])
                else:
                    width = max(longest, _MIN[style.width], len(column.sub) if style.width == "wide" else 0)
                if column.sub and not style.hyphenate:
                    width = max([width] + [len(w) for w in column.sub.split()])
                widths.append(width)
                k += 1
            if not style.hyphenate:  # the group's label words fit its columns
                need = max(len(w) for w in group.words(style.wording).split()) + 4
                span = sum(widths[first:k]) + self.sep_width() * (k - first - 1)
                widths[k - 1] += max(0, need - span)
        return widths

    def sep_width(self) -> int:
        return 3 if self.style.separator in "|:!" else _GAP

    def line(self, parts: list[tuple[str, int]]) -> str:
        sep = self.style.separator
        if sep in ("|", ":", "!"):
            return (sep + sep.join(f" {t.ljust(w)} " for t, w in parts) + sep).rstrip()
        text = (" " * _GAP).join(t.ljust(w) for t, w in parts).rstrip()
        return _tabbed(text) if sep == "tab" else text

    def header(self, groups, widths) -> list[str]:
        style, sep = self.style, self.sep_width()
        tops, k = [], 0
        for g in groups:
            n = len(g.columns)
            span = sum(widths[k:k + n]) + sep * (n - 1)
            label = self.case(f"{self.number(g.number).replace('Item ', '')} {g.words(style.wording)}")
            tops.append((wrap(label, span, hyphenate=style.hyphenate), span))
            k += n
        lines = []
        for i in range(max(len(t) for t, _s in tops)):
            lines.append(self.line([(t[i] if i < len(t) else "", s) for t, s in tops]))
        columns = [c for g in groups for c in g.columns]
        subs = [(wrap(self.case(c.sub), w, hyphenate=style.hyphenate) if c.sub else [], w)
                for c, w in zip(columns, widths)]
        for i in range(max((len(s) for s, _w in subs), default=0)):
            lines.append(self.line([(s[i] if i < len(s) else "", w) for s, w in subs]))
        if style.rule == "box" and style.separator in ("|", ":", "!"):
            lines.append("+" + "+".join("-" * (w + 2) for w in widths) + "+")
        else:
            lines += self.rule(max(len(x) for x in lines))
        if style.separator == "markers":
            lines.append((" " * _GAP).join(("<S>" if j == 0 else "<C>").ljust(w) for j, w in enumerate(widths)).rstrip())
        return (["<CAPTION>"] if style.tags or style.separator == "markers" else []) + lines

    def row(self, cells: list[str], columns: list[Column], widths: list[int]) -> list[str]:
        mid = self.style.row_wrap == "mid-word"
        parts = [wrap(c, w, hyphenate=False, mid_word=mid) if col.kind == "text" else [c]
                 for c, col, w in zip(cells, columns, widths)]
        return [self.line([(p[i] if i < len(p) else "", w) for p, w in zip(parts, widths)])
                for i in range(max(len(p) for p in parts))]

    def row_starts(self, cells, columns, widths) -> list[int]:
        starts, n = [], 0
        for row in cells:
            starts.append(n)
            n += len(self.row(row, columns, widths))
        return starts

    # --- footnotes, remarks, signatures -------------------------------------------------------
    def tail(self) -> list[str]:
        doc, style = self.doc, self.style
        out = [] if style.notes_heading == "none" else [self.case(style.notes_heading), ""]
        for note in doc.footnotes:
            mark = self.marks.text[note.id]
            out += [f"{mark} {line}" if k == 0 else f"    {line}"
                    for k, line in enumerate(wrap(" ".join(note.text.split()), 90, hyphenate=False))]
        if doc.remarks is not None and doc.remarks.value:
            out += ["", self.case("Remarks:")] if style.remarks_heading == "Remarks:" else [""]
            out += wrap(" ".join(doc.remarks.value.split()), 90, hyphenate=False)
        for sig in doc.owner_signatures:
            name = sig.signature_name.value if sig.signature_name else ""
            day = typed_date(sig.signature_date.value, style.dates) if sig.signature_date else ""
            label = self.case("**Signature of Reporting Person")
            if style.signature == "/s/ above the line":
                out += ["", f"{name:<48}    {day}", "_" * 40 + "      " + "_" * 20,
                        f"{label:<52}{self.case('Date')}"]
            elif style.signature == "under its label":
                out += ["", f"{label:<52}{self.case('Date')}", "", f"{name:<48}    {day}"]
            else:
                out += ["", f"{label}: {name}", f"{self.case('Date')}: {day}"]
        return out


def _tabbed(text: str) -> str:
    """TEXT with each run of two or more spaces that reaches a tab stop (every 8 columns) typed as tabs."""
    out, k = [], 0
    while k < len(text):
        if text[k] == " ":
            end = k
            while end < len(text) and text[end] == " ":
                end += 1
            run_end = end  # the column where the next word starts
            if end - k >= 2 and (run_end // 8) > (k // 8):
                pos = k
                while (pos // 8 + 1) * 8 <= run_end:
                    out.append("\t")
                    pos = (pos // 8 + 1) * 8
                out.append(" " * (run_end - pos))
            else:
                out.append(text[k:end])
            k = end
            continue
        out.append(text[k])
        k += 1
    return "".join(out)


class _Flag:
    def __init__(self, value: bool):
        self.value = value
