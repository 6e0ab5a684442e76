"""The command line: a thin typer layer over the library (``app``: extract, validate, show, review,
batch, export, schema, layouts)."""
from .app import app

__all__ = ["app"]
