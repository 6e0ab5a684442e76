"""Benchmark: scans (image-only PDFs) through OCR, seconds/page and peak RSS, next to one bare
rapidocr call on the same page images.

    python bench/bench_ocr.py [--corpus ../shared/corpus] [--files 3]

Each measurement runs in a fresh process (one core, as batch workers do), so its peak RSS is
its own. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
mode, paths = sys.argv[2], sys.argv[3:]
import numpy as np, pypdfium2
pages = 0
if mode == "bare":
    from extractor.readers.ocr import DPI, engine
    images = []
    for p in paths:
        doc = pypdfium2.PdfDocument(p)
        for page in doc:
            images.append(np.asarray(page.render(scale=DPI / 72, grayscale=True).to_pil().convert("RGB")))
    engine()(images[0][:64, :64])  # load the models outside the timing
    start = time.perf_counter()
    for image in images:
        engine()(image, return_word_box=True)
    pages = len(images)
else:
    from extractor import extract
    from extractor.readers.ocr import engine
    engine()
    start = time.perf_counter()
    for p in paths:
        extract(p)
        pages += len(pypdfium2.PdfDocument(p))
seconds = time.perf_counter() - start
print(json.dumps({"pages": pages, "seconds": seconds,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(mode: str, paths: list[Path]) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), mode, *map(str, paths)],
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
    for mode, label in (("bare", "one rapidocr call per page"), ("extract", "form4 extract (OCR + layout)")):
        r = _run(mode, paths)
        print(f"{label:<32} {r['pages']} pages: {r['seconds'] / r['pages']:.2f} s/page, "
              f"peak RSS {r['rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
