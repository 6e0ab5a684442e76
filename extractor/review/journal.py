"""Review: the queue of fields to check, the journal of corrections, and replaying it.

The journal is append-only JSON Lines next to the reviewed file (``FILE.form4-review.jsonl``):
one line per decision (accept, edit, empty) with time, user, filing, field path, old and new
value and a reason. Each line is flushed and fsync'd before the next question, so a crash
loses nothing confirmed. Re-running a review skips decided fields; ``apply_journal`` replays
the edits onto a fresh extraction, so re-extracting never loses a correction.
"""
from __future__ import annotations

import getpass
import hashlib
import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: appends are not locked there
    fcntl = None

from ..errors import output_error
from ..form.values import parse_date, parse_number, split_footnotes
from ..fsutil import write_atomic
from ..model import Finding, OwnershipDocument, Provenance, Value
from ..paths import describe, footnote_texts, get, iter_values, leaf_type, set_value
from ..validate import flag, is_reading, validate
from ..validate.verdict import document_findings, summary

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_THRESHOLD = 0.8
DOCUMENT = "document"  # the item that stands for a whole document not understood (see queue)


def default_threshold() -> float:
    """$FORM4_REVIEW_THRESHOLD, else [review] threshold in ~/.config/form4/config.toml, else 0.8."""
    if "FORM4_REVIEW_THRESHOLD" in os.environ:
        return float(os.environ["FORM4_REVIEW_THRESHOLD"])
    config = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "form4" / "config.toml"
    if config.exists():
        data = tomllib.loads(config.read_text(encoding="utf-8"))
        return float(data.get("review", {}).get("threshold", DEFAULT_THRESHOLD))
    return DEFAULT_THRESHOLD


def journal_path(filing: Path) -> Path:
    return filing.with_name(filing.name + ".form4-review.jsonl")


def file_hash(path: Path) -> str:
    return content_hash(path.read_bytes())


def content_hash(data: bytes) -> str:
    """What a journal entry records of the filing it was made on (and is matched by)."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass
class Item:
    """One field waiting for a person."""

    filing: Path
    path: str
    label: str
    value: Value | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        return self.value.confidence if self.value is not None else 0.0


def queue(docs: dict[Path, OwnershipDocument], threshold: float, decided: set[tuple[str, str]]) -> list[Item]:
    """Fields with a finding (error/warning) or a confidence under THRESHOLD, worst first."""
    items: list[Item] = []
    for filing, doc in docs.items():
        by_field: dict[str, list[Finding]] = {}
        for finding in doc.findings:
            if finding.severity == "info":
                continue
            for path in finding.fields:
                by_field.setdefault(path, []).append(finding)
        seen: set[str] = set()
        for path, value in (*iter_values(doc), *footnote_texts(doc)):
            if path in by_field or value.confidence < threshold:
                seen.add(path)
                items.append(Item(filing, path, describe(doc, path), value, by_field.get(path, [])))
        for path, found in by_field.items():  # findings on fields that hold no value (missing ones)
            if path not in seen:
                try:
                    current = get(doc, path)
                except KeyError:
                    continue
                if current is None or isinstance(current, Value):
                    items.append(Item(filing, path, describe(doc, path), current, found))
        if doc.status != "ok":  # the document itself: what no field can carry (words no field took)
            found = document_findings(doc)
            items.append(Item(filing, DOCUMENT, f"the whole document: {summary(doc)}", None, found))
    items = [i for i in items if (str(i.filing), i.path) not in decided]
    severity = {"error": 0, "warning": 1}
    rank = {"not_understood": 0, "review": 1, "ok": 2}  # worst documents first, then worst fields
    items.sort(key=lambda i: (rank[docs[i.filing].status], i.path != DOCUMENT,
                              min((severity.get(f.severity, 2) for f in i.findings), default=3), i.confidence))
    return items


class BadValue(ValueError):
    """Input that does not parse as the field's type."""


def parse_input(doc: OwnershipDocument, path: str, text: str) -> Value | None:
    """TEXT typed by a person -> a Value for PATH, parsed like extraction ('785 (1)' cites F1)."""
    kind = leaf_type(doc, path)
    text = text.strip()
    if not text:
        return None
    raw, notes = split_footnotes(text)
    value: object
    if path.startswith("footnotes["):  # a footnote's text is taken as typed, marks and all
        raw, notes = text, []
    if kind is Decimal:
        value = parse_number(raw) if raw else None
        if raw and value is None:
            raise BadValue(f"{raw!r} is not a number (examples: 12,759  5381.2  $7)")
    elif kind is date:
        value = parse_date(raw) if raw else None
        if raw and value is None:
            raise BadValue(f"{raw!r} is not a date (examples: 05/21/2013  2013-05-21)")
    elif kind is bool:
        low = raw.lower()
        if low not in ("x", "yes", "y", "true", "1", "no", "n", "false", "0"):
            raise BadValue(f"{raw!r} is not yes/no")
        value, notes = low in ("x", "yes", "y", "true", "1"), []
    else:
        value = raw or None
    return Value(value=value, footnote_ids=notes, confidence=1.0,
                 provenance=Provenance(reader="review", locator="corrected by a person", text=text))


