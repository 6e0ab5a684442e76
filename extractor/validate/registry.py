"""The rule registry: what a rule is, what it sees (:class:`Context`), how it reports, and the
``@rule`` decorator that registers it by id (the rule modules of this package use it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, Literal

from ..model import Finding, OwnershipDocument, Value

Severity = Literal["error", "warning", "info"]
CONFIDENCE_AFTER = {"error": 0.3, "warning": 0.6, "info": 0.9}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    # None for a rule the form reading reports itself (it needs the rendering, which the validator
    # never sees): its findings are made at extraction and kept on the document
    check: Callable[["Context"], Iterator[Finding]] | None


RULES: dict[str, Rule] = {}


@dataclass
class Context:
    """What a rule sees: the document, its era, and a helper to report."""

    doc: OwnershipDocument
    legacy: bool
    rule: Rule | None = None
    found: list[Finding] = field(default_factory=list)  # the findings of the rules run before

    def finding(self, message: str, fields: list[str], values: dict | None = None,
                expected: object = None, severity: Severity | None = None) -> Finding:
        sev = severity or self.rule.severity
        if self.legacy and sev == "error":
            sev = "warning"
        return Finding(rule=self.rule.id, severity=sev, message=message, fields=fields,
                       values={k: str(v) for k, v in (values or {}).items()},
                       expected=None if expected is None else str(expected))


#: where each family of rules comes from, by its letter
SOURCES = {
    "S": "the SEC's ownership XML schema and EDGAR's acceptance checks (Ownership XML Technical "
         "Specification v5.5): what EDGAR would have rejected",
    "H": "the forms' General Instructions and the SEC's transaction codes (SPEC-form345 §5.2): what is "
         "unusual in a real filing, a warning",
    "R": "form4's own reading: how the rendering was read (words not placed, form text in a value, rows "
         "split or merged)",
}


def source_of(rule_id: str) -> str:
    return SOURCES.get(rule_id[:1], "")


def rule(rule_id: str, severity: Severity, title: str):
    """Register a check: ``@rule("S3", "error", "ownership form vs nature")``."""
    def register(fn: Callable[[Context], Iterator[Finding]]):
        RULES[rule_id] = Rule(rule_id, severity, title, fn)
        return fn
    return register


def reading_rule(rule_id: str, severity: Severity, title: str) -> None:
    """Register a rule whose findings the form reading makes (see extractor.form.coverage)."""
    RULES[rule_id] = Rule(rule_id, severity, title, None)


def is_reading(finding: Finding) -> bool:
    """FINDING was made by the form reading, not by a validator rule: revalidating keeps it."""
    registered = RULES.get(finding.rule)
    return registered is not None and registered.check is None


def v(value: Value | None):
    """The plain value of a leaf (None when absent)."""
    return None if value is None else value.value
