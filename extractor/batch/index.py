"""What a batch leaves in its output folder besides the results: ``index.jsonl`` (every input, its
content hash, whether it was read, its verdict and coverage), ``errors.jsonl`` (every input that
failed, with the stage and the reason), and the dataset tables built from the results. Several
batches may run into one folder: each keeps the others' entries (:func:`finish` holds the
folder's lock)."""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from ..errors import output_error
from ..fsutil import remove_stale_temps, write_atomic

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: concurrent batches into one folder are not locked
    fcntl = None



class Planned(Protocol):
    """What :func:`finish` needs of a run's plan (:class:`extractor.batch.run.Plan`)."""

    index: list[dict]  # every input of the run: file, sha, and status when it failed before a task
    unreadable: list[dict]  # the inputs that could not even be opened, as error records


def finished_states(out_dir: Path, retry_failed: bool = False) -> dict[str, str]:
    """sha -> 'ok' or 'failed' for every input an earlier run finished (failures left out when
    RETRY_FAILED), read from OUT_DIR's listing once rather than one file-system call per input."""
    states = {} if retry_failed else {p.stem: "failed" for p in (out_dir / "failed").glob("*.json")}
    states.update({p.stem: "ok" for p in (out_dir / "filings").glob("*.json")})
    return states


def append_error(out_dir: Path, record: dict) -> None:
    """Append one failure to errors.jsonl now (fsync'd), so a killed run still tells what failed."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with open(out_dir / "errors.jsonl", "a", encoding="utf-8") as handle:
            handle.write(json.dumps({k: record.get(k) for k in ("file", "sha", "kind", "stage", "reason")},
                                    sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise output_error(exc, out_dir / "errors.jsonl") from None


def finish(out_dir: Path, the_plan: Planned) -> None:
    """Rewrite index.jsonl and errors.jsonl from the state on disk (deduplicated, sorted): this
    run's inputs, and those other runs into the same folder listed (a batch running beside this
    one keeps its entries). Every input that failed has its own line in errors.jsonl, a copy of a
    failed input (same content, another name) too."""
    with _folder_lock(out_dir):
        states = finished_states(out_dir)
        failures = {p.stem: json.loads(p.read_text()) for p in (out_dir / "failed").glob("*.json")} \
            if (out_dir / "failed").exists() else {}
        entries: dict[str, dict] = {e["file"]: e for e in _read_jsonl(out_dir / "index.jsonl")}
        verdicts: dict[str, dict] = {}
        for entry in the_plan.index:
            sha = entry.get("sha")
            status = entry.get("status") or states.get(sha, "pending")
            outputs = {"xml": f"filings/{sha}.xml", "json": f"filings/{sha}.json"} if status == "ok" else {}
            if status == "ok":
                if sha not in verdicts:
                    verdicts[sha] = verdict_of(out_dir / "filings" / f"{sha}.json")
                outputs.update(verdicts[sha])
            entries[entry["file"]] = {"file": entry["file"], "sha": sha, "status": status, **outputs}
        write_atomic(out_dir / "index.jsonl", "".join(json.dumps(entries[name], sort_keys=True) + "\n"
                                                      for name in sorted(entries)))
        mine = {entry["file"] for entry in the_plan.index}  # this run says again what became of these
        errors = {(e["file"], e.get("sha")): e for e in _read_jsonl(out_dir / "errors.jsonl") if e["file"] not in mine}
        errors.update({(e["file"], e.get("sha")): e for e in the_plan.unreadable})
        for entry in entries.values():  # each failed input by its own name, twins included
            record = failures.get(entry.get("sha") or "")
            if entry.get("status") == "failed" and record is not None:
                errors[(entry["file"], entry["sha"])] = {**record, "file": entry["file"]}
        kept = [e for e in errors.values() if states.get(e.get("sha")) != "ok"]  # failed once, fixed since
        kept.sort(key=lambda e: (e["file"], e.get("sha") or ""))
        write_atomic(out_dir / "errors.jsonl", "".join(
            json.dumps({k: e.get(k) for k in ("file", "sha", "kind", "stage", "reason")}, sort_keys=True) + "\n"
            for e in kept))


def _read_jsonl(path: Path) -> list[dict]:
    """The objects of a JSON Lines file (a line a kill cut short is left out)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict) and "file" in entry:
            out.append(entry)
    return out


@contextmanager
def _folder_lock(out_dir: Path) -> Iterator[None]:
    """One batch at a time rewrites OUT_DIR's index and errors (several may run into one folder)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".form4-batch.lock", "a") as lock:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


_VERDICT = re.compile(rb'^\{\s*"status":\s*"(\w+)",\s*"coverage":\s*([0-9.]+|null)')


def verdict_of(result: Path) -> dict:
    """A result's document verdict, from the head of its JSON (status and coverage come first)."""
    try:
        with result.open("rb") as handle:
            found = _VERDICT.match(handle.read(120))
    except OSError:
        return {}
    if found is None:
        return {}
    coverage = found.group(2)
    return {"verdict": found.group(1).decode(), "coverage": None if coverage == b"null" else float(coverage)}


def results(out_dir: Path) -> Iterator[tuple[str, bytes]]:
    """(sha, JSON bytes) of every finished result in OUT_DIR, in sha order."""
    for path in sorted((out_dir / "filings").glob("*.json")):
        yield path.stem, path.read_bytes()


def _merged(out_dir: Path) -> dict[str, list[dict]]:
    """The dataset tables' rows of every result in OUT_DIR."""
    from ..model import OwnershipDocument
    from ..review.journal import default_threshold
    from ..writers.datasets import COLUMNS, tables

    threshold = default_threshold()
    merged: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    for sha, data in results(out_dir):
        for name, rows in tables(OwnershipDocument.model_validate_json(data), sha, threshold).items():
            merged[name].extend(rows)
    return merged


def table_text(out_dir: Path, name: str, fmt: str = "csv") -> str:
    """One dataset table of OUT_DIR's results as CSV or TSV text (for a pipe)."""
    from ..writers.dataset_files import delimited

    return delimited(name, _merged(out_dir)[name], "\t" if fmt == "tsv" else ",")


def export_tables(out_dir: Path, fmt: str = "csv", db: Path | None = None, to: Path | None = None) -> list[Path]:
    """Build the dataset tables from OUT_DIR's results (no re-extraction) and write them as
    FMT (csv, tsv, parquet or none) under TO (default OUT_DIR/tables), and to DB (SQLite). The
    same tables in another format left there by an earlier export are removed (one format a folder)."""
    from ..writers.dataset_files import write_delimited, write_parquet, write_sqlite
    from ..writers.datasets import COLUMNS

    merged = _merged(out_dir)
    target = to or out_dir / "tables"
    if fmt != "none":
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file where the folder should be, a read-only parent: one line naming it
            raise output_error(exc, target) from None
        for name in COLUMNS:
            for other in sorted({"csv", "tsv", "parquet"} - {fmt}):
                stale = target / f"{name}.{other}"
                try:
                    stale.unlink(missing_ok=True)
                except OSError as exc:
                    raise output_error(exc, stale) from None
    for folder in {target, *([db.parent] if db is not None else [])}:
        remove_stale_temps(folder)
    written: list[Path] = []
    if fmt in ("csv", "tsv"):
        written += write_delimited(target, merged, "\t" if fmt == "tsv" else ",")
    elif fmt == "parquet":
        written += write_parquet(target, merged)
    if db is not None:
        written.append(write_sqlite(db, merged))
    return written
