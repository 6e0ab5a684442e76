"""A rule on the other rules' findings (R9), run after them: a table row two or more of whose
fields break the schema's rules or were read wrong was most likely read with its columns shifted (a rendering
that set a row's values under other columns' labels), so its other values are no surer."""
from __future__ import annotations

from .registry import Context, rule
from .rows import rows

_MIN_BROKEN = 2  # one broken field is that field's own problem
# what a value cannot be (the schema's rules) or how it was read wrong (the reading's), not what is
# only unusual (the H heuristics: a sound reading of an odd filing breaks those) nor R8 (box 5 copies)
_COUNTED = ("S", "R")


@rule("R9", "warning", "a table row with two or more fields breaking other rules has every value sent to review "
                       "(its columns were probably read shifted)")
def shifted_rows(ctx: Context):
    named: dict[str, set[str]] = {}  # field path -> the rules naming it
    for finding in ctx.found:
        if finding.severity != "info" and finding.rule.startswith(_COUNTED) and finding.rule != "R8":
            for path in finding.fields:
                named.setdefault(path, set()).add(finding.rule)
    for ref in rows(ctx.doc):
        fields = [ref.field(name) for name, value in ref.row if getattr(value, "value", None) is not None
                  or getattr(value, "footnote_ids", None)]
        broken = [f for f in fields if f in named]
        rules = set().union(*(named[f] for f in broken)) if broken else set()
        if len(broken) >= _MIN_BROKEN and len(rules) >= _MIN_BROKEN and len(broken) < len(fields):
            yield ctx.finding(f"{ref.label()}: {len(broken)} of its fields break rules "
                              f"({', '.join(sorted(rules))}): its columns may have been read shifted, so its "
                              "other values go to review too", [f for f in fields if f not in named])
