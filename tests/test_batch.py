"""form4 batch / export: parallel, resumable after SIGKILL, isolated failures, dataset tables, Dask."""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor import extract
from extractor.cli.app import app

REAL = "edgt_374WaterForm4.real.html"


def _batch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor.cli.app", "batch", *args], capture_output=True, text=True,
                          timeout=600)


def _results(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "filings").iterdir())}


@pytest.fixture()
def inputs(corpus, tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted((corpus / "synth").glob("synth_000*.html"))[:10]:
        shutil.copy(path, folder / path.name)
    shutil.copy(corpus / "html" / REAL, folder / REAL)
    return folder


def test_real_filing_rows_in_every_table_format(corpus, inputs, tmp_path):
    import pandas as pd

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(inputs), "-o", str(out), "-j", "2", "--db", str(out / "f.sqlite")])
    assert result.exit_code == 0, result.output
    assert f"tables: 8 files under {out / 'tables'}, database {out / 'f.sqlite'}" in result.stderr
    doc = extract(inputs / REAL)
    rows = pd.read_csv(out / "tables" / "NONDERIV_TRANS.csv", dtype=str, keep_default_na=False)
    mine = rows[rows.FORM4_SOURCE.str.endswith(REAL)]
    assert len(mine) == len(doc.non_derivative_transactions) == 1
    row = mine.iloc[0]
    assert (row.SECURITY_TITLE, row.TRANS_DATE, row.TRANS_CODE, row.TRANS_SHARES, row.TRANS_SHARES_FN,
            row.TRANS_PRICEPERSHARE, row.TRANS_ACQUIRED_DISP_CD, row.SHRS_OWND_FOLWNG_TRANS,
            row.DIRECT_INDIRECT_OWNERSHIP, row.TRANS_FORM_TYPE, row.EQUITY_SWAP_INVOLVED) == (
        "Common Stock (restricted stock units)", "30-APR-2025", "A", "757756.0", "F1", "0.0", "A", "757756.0", "D",
        "4", "0")
    assert row.FORM4_CONFIDENCE == "1.0" and json.loads(row.FORM4_PROVENANCE)["TRANS_SHARES"].startswith("table ")
    sub = pd.read_csv(out / "tables" / "SUBMISSION.csv", dtype=str, keep_default_na=False)
    acc = row.ACCESSION_NUMBER
    assert sub[sub.ACCESSION_NUMBER == acc].ISSUERNAME.tolist() == ["374Water Inc."]
    db = sqlite3.connect(out / "f.sqlite")
    for table, count in (("NONDERIV_TRANS", 1), ("DERIV_TRANS", 1), ("REPORTINGOWNER", 1), ("FOOTNOTES", 1),
                         ("OWNER_SIGNATURE", 1), ("SUBMISSION", 1)):
        assert db.execute(f'SELECT COUNT(*) FROM "{table}" WHERE ACCESSION_NUMBER = ?', (acc,)).fetchone()[0] == count
    assert db.execute('SELECT TRANS_SHARES FROM NONDERIV_TRANS WHERE ACCESSION_NUMBER = ?', (acc,)).fetchone()[0] \
        == 757756.0
    # typed stores hold keys as integers and dates as dates (the SEC's text form only in CSV/TSV)
    assert db.execute('SELECT NONDERIV_TRANS_SK, typeof(NONDERIV_TRANS_SK), TRANS_DATE FROM NONDERIV_TRANS '
                      'WHERE ACCESSION_NUMBER = ?', (acc,)).fetchone() == (1, "integer", "2025-04-30")
    total = sum(len(extract(p).non_derivative_transactions) for p in sorted(inputs.iterdir()))
    assert db.execute("SELECT COUNT(*) FROM NONDERIV_TRANS").fetchone()[0] == len(rows) == total
    # export builds the same tables from the results, here as Parquet
    result = CliRunner().invoke(app, ["export", str(out), "--tables", "parquet", "--to", str(tmp_path / "pq")])
    assert result.exit_code == 0, result.output
    parquet = pd.read_parquet(tmp_path / "pq" / "NONDERIV_TRANS.parquet")
    assert len(parquet) == total and list(parquet.columns) == list(rows.columns)
    mine = parquet[parquet.ACCESSION_NUMBER == acc].iloc[0]
    assert (str(parquet.NONDERIV_TRANS_SK.dtype), mine.NONDERIV_TRANS_SK) == ("int64", 1)
    assert mine.TRANS_DATE == __import__("datetime").date(2025, 4, 30)


