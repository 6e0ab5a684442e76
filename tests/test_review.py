"""Review: scripted sessions (accept, bad then good edit, quit and resume, replay), --set, show,
a real terminal session (pexpect) and a killed session whose confirmed changes survive."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor import extract
from extractor.cli.app import app
from extractor.review.journal import journal_path

runner = CliRunner()


@pytest.fixture
def faulty(corpus, tmp_path) -> Path:
    """dsp_1_emb0 with two misreads planted: ownership 'X' (S2 error) and shares '275.6x4' (unreadable)."""
    html = (corpus / "html" / "dsp_1_emb0.html").read_text()
    html = html.replace('<span class="FormData">275.634</span>', '<span class="FormData">275.6x4</span>', 1)
    marker = '<span class="FormData">15,711.8844</span>'
    at = html.index(marker)
    d_at = html.index('<span class="FormData">D</span>', at)
    html = html[:d_at] + '<span class="FormData">X</span>' + html[d_at + len('<span class="FormData">D</span>'):]
    path = tmp_path / "faulty.html"
    path.write_text(html)
    return path


def _journal(path: Path) -> list[dict]:
    return [json.loads(line) for line in journal_path(path).read_text().splitlines()]


def test_scripted_session_edit_bad_then_good_quit_and_resume(faulty):
    env = {"FORM4_USER": "tester"}
    answers = "\n".join(["e", "D", "typo in column 6",          # S2 error first: ownership X -> D
                         "e", "abc", "275.634", "",               # unreadable amount: bad input re-asked, then good
                         "q"]) + "\n"
    result = runner.invoke(app, ["review", str(faulty)], input=answers, env=env)
    assert result.exit_code == 0, result.output
    assert "not a number" in result.output
    entries = _journal(faulty)
    assert [(e["field"], e["action"], e["old"], e["new"]) for e in entries] == [
        ("non_derivative_transactions[0].direct_or_indirect_ownership", "edit", "X", "D"),
        ("non_derivative_transactions[0].transaction_shares", "edit", "275.6x4", "275.634")]
    assert entries[0]["user"] == "tester" and entries[0]["reason"] == "typo in column 6"
    assert "1 finding(s) resolved" in result.output
    # resume: decided fields are not asked again, the corrections are re-applied
    again = runner.invoke(app, ["review", str(faulty), "-o", str(faulty.parent / "out"), "-f", "json"],
                          input="q\n", env=env)
    assert "2 correction(s)" in again.output
    assert "direct_or_indirect_ownership)" not in again.output and "transaction_shares)" not in again.output
    doc = json.loads((faulty.parent / "out" / "faulty.json").read_text())
    row = doc["non_derivative_transactions"][0]
    assert row["direct_or_indirect_ownership"]["value"] == "D"
    assert row["transaction_shares"]["value"] == "275.634"
    assert row["transaction_shares"]["provenance"]["reader"] == "review"
    assert not [f for f in doc["findings"] if f["severity"] == "error"]


def test_accept_skip_back_and_empty(faulty):
    answers = "\n".join(["a", "b", "x", "wrong cell", "s", "q"]) + "\n"
    result = runner.invoke(app, ["review", str(faulty), "--user", "ann"], input=answers)
    assert result.exit_code == 0, result.output
    entries = _journal(faulty)
    assert [e["action"] for e in entries] == ["accept", "reopen", "empty"]
    assert {e["field"] for e in entries} == {"non_derivative_transactions[0].direct_or_indirect_ownership"}
    assert entries[2]["user"] == "ann" and entries[2]["new"] is None and entries[2]["reason"] == "wrong cell"


def test_apply_journal_to_a_fresh_extraction(faulty, tmp_path):
    runner.invoke(app, ["review", str(faulty)], input="e\nD\n\ne\n275.634\n\nq\n")
    fresh_dir = tmp_path / "fresh"
    fresh_dir.mkdir()
    fresh = fresh_dir / faulty.name
    shutil.copy(faulty, fresh)
    result = runner.invoke(app, ["review", str(fresh), "--apply", str(journal_path(faulty)), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    xml = (tmp_path / "o" / "faulty.xml").read_text()
    assert "<value>275.634</value>" in xml and "<directOrIndirectOwnership>\n" in xml
    assert "<value>X</value>" not in xml


def test_set_without_prompts(faulty, tmp_path):
    result = runner.invoke(app, ["review", str(faulty), "--set",
                                 "non_derivative_transactions[0].direct_or_indirect_ownership=D",
                                 "--set", "non_derivative_transactions[0].transaction_shares=275.634 (1)",
                                 "--reason", "checked against the PDF", "-o", str(tmp_path / "o"), "-f", "json"])
    assert result.exit_code == 0, result.output
    row = json.loads((tmp_path / "o" / "faulty.json").read_text())["non_derivative_transactions"][0]
    assert row["transaction_shares"]["value"] == "275.634" and row["transaction_shares"]["footnote_ids"] == ["F1"]
    assert [e["reason"] for e in _journal(faulty)] == ["checked against the PDF"] * 2
    bad = runner.invoke(app, ["review", str(faulty), "--set", "non_derivative_transactions[0].transaction_shares=lots"])
    assert bad.exit_code == 1 and "not a number" in bad.output


def test_show_and_validate_json(faulty):
    shown = runner.invoke(app, ["show", str(faulty)])
    assert shown.exit_code == 0 and "Table I" in shown.output and "S2" in shown.output
    result = runner.invoke(app, ["validate", str(faulty), "--format", "json"])
    assert result.exit_code == 1
    line = json.loads(result.stdout.splitlines()[0])
    assert line["file"] == str(faulty)
    assert {"rule": "S2", "severity": "error"}.items() <= line["findings"][0].items()
    strict = runner.invoke(app, ["extract", str(faulty), "--strict"])
    assert strict.exit_code == 1 and "validator errors: S2" in strict.stderr


def _spawn(args, cwd, columns: int = 120):
    pexpect = pytest.importorskip("pexpect")
    exe = shutil.which("form4")
    cmd = exe if exe else sys.executable
    argv = args if exe else ["-m", "extractor.cli.app", *args]
    env = dict(os.environ, FORM4_USER="terminal", COLUMNS=str(columns), TERM="xterm")
    return pexpect.spawn(cmd, argv, cwd=str(cwd), env=env, encoding="utf-8", timeout=60,
                         dimensions=(50, columns))


def test_real_terminal_session(faulty):
    child = _spawn(["review", str(faulty)], faulty.parent)
    child.expect(r"ownership")  # the S2 error comes first, its source row shown
    child.expect(r"\[q\]uit > ")
    child.sendline("e")
    child.expect("new value")
    child.sendline("D")
    child.expect("reason")
    child.sendline("seen on screen")
    child.expect("resolved")
    child.expect(r"\[q\]uit > ")
    child.sendline("q")
    child.expect("resume")
    child.expect(pexpect_eof())
    assert _journal(faulty)[0]["new"] == "D"


def pexpect_eof():
    import pexpect

    return pexpect.EOF


def test_killed_session_keeps_confirmed_changes(faulty):
    child = _spawn(["review", str(faulty)], faulty.parent)
    child.expect(r"\[q\]uit > ")
    child.sendline("e")
    child.expect("new value")
    child.sendline("D")
    child.expect("reason")
    child.sendline("before the crash")
    child.expect(r"\[q\]uit > ")  # the next question: the change was confirmed and journaled
    child.kill(signal.SIGKILL)
    child.close(force=True)
    assert [(e["new"], e["reason"]) for e in _journal(faulty)] == [("D", "before the crash")]
    # resume applies it: the corrected field is no longer asked about and the extraction carries it
    result = runner.invoke(app, ["review", str(faulty), "-o", str(faulty.parent / "o"), "-f", "json"], input="q\n")
    assert "1 correction(s)" in result.output
    row = json.loads((faulty.parent / "o" / "faulty.json").read_text())["non_derivative_transactions"][0]
    assert row["direct_or_indirect_ownership"]["value"] == "D"
    assert extract(faulty).non_derivative_transactions[0].direct_or_indirect_ownership.value == "D"
    assert extract(faulty, corrections=False).non_derivative_transactions[0].direct_or_indirect_ownership.value == "X"


def test_apply_one_journal_to_several_files_touches_only_its_filing(faulty, corpus, tmp_path):
    """A journal names its filing: replaying it over several files must not correct the others."""
    runner.invoke(app, ["review", str(faulty)], input="e\nD\n\nq\n")
    other = tmp_path / "other.html"
    other.write_bytes((corpus / "html" / "dsp_1_emb0.html").read_bytes())
    out = tmp_path / "o"
    result = runner.invoke(app, ["review", str(faulty), str(other), "--apply", str(journal_path(faulty)),
                                 "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    fixed = json.loads((out / "faulty.json").read_text())["non_derivative_transactions"][0]
    untouched = json.loads((out / "other.json").read_text())["non_derivative_transactions"][0]
    assert fixed["direct_or_indirect_ownership"]["provenance"]["reader"] == "review"
    assert untouched["direct_or_indirect_ownership"]["provenance"]["reader"] == "html"


def test_an_unsure_footnote_text_is_reviewed_and_corrected(corpus, tmp_path):
    # an OCR'd footnote whose readings disagreed carries a confidence under the threshold: review
    # shows it like any value, and the correction is journaled and replayed
    from extractor.model import Problem

    doc = extract(corpus / "html" / "dsp_1_emb0.html")
    doc.footnotes[0].confidence = 0.6
    doc.problems.append(Problem(kind="second_reading", message="footnote (1): OCR read '1. Includes', "
                                "other readings '1. lncludes'", locator=doc.footnotes[0].provenance.locator))
    result_file = tmp_path / "scan.json"
    result_file.write_text(doc.model_dump_json())
    answers = "e\nIncludes shares acquired through dividend reinvestment.\nchecked\nq\n"
    result = runner.invoke(app, ["review", str(result_file), "-o", str(tmp_path / "o"), "-f", "json"], input=answers)
    assert result.exit_code == 0, result.output
    assert "footnote (1)" in result.output
    assert "second_reading: footnote (1): OCR read '1. Includes'" in result.output  # the other readings
    assert [(e["field"], e["action"], e["new"]) for e in _journal(result_file)] == [
        ("footnotes[0].text", "edit", "Includes shares acquired through dividend reinvestment.")]
    note = json.loads((tmp_path / "o" / "scan.json").read_text())["footnotes"][0]
    assert (note["text"], note["confidence"]) == ("Includes shares acquired through dividend reinvestment.", 1.0)


def test_corrections_stick_wherever_the_filing_is_read(faulty, tmp_path):
    """A correction made in review is what extract, show, validate and the Python API give after it,
    and each says so; --no-corrections (corrections=False) reads the filing as extracted."""
    runner.invoke(app, ["review", str(faulty), "--set", "non_derivative_transactions[0].direct_or_indirect_ownership=D"])
    doc = extract(faulty)
    assert doc.non_derivative_transactions[0].direct_or_indirect_ownership.value == "D"
    assert (doc.corrections.applied, doc.corrections.journal) == (1, str(journal_path(faulty)))
    assert not [f for f in doc.findings if f.rule == "S2"]  # the fix cleared its own finding
    result = runner.invoke(app, ["extract", str(faulty), "--format", "json"])
    assert json.loads(result.stdout)["corrections"] == {"journal": str(journal_path(faulty)), "applied": 1}
    assert f"form4: {faulty}: 1 correction(s) applied from {journal_path(faulty)}" in result.stderr
    assert "<directOrIndirectOwnership>\n" in runner.invoke(app, ["extract", str(faulty)]).stdout
    plain = runner.invoke(app, ["extract", str(faulty), "--no-corrections", "--format", "json"])
    assert json.loads(plain.stdout)["corrections"] is None and "correction" not in plain.stderr
    assert json.loads(plain.stdout)["non_derivative_transactions"][0]["direct_or_indirect_ownership"]["value"] == "X"
    line = json.loads(runner.invoke(app, ["validate", str(faulty), "--format", "json"]).stdout)
    assert line["corrections"]["applied"] == 1 and not [f for f in line["findings"] if f["rule"] == "S2"]
    assert "1 correction(s) applied" in runner.invoke(app, ["show", str(faulty)]).stderr
    assert "correction" not in runner.invoke(app, ["show", str(faulty), "--no-corrections"]).stderr


def test_corrections_follow_the_content_not_the_name(faulty, tmp_path):
    """--apply replays a journal onto a renamed copy of the filing (same content); a filing whose
    content changed since the journal was written is not corrected by it."""
    runner.invoke(app, ["review", str(faulty), "--set", "non_derivative_transactions[0].direct_or_indirect_ownership=D"])
    renamed = tmp_path / "renamed" / "form4-2024.html"
    renamed.parent.mkdir()
    shutil.copy(faulty, renamed)
    result = runner.invoke(app, ["review", str(renamed), "--apply", str(journal_path(faulty)), "-o",
                                 str(tmp_path / "o"), "-f", "json"])
    assert "form4-2024.html: 1 correction(s) applied" in result.output
    fixed = json.loads((tmp_path / "o" / "form4-2024.json").read_text())["non_derivative_transactions"][0]
    assert fixed["direct_or_indirect_ownership"]["value"] == "D"
    faulty.write_text(faulty.read_text().replace("275.6x4", "275.634"))  # the filing changed since
    doc = extract(faulty)
    assert doc.corrections is None and doc.non_derivative_transactions[0].direct_or_indirect_ownership.value == "X"


def test_a_set_path_the_filing_has_no_place_for_is_a_usage_error(faulty):
    result = runner.invoke(app, ["review", str(faulty), "--set", "foo=1"])
    assert result.exit_code == 2 and "--set 'foo': no such field in this filing" in result.stderr
    result = runner.invoke(app, ["review", str(faulty), "--set", "non_derivative_transactions[7].transaction_shares=1"])
    assert result.exit_code == 2
    assert not journal_path(faulty).exists()  # nothing was recorded


def test_validate_prints_whole_field_paths_and_says_when_there_is_nothing(faulty, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["validate", str(faulty)])
    assert result.exit_code == 1
    assert "               fields: non_derivative_transactions[0].direct_or_indirect_ownership" in result.stdout
    clean = runner.invoke(app, ["validate", str(faulty), "--no-corrections"])
    runner.invoke(app, ["review", str(faulty), "--set", "non_derivative_transactions[0].direct_or_indirect_ownership=D",
                        "--set", "non_derivative_transactions[0].transaction_shares=275.634 (1)"])
    fixed = runner.invoke(app, ["validate", str(faulty)])
    assert clean.exit_code == 1 and fixed.exit_code == 0, fixed.stdout
    assert fixed.stdout.startswith(f"{faulty}: ok") and fixed.stdout.rstrip().endswith("no findings")


def test_show_piped_cuts_nothing_and_says_in_text_what_colour_says(corpus, faulty):
    result = runner.invoke(app, ["show", str(corpus / "html" / "edgt_374WaterForm4.real.html")])
    assert result.exit_code == 0 and "…" not in result.stdout
    assert "757,756 (1)" in result.stdout and "2035-04-29" in result.stdout  # whole, with thousands separators
    assert "│ no  │ yes │ no  │ no  │" in result.stdout  # ticks as a person reads them
    assert "!: a finding names the value; ?: read with confidence under 0.8" in result.stdout
    empty = runner.invoke(app, ["show", str(corpus / "html" / "edgt_form3.nosecurities.html")])
    assert "Table I - Non-Derivative Securities: no rows" in empty.stdout
    flagged = runner.invoke(app, ["show", str(faulty), "--no-corrections"])
    assert "X !" in flagged.stdout  # the S2 error's value, marked in text


def test_the_prompt_says_what_to_type_for_the_field(faulty):
    from extractor.review.session import prompt_for

    doc = extract(faulty, validate=False, corrections=False)
    assert prompt_for(doc, "reporting_owners[0].is_director") == "new value (yes / no) > "
    assert "a number" in prompt_for(doc, "non_derivative_transactions[0].transaction_shares")
    assert "a date" in prompt_for(doc, "non_derivative_transactions[0].transaction_date")
    assert "footnote marks at the end" in prompt_for(doc, "issuer.issuer_name")
    assert "[e]dit" in runner.invoke(app, ["review", "--help"]).stdout


def test_a_crop_that_cannot_be_written_does_not_stop_the_review(corpus, tmp_path):
    pdf = tmp_path / "jcl_doc4.pdf"
    shutil.copy(corpus / "pdf" / "jcl_doc4.pdf", pdf)
    (tmp_path / "jcl_doc4.pdf.form4-crops").write_text("in the way")  # where the crops folder would go
    result = runner.invoke(app, ["review", str(pdf)], input="q\n")
    assert result.exit_code == 0, result.output
    assert "(no page image of this value: " in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("columns", [80, 120])
def test_the_review_screen_shows_the_whole_path_and_message(faulty, columns):
    """In a real terminal of 80 and 120 columns the item's panel wraps its lines: the field path
    is whole on a line of its own and the finding's message ends as written."""
    import re

    child = _spawn(["review", str(faulty)], faulty.parent, columns)
    child.expect(r"\[q\]uit > ")
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    child.sendline("q")
    child.expect(pexpect_eof())
    lines = [line.strip(" │\r") for line in screen.splitlines()]
    assert "non_derivative_transactions[0].direct_or_indirect_ownership" in lines
    text = " ".join(line for line in lines if line)
    assert "ownership 'X' is not one of D, I" in text
    assert "…" not in screen


def pexpect_eof():
    import pexpect

    return pexpect.EOF


def test_the_context_lights_the_value_not_the_whole_cell(corpus):
    """A PDF cell holding boxes 2 and 3: box 3's context lights its date, not box 2's issuer name."""
    import re

    from rich.console import Console

    from extractor.review.display import load_source, source_context

    pdf = corpus / "pdf" / "edgt_0000320193-22-000061.pdf"
    doc = extract(pdf)
    console = Console(width=120, force_terminal=True, color_system="standard")
    with console.capture() as captured:
        console.print(source_context(load_source(pdf), doc.period_of_report))
    lit = re.findall(r"\x1b\[1;7m([^\x1b]*)\x1b\[0m", captured.get())
    assert lit == ["05/04/2022"]
