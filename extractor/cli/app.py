"""The ``form4`` command: a thin typer layer over the library API.

Domain errors become one line each on stderr (``form4: FILE: reason``); exit
codes: 0 all good, 1 some file could not be extracted, 2 usage error.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .. import __version__
from ..errors import ExtractionError
from ..extract import extract, extract_bytes
from ..fsutil import remove_stale_temps, write_atomic
from ..layout import layout_dirs, load_layout
from ..model import OwnershipDocument
from ..validate.verdict import summary
from ..writers import EXTENSIONS, WRITERS
from .choices import OCR_HELP, Format, Listing, Ocr

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Turn rendered SEC Forms 3/4/5 back into the SEC's ownershipDocument data.")
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)




def _version(value: bool) -> None:
    if value:
        print(f"form4 {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Show the version and exit.")) -> None:
    """form4: rendered SEC Forms 3/4/5 -> ownershipDocument XML / JSON."""


CORRECTIONS_HELP = "Read the filing as extracted, without the corrections its review journal holds."


def _extract_one(name: str, layout: Optional[str], ocr: str = "auto", corrections: bool = True) -> OwnershipDocument:
    if name == "-":
        return extract_bytes(sys.stdin.buffer.read(), "<stdin>", layout=layout, ocr=ocr)
    return _said(name, extract(name, layout=layout, ocr=ocr, corrections=corrections))


def _said(name: str, doc: OwnershipDocument) -> OwnershipDocument:
    """DOC, after saying on stderr when a review journal's corrections were applied to it."""
    if doc.corrections is not None:
        err.print(f"form4: {name}: {doc.corrections.applied} correction(s) applied from {doc.corrections.journal} "
                  "(--no-corrections reads it as extracted)", markup=False)
    return doc


@app.command("extract")
def extract_cmd(
    files: list[str] = typer.Argument(..., help="Renderings to read (HTML, Markdown, PDF, scans, results); "
                                                "'-' reads stdin."),
    fmt: Format = typer.Option(Format.xml, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o",
                                          help="Output file (one input) or directory (several inputs)."),
    layout: Optional[str] = typer.Option(None, "--layout", help="Use this layout instead of choosing one."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when a document is not 'ok' (not fully understood, "
                                "see its status) or the validator reports an error."),
    ocr: Ocr = typer.Option(Ocr.auto, "--ocr", help=OCR_HELP),
    debug_images: Optional[Path] = typer.Option(None, "--debug-images", help="Write each PDF/scan page as a PNG "
                                                "with every field's box drawn, coloured by confidence."),
    no_corrections: bool = typer.Option(False, "--no-corrections", help=CORRECTIONS_HELP),
) -> None:
    """Extract filings to ownershipDocument XML or JSON (JSON includes the validator's findings).

    One input: its XML or JSON (indented) on stdout or in -o FILE. Several: one file each in -o DIR,
    or with --format json and no -o, JSON Lines on stdout (one document per line).

    Example: form4 extract samples/form4-allied-motion-2013.md --format json -o out.json
    """
    write = WRITERS[fmt.value]
    many = len(files) > 1
    if many and output is not None and output.exists() and not output.is_dir():
        err.print(f"form4: {output}: several inputs need -o to be a directory")
        raise typer.Exit(2)
    if output is not None and not output.is_dir() and not output.parent.is_dir():
        # the folder a result file (or a new folder of results) goes in must exist: a mistyped path
        # is an error, not a tree of new folders
        err.print(f"form4: {output.parent}: no such folder (create it first)", markup=False)
        raise typer.Exit(1)
    if many and output is None and fmt is Format.xml:  # XML documents one after another parse as none
        err.print("form4: several inputs give several XML documents: write them with -o DIR, or take "
                  "--format json (one JSON object per line)")
        raise typer.Exit(2)
    if output is not None:  # a write a kill cut short before leaves its temporary file: gone now
        remove_stale_temps(output if output.is_dir() else output.parent)
    failed = errors = unsure = 0
    show_bar = many and err.is_terminal
    progress = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, disable=not show_bar)
    with progress:
        task = progress.add_task("extract", total=len(files))
        for name in files:
            try:
                doc = _extract_one(name, layout, ocr.value, not no_corrections)
                if debug_images is not None and name != "-":
                    from ..writers.page_images import draw_fields

                    for path in draw_fields(doc, Path(name), debug_images):
                        err.print(f"form4: {name}: wrote {path}", markup=False)
                if doc.status != "ok":  # said whatever the options: a document not understood is news
                    unsure += 1
                    err.print(f"form4: {name}: {summary(doc)}", markup=False)
                if any(f.severity == "error" for f in doc.findings):
                    errors += 1
                    if strict:
                        err.print(f"form4: {name}: validator errors: " + "; ".join(
                            f"{f.rule} {f.message}" for f in doc.findings if f.severity == "error"), markup=False)
                text = write(doc) if fmt is Format.xml or many is False else WRITERS["json"](doc)
                if output is None:
                    if many and fmt is Format.json:
                        text = doc.model_dump_json() + "\n"
                    sys.stdout.write(text)
                else:
                    target = output / f"{Path(name).stem if name != '-' else 'stdin'}.{EXTENSIONS[fmt.value]}" \
                        if many or output.is_dir() else output
                    write_atomic(target, text)
            except ExtractionError as exc:
                failed += 1
                err.print(f"form4: {exc}", markup=False)
            progress.advance(task)
    if failed or (strict and (errors or unsure)):
        raise typer.Exit(1) from None


