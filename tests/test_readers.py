"""Readers: each input kind yields the same intermediate form; quirks stay in the readers."""
from __future__ import annotations

import pytest

from extractor.errors import UnreadableInputError
from extractor.ir import CHECKED, UNCHECKED
from extractor.readers import read_bytes
from extractor.readers.detect import sniff
from extractor.readers.markdown import widen_tables


def texts(source):
    return [p.text for p in source.pieces if p.text]


def test_html_cells_breaks_sups_and_checkboxes():
    html = b"""<html><body><table><tr><td>785<sup>(1)</sup></td><td></td>
    <td><input type="checkbox" checked="checked"/> Director<br>10% Owner</td></tr></table></body></html>"""
    src = read_bytes(html, "t.html")
    assert [p.text for p in src.pieces] == ["785 (1)", "", f"{CHECKED} Director", "10% Owner"]
    cells = src.tables[0].rows[0]
    assert [(c.col, c.text) for c in cells] == [(0, "785 (1)"), (1, ""), (2, f"{CHECKED} Director 10% Owner")]


def test_colspan_and_rowspan_grid_columns():
    html = b"""<table><tr><td rowspan="2">a</td><td colspan="2">b</td><td>c</td></tr>
    <tr><td>d</td><td>e</td><td>f</td></tr></table>"""
    rows = read_bytes(html, "t.html").tables[0].rows
    assert [(c.col, c.span) for c in rows[0]] == [(0, 1), (1, 2), (3, 1)]
    assert [c.col for c in rows[1]] == [1, 2, 3]


def test_markdown_keeps_cells_beyond_the_header_width():
    """GFM drops cells past the header row; markdownify's flattened rows need them all."""
    md = "| a | b |\n| --- | --- |\n| 1 | 2 | 3 | 4 |\n"
    widened = widen_tables(md)
    assert widened.splitlines()[0].count("|") == 5
    src = read_bytes(md.encode(), "t.md")
    assert [c.text for c in src.tables[0].rows[1]] == ["1", "2", "3", "4"]


def test_markdown_seed_style_cells():
    md = (b"| 1. Name<br><u>Federico Richard D</u><br><br>(Last) | <input checked=\"\" type=\"checkbox\"/> Director |\n"
          b"|---|---|\n| 785 <sup>(1)</sup> | \\$7 |\n")
    src = read_bytes(md, "seed.md")
    assert src.reader == "markdown"
    assert texts(src) == ["1. Name", "Federico Richard D", "(Last)", f"{CHECKED} Director", "785 (1)", "$7"]


def test_markdown_ordered_list_keeps_its_numbers():
    src = read_bytes(b"**Explanation of Responses:**\n\n1. First note.\n2. Second note.\n", "n.md")
    assert texts(src)[-2:] == ["1. First note.", "2. Second note."]


def test_unchecked_box_glyph():
    src = read_bytes(b"<p><input type='checkbox'/> Form filed by One Reporting Person</p>", "x.html")
    assert texts(src) == [f"{UNCHECKED} Form filed by One Reporting Person"]


def test_kind_is_sniffed_from_content_not_extension():
    assert sniff(b"<html><body><table><tr><td>x</td></tr></table></body></html>", "a.md") == "html"
    assert sniff(b"| a | b |\n|---|---|\n| <span>1</span> | <td>2</td> |\n<table><tr><td>", "a.html") == "markdown"
    assert sniff(b"**Remarks:** none", "a.txt") == "markdown"


def test_deep_nesting_does_not_recurse():
    html = b"<div>" * 2000 + b"Form 4" + b"</div>" * 2000
    assert texts(read_bytes(html, "deep.html")) == ["Form 4"]


def test_nesting_beyond_the_parser_limit_is_a_clean_error():
    with pytest.raises(UnreadableInputError, match="deep.html"):
        read_bytes(b"<div>" * 20000 + b"Form 4" + b"</div>" * 20000, "deep.html")


@pytest.mark.parametrize("broken, repaired", [("</rptOwnerNa\nme>", True), ("</rptOwnerNa\r\n  me>", True),
                                              ("</rptOwnerNa\nmex>", False)])
def test_xml_ill_formed_as_disseminated_is_repaired_only_when_unambiguous(corpus, scorer, tmp_path, broken, repaired):
    """A tag name a line end broke, as some disseminated submissions have it: joined again when the
    joined name is one the document uses (read exactly, finding R10 saying so); otherwise one line."""
    from extractor import extract, to_xml

    text = (corpus / "envelopes" / "dsp_1_emb0.txt").read_text()
    at = text.index("</rptOwnerName>")
    path = tmp_path / "broken.txt"
    path.write_text(text[:at] + broken + text[at + len("</rptOwnerName>"):])
    if not repaired:
        with pytest.raises(UnreadableInputError, match="invalid ownershipDocument XML"):
            extract(path)
        return
    doc = extract(path)
    (note,) = [f for f in doc.findings if f.rule == "R10"]
    assert "1 tag name(s) broken by a line end joined again (</rptOwnerName>)" in note.message
    ours = tmp_path / "ours.xml"
    ours.write_text(to_xml(doc))
    result = scorer.score_pair(corpus / "truth" / "dsp_1_emb0.xml", ours)
    assert (result["wrong"], result["missing"], result["extra"]) == ([], [], [])
