"""Benchmark: form4 batch over the synth corpus (500 generated HTML filings) and the corpus PDFs
(35 files, 4 distinct copies each, so that start-up costs do not dominate),
with 1 and 2 workers: filings/s, scaling, peak RSS per worker, and the batch machinery's own
cost per filing: the wall time of a 1-worker batch against a plain loop that extracts each file
and serialises it to XML and JSON (hashing, pickling to workers, atomic writes, bookkeeping).
Both sides load the extractor's modules and layouts before their clocks start; that one-off
start-up (paid once per batch, whatever its size) is printed apart. The batch's clock includes
starting the worker pool.

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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest counts")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sets = {"synth html": _set(args.corpus / "synth", "*.html", tmp, "synth"),
                "corpus pdf x4": _set(args.corpus / "pdf", "*.pdf", tmp, "pdf", copies=4)}
        for label, folder in sets.items():
            bare = min((_child(_BARE, str(folder)) for _ in range(args.repeat)), key=lambda r: r["seconds"])
            runs = {}
            for workers in (1, 2):
                trials = []
                for k in range(args.repeat):
                    out = tmp / f"out-{folder.name}-{workers}-{k}"  # a fresh folder: nothing to resume
                    trials.append(_child(_CHILD, str(folder), str(out), str(workers)))
                runs[workers] = min(trials, key=lambda r: r["wall"])
            one, two = runs[1], runs[2]
            overhead = (one["wall"] - bare["seconds"]) / bare["seconds"]
            print(f"{label}: {one['files']} files; bare extract {bare['files'] / bare['seconds']:.1f}/s; "
                  f"batch 1 worker {one['files'] / one['wall']:.1f}/s, 2 workers {two['files'] / two['wall']:.1f}/s "
                  f"(scaling {one['wall'] / two['wall']:.2f}x); batch overhead {100 * overhead:+.1f}% of extraction; "
                  f"peak RSS per worker {max(one['worker_rss_mb'], two['worker_rss_mb']):.0f} MB; "
                  f"one-off start-up {one['startup']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
