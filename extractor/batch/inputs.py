"""What a batch reads: files, folders (recursively), globs and .zip/.tar(.gz) archives, each
expanded to (name, bytes) in a stable order. Archives are recognised by content, not by name;
an archive member is named ``ARCHIVE!MEMBER``. Nothing is skipped silently: an input that
cannot be opened comes back with the reason instead of bytes."""
from __future__ import annotations

import glob
import io
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..extract import MAX_BYTES

JOURNAL_SUFFIX = ".form4-review.jsonl"


@dataclass
class Input:
    name: str
    data: bytes | None = None
    error: str | None = None
    path: Path | None = None  # the file on disk (None for an archive member)


def _members_zip(path: Path, data: bytes | None) -> Iterator[Input]:
    with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            name = f"{path}!{info.filename}"
            if info.file_size > MAX_BYTES:
                yield Input(name, error=f"archive member is {info.file_size // 1_048_576} MB, over the limit")
                continue
            try:
                yield Input(name, archive.read(info))
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:  # encrypted or damaged member
                yield Input(name, error=f"cannot read archive member ({exc})")


def _members_tar(path: Path, data: bytes | None) -> Iterator[Input]:
    with (tarfile.open(fileobj=io.BytesIO(data)) if data is not None else tarfile.open(path)) as archive:
        for info in sorted(archive.getmembers(), key=lambda i: i.name):
            name = f"{path}!{info.name}"
            if info.isdir():
                continue
            if not info.isfile():  # never followed, but said: the input is not silently dropped
                what = f"a link to {info.linkname!r}" if info.issym() or info.islnk() else "not a regular file"
                yield Input(name, error=f"archive member is {what}; links and devices are not followed")
                continue
            if info.size > MAX_BYTES:
                yield Input(name, error=f"archive member is {info.size // 1_048_576} MB, over the limit")
                continue
            handle = archive.extractfile(info)
            yield Input(name, handle.read()) if handle else Input(name, error="cannot read archive member")


def _is_tar(data: bytes, path: Path | None = None) -> bool:
    """DATA (a file's bytes, or its first bytes when PATH is given) is a tar archive, maybe compressed."""
    if data[257:262] == b"ustar":
        return True
    if data[:2] in (b"\x1f\x8b", b"BZ") or data[:6] == b"\xfd7zXZ\x00":  # compressed: only a tar inside counts
        try:
            with (tarfile.open(path) if path is not None else tarfile.open(fileobj=io.BytesIO(data))) as archive:
                return archive.next() is not None
        except (tarfile.TarError, OSError, EOFError):
            return False
    return False


def _file(path: Path) -> Iterator[Input]:
    """One file: its bytes, or the members of the archive it is (told by content; a file small
    enough to be a rendering is read once, a larger one is opened in place if it is an archive)."""
    try:
        size = path.stat().st_size
        if size <= MAX_BYTES:
            data = path.read_bytes()
            head = data[:512]
        else:
            data = None
            with open(path, "rb") as handle:
                head = handle.read(512)
        if head[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(data) if data is not None else path):
            yield from _members_zip(path, data)
            return
        if _is_tar(data if data is not None else head, path if data is None else None):
            yield from _members_tar(path, data)
            return
        if data is None:
            yield Input(str(path), error=f"file is {size // 1_048_576} MB, larger than a rendering can be", path=path)
            return
        yield Input(str(path), data, path=path)
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        yield Input(str(path), error=getattr(exc, "strerror", None) or str(exc) or type(exc).__name__, path=path)


CROPS_SUFFIX = ".form4-crops"  # the page crops form4 review writes beside a PDF


def _skip(path: Path, exclude: Path | None) -> bool:
    """PATH is not an input: a hidden file, what form4 itself keeps beside an input (a review
    journal with its lock and set-aside lines, review's page crops), or the output folder."""
    if path.name.startswith(".") or JOURNAL_SUFFIX in path.name or \
            any(part.endswith(CROPS_SUFFIX) for part in path.parts):
        return True
    return exclude is not None and (path == exclude or exclude in path.parents)


def expand(args: list[str], exclude: Path | None = None) -> Iterator[Input]:
    """Every input named by ARGS, folders walked in sorted order, EXCLUDE (the output folder) left out."""
    exclude = exclude.resolve() if exclude else None
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            base = path.resolve()  # once: resolving every file would cost a syscall per path part
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = child.relative_to(path)
                if not _skip(base / rel, exclude) and not any(part.startswith(".") for part in rel.parts):
                    yield from _file(child)
        elif path.is_file():
            yield from _file(path)
        else:
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                yield Input(arg, error="no such file, folder or matching glob")
            for match in matches:
                if Path(match).is_file() and not _skip(Path(match).resolve(), exclude):
                    yield from _file(Path(match))
