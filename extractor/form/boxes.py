"""The header boxes (1-6, 2a and the check boxes above them) of a rendering.

The header region is cut into one segment per box by the box labels the
layout names (found once with :class:`~extractor.labels.LabelIndex`); each box
type then reads its segment. Check marks are read from what precedes a label:
a mark cell ("X"), a widget (checked input), or a printed mark ("__X__").
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..ir import Piece, Source, join_lines
from ..labels import Hit, LabelIndex, label_pattern, normalise, widen, word_matches, words
from ..layout import Box, Layout
from .address import US_STATES, parse_address
from .values import check_state, clean, parse_date

_HINTS = re.compile(r"^\s*(?:\((?:[^)0-9]*)\)\s*|\*+\s*|:\s*)+")
_ISSUER = re.compile(r"^(.*?)\s*\[\s*([^\]]*?)\s*\]\s*(.*)$", re.S)


@dataclass
class Segment:
    """What follows a box label up to the next label: (text, piece) fragments."""

    box: Box
    hit: Hit
    frags: list[tuple[str, Piece]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # offset of each fragment in its piece
    _joined: tuple[list[int], str] | None = field(default=None, repr=False)

    def text(self) -> str:
        return clean(join_lines(t for t, _ in self.frags))

    def joined(self) -> tuple[list[int], str]:
        """The fragments' normalised texts joined by spaces, and where each starts (computed once:
        every option label of a box is searched in it)."""
        if self._joined is None:
            texts = [normalise(t) if t else "" for t, _ in self.frags]
            offsets, pos = [], 0
            for text in texts:
                offsets.append(pos)
                pos += len(text) + 1
            self._joined = (offsets, " ".join(texts))
        return self._joined

    def first_piece(self) -> Piece | None:
        return next((p for t, p in self.frags if t), None)

    def span_piece(self) -> Piece | None:
        """The place of a value read from the whole segment (see :meth:`Piece.span`)."""
        return Piece.span([p for t, p in self.frags if t.strip()])


def find_boxes(source: Source, index: LabelIndex, layout: Layout) -> dict[str, Hit]:
    hits: dict[str, Hit] = {}
    for key, box in layout.boxes.items():
        hit = index.find(box.labels, box.threshold or layout.threshold)
        if hit is not None:
            hits[key] = hit
    return hits


_SUBLABEL_START = re.compile(r"^\s*\(\s*(?:last|street|city|country)\s*\)", re.I)


def segments(source: Source, layout: Layout, hits: dict[str, Hit], end: int) -> dict[str, Segment]:
    """Cut pieces [first hit, END) at every hit; each box keeps what follows its label.

    Box 1's printed sub-labels ("(Last)", "(Street)", "(City)") also cut: in the older
    stylesheet box 1 is split over several table rows, interleaved with boxes 2-6, so
    what follows a sub-label outside box 1's own segment is added back to box 1.
    """
    address_key = next((k for k, b in layout.boxes.items() if b.type == "name_address"), None)
    marks = sorted((h.piece, h.start, key) for key, h in hits.items())
    if address_key in hits:
        own_end = next((m[0] for m in marks if m[0] > hits[address_key].piece), end)
        marks += [(p.index, 0, "+" + address_key) for p in source.pieces[own_end:end]
                  if p.text and _SUBLABEL_START.match(p.text)]
        marks.sort()
    out: dict[str, Segment] = {}
    pieces = source.pieces
    for n, (pi, start, key) in enumerate(marks):
        continuation = key.startswith("+")
        key = key.lstrip("+")
        if continuation and key not in out:
            continue
        nxt_piece, nxt_start = marks[n + 1][:2] if n + 1 < len(marks) else (end, 0)
        seg = out[key] if continuation else Segment(layout.boxes[key], hits[key])
        first = len(seg.frags)
        lo_first = start if continuation else hits[key].end
        pi = pi if continuation else hits[key].end_piece  # a wrapped label ends on a later line
        for k in range(pi, min(nxt_piece, end - 1) + 1):
            text = pieces[k].text
            lo = lo_first if k == pi else 0
            if k == nxt_piece:
                hi = nxt_start if nxt_start >= lo else lo
                if text[lo:hi].strip():
                    seg.frags.append((text[lo:hi], pieces[k]))
                    seg.starts.append(lo)
                break
            seg.frags.append((text[lo:], pieces[k]))
            seg.starts.append(lo)
        # the label's printed hint ("(Month/Day/Year)", "*") starts its first line of text, which
        # may be the line after the label's own
        lead = next((k for k in range(first, len(seg.frags)) if seg.frags[k][0].strip()), None)
        if lead is not None and not continuation:
            first_text, first_piece = seg.frags[lead]
            cleaned = _HINTS.sub("", first_text)
            if lead > first and _SUBLABEL_START.match(first_text):
                cleaned = first_text  # box 1's own sub-labels, "(Last) (First) (Middle)": no hint
            seg.starts[lead] += len(first_text) - len(cleaned)
            seg.frags[lead] = (cleaned, first_piece)
        out[key] = seg
    return out


_SYNTAX = re.compile(r"[|:\-+]+")


def mark_before(source: Source, hit: Hit, floor: int) -> tuple[bool, Piece | None]:
    """Is the label at HIT ticked? Looks at the text before it in its piece, then at
    the nearest non-empty piece before it (not before piece FLOOR); on a page (PDF),
    at a mark printed left of the label's first lines."""
    piece = source.pieces[hit.piece]
    if piece.bbox is not None:
        return _mark_left_of(source, hit)
    # the word just before the label, past table syntax a converter left as text ("| X | | --- |")
    before = [w for w in piece.text[: hit.start].split() if not _SYNTAX.fullmatch(w)]
    if before:
        return bool(check_state(before[-1])), piece
    for k in range(hit.piece - 1, max(floor, 0) - 1, -1):
        prev = source.pieces[k]
        if prev.text:
            return bool(check_state(prev.text)), prev
    return False, None


