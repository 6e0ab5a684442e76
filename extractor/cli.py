"""The ``form4`` command: a thin typer layer over the library API.

Domain errors become one line each on stderr (``form4: FILE: reason``); exit
codes: 0 all good, 1 some file could not be extracted, 2 usage error.
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from . import __version__
from .errors import ExtractionError
from .extract import extract, extract_bytes
from .fsutil import write_atomic
from .layout import layout_dirs, load_layout
from .model import OwnershipDocument
from .writers import EXTENSIONS, WRITERS

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Turn rendered SEC Forms 3/4/5 back into the SEC's ownershipDocument data.")
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


class Format(str, Enum):
    xml = "xml"
    json = "json"


def _version(value: bool) -> None:
    if value:
        print(f"form4 {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Show the version and exit.")) -> None:
    """form4: rendered SEC Forms 3/4/5 -> ownershipDocument XML / JSON."""


def _extract_one(name: str, layout: Optional[str]) -> OwnershipDocument:
    if name == "-":
        return extract_bytes(sys.stdin.buffer.read(), "<stdin>", layout=layout)
    return extract(name, layout=layout)


@app.command("extract")
def extract_cmd(
    files: list[str] = typer.Argument(..., help="Renderings to read (HTML or Markdown); '-' reads stdin."),
    fmt: Format = typer.Option(Format.xml, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o",
                                          help="Output file (one input) or directory (several inputs)."),
    layout: Optional[str] = typer.Option(None, "--layout", help="Use this layout instead of choosing one."),
) -> None:
    """Extract filings to ownershipDocument XML or JSON.

    Example: form4 extract samples/form4-allied-motion-2013.md --format json -o out.json
    """
    write = WRITERS[fmt.value]
    many = len(files) > 1
    if many and output is not None and output.exists() and not output.is_dir():
        err.print(f"form4: {output}: several inputs need -o to be a directory")
        raise typer.Exit(2)
    failed = 0
    show_bar = many and err.is_terminal
    progress = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, disable=not show_bar)
    with progress:
        task = progress.add_task("extract", total=len(files))
        for name in files:
            try:
                doc = _extract_one(name, layout)
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
    if failed:
        raise typer.Exit(1)


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the document model (what `extract --format json` writes).

    Example: form4 schema > ownership.schema.json
    """
    print(json.dumps(OwnershipDocument.model_json_schema(), indent=2))


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
        raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    app()
