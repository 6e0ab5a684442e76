"""Hostile input and crash safety (issue R): each defect a user's scripts met, and the inputs the
fuzz harness (bench/fuzz.py) ever failed on, regenerated here from corpus files. A long line or a
huge table fails in one line naming the limit; odd numbers never raise; a torn journal line loses
nothing after it; a killed run's debris goes; a full disk stops a batch without blaming an input;
concurrent runs keep each other's records; UTF-16 text is read."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from extractor import extract_bytes
from extractor.errors import ExtractionError, OutputError
from extractor.review.journal import Journal

FORM4 = [sys.executable, "-m", "extractor.cli"]
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "form4-allied-motion-2013.md"


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*FORM4, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "_TYPER_STANDARD_TRACEBACK": "1"})


def _pipe_row(corpus) -> str:
    md = (corpus / "md" / "dsp_1_emb0.markdownify.md").read_text()
    lines = md.splitlines()
    row = next(k for k, line in enumerate(lines) if line.count("|") > 5 and "common" in line)
    lines[row] += "|" * 1_000_000
    return "\n".join(lines)


@pytest.mark.parametrize("make,limit", [
    (lambda corpus: _pipe_row(corpus), "limit 500,000"),  # the row is also a line over 500,000 characters
    (lambda corpus: (corpus / "html" / "dsp_1_emb0.html").read_text().replace(
        "<tbody>", "<tbody><tr>" + "<td>x" * 1_000_000 + "</tr>", 1), "table cells"),
    (lambda corpus: (corpus / "html" / "dsp_1_emb0.html").read_text().replace(
        "<tbody>", "<tbody><tr>" + "<td>x" * 5_000 + "</tr>", 1), "cells in one table row"),
    (lambda corpus: (corpus / "synth" / "synth_00070.html").read_text().replace(
        "</body>", "<p>" + "word " * 2_100_000 + "</p></body>"), "characters of text in one place"),
], ids=["markdown-1M-pipes", "html-1M-cells", "html-wide-row", "html-10MB-text"])
def test_oversized_input_fails_at_once_naming_the_limit(corpus, tmp_path, make, limit):
    path = tmp_path / "big.html"
    path.write_text(make(corpus))
    done = _run("extract", str(path))  # a hang would fail the test at the subprocess timeout
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and limit in done.stderr and str(path) in done.stderr


@pytest.mark.parametrize("number", ["999999999999", "0.0000000000", "999999999999999999999999999999", "1e400"])
def test_huge_and_tiny_numbers_are_findings_not_tracebacks(corpus, number):
    page = (corpus / "html" / "dsp_1_emb0.html").read_text()
    body = page[page.index("<tbody>") + 7:page.index("</tbody>")]
    page = page.replace("</tbody>", body * 3 + "</tbody>", 1).replace("275.634", number).replace("15,711.8844", number)
    doc = extract_bytes(page.encode(), "numbers.html")
    assert doc.findings  # the number is flagged (S1 decimals, H1 balance, H14 not read), never raised


def test_not_a_number_in_a_result_is_no_traceback(corpus):
    xml = (corpus / "truth" / "dsp_1_emb0.xml").read_text().replace("<value>275.634</value>", "<value>NaN</value>")
    doc = extract_bytes(xml.encode(), "nan.xml")
    shares = doc.non_derivative_transactions[0].transaction_shares
    assert shares is None or shares.value is None


def test_lone_surrogates_from_a_broken_pdf_font_never_reach_an_output(corpus):
    data = bytearray((corpus / "pdf" / "jcl_doc4.pdf").read_bytes())  # the fuzz input bad_utf8 01109
    import random

    r = random.Random(1109)
    for _ in range(40):
        at = r.randrange(len(data) // 4, len(data))
        data[at:at] = r.choice([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf0\x28\x8c\xbc"])
    try:
        doc = extract_bytes(bytes(data), "broken.pdf")
    except ExtractionError:
        return
    doc.model_dump_json()  # would raise on a lone surrogate
    from extractor import to_xml

    to_xml(doc).encode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_text_with_a_bom_is_read(encoding):
    text = SAMPLE.read_text()
    data = ("\ufeff" + text).encode(encoding) if encoding.endswith("-be") else text.encode(encoding)
    assert extract_bytes(data, "unicode.md").issuer.issuer_name.value == "ALLIED MOTION TECHNOLOGIES INC"


def test_a_torn_journal_line_loses_no_later_correction(tmp_path):
    filing = tmp_path / "s.md"
    filing.write_bytes(SAMPLE.read_bytes())
    assert _run("review", str(filing), "--set", "issuer.issuer_name=FIRST").returncode == 0
    journal = tmp_path / "s.md.form4-review.jsonl"
    journal.write_bytes(journal.read_bytes()[:-20])  # a kill cut the last line
    second = _run("review", str(filing), "--set", "issuer.issuer_name=SECOND")
    assert "was cut short" in second.stderr and "Traceback" not in second.stderr
    assert _run("review", str(filing), "--set", "non_derivative_transactions[0].transaction_price_per_share=7.5",
                "-o", str(tmp_path / "out")).returncode == 0
    entries = Journal(journal).entries()
    assert [e["new"] for e in entries] == ["SECOND", "7.5"]  # both after the torn line, each on its own
    written = (tmp_path / "out" / "s.xml").read_text()
    assert "<issuerName>SECOND</issuerName>" in written and "<value>7.5</value>" in written
    assert len(list(tmp_path.glob("s.md.form4-review.jsonl.torn-*"))) == 1  # the cut line is kept


def test_two_review_sets_at_once_keep_both_corrections(tmp_path):
    filing = tmp_path / "s.md"
    filing.write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    procs = [subprocess.Popen([*FORM4, "review", str(filing), "--set", assignment, "-o", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for assignment in ("issuer.issuer_name=BOTH ONE", "issuer.issuer_trading_symbol=TWO")]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    written = (out / "s.xml").read_text()  # whichever wrote last had read the other's entry
    assert "<issuerName>BOTH ONE</issuerName>" in written and "<issuerTradingSymbol>TWO<" in written


def test_a_rerun_removes_a_killed_runs_temporary_files(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.md").write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    assert _run("batch", str(inputs), "-o", str(out), "--db", str(out / "x.sqlite")).returncode == 0
    dead = 2 ** 22 + 12345  # no process has this id: a killed writer's leftovers
    debris = [out / "tables" / f".DERIV_TRANS.csv.{dead}.deadbeef.tmp", out / f".x.sqlite.{dead}.0badf00d.tmp",
              out / "filings" / f".abc.json.{dead}.01234567.tmp"]
    live = out / "tables" / f".NONDERIV_TRANS.csv.{os.getpid()}.feedface.tmp"  # a live writer's: kept
    for path in (*debris, live):
        path.write_text("half")
    assert _run("batch", str(inputs), "-o", str(out), "--db", str(out / "x.sqlite")).returncode == 0
    assert not any(p.exists() for p in debris) and live.exists()


def test_batches_into_one_folder_keep_each_others_entries_and_twins_and_links_are_listed(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.md").write_bytes(SAMPLE.read_bytes())
    (second / "b.html").write_text("<html><body>not a form at all</body></html>")
    (second / "b-copy.html").write_text("<html><body>not a form at all</body></html>")  # same content
    with tarfile.open(second / "links.tar", "w") as archive:
        link = tarfile.TarInfo("link.md")
        link.type, link.linkname = tarfile.SYMTYPE, "../../etc/passwd"
        archive.addfile(link)
    out = tmp_path / "out"
    assert _run("batch", str(first), "-o", str(out)).returncode == 0
    assert _run("batch", str(second), "-o", str(out)).returncode == 1
    index = {Path(e["file"]).name for e in map(json.loads, (out / "index.jsonl").read_text().splitlines())}
    errors = {Path(e["file"]).name: e for e in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert {"a.md", "b.html", "b-copy.html"} <= index  # the first batch's input survives the second's index
    assert {"b.html", "b-copy.html"} <= errors.keys()  # each failed copy by its own name
    assert "links.tar!link.md" in errors and "link" in errors["links.tar!link.md"]["reason"]


def _tmpfs(path: Path, size: str) -> bool:
    if os.geteuid() != 0 or sys.platform != "linux":
        return False
    path.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


def test_a_full_disk_stops_the_batch_in_one_line_and_blames_no_input(corpus, tmp_path):
    disk = tmp_path / "disk"
    if not _tmpfs(disk, "300k"):
        pytest.skip("cannot mount a small tmpfs here (needs root on Linux)")
    try:
        full = _run("batch", str(corpus / "html"), "-o", str(disk / "out"))
        assert full.returncode == 1 and "Traceback" not in full.stderr
        assert "No space left on device" in full.stderr and "nothing was recorded" in full.stderr
        assert not (disk / "out" / "failed").exists() or not list((disk / "out" / "failed").iterdir())
        single = _run("extract", str(SAMPLE), "-o", str(disk / "one" / "x.xml"))
        assert single.returncode in (0, 1) and "Traceback" not in single.stderr
        subprocess.run(["mount", "-o", "remount,size=20m", str(disk)], check=True)
        again = _run("batch", str(corpus / "html"), "-o", str(disk / "out"))
        assert again.returncode == 0
        index = [json.loads(line) for line in (disk / "out" / "index.jsonl").read_text().splitlines()]
        assert len(index) == len(list((corpus / "html").glob("*.html"))) and {e["status"] for e in index} == {"ok"}
        assert not [p for p in (disk / "out").rglob(".*.tmp")]
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_an_unwritable_output_is_one_line(tmp_path):
    from extractor.fsutil import write_atomic

    target = tmp_path / "ro"
    target.mkdir()
    target.chmod(0o500)
    try:
        if os.access(target, os.W_OK):
            pytest.skip("running as a user every folder is writable to (root)")
        with pytest.raises(OutputError, match="cannot write"):
            write_atomic(target / "x.xml", "<x/>")
    finally:
        target.chmod(0o700)


@pytest.mark.parametrize("mutation,source,seed,index", [
    ("nul_bytes", "pdf/syeo_multi_standard_acquisition.pdf", 0, 2114),  # NaN character boxes in pdfium
])
def test_fuzz_inputs_that_once_failed(corpus, mutation, source, seed, index):
    """Inputs bench/fuzz.py once failed on (a traceback), made again from their corpus file."""
    sys.path.insert(0, str(ROOT))
    from bench.fuzz import mutate

    data = mutate(mutation, corpus / source, seed, index)
    try:
        doc = extract_bytes(data, "fuzzed" + Path(source).suffix)
    except ExtractionError as exc:
        assert "\n" not in str(exc)
        return
    doc.model_dump_json()
