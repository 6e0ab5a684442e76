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

from dataclasses import dataclass
from typing import Callable, Iterator, Literal

from ..model import Finding, OwnershipDocument, Value
from ..paths import get, replace_at

Severity = Literal["error", "warning", "info"]
CONFIDENCE_AFTER = {"error": 0.3, "warning": 0.6, "info": 0.9}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    check: Callable[["Context"], Iterator[Finding]]


RULES: dict[str, Rule] = {}


@dataclass
class Context:
    """What a rule sees: the document, its era, and a helper to report."""

    doc: OwnershipDocument
    legacy: bool
    rule: Rule | None = None

    def finding(self, message: str, fields: list[str], values: dict | None = None,
                expected: object = None, severity: Severity | None = None) -> Finding:
        sev = severity or self.rule.severity
        if self.legacy and sev == "error":
            sev = "warning"
        return Finding(rule=self.rule.id, severity=sev, message=message, fields=fields,
                       values={k: str(v) for k, v in (values or {}).items()},
                       expected=None if expected is None else str(expected))


def rule(rule_id: str, severity: Severity, title: str):
    """Register a check: ``@rule("S3", "error", "ownership form vs nature")``."""
    def register(fn: Callable[[Context], Iterator[Finding]]):
        RULES[rule_id] = Rule(rule_id, severity, title, fn)
        return fn
    return register


def is_legacy(doc: OwnershipDocument) -> bool:
    return doc.layout.startswith("legacy")


def validate(doc: OwnershipDocument, only: set[str] | None = None) -> list[Finding]:
    ctx = Context(doc, is_legacy(doc))
    findings: list[Finding] = []
    for rule_id, registered in RULES.items():
        if only and rule_id not in only:
            continue
        ctx.rule = registered
        findings.extend(registered.check(ctx))
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: order[f.severity])  # stable: rule order kept within a severity
    return findings


def flag(doc: OwnershipDocument, findings: list[Finding]) -> OwnershipDocument:
    """A copy of DOC carrying FINDINGS, with the confidence of every named field lowered."""
    out = doc.model_copy()
    out.findings = list(findings)
    for finding in findings:
        cap = CONFIDENCE_AFTER[finding.severity]
        for path in finding.fields:
            try:
                value = get(out, path)
            except KeyError:
                continue
            if isinstance(value, Value) and value.confidence > cap:
                out = replace_at(out, path, lambda old, cap=cap: old.model_copy(update={"confidence": cap}))
    return out


def v(value: Value | None):
    """The plain value of a leaf (None when absent)."""
    return None if value is None else value.value


from . import rules_form, rules_rows, rules_schema  # noqa: E402,F401  (registers the rules)