def _load(name: str, corrections: bool = True) -> OwnershipDocument:
    return _said(name, extract(name, corrections=corrections))


@app.command("validate")
def validate_cmd(
    files: list[str] = typer.Argument(..., help="Renderings, or form4 JSON / ownershipDocument XML results."),
    fmt: Listing = typer.Option(Listing.table, "--format", "-f", help="table (readable) or json (one object per line)."),
    no_corrections: bool = typer.Option(False, "--no-corrections", help=CORRECTIONS_HELP),
) -> None:
    """Check filings against the SEC's rules and cross-checks; print the findings.

    Exit 1 when a file could not be read or any error-level finding was made.
    Example: form4 validate filing.html --format json
    """
    bad = False
    for name in files:
        try:
            doc = _load(name, not no_corrections)
        except ExtractionError as exc:
            err.print(f"form4: {exc}", markup=False)
            bad = True
            continue
        bad = bad or any(f.severity == "error" for f in doc.findings)
        if fmt is Listing.json:
            print(json.dumps({"file": name, "status": doc.status, "coverage": doc.coverage,
                              "corrections": doc.corrections.model_dump() if doc.corrections else None,
                              "findings": [f.model_dump() for f in doc.findings]}))
            continue
        # a finding a line, its fields whole on the next (to copy into `review --set`): no table
        # column cuts a path short
        out.print(f"{name}: {summary(doc)}; " + (f"{len(doc.findings)} finding(s)" if doc.findings
                                                 else "no findings"), markup=False)
        for f in doc.findings:
            out.print(f"  {f.severity:<7} {f.rule:<4} {f.message}", markup=False)
            if f.fields:
                out.print(f"               fields: {', '.join(f.fields)}", markup=False)
    if bad:
        raise typer.Exit(1) from None


@app.command("show")
def show_cmd(
    file: str = typer.Argument(..., help="A rendering or a result (JSON / XML)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Highlight values under this confidence."),
    no_corrections: bool = typer.Option(False, "--no-corrections", help=CORRECTIONS_HELP),
) -> None:
    """Print a filing the way a person reads the form, flagged values highlighted.

    Example: form4 show samples/form4-allied-motion-2013.md
    """
    from ..review.display import render_document
    from ..review.journal import default_threshold

    try:
        doc = _load(file, not no_corrections)
    except ExtractionError as exc:
        err.print(f"form4: {exc}", markup=False)
        raise typer.Exit(1) from None
    # piped, the form is as wide as it needs (a terminal's width is the reader's)
    shown = out if out.is_terminal else Console(highlight=False, soft_wrap=True, width=160)
    shown.print(render_document(doc, threshold if threshold is not None else default_threshold()))


