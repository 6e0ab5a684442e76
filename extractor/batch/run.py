"""Batch conversion: many inputs -> OUTDIR, in parallel, resumable, one failure never the rest's.

Layout of OUTDIR:
  filings/<sha>.xml, filings/<sha>.json   one result per distinct input content (SHA-256, 16 hex)
  failed/<sha>.json                       why an input failed (stage, reason)
  errors.jsonl                            every failure, one JSON object per line
  index.jsonl                             every input name -> its sha, status and result files
  tables/, --db                           the SEC dataset tables (see extractor.datasets)

Every file is written atomically, and a result's JSON is written last, so its presence
means the input is done: a batch killed at any moment (even SIGKILL) and run again does
each input exactly once, and skips renamed copies of done inputs. Workers are processes
(pebble), so a hanging or crashing input costs its own timeout and nothing else.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: concurrent batches into one folder are not locked
    fcntl = None

from ..errors import ExtractionError, OutputError, UnreadableInputError, UnsupportedInputError
from ..fsutil import remove_stale_temps, write_atomic
from .index import (  # noqa: F401 (the batch's API)
    append_error,
    export_tables,
    finish,
    finished_states,
    results,
    table_text,
    verdict_of,
)
from .inputs import JOURNAL_SUFFIX, Input, expand

_CONFIDENCE = re.compile(r'"confidence":\s*([0-9.]+)')


@dataclass
class Task:
    name: str
    sha: str
    data: bytes
    out_dir: str
    ocr: str = "auto"
    journal: list[dict] = field(default_factory=list)


def sha_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _kind(data: bytes, name: str) -> str:
    from ..readers.detect import sniff

    try:
        return sniff(data, name)
    except ExtractionError:
        return "unknown"


def _failure(task: Task, stage: str, reason: str, kind: str, seconds: float) -> dict:
    record = {"file": task.name, "sha": task.sha, "kind": kind, "status": "failed", "stage": stage,
              "reason": reason, "seconds": round(seconds, 3)}
    write_atomic(Path(task.out_dir) / "failed" / f"{task.sha}.json", json.dumps(record, sort_keys=True) + "\n")
    return record


@functools.lru_cache(maxsize=1)
def _threshold() -> float:
    from ..review.journal import default_threshold

    return default_threshold()  # once per worker: it reads the environment and a config file


def run_task(task: Task) -> dict:
    """Extract one input and write its results; returns a summary record (never raises for bad input).
    A result the machine cannot write (a full disk) is no failure of the input: the record says
    "aborted", nothing is recorded against the input, and the batch stops (see run_local)."""
    try:
        return _run_task(task)
    except OutputError as exc:
        return {"file": task.name, "sha": task.sha, "kind": "unknown", "status": "aborted", "reason": str(exc)}


def _run_task(task: Task) -> dict:
    from ..extract import extract_bytes
    from ..model import Corrections
    from ..review.journal import apply_journal, revalidate
    from ..writers.json import to_json
    from ..writers.xml import to_xml

    start = time.perf_counter()
    kind = "unknown"
    try:
        doc = extract_bytes(task.data, task.name, ocr=task.ocr, validate=not task.journal)
        if task.journal:
            doc, count = apply_journal(doc, task.journal, filing=task.name, sha=task.sha)
            doc = revalidate(doc)
            if count:
                doc.corrections = Corrections(journal=f"{task.name}.form4-review.jsonl", applied=count)
    except (UnreadableInputError, UnsupportedInputError) as exc:
        return _failure(task, "read", exc.message, _kind(task.data, task.name), time.perf_counter() - start)
    except ExtractionError as exc:
        return _failure(task, "extract", exc.message, _kind(task.data, task.name), time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - a bug on one input must not stop the batch; it is reported
        return _failure(task, "internal", f"{type(exc).__name__}: {exc}", _kind(task.data, task.name),
                        time.perf_counter() - start)
    kind = doc.reader or kind  # html, markdown, pdf, ocr, envelope, result
    filings = Path(task.out_dir) / "filings"
    xml, result = to_xml(doc), to_json(doc)
    extracted = time.perf_counter()  # what any extract-and-serialise loop pays; the rest is the batch's
    write_atomic(filings / f"{task.sha}.xml", xml, sync=False)
    write_atomic(filings / f"{task.sha}.json", result, sync=False)  # last: its presence marks it done
    written = time.perf_counter()
    threshold = _threshold()
    severities = [f.severity for f in doc.findings]
    low = sum(1 for c in _CONFIDENCE.findall(result) if float(c) < threshold)  # from the JSON just written
    end = time.perf_counter()
    return {"file": task.name, "sha": task.sha, "kind": kind, "status": "ok", "seconds": round(end - start, 6),
            "extract_seconds": round(extracted - start, 6), "write_seconds": round(written - extracted, 6),
            "errors": severities.count("error"), "verdict": doc.status, "coverage": doc.coverage,
            "warnings": severities.count("warning"), "infos": severities.count("info"), "low": low}


def _journal(item: Input) -> list[dict]:
    if item.path is None:
        return []
    path = item.path.with_name(item.path.name + JOURNAL_SUFFIX)
    if not path.exists():
        return []
    from ..review.journal import Journal

    return Journal(path).entries()


@dataclass
class Plan:
    """What a run will do: tasks to run, inputs already done, inputs that cannot even be read."""

    tasks: list[Task] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    unreadable: list[dict] = field(default_factory=list)
    index: list[dict] = field(default_factory=list)
    # inputs whose content another input of this run has (file -> the input it repeats): one result
    duplicates: dict[str, str] = field(default_factory=dict)


def plan_stream(inputs: list[str], out_dir: Path, *, force: bool = False, retry_failed: bool = False,
                ocr: str = "auto") -> tuple[Plan, Iterator[Task]]:
    """The plan and the tasks to run, produced as the inputs are read, so reading and hashing the
    next inputs overlaps with the workers extracting the first ones. The plan's lists (skipped,
    unreadable, index) are complete once the tasks are exhausted."""
    out = Plan()
    for folder in (out_dir, out_dir / "filings", out_dir / "failed", out_dir / "tables"):
        remove_stale_temps(folder)  # of writes a kill cut short (a live batch's are left alone)

    finished = {} if force else finished_states(out_dir, retry_failed)

    def tasks() -> Iterator[Task]:
        seen: dict[str, str] = {}  # content -> the first input that had it
        for item in expand(inputs, exclude=out_dir):
            if item.data is None:
                out.unreadable.append({"file": item.name, "sha": None, "kind": "unknown", "status": "failed",
                                       "stage": "input", "reason": item.error})
                out.index.append({"file": item.name, "sha": None, "status": "failed"})
                continue
            sha = sha_of(item.data)
            out.index.append({"file": item.name, "sha": sha})
            if sha in seen:
                out.duplicates[item.name] = seen[sha]  # the same content twice in one run: one result
                continue
            seen[sha] = item.name
            state = finished.get(sha)  # listed once above: no file-system call per input
            if state:
                out.skipped.append({"file": item.name, "sha": sha, "status": state})
                continue
            yield Task(item.name, sha, item.data, str(out_dir), ocr, _journal(item))

    return out, tasks()


def plan(inputs: list[str], out_dir: Path, *, force: bool = False, retry_failed: bool = False,
         ocr: str = "auto") -> Plan:
    """The whole plan at once (tasks listed)."""
    out, tasks = plan_stream(inputs, out_dir, force=force, retry_failed=retry_failed, ocr=ocr)
    out.tasks = list(tasks)
    return out


def _warm() -> None:
    """Import the extractor, its readers and load the layouts once, before workers fork, so no
    worker pays it (OCR's models stay lazy: most batches never load them)."""
    from importlib import import_module

    from .. import validate  # noqa: F401
    from ..extract import extract_bytes  # noqa: F401
    from ..layout import all_layouts
    from ..readers import READERS
    from ..review import journal  # noqa: F401
    from ..writers import json as _json  # noqa: F401

    for module in READERS.values():
        import_module(module)
    import_module("extractor.readers.pdfium_page")
    all_layouts()


CHUNK = 8  # small text inputs per worker call: one call per 15 ms filing would cost 3% in IPC alone
_SMALL = 256 * 1024


def _small_text(task: Task) -> bool:
    head = task.data[:8]
    return len(task.data) < _SMALL and not head.startswith(b"%PDF") and b"%PDF-" not in task.data[:1024] \
        and not head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


def _chunks(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    """Small text inputs in groups of CHUNK, anything else (PDFs, scans, large files) alone."""
    group: list[Task] = []
    for task in tasks:
        if not _small_text(task):
            yield [task]
            continue
        group.append(task)
        if len(group) == CHUNK:
            yield group
            group = []
    if group:
        yield group


def run_chunk(tasks: list[Task]) -> list[dict]:
    return [run_task(task) for task in tasks]


def share_cores(workers: int) -> None:
    """In a worker process: its share of the cores for OCR's models (the batch runs WORKERS side
    by side, so each takes cores // workers threads), unless $FORM4_OCR_THREADS says otherwise."""
    from ..readers.ocr_engine import threads

    os.environ.setdefault("FORM4_OCR_THREADS", str(max(1, threads() // max(workers, 1))))


def run_local(tasks: Iterable[Task], workers: int, timeout: float | None,
              on_result: Callable[[dict], None]) -> None:
    """Run TASKS on WORKERS processes; a task past TIMEOUT seconds is killed and reported. Small
    text inputs travel in chunks; a chunk gets one input's TIMEOUT (its inputs take milliseconds
    each, so one that hangs is caught as soon as it would be alone), and a chunk that times out
    or crashes is run again one input per call, so only the guilty input fails."""
    from pebble import ProcessExpired, ProcessPool

    _warm()
    window = max(2, workers * 4)  # calls in flight: bounded memory however many are queued
    pending = _chunks(tasks)
    retry: list[list[Task]] = []
    with ProcessPool(max_workers=workers, initializer=share_cores, initargs=(workers,)) as pool:
        running: dict = {}

        def fill() -> None:
            while len(running) < window:
                chunk = retry.pop() if retry else next(pending, None)
                if chunk is None:
                    return
                running[pool.schedule(run_chunk, args=(chunk,), timeout=timeout)] = chunk

        def failed(task: Task, stage: str, reason: str) -> dict:
            return _failure(task, stage, reason, _kind(task.data, task.name), timeout or 0.0)

        fill()
        while running:
            finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in finished:
                chunk = running.pop(future)
                try:
                    records = future.result()
                    aborted = next((r for r in records if r["status"] == "aborted"), None)
                    if aborted is not None:  # the machine cannot take the results: stop, record nothing
                        pool.stop()
                        raise OutputError(aborted["reason"])
                except (TimeoutError, ProcessExpired) as exc:
                    if len(chunk) > 1:  # one of them hung or crashed the worker: find which, alone
                        retry.extend([task] for task in chunk)
                        continue
                    stage, reason = ("timeout", f"took longer than {timeout:g} s") if isinstance(exc, TimeoutError) \
                        else ("crash", f"the worker died ({exc})")
                    records = [failed(chunk[0], stage, reason)]
                except OutputError:
                    raise
                except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result: reported, not raised
                    records = [failed(task, "internal", f"{type(exc).__name__}: {exc}") for task in chunk]
                for record in records:
                    on_result(record)
            fill()


