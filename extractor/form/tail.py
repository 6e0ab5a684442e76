"""What follows the tables: reporting-owner blocks, footnotes, remarks, signatures.

Sections are found by their labels (layout ``sections``) and read in whatever
order the stylesheet prints them (the current one: owners, footnotes, remarks,
signatures; the older one: owners table, signatures, footnotes, remarks).
Signatures are the name/date units just before each "Signature of Reporting
Person" label; a date typed into the middle of a wrapped name (the seed's
"... Richard D. 05/21/2013 Federico") is taken out of the name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..ir import Piece, Source, join_lines
from ..labels import Hit, LabelIndex, words
from ..layout import Layout
from .printed import printed
from .values import clean, find_date, note_id

# a footnote's start: "1.", "(1)", "1)", and as typed "1/", "(a)", "*" (the mark's id: values.note_id)
_NOTE = re.compile(r"^\s*(?:\(?\s*(\d{1,2})\s*[.)]|(\d{1,2})/(?![\d/])|\(([a-z])\)|(\*{1,3})(?!\*))\s*(.*)$", re.S)
_NOTE_ONLY = re.compile(r"^\s*\(\s*(\d{1,2})\s*\)\s*$")


@dataclass
class OwnerRow:
    """One row of the older stylesheet's "Reporting Owners" table."""

    lines: list[tuple[str, Piece]]  # name, street lines, "city, ST zip"
    director: bool
    ten_percent: bool
    officer_title: tuple[str, Piece] | None
    other_text: tuple[str, Piece] | None


@dataclass
class Tail:
    owner_hits: list[Hit] = field(default_factory=list)
    owner_rows: list[OwnerRow] = field(default_factory=list)
    footnotes: list[tuple[str, str, Piece]] = field(default_factory=list)  # (id, text, piece)
    remarks: tuple[str, Piece] | None = None
    signatures: list[tuple[str, object, Piece, Piece | None]] = field(default_factory=list)
    sections: list[tuple[str, Hit]] = field(default_factory=list)  # (section type, its label) found


def _units(source: Source, start: int, end: int) -> list[list[Piece]]:
    """Non-empty pieces of [start, end) grouped by visual unit (table row / paragraph)."""
    units: list[list[Piece]] = []
    last = None
    for p in source.pieces[start:end]:
        if not p.text:
            continue
        key = p.unit()
        if key != last:
            units.append([])
            last = key
        units[-1].append(p)
    return units


def _all_hits(index: LabelIndex, labels: list[str], after: int) -> list[Hit]:
    """Hits of a section label that start their line ("Remarks:", "** Signature of ..."): the same
    words inside a footnote's text ("... described in the Remarks") are not a section."""
    hits = [h for label in labels for h in index.find_all(label)
            if h.piece >= after and not any(ch.isalnum() for ch in index.pieces[h.piece].text[:h.start])]
    hits.sort(key=lambda h: (h.piece, h.start))
    dedup: list[Hit] = []
    for h in hits:
        if not dedup or dedup[-1].piece != h.piece:
            dedup.append(h)
    return dedup