def test_failures_are_isolated_and_reported(corpus, inputs, tmp_path):
    (inputs / "empty.html").write_bytes(b"")
    (inputs / "junk.bin").write_bytes(bytes(range(256)) * 40)
    (inputs / "deep.html").write_text("<div>" * 50_000 + "x")
    with zipfile.ZipFile(inputs / "bundle.zip", "w") as z:
        z.write(inputs / REAL, "inner/water.html")
        z.writestr("inner/not-a-form.md", "# Minutes\n\nNothing to see.\n")
    shutil.copy(corpus / "scan" / "dsp_1_emb0.pdf", inputs / "slow-scan.pdf")  # OCR: far over the timeout
    out = tmp_path / "out"
    done = _batch(str(inputs), "-o", str(out), "-j", "2", "--timeout", "2")
    assert done.returncode == 1, done.stderr
    errors = {e["file"][len(str(inputs)) + 1:]: e for e in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert {name: (e["stage"], e["reason"]) for name, e in errors.items()} == {
        "empty.html": ("read", "empty file"),
        "junk.bin": ("read", "binary data, not a text rendering"),
        "deep.html": ("read", "no text in the document"),
        "bundle.zip!inner/not-a-form.md": ("extract", "not a Form 3, 4 or 5 rendering (no form title or box labels "
                                                      "found)"),
        "slow-scan.pdf": ("timeout", "took longer than 2 s"),
    }
    for name, e in errors.items():  # one line on stderr names each failed input
        assert f"form4: {inputs / name}: {e['stage']}: {e['reason']}" in done.stderr
    index = [json.loads(line) for line in (out / "index.jsonl").read_text().splitlines()]
    ok = [e for e in index if e["status"] == "ok"]
    assert len(ok) == 12  # 10 synth + the real page + its copy inside the zip (same content, one result)
    assert len(_results(out)) == 2 * 11


def test_rerun_skips_done_inputs_even_renamed(inputs, tmp_path):
    out = tmp_path / "out"
    assert _batch(str(inputs), "-o", str(out), "-j", "1").returncode == 0
    first = _results(out)
    renamed = tmp_path / "renamed"
    inputs.rename(renamed)
    (renamed / REAL).rename(renamed / "other-name.html")
    again = _batch(str(renamed), "-o", str(out), "-j", "1")
    assert again.returncode == 0 and "0 processed, 11 already done" in again.stderr
    assert _results(out) == first
    forced = _batch(str(renamed), "-o", str(out), "-j", "1", "--force")
    assert "11 processed" in forced.stderr


def test_kill_at_random_points_then_resume(inputs, tmp_path):
    """SIGKILL mid-batch, rerun: every input has exactly one result, byte-identical to a clean run."""
    clean = tmp_path / "clean"
    assert _batch(str(inputs), "-o", str(clean), "-j", "2", "--tables", "none").returncode == 0
    expected = _results(clean)
    assert len(expected) == 2 * 11
    rng = random.Random(7)
    for trial in range(10):
        out = tmp_path / f"killed{trial}"
        proc = subprocess.Popen([sys.executable, "-m", "extractor.cli.app", "batch", str(inputs), "-o", str(out),
                                 "-j", "2", "--tables", "none"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.3, 2.5))
        os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, at once
        proc.wait()
        assert _batch(str(inputs), "-o", str(out), "-j", "2", "--tables", "none").returncode == 0
        assert _results(out) == expected, f"trial {trial}"


def test_review_journal_is_reapplied(inputs, tmp_path):
    from extractor.review.journal import Journal, file_hash

    path = inputs / REAL
    doc = extract(path)
    Journal(path.with_name(path.name + ".form4-review.jsonl")).record(
        path, file_hash(path), "issuer.issuer_name", doc.issuer.issuer_name,
        doc.issuer.issuer_name.model_copy(update={"value": "374WATER INC"}), "edit", "checked against EDGAR")
    out = tmp_path / "out"
    assert _batch(str(inputs), "-o", str(out), "-j", "1").returncode == 0
    index = {Path(e["file"]).name: e for e in map(json.loads, (out / "index.jsonl").read_text().splitlines())}
    result = json.loads((out / index[REAL]["json"]).read_text())
    assert result["issuer"]["issuer_name"]["value"] == "374WATER INC"


def test_dask_engine_writes_the_same_bytes(inputs, tmp_path):
    from distributed import LocalCluster

    from extractor.batch import run as batch
    from extractor.batch.dask_engine import run_dask

    local, remote = tmp_path / "local", tmp_path / "dask"
    assert _batch(str(inputs), "-o", str(local), "-j", "2", "--tables", "none").returncode == 0
    plan = batch.plan([str(inputs)], remote)
    records: list[dict] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run_dask(plan.tasks, cluster.scheduler_address, 60, records.append)
    assert sorted(r["status"] for r in records) == ["ok"] * 11
    assert _results(remote) == _results(local)


def test_archives_are_recognised_by_content(inputs, tmp_path):
    import tarfile

    from extractor.batch.inputs import expand

    with tarfile.open(tmp_path / "bundle.tgz", "w:gz") as archive:
        archive.add(inputs / REAL, arcname="a/water.html")
    with zipfile.ZipFile(tmp_path / "bundle.dat", "w") as archive:  # a zip, whatever its name
        archive.write(inputs / REAL, "b/water.html")
    found = [(i.name.split("!")[-1], len(i.data or b""), i.error) for i in
             expand([str(tmp_path / "bundle.tgz"), str(tmp_path / "bundle.dat")])]
    size = (inputs / REAL).stat().st_size
    assert found == [("a/water.html", size, None), ("b/water.html", size, None)]


_REAL_RUN_TASK = None


def _hang_on_purpose(task):  # stands in for an input that sends the extractor into a loop
    if Path(task.name).name == "hang.html":
        time.sleep(60)
    return _REAL_RUN_TASK(task)


def test_a_hanging_input_in_a_chunk_fails_alone(inputs, tmp_path, monkeypatch):
    """Small inputs travel eight to a worker call; when one hangs, the call times out and its
    inputs are run again one by one, so only the hanging one fails, with stage 'timeout'."""
    from extractor.batch import run as batch

    monkeypatch.setattr(sys.modules[__name__], "_REAL_RUN_TASK", batch.run_task)
    monkeypatch.setattr(batch, "run_task", _hang_on_purpose)  # the workers fork with it
    shutil.copy(inputs / REAL, inputs / "hang.html")
    (inputs / "hang.html").write_bytes((inputs / REAL).read_bytes() + b"<!-- hang -->")
    plan = batch.plan([str(inputs)], tmp_path / "out")
    records: list[dict] = []
    batch.run_local(plan.tasks, 2, 2.0, records.append)
    by_name = {Path(r["file"]).name: (r["status"], r.get("stage")) for r in records}
    assert by_name.pop("hang.html") == ("failed", "timeout")
    assert set(by_name.values()) == {("ok", None)} and len(by_name) == 11


def test_nothing_to_convert_says_so(tmp_path):
    """An empty folder converts nothing: one line and exit 1, no tables; a path that does not exist
    is named on stderr and counted as not opened, not as processed."""
    (tmp_path / "empty").mkdir()
    done = _batch(str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert done.returncode == 1 and f"form4: no filings found in {tmp_path / 'empty'}" in done.stderr
    assert not (tmp_path / "out" / "tables").exists()
    missing = tmp_path / "nowhere.html"
    done = _batch(str(missing), "-o", str(tmp_path / "out2"))
    assert done.returncode == 1
    assert f"form4: {missing}: input: no such file, folder or matching glob" in done.stderr
    assert "0 processed, 0 already done, 1 could not be opened" in done.stderr


def test_export_one_table_to_stdout_and_one_format_a_folder(tmp_path):
    """`export --table NAME --to -` pipes one table as CSV (as csvkit and sqlite-utils users expect);
    exporting Parquet into the tables folder replaces the CSVs an earlier export left there."""
    from tests.conftest import SAMPLES

    seed = SAMPLES / "form4-allied-motion-2013.md"
    out = tmp_path / "out"
    assert _batch(str(seed), "-o", str(out), "-j", "1").returncode == 0
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(out), "--table", "nonderiv_trans", "--to", "-"])
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()[:2]
    assert header.startswith("ACCESSION_NUMBER,NONDERIV_TRANS_SK,SECURITY_TITLE,")
    assert ",Common Stock,,21-MAY-2013," in row and ",785.0,F1,7.0," in row
    assert not (tmp_path / "-").exists() and not (out / "-").exists()
    assert runner.invoke(app, ["export", str(out), "--to", "-"]).exit_code == 2  # which table?
    assert runner.invoke(app, ["export", str(out), "--table", "TRADES", "--to", "-"]).exit_code == 2
    assert runner.invoke(app, ["export", str(out), "--tables", "parquet"]).exit_code == 0
    assert sorted(p.suffix for p in (out / "tables").iterdir()) == [".parquet"] * 8


def test_inputs_with_the_same_content_are_reported(tmp_path):
    from tests.conftest import SAMPLES

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.md", "b.md"):
        shutil.copy(SAMPLES / "form4-allied-motion-2013.md", folder / name)
    done = _batch(str(folder), "-o", str(tmp_path / "out"), "-j", "1", "--tables", "none")
    assert done.returncode == 0
    assert "1 input(s) repeat another's content" in done.stderr and f"{folder / 'b.md'} = {folder / 'a.md'}" in done.stderr
    assert len(_results(tmp_path / "out")) == 2  # one XML and one JSON for the one content
