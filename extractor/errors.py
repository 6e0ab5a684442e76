"""The typed errors of form4: each one names the file and the problem in one line.

Readers and the extractor raise these; the CLI and batch turn them into one line
each (``str(err)``) and go on. Nothing else escapes to a user as a traceback.
"""
from __future__ import annotations


class ExtractionError(Exception):
    """Base class: ``str()`` is a one-line message a person understands."""

    def __init__(self, message: str, source: str | None = None) -> None:
        self.message = message
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class UnreadableInputError(ExtractionError):
    """The input is empty, binary, truncated or otherwise cannot be parsed."""


class NotAFormError(ExtractionError):
    """The input is readable but is not a Form 3, 4 or 5 rendering."""


class LayoutError(ExtractionError):
    """A layout descriptor is invalid, or no descriptor fits the document."""


class UnsupportedInputError(ExtractionError):
    """The input kind is known but needs an optional extra that is not installed."""


class OutputError(ExtractionError):
    """An output could not be written (a full disk, a read-only folder, no permission): the
    machine's failure, not the input's, so a batch records nothing against its inputs and stops."""


def output_error(exc: OSError, path: object) -> OutputError:
    """EXC, raised writing PATH, as one line: "out/x.xml: cannot write (No space left on device)"."""
    return OutputError(f"cannot write ({exc.strerror or type(exc).__name__})", str(exc.filename or path))