def read_tail(source: Source, index: LabelIndex, layout: Layout, start: int) -> Tail:
    tail = Tail()
    sections = layout.sections
    n = len(source.pieces)
    sig_hits = _all_hits(index, sections["signatures"].labels, start) if "signatures" in sections else []
    note_hit = next(iter(_all_hits(index, sections["footnotes"].labels, start)), None) \
        if "footnotes" in sections else None
    remark_hit = next(iter(_all_hits(index, sections["remarks"].labels, start)), None) \
        if "remarks" in sections else None
    if note_hit is None and "footnotes" in sections:  # footnotes typed without a heading
        note_hit = _first_note(source, start, printed(layout))
    if remark_hit and note_hit and remark_hit.piece == note_hit.piece:
        remark_hit = None
    # the form's printed footer (descriptor sections of type "end" / "skip") bounds the sections
    ends = [label for sec in sections.values() if sec.type == "end" for label in sec.labels]
    skips = [label for sec in sections.values() if sec.type == "skip" for label in sec.labels]
    stop_hits = _all_hits(index, ends, start)
    skip_pieces = {h.piece for h in _all_hits(index, skips, start)}
    if "owner_list" in sections:
        tail.owner_hits = _all_hits(index, sections["owner_list"].labels, start)
    if "owner_table" in sections:
        hit = next(iter(_all_hits(index, sections["owner_table"].labels, start)), None)
        if hit is not None:
            tail.owner_rows = _owner_table(source, hit)
    tail.sections = [("signatures", h) for h in sig_hits] + [("end", h) for h in stop_hits] + \
        [(kind, h) for kind, h in (("footnotes", note_hit), ("remarks", remark_hit)) if h is not None]
    boundaries = sorted({h.piece for h in sig_hits + stop_hits}
                        | ({note_hit.piece} if note_hit else set())
                        | ({remark_hit.piece} if remark_hit else set()) | {n})

    def next_boundary(after: int) -> int:
        return next(b for b in boundaries if b > after)

    sig_pieces: set[int] = set()
    for hit in sig_hits:
        found = _signatures_before(source, hit, boundaries, start) or \
            _signatures_after(source, hit, next_boundary(hit.end_piece))
        for name, when, name_piece, date_piece, used in found:
            tail.signatures.append((name, when, name_piece, date_piece))
            sig_pieces.update(used)
    tail.signatures.sort(key=lambda s: s[2].index)
    if note_hit:
        end = next_boundary(note_hit.piece)
        tail.footnotes = _footnotes(source, note_hit, end, skip_pieces | sig_pieces, printed(layout))
    if remark_hit:
        end = next_boundary(remark_hit.piece)
        rest = source.pieces[remark_hit.end_piece].text[remark_hit.end:].strip(" :")
        lines = ([rest] if rest else []) + [p.text for p in source.pieces[remark_hit.end_piece + 1:end]
                                            if p.text and p.index not in sig_pieces]
        if lines:
            tail.remarks = ("\n".join(lines), Piece.span(
                [p for p in source.pieces[remark_hit.end_piece:end] if p.text and p.index not in sig_pieces]))
    return tail


