"""Writing the dataset tables (:mod:`extractor.datasets`): CSV/TSV files, Parquet files
(pyarrow, ``pip install 'form4[parquet]'``) and one SQLite database with an index on every
table's ACCESSION_NUMBER. Every file is written whole or not at all (temporary file + rename)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import OutputError, UnsupportedInputError
from ..fsutil import temp_name, write_atomic
from .datasets import COLUMNS, DATES, KEYS, NUMERIC

Tables = dict[str, list[dict[str, Any]]]


def delimited(name: str, rows: list[dict], delimiter: str = ",") -> str:
    """Table NAME's ROWS as CSV (or TSV): header row first, empty cells for None."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS[name], delimiter=delimiter, lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def write_delimited(out_dir: Path, tables: Tables, delimiter: str = ",") -> list[Path]:
    """One file per table (``NAME.csv`` / ``NAME.tsv``), header row first, empty cells for None."""
    suffix = "tsv" if delimiter == "\t" else "csv"
    written = []
    for name in COLUMNS:
        target = out_dir / f"{name}.{suffix}"
        write_atomic(target, delimited(name, tables.get(name, []), delimiter))
        written.append(target)
    return written


def _day(text: str | None) -> dt.date | None:
    """The SEC's "21-MAY-2013" as a date."""
    return None if text is None else dt.datetime.strptime(text, "%d-%b-%Y").date()


def typed(column: str, value: Any) -> Any:
    """A cell as a typed store holds it: keys as integers, amounts as floats, dates as dates."""
    if value is None:
        return None
    if column in KEYS:
        return int(value)
    if column in NUMERIC:
        return float(value)
    if column in DATES:
        return _day(value)
    return str(value)


def write_parquet(out_dir: Path, tables: Tables) -> list[Path]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UnsupportedInputError("Parquet output needs pyarrow: pip install 'form4[parquet]' (in a clone of form4: "
                                    "pip install -e '.[parquet]')") from None
    written = []
    for name, columns in COLUMNS.items():
        rows = tables.get(name, [])
        arrays = {}
        for column in columns:
            values = [row.get(column) for row in rows]
            kind = pa.int64() if column in KEYS else pa.float64() if column in NUMERIC else \
                pa.date32() if column in DATES else pa.string()
            arrays[column] = pa.array([typed(column, v) for v in values], type=kind)
        buffer = pa.BufferOutputStream()
        pq.write_table(pa.table(arrays), buffer)
        target = out_dir / f"{name}.parquet"
        write_atomic(target, buffer.getvalue().to_pybytes())
        written.append(target)
    return written


def _stored(column: str, value: Any) -> Any:
    value = typed(column, value)
    return value.isoformat() if isinstance(value, dt.date) else value


def write_sqlite(path: Path, tables: Tables) -> Path:
    """All tables in one SQLite file (INTEGER keys, REAL amounts, DATE columns of ISO dates, TEXT
    otherwise), replacing PATH atomically."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror})", str(path)) from None
    tmp = temp_name(path)  # named with this process's id, so a rerun knows a killed run's leftover
    try:
        with sqlite3.connect(tmp) as db:
            for name, columns in COLUMNS.items():
                decl = ", ".join(f'"{c}" ' + ("INTEGER" if c in KEYS else "REAL" if c in NUMERIC else
                                              "DATE" if c in DATES else "TEXT") for c in columns)
                db.execute(f'CREATE TABLE "{name}" ({decl})')
                db.execute(f'CREATE INDEX "{name}_ACCESSION" ON "{name}" ("ACCESSION_NUMBER")')
                marks = ", ".join("?" for _ in columns)
                db.executemany(f'INSERT INTO "{name}" VALUES ({marks})',
                               [[_stored(c, row.get(c)) for c in columns] for row in tables.get(name, [])])
        db.close()
        os.replace(tmp, path)
    except (OSError, sqlite3.OperationalError) as exc:  # "database or disk is full", a read-only folder
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write ({getattr(exc, 'strerror', None) or exc})", str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
