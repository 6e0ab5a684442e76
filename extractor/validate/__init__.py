"""The validator: reconciles a document against the SEC's rules and cross-checks.

``validate(doc) -> list[Finding]`` never changes the document. Rules live in
the modules of this package, one small function each, registered by id with
:func:`rule`. Hard rules (S1-S12, SPEC §5.1) are errors for XML-era renderings
(an accepted filing cannot break them, so a break is a misread) and warnings
for pre-2003 legacy filings, which were never schema-checked; heuristics
(H1-H14, §5.2) are warnings. :func:`flag` returns a copy whose named fields
carry lowered confidence, so one threshold drives review.
"""
from __future__ import annotations

import decimal

from ..model import Finding, OwnershipDocument, Value
from ..paths import get, replace_at
from . import rules_form, rules_reading, rules_rows, rules_schema  # noqa: F401  (registers the rules)
from . import rules_shifted  # noqa: F401,E402  (last: it reads the other rules' findings)
from .registry import CONFIDENCE_AFTER, RULES, Context, Rule, is_reading, rule, v
from .verdict import settle

__all__ = ["validate", "flag", "RULES", "Rule", "Context", "rule", "v", "is_legacy", "settle"]


def is_legacy(doc: OwnershipDocument) -> bool:
    return doc.layout.startswith("legacy")


def validate(doc: OwnershipDocument, only: set[str] | None = None) -> list[Finding]:
    """Every rule's findings on DOC. The rules compute with every digit a reader accepts (a
    decimal context wide enough for any number that parses); a rule that still cannot compute on
    a document's numbers says so in a finding instead of failing the extraction."""
    findings: list[Finding] = [f for f in doc.findings if is_reading(f)]  # the reading's own, for R9
    ctx = Context(doc, is_legacy(doc), found=findings)
    reading = len(findings)
    with decimal.localcontext() as wide:
        wide.prec, wide.Emax, wide.Emin = 100, 10**6, -10**6
        for rule_id, registered in RULES.items():
            if (only and rule_id not in only) or registered.check is None:
                continue
            ctx.rule = registered
            try:
                findings.extend(registered.check(ctx))
            except (ArithmeticError, ValueError) as exc:  # decimal.InvalidOperation is both
                findings.append(Finding(rule=rule_id, severity="warning", message=f"{registered.title}: not "
                                        f"checked, a number is out of reach ({type(exc).__name__})"))
    order = {"error": 0, "warning": 1, "info": 2}
    findings = findings[reading:]
    findings.sort(key=lambda f: order[f.severity])  # stable: rule order kept within a severity
    return findings


def flag(doc: OwnershipDocument, findings: list[Finding]) -> OwnershipDocument:
    """A copy of DOC carrying FINDINGS and the findings its reading made, with the confidence of
    every named field lowered and the document's status set from them (see :mod:`.verdict`)."""
    out = doc.model_copy()
    out.findings = [f for f in doc.findings if is_reading(f)] + list(findings)
    for finding in out.findings:
        cap = CONFIDENCE_AFTER[finding.severity]
        for path in finding.fields:
            try:
                value = get(out, path)
            except KeyError:
                continue
            if isinstance(value, Value) and value.confidence > cap:
                out = replace_at(out, path, lambda old, cap=cap: old.model_copy(update={"confidence": cap}))
    return settle(out)
