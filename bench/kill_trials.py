"""Kill a batch with SIGKILL at random moments, rerun it, and check nothing was lost or doubled.

    python bench/kill_trials.py [--trials 20] [--files 500] [--workers 2] [--corpus ../shared/corpus] [--seed 7]

A clean `form4 batch IN -o OUT --db OUT/form4.sqlite` over the synth filings gives the expected
results. Each trial starts the same batch into a fresh folder, kills the whole process group at a
random moment of its run (a quarter of the trials near its end, while the index, the tables and
the database are written), then runs the same command again to completion, and checks:

* every input is in index.jsonl exactly once, with status ok;
* the results are byte-identical to the clean run's, and every XML and JSON result parses;
* no temporary file is left anywhere in the folder;
* every table file and every SQLite table has exactly the clean run's rows.

Prints one line per trial and a summary; asserts nothing (the test suite runs a small version).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORM4 = [sys.executable, "-m", "extractor.cli"]


def batch(inputs: Path, out: Path, workers: int) -> list[str]:
    return [*FORM4, "batch", str(inputs), "-o", str(out), "--db", str(out / "form4.sqlite"), "-j", str(workers)]


def snapshot(out: Path) -> dict:
    """What a finished batch folder holds, in comparable form."""
    results = {p.name: p.read_bytes() for p in sorted((out / "filings").iterdir())}
    tables = {}
    for path in sorted((out / "tables").glob("*.csv")):
        with path.open(newline="") as handle:
            tables[path.name] = sum(1 for _ in csv.reader(handle)) - 1
    with sqlite3.connect(out / "form4.sqlite") as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}
    index = [json.loads(line) for line in (out / "index.jsonl").read_text().splitlines()]
    return {"results": results, "tables": tables, "sqlite": rows, "index": index}


def problems(out: Path, got: dict, want: dict, files: int) -> list[str]:
    found = []
    names = [e["file"] for e in got["index"]]
    if len(names) != files or len(set(names)) != files:
        found.append(f"index lists {len(names)} entries for {files} inputs ({len(set(names))} distinct)")
    if {e["status"] for e in got["index"]} != {"ok"}:
        found.append(f"statuses {sorted({e['status'] for e in got['index']})}")
    if got["results"] != want["results"]:
        differ = [n for n in want["results"] if got["results"].get(n) != want["results"][n]]
        found.append(f"{len(differ)} results differ from the clean run, {len(got['results'])} files")
    for name, data in got["results"].items():
        try:
            json.loads(data) if name.endswith(".json") else ET.fromstring(data)
        except (ValueError, ET.ParseError) as exc:
            found.append(f"{name} does not parse: {exc}")
    temps = [str(p.relative_to(out)) for p in out.rglob("*.tmp")]
    if temps:
        found.append(f"temporary files left: {temps[:3]}")
    for kind in ("tables", "sqlite"):
        if got[kind] != want[kind]:
            found.append(f"{kind} rows {got[kind]} != {want[kind]}")
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--files", type=int, default=500)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="form4-kill-"))
    inputs = work / "in"
    inputs.mkdir()
    for path in sorted((args.corpus / "synth").glob("*.html"))[:args.files]:
        shutil.copy(path, inputs / path.name)
    files = len(list(inputs.iterdir()))
    start = time.perf_counter()
    subprocess.run(batch(inputs, work / "clean", args.workers), check=True, capture_output=True)
    span = time.perf_counter() - start
    want = snapshot(work / "clean")
    print(f"clean run: {files} inputs in {span:.1f} s; tables {want['tables']}")
    bad = 0
    for trial in range(args.trials):
        out = work / f"trial{trial}"
        at = rng.uniform(0.85, 1.0) * span if trial % 4 == 3 else rng.uniform(0.1, 0.85) * span
        proc = subprocess.Popen(batch(inputs, out, args.workers), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(at)
        finished_first = proc.poll() is not None
        if not finished_first:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        rerun = subprocess.run(batch(inputs, out, args.workers), capture_output=True, text=True)
        got = snapshot(out) if rerun.returncode == 0 else None
        found = [f"rerun exit {rerun.returncode}: {rerun.stderr[-200:]}"] if got is None else \
            problems(out, got, want, files)
        bad += bool(found)
        print(f"trial {trial:2}: killed at {at:5.1f} s{' (had finished)' if finished_first else ''}: "
              f"{'; '.join(found) or 'ok'}", flush=True)
        shutil.rmtree(out, ignore_errors=True)
    print(f"{args.trials} trials, {bad} with a problem; {files} inputs each, --db, {args.workers} workers")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
