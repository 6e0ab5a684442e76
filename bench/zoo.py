"""The renderer zoo: every corpus HTML rendered by every producer at hand, each producer scored.

    python bench/zoo.py [--producers wkhtmltopdf,pandoc-commonmark,...] [--files N] [--synth 40]
                        [--corpus ../shared/corpus] [--cache ~/.cache/form4-zoo] [--workers 2] [--show] [--list]

Users do not choose how their filings were rendered: a browser or an HTML-to-PDF tool printed
them, a document pipeline's converter made Markdown of them, a browser or pdftotext dumped them
as text. Each producer below renders ``corpus/html/*.html`` (and, with --synth N, the first N
``synth/*.html``) into the cache (outside git; rendered once, reused), then every rendering is
extracted and scored against its truth XML with :mod:`bench.score_corpus`: F1, wrong fields,
wrong fields left unflagged, correct fields flagged, documents refused, status counts, and the
producer's own cost per file next to form4's. A producer missing on this machine is skipped
with a note. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.score_corpus import CORPUS, score_files  # noqa: E402
from extractor.review.journal import default_threshold  # noqa: E402

CACHE = Path(os.environ.get("FORM4_ZOO", Path.home() / ".cache" / "form4-zoo"))
NODE_DIR = Path(os.environ.get("FORM4_ZOO_NODE", "/tmp/npmzoo"))  # where `npm install turndown ...` ran
_CHROMIUM = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-pdf-header-footer"]


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, timeout=180, **kw)


def _with_style(src: Path, css: str, tmp: Path) -> Path:
    """A copy of SRC with a print style sheet added (page size, orientation, scale)."""
    html = src.read_text(encoding="utf-8", errors="replace")
    style = f"<style>{css}</style>"
    low = html.lower()
    at = low.find("</head>")
    html = html[:at] + style + html[at:] if at >= 0 else style + html
    out = tmp / src.name
    out.write_text(html, encoding="utf-8")
    return out


def chromium(css: str = "") -> Callable[[Path, Path], None]:
    def render(src: Path, out: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            page = _with_style(src, css, Path(tmp)) if css else src
            _run([shutil.which("chromium") or "chromium", *_CHROMIUM, f"--user-data-dir={tmp}/profile",
                  f"--print-to-pdf={out}", page.as_uri()])
    return render


def wkhtmltopdf(src: Path, out: Path) -> None:
    _run(["wkhtmltopdf", "-q", "--disable-javascript", str(src), str(out)])


def libreoffice(src: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
              "--outdir", tmp, str(src)])
        shutil.move(Path(tmp) / (src.stem + ".pdf"), out)


def xhtml2pdf(src: Path, out: Path) -> None:
    import logging

    from xhtml2pdf import pisa

    logging.getLogger("xhtml2pdf").setLevel(logging.ERROR)  # every EDGAR style sheet has CSS it skips

    with out.open("wb") as fh:
        pisa.CreatePDF(src.read_text(encoding="utf-8", errors="replace"), dest=fh)


def weasyprint(src: Path, out: Path) -> None:
    import weasyprint as wp

    wp.HTML(filename=str(src)).write_pdf(str(out))


def scan_of(producer: str) -> Callable[[Path, Path], None]:
    """A simulated scan of PRODUCER's PDF, made as the corpus scans were: 200 dpi, grey, rotated
    0.5-1.5 degrees, noise, blur, JPEG quality 55-75, image only."""
    def render(src: Path, out: Path) -> None:
        import numpy as np
        import pypdfium2
        from PIL import Image, ImageFilter

        pdf = _cached(producer, src)
        rng = random.Random(src.name)
        pages = []
        for page in pypdfium2.PdfDocument(pdf.read_bytes()):
            img = page.render(scale=200 / 72, grayscale=True).to_pil().convert("L")
            img = img.rotate(rng.choice([-1, 1]) * rng.uniform(0.5, 1.5), expand=True, fillcolor=255,
                             resample=Image.BICUBIC)
            arr = np.asarray(img, dtype=np.float32)
            arr += np.random.default_rng(rng.randrange(1 << 30)).normal(0, 8, arr.shape)
            img = Image.fromarray(arr.clip(0, 255).astype("uint8")).filter(ImageFilter.GaussianBlur(0.6))
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=rng.randint(55, 75))
            pages.append(Image.open(io.BytesIO(buf.getvalue())))
        pages[0].save(out, "PDF", resolution=200, save_all=True, append_images=pages[1:])
    return render


def pdftotext_of(producer: str) -> Callable[[Path, Path], None]:
    def render(src: Path, out: Path) -> None:
        _run(["pdftotext", "-layout", str(_cached(producer, src)), str(out)])
    return render


def pandoc(to: str) -> Callable[[Path, Path], None]:
    def render(src: Path, out: Path) -> None:
        _run(["pandoc", "-f", "html", "-t", to, "-o", str(out), str(src)])
    return render


def markitdown(src: Path, out: Path) -> None:
    from markitdown import MarkItDown

    out.write_text(MarkItDown().convert(str(src)).text_content, encoding="utf-8")


def html_to_markdown(src: Path, out: Path) -> None:
    from html_to_markdown import convert

    result = convert(src.read_text(encoding="utf-8", errors="replace"))
    out.write_text(result if isinstance(result, str) else result.content, encoding="utf-8")


def markdownify(src: Path, out: Path) -> None:
    from markdownify import markdownify as md

    out.write_text(md(src.read_text(encoding="utf-8", errors="replace")), encoding="utf-8")


def html2text(src: Path, out: Path) -> None:
    import html2text as h2t

    out.write_text(h2t.html2text(src.read_text(encoding="utf-8", errors="replace")), encoding="utf-8")


_TURNDOWN = """
const fs = require('fs'); const TurndownService = require('turndown'); const {gfm} = require('turndown-plugin-gfm');
const {JSDOM} = require('jsdom');
const td = new TurndownService(); td.use(gfm);
const dom = new JSDOM(fs.readFileSync(process.argv[2], 'utf8'));
fs.writeFileSync(process.argv[3], td.turndown(dom.window.document.body));
"""


def turndown(src: Path, out: Path) -> None:
    script = NODE_DIR / "turndown_zoo.js"
    if not script.exists():
        script.write_text(_TURNDOWN)
    _run(["node", str(script), str(src), str(out)], cwd=NODE_DIR)


def w3m(src: Path, out: Path) -> None:
    out.write_bytes(_run(["w3m", "-dump", "-T", "text/html", "-O", "UTF-8", str(src)]).stdout)


def lynx(src: Path, out: Path) -> None:
    out.write_bytes(_run(["lynx", "-dump", "-nolist", "-display_charset=utf-8", str(src)]).stdout)


def inscriptis(src: Path, out: Path) -> None:
    from inscriptis import get_text

    out.write_text(get_text(src.read_text(encoding="utf-8", errors="replace")), encoding="utf-8")


def _module(name: str) -> Callable[[], bool]:
    def available() -> bool:
        import importlib.util

        return importlib.util.find_spec(name) is not None
    return available


def _command(name: str) -> Callable[[], bool]:
    return lambda: shutil.which(name) is not None


def _node() -> bool:
    return shutil.which("node") is not None and (NODE_DIR / "node_modules" / "turndown").is_dir()


# name -> (extension, render, available, what it needs)
PRODUCERS: dict[str, tuple[str, Callable[[Path, Path], None], Callable[[], bool], str]] = {
    "chromium-letter": ("pdf", chromium(), _command("chromium"), "apt install chromium"),
    "chromium-a4-landscape": ("pdf", chromium("@page { size: A4 landscape; }"), _command("chromium"),
                              "apt install chromium"),
    "chromium-75": ("pdf", chromium("@page { size: letter; } html { zoom: 0.75; }"), _command("chromium"),
                    "apt install chromium"),
    "wkhtmltopdf": ("pdf", wkhtmltopdf, _command("wkhtmltopdf"), "apt install wkhtmltopdf"),
    "libreoffice": ("pdf", libreoffice, _command("soffice"), "apt install libreoffice-writer-nogui"),
    "xhtml2pdf": ("pdf", xhtml2pdf, _module("xhtml2pdf"), "pip install xhtml2pdf"),
    "weasyprint": ("pdf", weasyprint, _module("weasyprint"), "pip install weasyprint"),
    "scan-wkhtmltopdf": ("pdf", scan_of("wkhtmltopdf"), _command("wkhtmltopdf"), "apt install wkhtmltopdf"),
    "scan-libreoffice": ("pdf", scan_of("libreoffice"), _command("soffice"), "apt install libreoffice-writer-nogui"),
    "pandoc-gfm": ("md", pandoc("gfm"), _command("pandoc"), "apt install pandoc"),
    "pandoc-commonmark": ("md", pandoc("commonmark"), _command("pandoc"), "apt install pandoc"),
    "pandoc-markdown": ("md", pandoc("markdown"), _command("pandoc"), "apt install pandoc"),
    "pandoc-strict": ("md", pandoc("markdown_strict"), _command("pandoc"), "apt install pandoc"),
    "pandoc-mmd": ("md", pandoc("markdown_mmd"), _command("pandoc"), "apt install pandoc"),
    "markitdown": ("md", markitdown, _module("markitdown"), "pip install markitdown"),
    "html-to-markdown": ("md", html_to_markdown, _module("html_to_markdown"), "pip install html-to-markdown"),
    "turndown": ("md", turndown, _node, "npm install turndown turndown-plugin-gfm jsdom (in $FORM4_ZOO_NODE)"),
    "markdownify": ("md", markdownify, _module("markdownify"), "pip install markdownify"),
    "html2text": ("md", html2text, _module("html2text"), "pip install html2text"),
    "w3m": ("txt", w3m, _command("w3m"), "apt install w3m"),
    "lynx": ("txt", lynx, _command("lynx"), "apt install lynx"),
    "inscriptis": ("txt", inscriptis, _module("inscriptis"), "pip install inscriptis"),
    "pdftotext-chromium": ("txt", pdftotext_of("chromium-letter"), _command("pdftotext"), "apt install poppler-utils"),
    "pdftotext-wkhtmltopdf": ("txt", pdftotext_of("wkhtmltopdf"), _command("pdftotext"),
                              "apt install poppler-utils"),
    "pdftotext-libreoffice": ("txt", pdftotext_of("libreoffice"), _command("pdftotext"),
                              "apt install poppler-utils"),
}

_render_seconds: dict[str, list[float]] = {}


def _cached(producer: str, src: Path) -> Path:
    """PRODUCER's rendering of SRC, made now unless the cache has it."""
    ext, render, _available, _need = PRODUCERS[producer]
    out = CACHE / producer / f"{src.name.removesuffix('.html')}.{ext}"
    if not out.exists() or out.stat().st_size == 0:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        start = time.perf_counter()
        render(src, tmp)
        _render_seconds.setdefault(producer, []).append(time.perf_counter() - start)
        os.replace(tmp, out)
    return out