def _mark_left_of(source: Source, hit: Hit) -> tuple[bool, Piece | None]:
    """The mark printed left of a label's paragraph, level with any of its lines (a checkbox is
    centred on the whole wrapped label, "Check this box to indicate ... See Instruction 10.")."""
    label = source.pieces[hit.piece]
    x0 = label.bbox[0]
    height = (label.bbox[3] - label.bbox[1]) or 6.0
    top, bottom = label.bbox[1], label.bbox[3]
    last_top, pitch = top, None
    for p in source.pieces[hit.piece + 1:hit.piece + 20]:  # the label's lines: same left edge, no gap
        if p.page != label.page or p.bbox is None or abs(p.bbox[0] - x0) > 3:
            continue
        step = p.bbox[1] - last_top
        # a wider step than the paragraph's own line pitch starts the next label below it
        if p.bbox[1] - bottom > height or (pitch is not None and step > 1.5 * pitch):
            break
        pitch = pitch or step
        last_top, bottom = p.bbox[1], max(bottom, p.bbox[3])
    for k in range(max(0, hit.piece - 15), min(len(source.pieces), hit.end_piece + 15)):
        p = source.pieces[k]
        if p.page != label.page or p.bbox is None or not p.text or check_state(p.text) is None:
            continue
        centre = (p.bbox[1] + p.bbox[3]) / 2
        if p.bbox[2] <= x0 + 1 and x0 - p.bbox[2] < 40 and top - height <= centre <= max(bottom, top + 4 * height):
            return bool(check_state(p.text)), p
    return False, label


@dataclass
class OptionHit:
    field: str
    frag: int  # index into Segment.frags where the label starts
    start: int  # offset in that fragment's piece text
    end: int  # offset in the piece text of fragment END_FRAG, where the label ends
    checked: bool = False
    mark_piece: Piece | None = None
    end_frag: int = -1  # a label wrapped over lines ends in a later fragment

    def __post_init__(self) -> None:
        if self.end_frag < 0:
            self.end_frag = self.frag


def _option_hit(seg: Segment, field: str, labels: list[str]) -> OptionHit | None:
    """The first place one of PATTERNS matches in the segment's fragments, read as one text: an
    option label wrapped over two lines of its cell ("Form filed by More than One Reporting" /
    "Person") is found whole."""
    offsets, joined = seg.joined()
    patterns = [p for p in map(label_pattern, labels) if p]
    spans = [(m.start(), m.end()) for pattern in patterns if (m := next(word_matches(pattern, joined), None))]
    if not spans:  # a label OCR or a converter garbled ("Form filed by More than 0ne Reporting Persen")
        for target in (" ".join(words(label)) for label in labels):
            found = fuzz.partial_ratio_alignment(target, joined, score_cutoff=88) if len(target) >= 12 else None
            if found is not None:
                spans.append((found.dest_start, found.dest_end))
                break
    for start, end in spans[:1]:
        first = bisect_right(offsets, start) - 1
        last = bisect_right(offsets, max(end - 1, start)) - 1
        lo = seg.starts[first] + start - offsets[first]
        hi = seg.starts[last] + end - offsets[last]
        lo, _ = widen(seg.frags[first][1].text, lo, lo)
        _, hi = widen(seg.frags[last][1].text, len(seg.frags[last][1].text) + 1, hi)
        return OptionHit(field, first, lo, hi, end_frag=last)
    return None


ANSWER = re.compile(r"^[\s:.\-_]*\b(yes|no)\b", re.I)


