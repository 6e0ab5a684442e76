"""Mutation suite report: plant realistic misreads in correct extractions of the corpus renderings
and count how many the validator flags at the right field. Prints a table; asserts nothing.

    python bench/mutation_report.py [--corpus ../shared/corpus]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import extract  # noqa: E402
from tests.mutations import caught, faults  # noqa: E402


def run(corpus: Path, show_misses: bool = False) -> dict:
    planted, hit, hidden, hidden_hit = Counter(), Counter(), Counter(), Counter()
    misses = []
    for path in sorted((corpus / "html").glob("*.html")):
        if ".real." in path.name:
            continue  # the same filings as their .html twins
        doc = extract(path, validate=False)
        for fault in faults(doc):
            found = caught(doc, fault)
            if fault.observable:
                planted[fault.kind] += 1
                hit[fault.kind] += found
                if not found:
                    misses.append((path.name, fault.kind, fault.fields[0]))
            else:
                hidden[fault.kind] += 1
                hidden_hit[fault.kind] += found
    return {"planted": planted, "hit": hit, "hidden": hidden, "hidden_hit": hidden_hit, "misses": misses}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args()
    r = run(args.corpus)
    print(f"{'kind':16} {'planted':>8} {'flagged':>8} {'rate':>7}   {'unobservable (flagged)':>24}")
    for kind in sorted(set(r["planted"]) | set(r["hidden"])):
        n, k = r["planted"][kind], r["hit"][kind]
        print(f"{kind:16} {n:8} {k:8} {k / n if n else 0:7.1%}   {r['hidden'][kind]:14} ({r['hidden_hit'][kind]})")
    n, k = sum(r["planted"].values()), sum(r["hit"].values())
    print(f"{'all':16} {n:8} {k:8} {k / n:7.1%}   {sum(r['hidden'].values()):14} ({sum(r['hidden_hit'].values())})")
    if args.misses:
        for miss in r["misses"]:
            print("missed", *miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
