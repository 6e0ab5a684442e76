"""Typed filings in thousands of typing styles: every corpus and synth filing typed as an era-B
Form 3/4/5 in random styles (tests/typing_styles.py), each read back and scored (issue H).

    python bench/typed_zoo.py [--styles 4] [--synth 500] [--seed 0] [--workers 2] [--cache DIR]
                              [--show] [--choices] [--only stem,...]

Each filing is typed in --styles styles drawn from the style space (a seed per filing and style,
so a run is repeatable and a failing style can be typed again: the file name holds the style's
number and styles.tsv its choices). The typings and their truths (the SEC's XML less what the
era's form had no place for) go to the cache (outside git); every typing is extracted and scored
with :mod:`bench.score_corpus`: F1, wrong fields, wrong fields left unflagged, correct fields
flagged, refusals. --choices adds F1 and unflagged wrong fields per value of each choice, which
says which typing habit the reading does not yet follow. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import zlib
from collections import defaultdict
from dataclasses import fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.score_corpus import CORPUS, score_files  # noqa: E402
from extractor.readers.ownership_xml import read_ownership_xml  # noqa: E402
from extractor.review.journal import default_threshold  # noqa: E402
from tests.typing_styles import Style, type_document, typed_truth  # noqa: E402

CACHE = Path(os.environ.get("FORM4_TYPED", Path.home() / ".cache" / "form4-typed"))


def style_for(stem: str, k: int, seed: int) -> Style:
    return Style.draw(random.Random(zlib.crc32(f"{seed}:{stem}:{k}".encode())))


def truths(corpus: Path, synth: int) -> list[Path]:
    out = sorted((corpus / "truth").glob("*.xml"))
    return out + sorted((corpus / "synth").glob("synth_*.xml"))[:synth]


def type_all(paths: list[Path], styles: int, seed: int, cache: Path) -> tuple[list[Path], dict[str, Style]]:
    typed, truth = cache / "typed", cache / "truth"
    typed.mkdir(parents=True, exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)
    files, style_of = [], {}
    with open(cache / "styles.tsv", "w", encoding="utf-8") as manifest:
        for path in paths:
            data = path.read_bytes()
            doc = read_ownership_xml(data, path.name)
            (truth / f"{path.stem}.xml").write_bytes(typed_truth(data))
            for k in range(styles):
                style = style_for(path.stem, k, seed)
                out = typed / f"{path.stem}.s{k}.txt"
                out.write_text(type_document(doc, style), encoding="utf-8")
                files.append(out)
                style_of[out.name] = style
                manifest.write(f"{out.name}\t{style.label()}\n")
    return files, style_of


def by_choice(totals, style_of: dict[str, Style]) -> None:
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for name, (correct, truth, predicted, wrong, unflagged) in totals.by_file.items():
        style = style_of[name]
        for f in fields(style):
            s = sums[(f.name, repr(getattr(style, f.name)))]
            for i, x in enumerate((correct, truth, predicted, wrong, unflagged, 1)):
                s[i] += x
    for (choice, value), (correct, truth, predicted, wrong, unflagged, files) in sorted(sums.items()):
        p, r = correct / max(predicted, 1), correct / max(truth, 1)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {choice}={value}: {files} files, F1 {f1:.4f}, {wrong} wrong, {unflagged} unflagged")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--styles", type=int, default=4)
    ap.add_argument("--synth", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--only", help="comma-separated stems")
    ap.add_argument("--show", action="store_true", help="print every wrong field")
    ap.add_argument("--choices", action="store_true", help="F1 and unflagged fields per value of each choice")
    args = ap.parse_args()
    paths = truths(args.corpus, args.synth)
    if args.only:
        paths = [p for p in paths if p.stem in args.only.split(",")]
    files, style_of = type_all(paths, args.styles, args.seed, args.cache)
    totals = score_files(files, [args.cache / "truth"], workers=args.workers, show=args.show, corpus=args.corpus)
    print(totals.line(f"typed ({len(paths)} filings x {args.styles} styles)", default_threshold()))
    if totals.wrong:
        print(f"unflagged share of wrong fields: {totals.unflagged / totals.wrong:.1%}")
    if args.choices:
        by_choice(totals, style_of)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
