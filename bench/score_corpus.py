"""Score a corpus folder against the SEC's XML, and count the wrong fields nobody would look at.

    python bench/score_corpus.py scan [--corpus ../shared/corpus] [--workers 2] [--results DIR] [--show]

KIND is a folder of corpus/ (html, md, pdf, scan, legacy, envelopes, synth) or any folder of
renderings. Each rendering ``<stem>[.<variant>].<ext>`` is extracted (or its form4 JSON result is
loaded from --results, named ``<file name>.json``, which saves re-running OCR) and scored with
../shared/score.py against ``truth/<stem>.xml`` (or ``<stem>.xml`` beside it, as in synth/).

A wrong, missing or extra field counts as *flagged* when the value behind it carries a validator
finding or a confidence under the review threshold: review would show it to a person. A field
not read at all is also flagged when the document's status is not ``ok`` (the person is told to
look at the whole document). The figures the issues ask for are the wrong fields left unflagged
and the correct fields flagged anyway (so flagging everything is no answer). A rendering refused
as "not a form" counts all its fields as wrong and flagged, and is counted apart.
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import OwnershipDocument, extract, to_xml  # noqa: E402
from extractor.model import Value  # noqa: E402
from extractor.paths import get, iter_values, set_value  # noqa: E402
from extractor.review.journal import default_threshold  # noqa: E402

SENTINEL = "\u2047FLAGGED\u2047"
CORPUS = ROOT.parent / "shared" / "corpus"


def scorer(corpus: Path = CORPUS):
    spec = importlib.util.spec_from_file_location("score", corpus.parent / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def flagged_copy(doc: OwnershipDocument, threshold: float) -> OwnershipDocument:
    """DOC with every value review would show replaced by a sentinel (and its footnotes too)."""
    copy = doc.model_copy(deep=True)
    named = {p for f in copy.findings if f.severity != "info" for p in f.fields}
    for path, value in iter_values(copy):
        if path in named or value.confidence < threshold:
            value.value = SENTINEL
            value.footnote_ids = ["F999"]
    for path in named:  # a finding on a value that was not read at all: review shows the empty field
        try:
            if get(copy, path) is None:
                set_value(copy, path, Value(value=SENTINEL, footnote_ids=["F999"]))
        except KeyError:
            continue
    for n, note in enumerate(copy.footnotes):
        if f"footnotes[{n}]" in named or f"footnotes[{n}].text" in named or note.confidence < threshold:
            note.text = SENTINEL
    return copy


def truth_for(path: Path, truth_dirs: list[Path]) -> Path | None:
    """The truth XML of a rendering ``<stem>[.<variant>].<ext>``: the longest stem that has one."""
    parts = path.name.split(".")
    stems = [".".join(parts[:k]) for k in range(len(parts) - 1, 0, -1)]  # longest first
    return next((t for s in stems for d in truth_dirs if (t := d / f"{s}.xml").exists() and t != path), None)


def _extract(args: tuple[str, str | None]) -> tuple[str, str | None, str | None, float]:
    path, results = args
    start = time.perf_counter()
    cached = Path(results) / (Path(path).name + ".json") if results else None
    try:
        if cached is not None and cached.exists():
            doc = OwnershipDocument.model_validate_json(cached.read_bytes())
        else:
            doc = extract(path)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_text(doc.model_dump_json())
    except Exception as exc:  # noqa: BLE001 - a failure is a figure here
        return path, None, f"{type(exc).__name__}: {exc}", time.perf_counter() - start
    return path, doc.model_dump_json(), None, time.perf_counter() - start


@dataclass
class Totals:
    files: int = 0
    truth: int = 0
    predicted: int = 0
    correct: int = 0
    wrong: int = 0
    unflagged: int = 0
    false_alarms: int = 0
    refused: int = 0
    perfect: int = 0
    seconds: float = 0.0
    status: Counter = field(default_factory=Counter)
    mostly_unread_ok: int = 0  # documents under 80 % coverage that still say "ok"
    by_file: dict = field(default_factory=dict)  # file name -> (correct, truth, predicted, wrong, unflagged)

    @property
    def f1(self) -> float:
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.correct / self.truth if self.truth else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, label: str, threshold: float) -> str:
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.correct / self.truth if self.truth else 0.0
        status = ", ".join(f"{k} {v}" for k, v in sorted(self.status.items()))
        return (f"{label}: {self.files} files, precision {p:.4f} recall {r:.4f} F1 {self.f1:.4f}; "
                f"{self.wrong} wrong/missing/extra fields, {self.unflagged} of them unflagged "
                f"(threshold {threshold}); {self.false_alarms} of {self.correct} correct fields flagged; "
                f"{self.perfect} perfect, {self.refused} refused; status: {status or '-'}; "
                f"{self.seconds / max(self.files, 1):.2f} s per file")


def score_files(files: list[Path], truth_dirs: list[Path], *, workers: int = 2, results: str | None = None,
                show: bool = False, corpus: Path = CORPUS) -> Totals:
    """Extract and score FILES (those with a truth in TRUTH_DIRS); see the module docstring."""
    score = scorer(corpus)
    threshold = default_threshold()
    totals = Totals()
    pairs = [(f, t) for f in files if (t := truth_for(f, truth_dirs)) is not None]
    truth_of = {str(f): t for f, t in pairs}
    # workers start afresh (forkserver): a producer run in this process may have started threads
    # (markitdown's model) that a forked worker would inherit locked
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool, tempfile.TemporaryDirectory() as tmp:
        for path, data, error, took in pool.map(_extract, [(str(f), results) for f, _ in pairs], chunksize=4):
            totals.seconds += took
            totals.files += 1
            name, truth = Path(path).name, truth_of[path]
            doc = None
            if error:
                result = score.score_pair(truth, None)
                totals.refused += 1
                totals.status["refused"] += 1
                print(f"FAIL {name}: {error}")
            else:
                doc = OwnershipDocument.model_validate_json(data)
                status = getattr(doc, "status", "ok")
                totals.status[status] += 1
                coverage = getattr(doc, "coverage", None)
                if status == "ok" and coverage is not None and coverage < 0.8:
                    totals.mostly_unread_ok += 1
                ours, flagged = Path(tmp) / "ours.xml", Path(tmp) / "flagged.xml"
                ours.write_text(to_xml(doc))
                flagged.write_text(to_xml(flagged_copy(doc, threshold)))
                result = score.score_pair(truth, ours)
                marked = score.leaves(ET.fromstring(flagged.read_text()))
                plain = score.leaves(ET.fromstring(ours.read_text()))
            bad = [(k, t, p) for k, t, p in result["wrong"]] + [(k, t, None) for k, t in result["missing"]] + \
                  [(k, None, p) for k, p in result["extra"]]
            totals.perfect += not bad and not error
            if doc is not None:
                wrong_keys = {k for k, _, _ in bad}
                alarms = [k for k in plain if k not in wrong_keys and marked.get(k) != plain.get(k)]
                totals.false_alarms += len(alarms)
                if show:
                    for key in alarms:
                        print(f"  {name}: correct, flagged {key}: {plain[key]!r}")
            unflagged_before = totals.unflagged
            for key, want, got in bad:
                if doc is None:
                    seen = True  # refused: the user is told, loudly
                else:
                    seen = marked.get(key) != plain.get(key) or (key not in plain and getattr(doc, "status", "ok") != "ok")
                totals.unflagged += not seen
                if show:
                    print(f"  {name}: {'flagged  ' if seen else 'UNFLAGGED'} {key}: want {want!r} got {got!r}")
            totals.by_file[name] = (result["correct"], result["truth"], result["predicted"], len(bad),
                                    totals.unflagged - unflagged_before)
            totals.wrong += len(bad)
            totals.truth += result["truth"]
            totals.predicted += result["predicted"]
            totals.correct += result["correct"]
    return totals


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", help="a corpus folder name (html, md, ...) or a path to a folder of renderings")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--results", help="folder of form4 JSON results to reuse / fill")
    ap.add_argument("--show", action="store_true", help="print every wrong field")
    args = ap.parse_args()
    folder = args.corpus / args.kind if (args.corpus / args.kind).is_dir() else Path(args.kind)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".tsv"
                   and not (p.suffix == ".xml" and (folder / f"{p.stem}.html").exists()))
    totals = score_files(files, [args.corpus / "truth", folder], workers=args.workers, results=args.results,
                         show=args.show, corpus=args.corpus)
    print(totals.line(args.kind, default_threshold()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
