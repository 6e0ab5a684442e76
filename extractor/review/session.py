"""The interactive review loop behind ``form4 review`` (the library part is extractor.review)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from ..errors import ExtractionError
from ..extract import extract
from ..model import OwnershipDocument, Value
from ..paths import get, leaf_type
from ..validate.verdict import summary
from .display import SEVERITY_STYLE, crop, load_source, render_document, source_context
from .journal import (
    DOCUMENT,
    BadValue,
    Item,
    Journal,
    apply_edit,
    apply_journal,
    file_hash,
    journal_path,
    parse_input,
    queue,
    revalidate,
    show_value,
)

ACTIONS = "[a]ccept  [e]dit  [x] set empty  [s]kip  [b]ack  [o]pen filing  [q]uit"


class Session:
    """Documents under review, their journals and the derived (validated) documents."""

    def __init__(self, files: list[Path], user: str | None, journal: Path | None, console: Console) -> None:
        self.console = console
        self.raw: dict[Path, OwnershipDocument] = {}  # as extracted, before any correction
        self.base: dict[Path, OwnershipDocument] = {}
        self.docs: dict[Path, OwnershipDocument] = {}
        self.journals: dict[Path, Journal] = {}
        self.hashes: dict[Path, str] = {}
        self.failed = 0
        for path in files:
            try:
                base = extract(path, validate=False, corrections=False)  # the journal is replayed below
            except ExtractionError as exc:
                console.print(f"form4: {exc}", markup=False)
                self.failed += 1
                continue
            jr = Journal(journal or journal_path(path), user)
            self.raw[path] = base
            base, applied = apply_journal(base, jr.entries(), str(path), sha=file_hash(path))
            if applied:
                console.print(f"{path.name}: {applied} correction(s) from {jr.path.name} re-applied", markup=False)
            self.base[path], self.docs[path] = base, revalidate(base)
            self.journals[path], self.hashes[path] = jr, file_hash(path)
            if self.docs[path].status != "ok":
                console.print(f"{path.name}: {summary(self.docs[path])}", markup=False)

    def decided(self) -> set[tuple[str, str]]:
        unique = {j.path: j for j in self.journals.values()}  # one --journal may serve every file
        return set().union(*(j.decided() for j in unique.values()))

    def record(self, item: Item, new, action: str, reason: str = "") -> None:
        self.journals[item.filing].record(item.filing, self.hashes[item.filing], item.path, item.value, new,
                                          action, reason)
        if action in ("edit", "empty"):
            self.base[item.filing] = apply_edit(self.base[item.filing], item.path, new)
            before = {f.message for f in self.docs[item.filing].findings}
            self.docs[item.filing] = revalidate(self.base[item.filing])
            after = self.docs[item.filing].findings
            fresh = [f for f in after if f.message not in before]
            gone = len(before - {f.message for f in after})
            self.console.print(f"re-validated: {gone} finding(s) resolved, {len(fresh)} new")
            for f in fresh:
                self.console.print(Text(f"  NEW {f.severity} {f.rule} {f.message}", style=SEVERITY_STYLE[f.severity]))


def _near(doc: OwnershipDocument, item: Item):
    """The value to show the rendering around: the item's own, or for a missing value another
    value of its row (a missing cell is shown by its row)."""
    if item.value is not None and item.value.provenance is not None and item.value.provenance.placed:
        return item.value
    head = item.path.rpartition(".")[0]
    try:
        parent = get(doc, head) if head else None
    except KeyError:
        return None
    if parent is None or isinstance(parent, Value):
        return None
    return next((v for _n, v in parent if isinstance(v, Value) and v.provenance and v.provenance.bbox is not None
                 or isinstance(v, Value) and v.provenance and v.provenance.locator.startswith("table")), None)


def _problems(doc: OwnershipDocument, item: Item) -> list:
    """What the extractor noted about the item's value: read where it was read, or naming it."""
    where = item.value.provenance.locator if item.value is not None and item.value.provenance else None
    return [p for p in doc.problems if (where and p.locator == where) or p.message.startswith(f"{item.label}:")]


