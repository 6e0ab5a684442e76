"""Bad input: one clear line naming the file and the problem, never a traceback."""
from __future__ import annotations

import pytest

from extractor import extract
from extractor.errors import ExtractionError, NotAFormError, UnreadableInputError


@pytest.mark.parametrize("name,data,error,words", [
    ("empty.html", b"", UnreadableInputError, "empty file"),
    ("blank.md", b"  \n\n ", UnreadableInputError, "empty file"),
    ("junk.bin", bytes(range(256)) * 40, UnreadableInputError, "binary"),
    ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", UnreadableInputError, "PDF"),
    ("menu.html", b"<html><body><h1>Lunch menu</h1><table><tr><td>Soup</td></tr></table></body></html>",
     NotAFormError, "not a Form 3, 4 or 5"),
    ("notes.md", b"# Notes\n\nNothing to see here, no tables at all.\n", NotAFormError, "not a Form 3, 4 or 5"),
    ("tags.html", b"<html><body></body></html>", UnreadableInputError, "no text"),
])
def test_bad_input_gives_one_line(tmp_path, name, data, error, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as info:
        extract(path)
    message = str(info.value)
    assert str(path) in message and words in message and "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableInputError, match="nope.html"):
        extract(tmp_path / "nope.html")


def test_truncated_html_still_yields_what_is_there(corpus, tmp_path):
    """A page cut off after Table I keeps the header and Table I; the cut is recorded."""
    full = (corpus / "html" / "edgt_374WaterForm4.real.html").read_bytes()
    cut = full[: full.index(b"Table II")]
    path = tmp_path / "cut.html"
    path.write_bytes(cut)
    doc = extract(path)
    assert doc.issuer.issuer_trading_symbol.value == "SCWO"
    assert str(doc.non_derivative_transactions[0].transaction_shares.value) == "757756"
    assert not doc.derivative_transactions
    assert any(p.kind == "missing_signature" for p in doc.problems)


def _insert_column(html: str) -> str:
    """Add an unexpected column before column 5 of Table I: a header cell and a cell per row."""
    label = html.index("5. \n      Amount of Securities Beneficially Owned")
    th = html.rindex("<th", 0, label)
    html = html[:th] + '<th rowspan="2">Extra</th>' + html[th:]
    start = html.index("<tbody>", th)
    end = html.index("</tbody>", start)
    rows = html[start:end].split("<tr>")
    for n, row in enumerate(rows[1:], start=1):
        cells = row.split("<td")
        rows[n] = "<td".join(cells[:9]) + "<td>junk</td><td" + "<td".join(cells[9:])
    return html[:start] + "<tr>".join(rows) + html[end:]


def test_extra_column_is_recorded_and_the_rest_read(corpus, tmp_path):
    path = tmp_path / "extra.html"
    path.write_text(_insert_column((corpus / "html" / "dsp_1_emb0.html").read_text()))
    doc = extract(path)
    row = doc.non_derivative_transactions[0]
    assert str(row.transaction_price_per_share.value) == "18.14"
    assert str(row.shares_owned_following_transaction.value) == "15711.8844"
    assert row.shares_owned_following_transaction.footnote_ids == ["F1"]
    assert row.direct_or_indirect_ownership.value == "D"
    assert str(doc.non_derivative_holdings[1].shares_owned_following_transaction.value) == "383262.5326"
    assert any(p.kind == "extra_column" for p in doc.problems)


def test_hostile_html_entities_and_scripts(tmp_path):
    page = (b"<!DOCTYPE html [<!ENTITY x 'boom'>]><html><body><script>alert(1)</script>"
            b"<p>&x;&x;&x;</p><p>STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP</p></body></html>")
    path = tmp_path / "hostile.html"
    path.write_bytes(page)
    with pytest.raises(ExtractionError):
        extract(path)


def test_missing_footnote_text_is_recorded(corpus, tmp_path):
    md = (corpus / "md" / "edgt_374WaterForm4.real.seedlike.md").read_text()
    cut = md.replace("1. Vesting commencement date", "Vesting commencement date")
    path = tmp_path / "no-notes.md"
    path.write_text(cut)
    doc = extract(path)
    assert doc.footnotes == []
    assert str(doc.derivative_transactions[0].transaction_shares.value) == "757576"
    [problem] = [p for p in doc.problems if p.kind == "missing_footnote"]
    assert problem.message.startswith("footnote (1) is cited (Table I row 1, col 4. Amount)")


@pytest.mark.parametrize("printed,code", [("1", "I"), ("l", "I"), ("0", "O"), ("5", "S")])
def test_a_code_read_as_its_lookalike_digit_is_the_letter(corpus, tmp_path, printed, code):
    # a scan's "I" read as a one (synth scans): a transaction code is always a letter
    html = (corpus / "html" / "edgt_form4.Evans.html").read_text()
    html = html.replace('<span class="SmallFormData">A</span>', f'<span class="SmallFormData">{printed}</span>', 1)
    path = tmp_path / "code.html"
    path.write_text(html)
    assert extract(path).non_derivative_transactions[0].transaction_code.value == code