@app.command("review")
def review_cmd(
    files: list[Path] = typer.Argument(..., help="Renderings or results to review."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Review fields under this confidence "
                                              "(default: $FORM4_REVIEW_THRESHOLD or config, else 0.8)."),
    user: Optional[str] = typer.Option(None, "--user", help="Name recorded in the journal (default: login)."),
    journal: Optional[Path] = typer.Option(None, "--journal", help="One journal for all files "
                                           "(default: FILE.form4-review.jsonl beside each file)."),
    apply: Optional[Path] = typer.Option(None, "--apply", help="Replay this journal without prompts."),
    sets: list[str] = typer.Option([], "--set", help="PATH=VALUE correction without prompts (repeatable)."),
    reason: str = typer.Option("", "--reason", help="Reason recorded with --set."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write corrected filings to this directory."),
    fmt: Format = typer.Option(Format.xml, "--format", "-f", help="Format of corrected filings."),
) -> None:
    """Walk the fields that need a person, worst first, and journal every correction.

    At each field: [a]ccept, [e]dit (type the value as the form prints it: '785 (1)' is 785 citing
    footnote 1; a date as 05/21/2013; a tick as yes or no), [x] set it empty, [s]kip, [b]ack to the
    previous field, [o]pen the whole filing, [q]uit (the journal keeps every decision; the same command
    resumes). --set PATH=VALUE takes the same syntax; paths are those validate and review print, e.g.
    non_derivative_transactions[0].transaction_shares or issuer.issuer_name.

    Example: form4 review filing.html --set non_derivative_transactions[0].transaction_shares=785 -o fixed/
    """
    try:
        _review(files, threshold, user, journal, apply, sets, reason, output, fmt)
    except ExtractionError as exc:  # a journal or an output the machine cannot write: one line
        err.print(f"form4: {exc}", markup=False)
        raise typer.Exit(1) from None


def _review(files, threshold, user, journal, apply, sets, reason, output, fmt) -> None:
    from ..review import session as review_ui
    from ..review.journal import (
        BadValue,
        Journal,
        apply_edit,
        apply_journal,
        default_threshold,
        parse_input,
        revalidate,
    )

    limit = threshold if threshold is not None else default_threshold()
    if apply is not None or sets:
        session = review_ui.Session(files, user, journal, err)
        entries = Journal(apply).entries() if apply is not None else []
        for path in list(session.base):
            jr = session.journals[path]
            with jr.locked():  # what is written below holds every decision on record, other processes' too
                sha = session.hashes[path]
                base, _own = apply_journal(session.raw[path], jr.entries(), str(path), sha=sha)
                base, count = apply_journal(base, entries, str(path), sha=sha)
                for assignment in sets:
                    field, sep, text = assignment.partition("=")
                    if not sep:
                        err.print(f"form4: --set {assignment!r}: expected PATH=VALUE")
                        raise typer.Exit(2)
                    try:
                        new = parse_input(base, field.strip(), text)
                    except KeyError:  # a path the model has no place for: a usage error
                        err.print(f"form4: {path}: --set {field.strip()!r}: no such field in this filing (paths "
                                  "look like non_derivative_transactions[0].transaction_shares or "
                                  "issuer.issuer_name; `form4 validate` and review name them)", markup=False)
                        raise typer.Exit(2) from None
                    except BadValue as exc:
                        err.print(f"form4: {path}: --set {field.strip()}: {exc}", markup=False)
                        raise typer.Exit(1) from None
                    item = review_ui.Item(path, field.strip(), field.strip(), _safe_get(base, field.strip()))
                    jr.record(path, session.hashes[path], item.path, item.value, new,
                              "edit" if new is not None else "empty", reason or "--set")
                    base = apply_edit(base, field.strip(), new)
                    count += 1
                session.base[path], session.docs[path] = base, revalidate(base)
                if output is not None:
                    write_atomic(output / f"{path.name.split('.')[0]}.{EXTENSIONS[fmt.value]}",
                                 WRITERS[fmt.value](session.docs[path]))
            if jr.set_aside is not None:
                err.print(f"form4: {jr.path}: its last line was cut short (a killed write); kept in "
                          f"{jr.set_aside.name}", markup=False)
            err.print(f"{path.name}: {count} correction(s) applied; "
                      f"{sum(f.severity == 'error' for f in session.docs[path].findings)} error finding(s) remain")
    else:
        session = review_ui.run(files, threshold=limit, user=user, journal=journal, console=out, ask=_ask)
        if output is not None:
            for path, doc in session.docs.items():
                write_atomic(output / f"{path.name.split('.')[0]}.{EXTENSIONS[fmt.value]}", WRITERS[fmt.value](doc))
    if session.failed:
        raise typer.Exit(1) from None


def _ask(prompt: str) -> str:
    try:
        return out.input(prompt, markup=False)  # "[a]ccept" is text, not a style tag
    except EOFError:  # input ran out (a script, a closed terminal): same as quitting
        return "q"


def _safe_get(doc, path: str):
    from ..paths import get

    try:
        return get(doc, path)
    except KeyError:
        return None


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the document model (what `extract --format json` writes).

    Example: form4 schema > ownership.schema.json
    """
    print(json.dumps(OwnershipDocument.model_json_schema(), indent=2))


@app.command("rules")
def rules_cmd(
    fmt: Listing = typer.Option(Listing.table, "--format", "-f", help="table (readable) or json (one object per line)."),
) -> None:
    """List the validator's rules: id, severity, what each checks and where it comes from.

    The ids are those of the findings (validate, review, the JSON's findings). Example: form4 rules
    """
    from ..validate import RULES
    from ..validate.registry import SOURCES, source_of

    ordered = sorted(RULES.values(), key=lambda r: ("SHR".index(r.id[0]) if r.id[0] in "SHR" else 3, int(r.id[1:])))
    if fmt is Listing.json:
        for r in ordered:
            print(json.dumps({"id": r.id, "severity": r.severity, "checks": r.title, "source": source_of(r.id)}))
        return
    table = Table("id", "severity", "what it checks", title="form4's validator rules")
    for r in ordered:
        table.add_row(r.id, r.severity, r.title)
    out.print(table)
    for letter, text in SOURCES.items():
        out.print(f"{letter}: {text}", markup=False)


@app.command("layouts")
def layouts_cmd() -> None:
    """List the layout descriptors and validate each one (exit 1 if any is broken).

    Example: FORM4_LAYOUTS=./my-layouts form4 layouts
    """
    table = Table("name", "form", "edition", "boxes", "cells I / II", "file")
    broken = 0
    for folder in layout_dirs():
        for path in sorted(folder.glob("*.toml")):
            try:
                lay = load_layout(path)
            except ExtractionError as exc:
                broken += 1
                err.print(f"form4: {exc}", markup=False)
                continue
            cols = " / ".join(str(t.width) for t in lay.tables.values())
            table.add_row(lay.name, lay.form, lay.edition, str(len(lay.boxes)), cols, path.name)
    out.print(table)
    if broken:
        raise typer.Exit(1) from None


from .batch_cmds import batch_cmd, export_cmd  # noqa: E402  (commands of their own module)

app.command("batch")(batch_cmd)
app.command("export")(export_cmd)


if __name__ == "__main__":  # pragma: no cover
    app()
