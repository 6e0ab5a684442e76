"""Benchmark: form4 batch over the synth corpus (500 generated HTML filings) and the corpus PDFs
(35 files, 4 distinct copies each, so that start-up costs do not dominate),
with 1 and 2 workers: filings/s, scaling, peak RSS per worker, and the batch machinery's own
cost per filing (hashing, pickling to workers, atomic writes, bookkeeping) against a plain loop
that extracts each file and serialises it to XML and JSON.

The batch's wall time includes starting the pool and writing the final index; both sides load the
extractor's modules and layouts before their clocks start (printed apart: once per batch).
The measurements are taken in interleaved rounds (bare, 1 worker, 2 workers, again ...) and the
fastest of each counts: this machine is shared, and load drifts over minutes.

    python bench/bench_batch.py [--corpus ../shared/corpus]

Each batch runs in a fresh process into a fresh folder (nothing to resume); each figure is the
fastest of --repeat runs (this machine is shared: single runs vary by 10%). Prints figures.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from extractor import batch
inputs, out, workers = sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
begin = time.perf_counter()
batch._warm()  # once per batch, whatever its size: timed apart from the per-filing cost
start = time.perf_counter()
plan, tasks = batch.plan_stream([inputs], out)  # as form4 batch runs it: reading overlaps the workers
records = []
batch.run_local(tasks, workers, 300, records.append)
batch.finish(out, plan)
wall = time.perf_counter() - start
print(json.dumps({"files": len(records), "wall": wall, "startup": start - begin, "task_seconds": sum(r["seconds"] for r in records),
                  "ok": sum(r["status"] == "ok" for r in records),
                  "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

_BARE = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from extractor import batch, extract_bytes, to_json, to_xml
from extractor.errors import ExtractionError
batch._warm()  # the same imports and layouts as the batch has loaded before its clock starts
items = [(p.name, p.read_bytes()) for p in sorted(Path(sys.argv[2]).iterdir()) if p.is_file()]
start = time.perf_counter()
for name, data in items:
    try:
        doc = extract_bytes(data, name)
        to_xml(doc), to_json(doc)  # what any script writing results pays too
    except ExtractionError:
        pass
print(json.dumps({"files": len(items), "seconds": time.perf_counter() - start}))
"""


def _child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _set(folder: Path, pattern: str, tmp: Path, name: str, copies: int = 1) -> Path:
    """FOLDER's files copied COPIES times; copies differ by a trailing comment line (a PDF and an
    HTML page both allow one), so the batch sees distinct content and does every one."""
    target = tmp / name
    target.mkdir()
    for path in sorted(folder.glob(pattern)):
        for k in range(copies):
            suffix = b"" if k == 0 else (f"\n%copy {k}\n" if path.suffix == ".pdf" else f"\n<!-- copy {k} -->\n").encode()
            (target / f"{path.stem}.{k}{path.suffix}").write_bytes(path.read_bytes() + suffix)
    return target


def _run(folder: Path, workers: int | None = None) -> dict:
    """The bare loop over FOLDER, or (WORKERS given) a batch of it into a fresh output folder."""
    if workers is None:
        return _child(_BARE, str(folder))
    return _child(_CHILD, str(folder), tempfile.mkdtemp(dir=folder.parent), str(workers))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of measurements; the fastest of each counts")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sets = {"synth html": ("synth", "*.html", 1), "corpus pdf": ("pdf", "*.pdf", 4)}
        for label, (name, pattern, copies) in sets.items():
            folder = _set(args.corpus / name, pattern, tmp, name, copies)
            rounds = [(_run(folder), _run(folder, 1), _run(folder, 2)) for _ in range(args.repeat)]  # interleaved
            bare = min((r[0] for r in rounds), key=lambda r: r["seconds"])
            one = min((r[1] for r in rounds), key=lambda r: r["wall"])
            two = min((r[2] for r in rounds), key=lambda r: r["wall"])
            n = one["files"]
            print(f"{label} ({n} files, x{copies}): bare extract {bare['files'] / bare['seconds']:.1f}/s; "
                  f"batch 1 worker {n / one['wall']:.1f}/s, 2 workers {n / two['wall']:.1f}/s "
                  f"(scaling {one['wall'] / two['wall']:.2f}x); peak RSS per worker "
                  f"{max(one['worker_rss_mb'], two['worker_rss_mb']):.0f} MB")
            print(f"  batch machinery: {1000 * (one['wall'] - bare['seconds']) / n:+.2f} ms per filing = "
                  f"{100 * (one['wall'] / bare['seconds'] - 1):+.1f}% of extraction, of which "
                  f"{1000 * (one['task_seconds'] - bare['seconds']) / n:+.2f} ms inside the worker (atomic "
                  f"writes, summary); {one['startup']:.2f} s once per batch loading the extractor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
