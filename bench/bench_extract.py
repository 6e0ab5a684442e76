"""Benchmark: filings/second for HTML and Markdown extraction on one core, next to the bare parse.

    python bench/bench_extract.py [--corpus ../shared/corpus] [--repeat 3] [--profile]

HTML: the 500 generated filings of corpus/synth/ (fake names, every form kind).
Markdown: the corpus/md/ conversions (pandoc, markdownify, seed style).
Baseline: a bare ``BeautifulSoup(text, "lxml")`` of the same files (Markdown: markdown-it render + that
parse), i.e. the floor any BeautifulSoup-based reader pays. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import extract_bytes  # noqa: E402
from extractor.readers.markdown import _parser, widen_tables  # noqa: E402


def _time(fn, items, repeat: int) -> float:
    best = []
    for _ in range(repeat):
        start = time.perf_counter()
        for name, data in items:
            fn(name, data)
        best.append(time.perf_counter() - start)
    return min(best)


def bare_html(name: str, data: bytes) -> None:
    BeautifulSoup(data.decode("utf-8", "replace"), "lxml")


def bare_markdown(name: str, data: bytes) -> None:
    BeautifulSoup(_parser.render(widen_tables(data.decode("utf-8", "replace"))), "lxml")


def full(name: str, data: bytes) -> None:
    extract_bytes(data, name)


def _pdf(corpus: Path) -> None:
    """Text-layer PDFs: pages/second for extraction next to the bare library calls."""
    import io

    import pdfplumber
    import pypdfium2

    files = [(p.name, p.read_bytes()) for p in sorted((corpus / "pdf").glob("*.pdf"))]
    if not files:
        return
    pages = sum(len(pypdfium2.PdfDocument(d)) for _, d in files)

    def pdfium_text(_name, data):
        doc = pypdfium2.PdfDocument(data)
        for page in doc:
            page.get_textpage().get_text_range()

    def plumber_words(_name, data):
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_words(extra_attrs=["size"])

    full(*files[0])  # imports and layouts load once, as in any run of more than one file
    t_pdfium = _time(pdfium_text, files, 3)
    t_words = _time(plumber_words, files, 1)  # ~20 s a pass: once
    t_full = _time(full, files, 3)
    print(f"pdf (corpus)    {len(files)} files, {pages} pages: pypdfium2 text {pages / t_pdfium:.0f} pages/s, "
          f"pdfplumber words {pages / t_words:.1f} pages/s, form4 extract {pages / t_full:.1f} pages/s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="profile HTML extraction with pyinstrument")
    args = ap.parse_args()
    sets = {
        "html (synth)": [(p.name, p.read_bytes()) for p in sorted((args.corpus / "synth").glob("*.html"))],
        "markdown (md)": [(p.name, p.read_bytes()) for p in sorted((args.corpus / "md").glob("*.md"))],
    }
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
        for name, data in sets["html (synth)"]:
            full(name, data)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return 0
    _pdf(args.corpus)
    print(f"{'set':<15} {'files':>5} {'bare parse/s':>13} {'extract/s':>10} {'ratio':>6} {'ms/filing':>10}")
    for label, items in sets.items():
        if not items:
            print(f"{label:<15} missing")
            continue
        bare = bare_markdown if label.startswith("markdown") else bare_html
        t_bare = _time(bare, items, args.repeat)
        t_full = _time(full, items, args.repeat)
        n = len(items)
        sizes = statistics.mean(len(d) for _, d in items) / 1024
        print(f"{label:<15} {n:>5} {n / t_bare:>13.1f} {n / t_full:>10.1f} {t_full / t_bare:>6.2f} "
              f"{1000 * t_full / n:>10.2f}   (mean {sizes:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