def _signatures_above(source: Source, hit: Hit, lower: int) -> list:
    """On a page (pieces with bboxes): the signature names are the lines above the label, from
    its left edge to the "Date" label beside it, and the dates the lone dates above "Date".
    Each name line goes with the date nearest it, so wrapped names and stacked signatures pair
    up however a PDF or OCR orders the lines. A page break may fall between the signatures and
    their label: then they are the last lines of the page before. A name that runs up to its
    date leaves no gap to tell them apart by: the date is the part in the date column."""
    label = source.pieces[hit.piece]
    lx0, ltop, _lx1, lbottom = label.bbox
    height = max(lbottom - ltop, 1.0)
    beside = [p for p in source.pieces[hit.piece:hit.piece + 4]
              if p.bbox and p.page == label.page and abs(p.bbox[1] - ltop) < height and p.bbox[0] > lx0]
    date_label = next((p for p in beside if re.search(r"(?i)\bdate\s*$", p.text)), None)
    split = date_label.bbox[0] - height if date_label and date_label is not label else None
    # the lines above the label on its page, and those of the pages before it after the section
    # above (a page break may fall anywhere in the block, between the signatures or above them)
    above = [p for p in source.pieces[lower:hit.piece] if p.text and p.bbox and p.bbox[0] >= lx0 - 2 * height
             and (p.page < label.page or (p.page == label.page and p.bbox[1] < ltop))]
    lone = [p for p in above if (d := find_date(p.text))[0] is not None and not d[1].strip()]
    dates, names, across = [], [], []
    for p in above:
        when, rest = find_date(p.text)
        if when is not None and not rest.strip() and (split is None or p.bbox[0] >= split):
            dates.append((p, when))
        elif when is not None and split is not None and p.bbox[0] < split < p.bbox[2] and \
                find_date(p.text.split()[-1])[0] == when:
            dates.append((p, when))  # "/s/ Name, Attorney-in-Fact 09/03/2024": name and date abut
            names.append(replace(p, text=rest))
        elif split is None or p.bbox[2] < split + 2 * height or any(
                d.page == p.page and abs(d.bbox[1] - p.bbox[1]) < 0.5 * height and d.bbox[0] > p.bbox[2] for d in lone):
            names.append(p)  # (a long name runs past the "Date" label, up to its date on its line)
        else:
            across.append(p)  # a line running on across the date column is a footnote's or the remarks'
    # and so are the lines it goes on to: one under it, no further from it than the paragraph's
    # lines are from each other
    leading = [b.bbox[1] - a.bbox[3] for a, b in zip(across, across[1:]) if a.page == b.page and
               0 < b.bbox[1] - a.bbox[1] < 2 * height]
    spacing = max(min(leading, default=0.0), 0.0) + 0.25 * height
    for p in sorted(names, key=lambda p: (p.page, p.bbox[1])):
        if any(q.page == p.page and -height < p.bbox[1] - q.bbox[3] <= spacing and abs(p.bbox[0] - q.bbox[0]) < 2 * height
               for q in across):
            across.append(p)
            names.remove(p)
    if not dates:
        return []
    centre = lambda p: p.page * 100_000 + (p.bbox[1] + p.bbox[3]) / 2  # noqa: E731  (pages stack)
    # above the first signature, only lines set as close as a wrapped name's are its name: the
    # remarks or a footnote end further up
    first = min((d for d, _ in dates), key=lambda d: (d.page, d.bbox[1]))
    floor = min([first.bbox[1]] + [n.bbox[1] for n in names if n.page == first.page
                                    and n.bbox[3] > first.bbox[1] + 1 and n.bbox[1] < first.bbox[3]])
    for p in sorted((p for p in names if p.page == first.page and p.bbox[3] <= first.bbox[1] + 1),
                    key=lambda p: -p.bbox[1]):
        if floor - p.bbox[3] > 0.35 * (p.bbox[3] - p.bbox[1]):
            names = [n for n in names if not (n.page == first.page and n.bbox[3] <= p.bbox[3])]
            break
        floor = p.bbox[1]
    groups: dict[int, list[Piece]] = {d.index: [] for d, _ in dates}
    line_above: tuple[Piece, int] | None = None  # the name line above and the date it went with
    for p in sorted(names, key=centre):
        nearest = min(dates, key=lambda d: abs(centre(d[0]) - centre(p)))[0].index
        # a line that goes on from the one above ("attorney-in-" / "fact") stays with its date,
        # however near the next signature's date it sits
        if line_above is not None and centre(p) - centre(line_above[0]) < 2 * height and \
                (line_above[0].text.rstrip().endswith("-") or p.text[:1].islower()):
            nearest = line_above[1]
        if abs(centre(source.pieces[nearest]) - centre(p)) < 4 * height:
            groups[nearest].append(p)
            line_above = (p, nearest)
    found = []
    for date_piece, when in sorted(dates, key=lambda d: centre(d[0])):
        lines = sorted(groups[date_piece.index], key=lambda p: (p.page, p.bbox[1], p.bbox[0]))
        text = join_lines([p.text for p in lines])
        found.append((text, when, Piece.span(lines) if lines else date_piece, date_piece,
                      {p.index for p in lines} | {date_piece.index}))
    return found