def sources(corpus: Path, synth: int) -> list[Path]:
    files = sorted((corpus / "html").glob("*.html"))
    if synth:
        files += sorted((corpus / "synth").glob("synth_*.html"))[:synth]
    return files


def render_all(producer: str, files: list[Path], workers: int) -> tuple[list[Path], list[str]]:
    failures: list[str] = []

    def one(src: Path) -> Path | None:
        try:
            return _cached(producer, src)
        except (subprocess.SubprocessError, OSError, ValueError) as exc:
            failures.append(f"{src.name}: {type(exc).__name__}: {str(exc)[:120]}")
            return None

    with ThreadPoolExecutor(1 if producer == "libreoffice" else workers) as pool:
        done = [p for p in pool.map(one, files) if p is not None]
    return done, failures


def main() -> int:
    global CACHE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--producers", help="comma-separated names (default: every available producer)")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--files", type=int, default=0, help="only the first N corpus HTML filings (a quick run)")
    ap.add_argument("--synth", type=int, default=0, help="also render the first N synth filings")
    ap.add_argument("--cache", type=Path, default=CACHE, help="where renderings are kept (default %(default)s)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", action="store_true", help="print every wrong field")
    ap.add_argument("--list", action="store_true", help="list the producers and whether each is available")
    args = ap.parse_args()
    names = args.producers.split(",") if args.producers else list(PRODUCERS)
    unknown = [n for n in names if n not in PRODUCERS]
    if unknown:
        ap.error(f"unknown producer(s) {unknown}; known: {', '.join(PRODUCERS)}")
    if args.list:
        for name in names:
            ext, _r, available, need = PRODUCERS[name]
            print(f"{name:<24} {ext:<4} {'available' if available() else 'missing: ' + need}")
        return 0
    CACHE = args.cache
    files = sources(args.corpus, args.synth)
    if args.files:
        files = files[:args.files]
    threshold = default_threshold()
    rows = []
    for name in names:
        ext, _render, available, need = PRODUCERS[name]
        if not available():
            print(f"{name}: skipped, not installed ({need})")
            continue
        rendered, failures = render_all(name, files, args.workers)
        for failure in failures:
            print(f"{name}: could not render {failure}")
        totals = score_files(rendered, [args.corpus / "truth", args.corpus / "synth"], workers=args.workers,
                             show=args.show, corpus=args.corpus)
        print(totals.line(name, threshold), flush=True)
        spent = _render_seconds.get(name)
        rows.append((name, totals, sum(spent) / len(spent) if spent else None))
    print(f"\n{'producer':<24} {'files':>5} {'F1':>7} {'wrong':>6} {'unflag':>6} {'%unfl':>6} {'flagOK':>6} "
          f"{'%flag':>6} {'refused':>7} {'ok/rev/nu':>10} {'s/file':>7} {'render s':>8}")
    for name, t, render_cost in rows:
        share = 100 * t.unflagged / t.wrong if t.wrong else 0.0
        alarm = 100 * t.false_alarms / t.correct if t.correct else 0.0
        verdicts = f"{t.status['ok']}/{t.status['review']}/{t.status['not_understood']}"
        print(f"{name:<24} {t.files:>5} {t.f1:>7.4f} {t.wrong:>6} {t.unflagged:>6} {share:>5.1f}% "
              f"{t.false_alarms:>6} {alarm:>5.1f}% {t.refused:>7} {verdicts:>10} "
              f"{t.seconds / max(t.files, 1):>7.3f} {'cached' if render_cost is None else f'{render_cost:.3f}':>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
