"""Score a corpus folder against the SEC's XML, and count the wrong fields nobody would look at.

    python bench/score_corpus.py scan [--corpus ../shared/corpus] [--workers 2] [--results DIR] [--show]

KIND is a folder of corpus/ (html, md, pdf, scan). Each rendering ``<stem>[.<variant>].<ext>`` is
extracted (or its form4 JSON result is loaded from --results, named ``<file name>.json``,
which saves re-running OCR) and scored with ../shared/score.py against ``truth/<stem>.xml``.

A wrong, missing or extra field counts as *flagged* when the value behind it carries a
validator finding or a confidence under the review threshold: review would show it to a
person. The figure the issue asks for is the number of wrong fields left unflagged.
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import OwnershipDocument, extract, to_xml  # noqa: E402
from extractor.model import Value  # noqa: E402
from extractor.paths import get, iter_values, set_value  # noqa: E402
from extractor.review import default_threshold  # noqa: E402

SENTINEL = "\u2047FLAGGED\u2047"


def _scorer(corpus: Path):
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
        if f"footnotes[{n}]" in named or note.confidence < threshold:
            note.text = SENTINEL
    return copy


def _extract(args: tuple[str, str | None]) -> tuple[str, str | None, str | None, float]:
    path, results = args
    start = time.perf_counter()
    try:
        if results and (Path(results) / (Path(path).name + ".json")).exists():
            doc = OwnershipDocument.model_validate_json((Path(results) / (Path(path).name + ".json")).read_bytes())
        else:
            doc = extract(path)
            if results:
                Path(results).mkdir(parents=True, exist_ok=True)
                (Path(results) / (Path(path).name + ".json")).write_text(doc.model_dump_json())
    except Exception as exc:  # noqa: BLE001 - a failure is a figure here
        return path, None, f"{type(exc).__name__}: {exc}", time.perf_counter() - start
    return path, doc.model_dump_json(), None, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--results", help="folder of form4 JSON results to reuse / fill")
    ap.add_argument("--show", action="store_true", help="print every wrong field")
    args = ap.parse_args()
    score = _scorer(args.corpus)
    threshold = default_threshold()
    files = sorted(p for p in (args.corpus / args.kind).iterdir() if p.is_file())
    import tempfile
    import xml.etree.ElementTree as ET

    totals = {"truth": 0, "predicted": 0, "correct": 0, "wrong": 0, "unflagged": 0, "false_alarms": 0}
    seconds = 0.0
    with ProcessPoolExecutor(args.workers) as pool, tempfile.TemporaryDirectory() as tmp:
        for path, data, error, took in pool.map(_extract, [(str(f), args.results) for f in files]):
            seconds += took
            name = Path(path).name
            parts = name.split(".")
            stems = [".".join(parts[:k]) for k in range(len(parts) - 1, 0, -1)]  # longest first
            truth = next((t for t in (args.corpus / "truth" / f"{s}.xml" for s in stems) if t.exists()), None)
            if truth is None:
                continue
            if error:
                result = score.score_pair(truth, None)
                print(f"FAIL {name}: {error}")
            else:
                doc = OwnershipDocument.model_validate_json(data)
                ours, flagged = Path(tmp) / "ours.xml", Path(tmp) / "flagged.xml"
                ours.write_text(to_xml(doc))
                flagged.write_text(to_xml(flagged_copy(doc, threshold)))
                result = score.score_pair(truth, ours)
                marked = score.leaves(ET.fromstring(flagged.read_text()))
                plain = score.leaves(ET.fromstring(ours.read_text()))
            bad = [(k, t, p) for k, t, p in result["wrong"]] + [(k, t, None) for k, t in result["missing"]] + \
                  [(k, None, p) for k, p in result["extra"]]
            if not error:
                wrong_keys = {k for k, _, _ in bad}
                alarms = [k for k in plain if k not in wrong_keys and marked.get(k) != plain.get(k)]
                totals["false_alarms"] += len(alarms)
                if args.show:
                    for key in alarms:
                        print(f"  {name}: correct, flagged {key}: {plain[key]!r}")
            for key, want, got in bad:
                seen = not error and marked.get(key) != plain.get(key)
                totals["unflagged"] += not seen
                if args.show:
                    print(f"  {name}: {'flagged  ' if seen else 'UNFLAGGED'} {key}: want {want!r} got {got!r}")
            totals["wrong"] += len(bad)
            for k in ("truth", "predicted", "correct"):
                totals[k] += result[k]
    p = totals["correct"] / totals["predicted"] if totals["predicted"] else 0.0
    r = totals["correct"] / totals["truth"] if totals["truth"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{args.kind}: {len(files)} files, precision {p:.4f} recall {r:.4f} F1 {f1:.4f}; "
          f"{totals['wrong']} wrong/missing/extra fields, {totals['unflagged']} of them unflagged "
          f"(threshold {threshold}); {totals['false_alarms']} correct fields flagged; "
          f"{seconds / max(len(files), 1):.2f} s per file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