def _signatures_before(source: Source, hit: Hit, boundaries: list[int], floor: int):
    """Name/date units directly above a signature label, nearest last."""
    label_piece = source.pieces[hit.piece]
    lower = max([b for b in boundaries if b < hit.piece] + [floor - 1]) + 1
    if label_piece.bbox is not None:
        placed = _signatures_above(source, hit, lower)
        if placed:
            return placed
    units = _units(source, lower, hit.piece)
    units = [u for u in units if not (label_piece.table >= 0 and u[0].table == label_piece.table
                                      and u[0].row == label_piece.row)]
    found = []
    k = len(units) - 1
    while k >= 0:
        unit = units[k]
        if _NOTE.match(unit[0].text) or _NOTE_ONLY.match(unit[0].text):
            break  # a numbered footnote ("3. ... adopted on 01/19/2021") ends the signature block
        dated = [(p, find_date(p.text)) for p in unit]
        dates = [(p, d, rest) for p, (d, rest) in dated if d is not None]
        if not dates:
            break
        above = units[k - 1][-1].text.strip() if k > 0 else ""
        if re.search(r"[a-z]$", above) and len(above.split()) >= 6 and find_date(above)[0] is None \
                and not above.startswith("/s/") and any(rest for _p, _d, rest in dates) \
                and unit[0].text[:1].isalnum() and not unit[0].text.lstrip().startswith("/s/"):
            break  # the rest of a sentence the line above left open ("... adopted by the" / "Reporting Person on 2021-01-19.")
        text = clean(join_lines(rest for _p, (_d, rest) in dated))
        used = {p.index for p in unit}
        name_pieces = [p for p, (_d, rest) in dated if rest]
        if not text:
            # a date standing alone (a PDF prints name and date as separate blocks): its name is
            # the undated lines just above it
            lines = []
            while k - 1 >= 0 and len(lines) < 3:
                above = units[k - 1]
                if any(find_date(p.text)[0] for p in above) or _NOTE.match(above[0].text):
                    break
                lines[:0] = [p for p in above]
                k -= 1
            text = join_lines([p.text for p in lines])
            name_pieces = lines
            used |= {p.index for p in lines}
        if len(text) > 300:
            break
        if len(dates) == 1:
            date_piece, when, _ = dates[0]
            if date_piece.bbox is not None and name_pieces:
                # on a page, the name is level with its date or below it; lines above are remarks
                level = [p for p in name_pieces if p.bbox and p.bbox[3] >= date_piece.bbox[1] - 1]
                if level and len(level) < len(name_pieces):
                    name_pieces = level
                    text = join_lines([find_date(p.text)[1] for p in level])
                    used = {p.index for p in level} | {date_piece.index}
            name_piece = Piece.span(name_pieces) if name_pieces else date_piece
            found.append((text, when, name_piece, date_piece, used))
        else:
            group: list[Piece] = []
            pairs = []
            for p, (d, _rest) in dated:
                group.append(p)
                if d is not None:
                    name = clean(join_lines(find_date(g.text)[1] for g in group))
                    pairs.append((name, d, Piece.span(group), p, {g.index for g in group}))
                    group = []
            found.extend(reversed(pairs))
        k -= 1
    return list(reversed(found))


def _signatures_after(source: Source, hit: Hit, end: int) -> list:
    """A signature typed under its label ("SIGNATURE OF REPORTING PERSON" / "/s/ Name" / "DATE" /
    "March 13, 2000"): the name lines after the label, then the date (a "Date" label is skipped)."""
    names: list[Piece] = []
    rest = source.pieces[hit.end_piece].text[hit.end:].strip(" :*")
    for p in source.pieces[hit.end_piece + 1:end]:
        text = p.text.strip(" :*")
        if not text or text.lower() == "date":
            continue
        when, left = find_date(text)
        if when is not None and left.strip(" :").lower() in ("", "date"):  # "Date: March 13, 2000" too
            if not names and not rest:
                return []
            name = join_lines(([rest] if rest else []) + [n.text for n in names])
            first = Piece.span(names) if names else p
            return [(name, when, first, p, {n.index for n in names} | {p.index})]
        if when is not None or len(names) >= 3:
            return []
        names.append(p)
    return []


def _first_note(source: Source, start: int, known) -> Hit | None:
    """Where the footnotes begin when no heading names them: the first line after the tables that
    starts with the first footnote's mark ("(1) The shares ...", "1/ ...", "(a) ...")."""
    for piece in source.pieces[start:]:
        m = _NOTE.match(piece.text) if piece.text and piece.table < 0 else None
        if m and m.group(5).strip() and note_id(next(g for g in m.groups()[:4] if g)) == "F1" \
                and not known.covers(words(piece.text), piece.text):
            return Hit(piece.index, 0, 0, 100.0)
    return None


