"""``form4 batch`` and ``form4 export``: the typer layer over :mod:`extractor.batch`."""
from __future__ import annotations

import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ..batch import run as engine
from ..errors import ExtractionError, OutputError
from .choices import OCR_HELP, Ocr

err = Console(stderr=True, highlight=False, soft_wrap=True)


class TableFormat(str, Enum):
    csv = "csv"
    tsv = "tsv"
    parquet = "parquet"
    none = "none"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def _said_failed(record: dict) -> None:
    """One line on stderr for an input that failed, naming it (errors.jsonl has the details)."""
    stage = f"{record['stage']}: " if record.get("stage") else ""
    err.print(f"form4: {record['file']}: {stage}{record.get('reason', 'failed')}", markup=False)


def _summary(records: list[dict], opened: int, skipped: int, seconds: float) -> Table:
    unopened = len(records) - opened
    title = f"form4 batch: {opened} processed, {skipped} already done"
    title += f", {unopened} could not be opened" if unopened else ""
    table = Table(title=f"{title}, {seconds:.1f} s")
    table.caption = ("ok / review / not und.: the documents' verdicts (see README); fields: values to review")
    for column in ("kind", "files", "failed", "ok", "review", "not und.", "errors", "warnings", "fields", "files/s"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    kinds = sorted({r.get("kind", "unknown") for r in records})
    rate = len(records) / seconds if seconds else 0.0
    for kind in kinds + (["all"] if len(kinds) > 1 else []):
        rows = [r for r in records if kind == "all" or r.get("kind", "unknown") == kind]
        ok = [r for r in rows if r["status"] == "ok"]
        verdicts = [r.get("verdict", "ok") for r in ok]
        table.add_row(kind, str(len(rows)), str(len(rows) - len(ok)),
                      *(str(verdicts.count(v)) for v in ("ok", "review", "not_understood")),
                      *(str(sum(r.get(k, 0) for r in ok)) for k in ("errors", "warnings", "low")),
                      f"{rate:.1f}" if kind in ("all",) or len(kinds) == 1 else "")
    return table


def batch_cmd(
    inputs: list[str] = typer.Argument(..., help="Files, folders (recursive), globs, .zip/.tar(.gz) archives."),
    output: Path = typer.Option(..., "--output", "-o", help="Output folder (results, errors.jsonl, tables)."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-j", min=1, metavar="N", help="Worker processes."),
    timeout: float = typer.Option(300.0, "--timeout", min=0.1, metavar="SECONDS", help="Seconds one input may take."),
    force: bool = typer.Option(False, "--force", help="Redo inputs finished by an earlier run."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Redo inputs that failed before."),
    ocr: Ocr = typer.Option(Ocr.auto, "--ocr", help=OCR_HELP),
    tables: TableFormat = typer.Option(TableFormat.csv, "--tables", help="Dataset tables under OUTPUT/tables."),
    db: Optional[Path] = typer.Option(None, "--db", help="Also write the tables to this SQLite database."),
    engine_name: Engine = typer.Option(Engine.local, "--engine", help="local processes, or a Dask cluster."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (--engine dask)."),
) -> None:
    """Convert many filings into OUTPUT: per-filing XML and JSON, errors.jsonl, dataset tables.

    Rerunning skips inputs already done (by content), so a killed batch resumes where it stopped.
    Example: form4 batch filings/ archive.zip -o out --db out/form4.sqlite
    """
    if engine_name is Engine.dask and not scheduler:
        err.print("form4: --engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        raise typer.Exit(2)
    start = time.perf_counter()
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _stop(OutputError(f"cannot write ({exc.strerror})", str(output)))
    # inputs are read while the workers run; the bar's total is known once all are read
    the_plan, pending = engine.plan_stream(inputs, output, force=force, retry_failed=retry_failed, ocr=ocr.value)
    records: list[dict] = []
    failed = 0
    queued = 0
    progress = Progress(TextColumn("converting"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                        TextColumn("{task.fields[rate]} files/s"), TimeElapsedColumn(), TextColumn("ETA"),
                        TimeRemainingColumn(), TextColumn("[red]{task.fields[failed]} failed"),
                        console=err, disable=not err.is_terminal)

    with progress:
        bar = progress.add_task("batch", total=None, failed=failed, rate="-")

        def counted():
            nonlocal queued
            for task in pending:
                queued += 1
                yield task
            progress.update(bar, total=queued)

        def on_result(record: dict) -> None:
            nonlocal failed
            if record["status"] == "aborted":  # the machine's failure (a full disk): nothing recorded
                raise OutputError(record["reason"])
            records.append(record)
            if record["status"] != "ok":
                failed += 1
                engine.append_error(output, record)
                _said_failed(record)
            elapsed = time.perf_counter() - start
            progress.update(bar, advance=1, failed=failed, rate=f"{(len(records) / elapsed):.1f}")

        try:
            if engine_name is Engine.dask:
                from ..batch.dask_engine import run_dask

                run_dask(counted(), scheduler, timeout, on_result)
            else:
                engine.run_local(counted(), workers, timeout, on_result)
        except OutputError as exc:
            _stop(exc)
    if not records and not the_plan.unreadable and not the_plan.skipped:
        err.print(f"form4: no filings found in {', '.join(inputs)}: nothing was converted", markup=False)
        raise typer.Exit(1)
    opened = len(records)
    try:
        for record in the_plan.unreadable:  # inputs that could not even be opened
            records.append(record)
            failed += 1
            engine.append_error(output, record)
            _said_failed(record)
        engine.finish(output, the_plan)
        written = engine.export_tables(output, tables.value, db)
    except OutputError as exc:
        _stop(exc)
    except ExtractionError as exc:
        err.print(f"form4: {exc}", markup=False)
        raise typer.Exit(1) from None
    err.print(_summary(records, opened, len(the_plan.skipped), time.perf_counter() - start))
    if the_plan.duplicates:
        first = next(iter(the_plan.duplicates.items()))
        err.print(f"form4 batch: {len(the_plan.duplicates)} input(s) repeat another's content (one result each "
                  f"content; index.jsonl lists them all), first: {first[0]} = {first[1]}", markup=False)
    if written:
        files = [w for w in written if db is None or w != db]  # the database is said apart
        err.print((f"tables: {len(files)} files under {files[0].parent}" if files else "tables: none") +
                  (f", database {db}" if db else ""))
    if failed:
        err.print(f"form4: {failed} input(s) failed; see {output / 'errors.jsonl'}")
        raise typer.Exit(1)


def _stop(exc: OutputError) -> None:
    """A batch the machine cannot take the results of (a full disk): one line, exit 1. What was
    finished stays; nothing is recorded against the inputs, so the same command resumes."""
    err.print(f"form4: {exc}; the batch stopped, nothing was recorded against its inputs: free space "
              "(or fix the permissions) and run the same command again", markup=False)
    raise typer.Exit(1)


def export_cmd(
    folder: Path = typer.Argument(..., help="A batch output folder (its filings/ results are read)."),
    tables: TableFormat = typer.Option(TableFormat.csv, "--tables", help="Format of the table files."),
    to: Optional[str] = typer.Option(None, "--to", help="Folder for the table files (default FOLDER/tables), "
                                     "or - for one table (--table) as CSV/TSV on stdout."),
    table: Optional[str] = typer.Option(None, "--table", help="The table --to - writes: SUBMISSION, "
                                        "REPORTINGOWNER, NONDERIV_TRANS, NONDERIV_HOLDING, DERIV_TRANS, "
                                        "DERIV_HOLDING, FOOTNOTES or OWNER_SIGNATURE."),
    db: Optional[Path] = typer.Option(None, "--db", help="Also write a SQLite database here."),
) -> None:
    """Build the SEC dataset tables from a batch's results, without extracting again.

    Example: form4 export out --tables parquet --db out/form4.sqlite
    Example: form4 export out --table NONDERIV_TRANS --to - | csvlook
    """
    from ..writers.datasets import COLUMNS

    if not (folder / "filings").is_dir():
        err.print(f"form4: {folder}: not a batch output folder (no filings/ inside)")
        raise typer.Exit(2)
    if table is not None and table.upper() not in COLUMNS:
        err.print(f"form4: --table {table!r}: not a dataset table ({', '.join(COLUMNS)})")
        raise typer.Exit(2)
    if to == "-":
        if table is None or tables.value not in ("csv", "tsv"):
            err.print("form4: --to - writes one table as CSV or TSV on stdout: name it with --table "
                      f"({', '.join(COLUMNS)})")
            raise typer.Exit(2)
        sys.stdout.write(engine.table_text(folder, table.upper(), tables.value))
        return
    if table is not None:
        err.print("form4: --table goes with --to - (a folder gets every table)")
        raise typer.Exit(2)
    try:
        written = engine.export_tables(folder, tables.value, db, Path(to) if to else None)
    except ExtractionError as exc:
        err.print(f"form4: {exc}", markup=False)
        raise typer.Exit(1) from None
    for path in written:
        print(path)
