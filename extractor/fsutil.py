"""Atomic file writes: a result is either entirely there or not at all."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import output_error

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_atomic(path: Path, text: str | bytes, sync: bool = True) -> None:
    """Write TEXT (str or bytes) to PATH via a temporary file in the same folder and an atomic rename;
    a write the machine refuses (full disk, no permission) raises :class:`OutputError`, one line.
    SYNC forces the bytes to disk first (a power cut, not only a killed process, then loses nothing);
    a batch leaves it off per result, since a killed process cannot leave a half-written file anyway.

    The temporary name is ``.NAME.PID.RANDOM.tmp``, created exclusively, so writers on other
    processes or hosts (a Dask cluster on a shared folder) never touch each other's; a batch removes
    the leftovers of a killed run (``.*.tmp``) before it starts. Plain ``os`` calls rather than
    ``tempfile`` and a file object: a batch writes two files per filing, and this halves the
    Python side of that cost (the rest is the kernel creating the file)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    tmp = temp_name(path)
    try:
        try:
            fd = os.open(tmp, _FLAGS, 0o644)
        except FileNotFoundError:  # the folder is new
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, _FLAGS, 0o644)
    except OSError as exc:
        raise output_error(exc, path) from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:  # a full disk, a folder made read-only meanwhile: nothing half-written is left
        Path(tmp).unlink(missing_ok=True)
        raise output_error(exc, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temp_name(path: Path | str) -> str:
    """The temporary name a write to PATH goes through: ``.NAME.PID.RANDOM.tmp`` beside it."""
    return os.path.join(os.path.dirname(path) or ".", f".{os.path.basename(path)}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def _alive(pid: int, since: float) -> bool:
    """Is the process PID, which wrote a file last modified at SINCE, still running? A zombie (a
    killed worker nobody reaped, as in a container) is not, nor a process that started after the
    file was written (its id was given again)."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            state, started = fields[0], int(fields[19]) / os.sysconf("SC_CLK_TCK")
            boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                        if line.startswith("btime"))
            return state not in ("Z", "X") and boot + started <= since + 1
        except (OSError, ValueError, IndexError, StopIteration):
            pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: leave its file alone
    return True


STALE_AFTER = 24 * 3600  # a temporary file this old is debris whoever wrote it (another host)


def remove_stale_temps(folder: Path) -> int:
    """Remove the temporary files of writes a kill cut short in FOLDER: those whose writer (the
    PID in the name) is gone from this host, or older than STALE_AFTER. A live writer's file, a
    concurrent batch's, is left alone. Returns how many were removed."""
    import time

    removed = 0
    if not folder.is_dir():
        return 0
    now = time.time()
    for stale in folder.glob(".*.tmp"):
        parts = stale.name.split(".")
        pid = int(parts[-3]) if len(parts) >= 4 and parts[-3].isdigit() else None
        try:
            written = stale.stat().st_mtime
        except FileNotFoundError:
            continue
        if now - written > STALE_AFTER or pid is None or not _alive(pid, written):
            stale.unlink(missing_ok=True)
            removed += 1
    return removed