def _footnotes(source: Source, hit: Hit, end: int, skip: set[int], known) -> list[tuple[str, str, Piece]]:
    """The footnotes after HIT: each starts with its mark ("(1)", "1.", "1/", "(a)", "*"); a line
    starred as the form itself stars its notes ("* If the form is filed by ...") is not one."""
    notes: list[list] = []
    rest = source.pieces[hit.end_piece].text[hit.end:].strip(" :")
    items = ([(rest, source.pieces[hit.end_piece])] if rest else []) + \
        [(p.text, p) for p in source.pieces[hit.end_piece + 1:end] if p.text and p.index not in skip]
    pending_id: str | None = None
    for text, piece in items:
        if text.strip() in ("*", "**"):
            continue
        only = _NOTE_ONLY.match(text)
        if only:  # the older stylesheet prints "(1)" and the text in separate cells
            pending_id = f"F{int(only.group(1))}"
            notes.append([pending_id, "", [piece]])
            continue
        m = _NOTE.match(text)
        fid = note_id(next(g for g in m.groups()[:4] if g)) if m else ""
        if m and m.group(4) and len(words(text)) >= 4 and known.covers(words(text), text):
            m = None  # the form's own starred note
        if m and not pending_id and _starts_note(int(fid[1:]), notes):
            notes.append([fid, m.group(5).strip(), [piece]])
        elif notes:
            if _apart(notes[-1][2][-1], piece):  # text set apart after a note: its next paragraph, or remarks?
                source.doubt(piece.index, APART_DOUBT)
            notes[-1][1] = (notes[-1][1] + " " + text).strip()
            notes[-1][2].append(piece)
        pending_id = None
    return [(fid, clean(body), Piece.span(pieces)) for fid, body, pieces in notes if body or fid]


APART_DOUBT = "text set apart after a footnote, read as the footnote's: it may be the remarks"


def _apart(above: Piece, here: Piece) -> bool:
    """Whether HERE stands apart from the line ABOVE it: a blank line between them."""
    if above.bbox is not None and here.bbox is not None:
        if here.page != above.page:
            return False
        height = min(max(above.bbox[3] - above.bbox[1], 1.0), here.bbox[3] - here.bbox[1])
        return here.bbox[1] - above.bbox[3] > 0.9 * height
    return here.block != above.block and here.line > above.line + 1


def _starts_note(number: int, notes: list[list]) -> bool:
    """Whether a line starting "NUMBER." starts a footnote: the next number, or a later one after
    a note that ended its sentence. A note wrapped before "4." ("... reported on this Form" /
    "4.") goes on."""
    if not notes:
        return True
    last = int(notes[-1][0][1:])
    return number == last + 1 or (number > last and notes[-1][1].rstrip()[-1:] in ".;:)\"'")


def _owner_table(source: Source, hit: Hit) -> list[OwnerRow]:
    """Rows under the "Director | 10% Owner | Officer | Other" header of the owners table."""
    piece = source.pieces[hit.piece]
    if piece.table < 0:
        return []
    table = source.tables[piece.table]
    rows: list[OwnerRow] = []
    started = False
    for row in table.rows:
        texts = [c.text for c in row]
        if not started:
            started = any(t.strip().lower() == "director" for t in texts)
            continue
        if len(row) < 5:
            continue
        first = row[0]
        lines = [(p.text, p) for p in source.pieces[first.pieces[0]:first.pieces[1]] if p.text]

        def text_of(cell):
            found = [p for p in source.pieces[cell.pieces[0]:cell.pieces[1]] if p.text]
            return (clean(join_lines(p.text for p in found)), found[0]) if found else None

        rows.append(OwnerRow(lines=lines, director=row[1].text.strip().upper() == "X",
                             ten_percent=row[2].text.strip().upper() == "X",
                             officer_title=text_of(row[3]), other_text=text_of(row[4])))
    return rows
