"""Benchmark: scans (image-only PDFs) through OCR, seconds/page and peak RSS, next to one bare
rapidocr call (its own defaults: the whole page at once) on the same page images.

    python bench/bench_ocr.py [--corpus ../shared/corpus] [--files 3]

Each measurement runs in a fresh process, so its peak RSS is its own: once on one thread (a
batch worker: a batch runs a worker per core) and once on every core (one `form4 extract`).
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
mode, threads, paths = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
import os
os.environ["FORM4_OCR_THREADS"] = str(threads)
import numpy as np, pypdfium2
pages = 0
if mode == "bare":
    from rapidocr import RapidOCR
    from extractor.readers.ocr_image import DPI
    bare = RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False,
                            "EngineConfig.onnxruntime.intra_op_num_threads": threads})
    images = []
    for p in paths:
        doc = pypdfium2.PdfDocument(p)
        for page in doc:
            images.append(np.asarray(page.render(scale=DPI / 72, grayscale=True).to_pil().convert("RGB")))
    bare(images[0][:64, :64])  # load the models outside the timing
    start = time.perf_counter()
    for image in images:
        bare(image, return_word_box=True)
    pages = len(images)
else:
    from extractor import extract
    from extractor.readers.ocr_engine import engine
    engine()
    start = time.perf_counter()
    for p in paths:
        extract(p)
        pages += len(pypdfium2.PdfDocument(p))
seconds = time.perf_counter() - start
print(json.dumps({"pages": pages, "seconds": seconds,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(mode: str, threads: int, paths: list[Path]) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), mode, str(threads), *map(str, paths)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--files", type=int, default=3)
    args = ap.parse_args()
    paths = sorted((args.corpus / "scan").glob("*.pdf"))[: args.files]
    if not paths:
        print("no scans found")
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    for threads in sorted({1, cores}):
        for mode, label in (("bare", "one rapidocr call per page"), ("extract", "form4 extract (all of it)")):
            r = _run(mode, threads, paths)
            print(f"{label:<28} {threads} thread(s), {r['pages']} pages: {r['seconds'] / r['pages']:.2f} s/page, "
                  f"peak RSS {r['rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