def find_options(source: Source, seg: Segment) -> tuple[list[OptionHit], list[tuple[str, Piece]]]:
    """Locate each option label of a relationship/joint box in its segment, read
    its mark, and return the fragments after the last option (title / other text)."""
    found: list[OptionHit] = []
    for option in seg.box.options:
        hit = _option_hit(seg, option.field, option.labels)
        if hit:
            hit.mark_piece = seg.frags[hit.frag][1]
            found.append(hit)
    found.sort(key=lambda h: (h.frag, h.start))
    marks = _marks_by_place(seg, found)
    prev = (0, seg.starts[0] if seg.starts else 0)
    for opt in found if marks is None else ():
        text, piece = seg.frags[opt.frag]
        lo = prev[1] if opt.frag == prev[0] else seg.starts[opt.frag]
        before = piece.text[lo: opt.start].split()
        if before:
            opt.checked, opt.mark_piece = bool(check_state(before[-1])), piece
        else:
            for n in range(opt.frag - 1, prev[0] - 1, -1):
                t, p = seg.frags[n]
                if t.strip():
                    opt.checked, opt.mark_piece = bool(check_state(t)), p
                    break
        prev = (opt.end_frag, opt.end)
    for opt in found:  # a typist's answer after the label: "Director: Yes", "10% Owner ... No"
        piece = seg.frags[opt.end_frag][1]
        answer = ANSWER.match(piece.text[opt.end:])
        if answer:
            opt.checked, opt.mark_piece = answer.group(1).lower() == "yes", piece
    trailing: list[tuple[str, Piece]] = []
    if found:
        last = max(found, key=lambda h: (h.end_frag, h.end))
        text, piece = seg.frags[last.end_frag]
        rest = piece.text[last.end: seg.starts[last.end_frag] + len(text)].strip()
        rest = ANSWER.sub("", rest, count=1).strip()
        if rest:
            trailing.append((rest, piece))
        trailing.extend((t.strip(), p) for t, p in seg.frags[last.end_frag + 1:]
                        if not (marks and p.index in marks and check_state(t) is not None))
    return found, trailing


def _mark_distance(mark: Piece, label: tuple[float, float, float, float]) -> float:
    """How far a mark sits from the start of an option label: infinite unless just left of it
    and level with it (centre within one label height above, 1.5 below)."""
    height = label[3] - label[1] or 6.0
    gap = label[0] - mark.bbox[2]
    if not -1 <= gap < 40:
        return float("inf")
    off = (mark.bbox[1] + mark.bbox[3]) / 2 - (label[1] + label[3]) / 2
    return abs(off) if -height <= off <= 1.5 * height else float("inf")


def _marks_by_place(seg: Segment, found: list[OptionHit]) -> set[int] | None:
    """On a page (bboxes known), a mark belongs to the option label just right of it and level
    with it, wherever the reader put it in reading order (OCR lines interleave). Sets each
    option's state and returns the mark pieces used; None without bboxes."""
    if not found or any(seg.frags[o.frag][1].bbox is None for o in found):
        return None
    pieces = [p for _t, p in seg.frags if p.bbox is not None and p.text.strip()]
    for opt in found:
        opt.checked, opt.mark_piece = False, seg.frags[opt.frag][1]
    used: set[int] = set()
    for mark in pieces:
        state = check_state(mark.text.strip())
        if state is None:
            continue
        scored = [(_mark_distance(mark, seg.frags[opt.frag][1].bbox), k) for k, opt in enumerate(found)]
        best_distance, k = min(scored)
        if best_distance < float("inf"):
            found[k].checked, found[k].mark_piece = bool(state), mark
            used.add(mark.index)
    return used


_TYPED_TICKER = re.compile(r"^(.*?)\s*\(\s*([A-Z][A-Z.]{0,5})\s*\)\s*$|^(.*?[a-z].*?)\s+(?:[-/:]\s*)?([A-Z][A-Z.]{0,5})$"
                           r"|^(.*?)\s+[-/:]\s+([A-Z][A-Z.]{0,5})$", re.S)  # "Name (TICK)", "Name TICK", "NAME - TICK"


def issuer_parts(text: str) -> tuple[str, str, str]:
    """'ALLIED MOTION TECHNOLOGIES INC [ AMOT ]' -> (name, ticker, rest); typed forms also print
    'The Peoples Holding Company (PHC)' or the ticker on its own after a mixed-case name."""
    m = _ISSUER.match(text)
    if not m:
        typed = _TYPED_TICKER.match(clean(text))
        if typed:
            name, ticker = next((typed.group(k), typed.group(k + 1)) for k in (1, 3, 5) if typed.group(k + 1))
            return clean(name), ticker, ""
        return clean(text), "", ""
    return clean(m.group(1)), clean(m.group(2)), clean(m.group(3))


def state_code(state: str) -> str:
    """'Mississippi' or 'Ms.' -> 'MS'; anything else as printed."""
    text = clean(state)
    if re.fullmatch(r"[A-Za-z]{2}\.?", text):
        return text[:2].upper()
    return US_STATES.get(text.upper(), text)


def date_of(seg: Segment) -> tuple[object, str]:
    """The date a date box holds and the text it was read from (its first word, or all of it);
    (None, the box's text) when it holds none."""
    text = seg.text()
    token = text.split(" ")[0] if text else ""
    if (when := parse_date(token)) is not None:
        return when, token
    return parse_date(text), text


__all__ = ["Segment", "find_boxes", "segments", "mark_before", "find_options", "issuer_parts",
           "parse_address", "state_code", "date_of"]