def show_value(value: Value | None) -> str | None:
    """A value as a person types it: '785 (1)'; an unreadable one as the text that was read."""
    if value is None:
        return None
    if value.value is None and not value.footnote_ids and value.provenance and value.provenance.text:
        return value.provenance.text
    shown = "" if value.value is None else str(value.value)
    marks = "".join(f" ({fid[1:]})" for fid in value.footnote_ids)
    return (shown + marks).strip()


class Journal:
    """Append-only, fsync'd JSON Lines of review decisions, one process appending at a time.

    A kill may cut the last line short. The next append sets that fragment aside (in
    ``FILE.torn-TIME``, named in :attr:`set_aside`) and starts on a clean line, so the decisions
    after it are never glued to it; a replay reads every complete line."""

    def __init__(self, path: Path, user: str | None = None) -> None:
        self.path = path
        self.user = user or os.environ.get("FORM4_USER") or getpass.getuser()
        self.set_aside: Path | None = None  # where a torn last line went, when an append found one
        self._held = False  # this process holds the lock (locked() is reentrant)

    def entries(self) -> list[dict]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by a crash mid-write: the decision was never confirmed
            if isinstance(entry, dict) and {"filing", "field", "action"} <= entry.keys():
                out.append(entry)
        return out

    def decided(self) -> set[tuple[str, str]]:
        """(filing, field) pairs whose latest decision stands (a later "reopen" withdraws it)."""
        last: dict[tuple[str, str], str] = {}
        for e in self.entries():
            last[(e["filing"], e["field"])] = e.get("action", "")
        return {key for key, action in last.items() if action in ("accept", "edit", "empty")}

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the journal's lock: appends, and what a process writes from the journal it has just
        read, are one process's at a time (two `review --set -o` on one filing keep both edits)."""
        if self._held:
            yield
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            self._held = True
            try:
                yield
            finally:
                self._held = False
                if fcntl is not None:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def record(self, filing: Path, sha: str, path: str, old: Value | None, new: Value | None, action: str,
               reason: str = "") -> dict:
        entry = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "user": self.user,
                 "filing": str(filing), "sha256": sha, "field": path, "action": action,
                 "old": show_value(old), "new": show_value(new), "reason": reason}
        try:
            with self.locked():
                self._mend()
                with open(self.path, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
        except OSError as exc:  # a full disk, a read-only folder: one line, the journal as it was
            raise output_error(exc, self.path) from None
        return entry

    def _mend(self) -> None:
        """A last line a kill cut short (no newline at the end) is moved aside, whole, before the
        next append: kept for a person, and no longer in the way of the decisions that follow."""
        try:
            with open(self.path, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                size = handle.tell()
                if size == 0:
                    return
                handle.seek(max(0, size - 65536))
                tail = handle.read()
        except FileNotFoundError:
            return
        if tail.endswith(b"\n"):
            return
        cut = tail.rfind(b"\n")
        keep = size - len(tail) + cut + 1 if cut >= 0 else 0
        with open(self.path, "rb") as handle:
            handle.seek(keep)
            torn = handle.read()
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.torn-{stamp}")
        write_atomic(aside, torn)
        with open(self.path, "r+b") as handle:
            handle.truncate(keep)
            handle.flush()
            os.fsync(handle.fileno())
        self.set_aside = aside


def apply_edit(base: OwnershipDocument, path: str, new: Value | None) -> OwnershipDocument:
    """BASE (an unvalidated document) with PATH set to NEW. A person has looked at PATH: the
    reading's findings no longer name it (one left naming nothing it named before is settled)."""
    out = base.model_copy(deep=True)
    set_value(out, path, new)
    kept = []
    for finding in out.findings:
        if is_reading(finding) and path in finding.fields:
            finding.fields = [f for f in finding.fields if f != path]
            if not finding.fields:
                continue
        kept.append(finding)
    out.findings = kept
    return out


def revalidate(base: OwnershipDocument) -> OwnershipDocument:
    """Findings and lowered confidences recomputed from BASE, so a fix clears its own flags."""
    return flag(base, validate(base))


def apply_journal(base: OwnershipDocument, entries: list[dict], filing: str | None = None,
                  sha: str | None = None) -> tuple[OwnershipDocument, int]:
    """Replay the edits of ENTRIES onto BASE; returns it and the count applied. With SHA (the
    filing's content hash, :func:`file_hash`) an entry applies when it was made on that content,
    whatever the file is called now (an entry without a hash, by FILING's name); without, by name."""
    count = 0
    for entry in entries:
        if entry.get("action") not in ("edit", "empty"):
            continue
        made_on = entry.get("sha256")
        if sha is not None and made_on:
            if made_on[:16] != sha[:16]:
                continue
        elif filing is not None and entry["filing"] != filing and Path(entry["filing"]).name != Path(filing).name:
            continue
        new = parse_input(base, entry["field"], entry["new"] or "") if entry["action"] == "edit" else None
        base = apply_edit(base, entry["field"], new)
        count += 1
    return base, count
