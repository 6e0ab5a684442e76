"""Atomic file writes: a result is either entirely there or not at all."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str | bytes, sync: bool = True) -> None:
    """Write TEXT (str or bytes) to PATH via a temporary file in the same folder and an atomic rename.
    SYNC forces the bytes to disk first (a power cut, not only a killed process, then loses nothing);
    a batch leaves it off per result, since a killed process cannot leave a half-written file anyway."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