def _show(console: Console, item: Item, n: int, total: int, sources: dict, doc: OwnershipDocument) -> None:
    if item.filing not in sources:
        sources[item.filing] = load_source(item.filing)
    body = Text()
    body.append(f"{item.filing.name}\n", style="bold")
    body.append(f"{item.label}\n", style="cyan")
    body.append(f"{item.path}\n", style="dim")  # a line of its own: whole, to copy into --set
    if item.path != DOCUMENT:
        body.append("value: ")
        body.append(show_value(item.value) or "(empty)", style="bold")
        body.append(f"   confidence {item.confidence:.2f}\n")
    if item.path == DOCUMENT:
        body.append("what no field holds: words of the rendering no field took, a row not read. Open the filing "
                    "([o]) and look at the document itself.\n")
    for f in item.findings:
        body.append(f"{f.severity} {f.rule}: {f.message}\n", style=SEVERITY_STYLE[f.severity])
    for problem in _problems(doc, item):  # e.g. what other OCR readings of the value said
        body.append(f"{problem.kind}: {problem.message}\n", style="yellow")
    # the panel's lines wrap at the terminal's width (the console's soft wrap would cut them short)
    console.print(Panel(body, title=f"item {n} of {total}"), soft_wrap=False)
    near = _near(doc, item)
    console.print(source_context(sources[item.filing], near), soft_wrap=False)
    try:
        image = crop(item.filing, near, item.filing.with_name(item.filing.name + ".form4-crops"),
                     item.path.replace("[", "_").replace("]", "").replace(".", "-"))
    except ExtractionError as exc:  # the crop is a help, not the review: say why there is none
        console.print(f"(no page image of this value: {exc})", markup=False, style="dim")
        image = None
    if image is not None:
        console.print(f"page image of this value: {image}", markup=False)


def run(files: list[Path], *, threshold: float, user: str | None, journal: Path | None, console: Console,
        ask: Callable[[str], str]) -> Session:
    session = Session(files, user, journal, console)
    sources: dict = {}
    history: list[Item] = []
    skipped: set[tuple[str, str]] = set()
    while True:
        todo = [i for i in queue(session.docs, threshold, session.decided()) if (str(i.filing), i.path) not in skipped]
        if not todo:
            console.print("nothing left to review")
            return session
        item = todo[0]
        seen = len(history) + len(skipped)
        _show(console, item, seen + 1, seen + len(todo), sources, session.docs[item.filing])
        while True:
            choice = ask(f"{ACTIONS} > ").strip().lower()[:1]
            if choice == "a":
                session.record(item, item.value, "accept")
                history.append(item)
            elif choice in ("e", "x") and item.path == DOCUMENT:
                console.print("a document is not edited: open it ([o]), correct its fields, and accept it ([a]) "
                              "once looked at")
                continue
            elif choice == "e":
                new = _ask_value(session, item, ask, console)
                reason = ask("reason (optional) > ").strip()
                session.record(item, new, "edit", reason)
                history.append(item)
            elif choice == "x":
                session.record(item, None, "empty", ask("reason (optional) > ").strip())
                history.append(item)
            elif choice == "s":
                skipped.add((str(item.filing), item.path))
            elif choice == "b":
                if not history:
                    console.print("(this is the first item)")
                    continue
                back = history.pop()
                skipped.discard((str(back.filing), back.path))
                _reopen(session, back)
            elif choice == "o":
                console.print(render_document(session.docs[item.filing], threshold))
                continue
            elif choice == "q":
                console.print("quit: decisions so far are in the journal; run the same command to resume")
                return session
            else:
                console.print(f"unknown choice; {ACTIONS}", markup=False)
                continue
            break


def prompt_for(doc: OwnershipDocument, path: str) -> str:
    """What to type for PATH, by the kind of value it holds."""
    kind = leaf_type(doc, path)
    if path.startswith("footnotes["):
        return "new text of the footnote > "
    if kind is bool:
        return "new value (yes / no) > "
    if kind is date:
        return "new value (a date: 05/21/2013 or 2013-05-21; footnote marks after it: '05/21/2013 (1)') > "
    if kind is Decimal:
        return "new value (a number: 12,759 or $7.25; footnote marks after it: '785 (1)') > "
    return "new value (footnote marks at the end: 'Common Stock (1)') > "


def _ask_value(session: Session, item: Item, ask: Callable[[str], str], console: Console):
    base = session.base[item.filing]
    while True:
        text = ask(prompt_for(base, item.path))
        try:
            return parse_input(base, item.path, text)
        except BadValue as exc:
            console.print(Text(f"{exc}; try again", style="red"))


def _reopen(session: Session, item: Item) -> None:
    """Going back: the item's decision is withdrawn by a journal line so the queue offers it again."""
    session.journals[item.filing].record(item.filing, session.hashes[item.filing], item.path, item.value,
                                         item.value, "reopen", "went back")
