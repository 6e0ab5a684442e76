"""Field paths: one name for one value of a document, used by findings, review and --set.

``period_of_report``, ``issuer.issuer_name``, ``reporting_owners[0].is_director``,
``non_derivative_transactions[1].transaction_shares``, ``owner_signatures[0].signature_date``.
Indexes are 0-based here; people see "Table I row 2" (see :func:`describe`).
"""
from __future__ import annotations

import re
import typing
from typing import Iterator

from pydantic import BaseModel

from .model import Footnote, OwnershipDocument, Value

_PART = re.compile(r"^([a-z0-9_]+)(?:\[(\d+)\])?$")
ROW_LISTS = {"non_derivative_transactions": "Table I", "non_derivative_holdings": "Table I holding",
             "derivative_transactions": "Table II", "derivative_holdings": "Table II holding"}


def _steps(path: str) -> list[tuple[str, int | None]]:
    steps = []
    for part in path.split("."):
        m = _PART.match(part)
        if not m:
            raise KeyError(f"not a field path: {path!r}")
        steps.append((m.group(1), int(m.group(2)) if m.group(2) is not None else None))
    return steps


def get(doc: BaseModel, path: str):
    node: object = doc
    for name, index in _steps(path):
        if not isinstance(node, BaseModel) or name not in type(node).model_fields:
            raise KeyError(f"no field {name!r} in {path!r}")
        node = getattr(node, name)
        if index is not None:
            if not isinstance(node, list) or index >= len(node):
                raise KeyError(f"{path!r}: no item {index}")
            node = node[index]
    return node


def set_value(doc: BaseModel, path: str, value: Value | None) -> None:
    """Replace the Value at PATH (the parent must exist). A footnote's text (``footnotes[0].text``)
    is a plain string: it takes VALUE's text, as sure as VALUE."""
    head, _, last = path.rpartition(".")
    parent = get(doc, head) if head else doc
    name, index = _steps(last)[0]
    if index is not None or name not in type(parent).model_fields:
        raise KeyError(f"cannot set {path!r}")
    if isinstance(parent, Footnote) and name == "text":
        parent.text = "" if value is None or value.value is None else str(value.value)
        parent.confidence = 1.0 if value is None else value.confidence
        return
    setattr(parent, name, value)


def footnote_texts(doc: OwnershipDocument) -> Iterator[tuple[str, Value]]:
    """Every footnote text of DOC as (path, a Value holding it), for review: footnotes are plain
    text in the model, but an OCR'd one can be misread like any value."""
    for n, note in enumerate(doc.footnotes):
        yield f"footnotes[{n}].text", Value(value=note.text, provenance=note.provenance, confidence=note.confidence)


def replace_at(doc: BaseModel, path: str, change) -> BaseModel:
    """A copy of DOC whose value at PATH is ``change(old)``: only the models and lists on the
    way are copied (copy on write), so DOC itself is never touched and the rest is shared."""
    def step(node: BaseModel, steps: list[tuple[str, int | None]]) -> BaseModel:
        name, index = steps[0]
        out = node.model_copy()
        child = getattr(node, name)
        if index is None:
            setattr(out, name, change(child) if len(steps) == 1 else step(child, steps[1:]))
        else:
            items = list(child)
            items[index] = change(items[index]) if len(steps) == 1 else step(items[index], steps[1:])
            setattr(out, name, items)
        return out

    return step(doc, _steps(path))


def leaf_type(doc: BaseModel, path: str) -> type:
    """The Python type a path's value holds (str, Decimal, date, bool)."""
    head, _, last = path.rpartition(".")
    parent = get(doc, head) if head else doc
    if isinstance(parent, Footnote):
        return str
    annotation = type(parent).model_fields[_steps(last)[0][0]].annotation
    for arg in getattr(annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, Value):
            return arg.model_fields["value"].annotation.__args__[0]
    raise KeyError(f"{path!r} is not a value field")


def _models(annotation) -> list[type]:
    """The model classes an annotation names (``Text | None``, ``list[ReportingOwner]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _fields(cls: type) -> tuple[str, ...]:
    """CLS's fields that hold values, or models that do (memoised: every document of a batch walks
    the same few classes; the problems, findings and footnotes hold none)."""
    found = _FIELDS.get(cls)
    if found is None:
        _FIELDS[cls] = ()  # no class holds itself
        found = _FIELDS[cls] = tuple(
            name for name, info in cls.model_fields.items()
            if any(issubclass(m, Value) or _fields(m) for m in _models(info.annotation)))
    return found


_FIELDS: dict[type, tuple[str, ...]] = {}


def iter_values(doc: OwnershipDocument) -> Iterator[tuple[str, Value]]:
    """Every Value leaf of DOC with its path, in form order."""
    def walk(node: BaseModel, prefix: str):
        for name in _fields(type(node)):
            child = getattr(node, name)
            if child is None:
                continue
            if isinstance(child, Value):
                yield prefix + name, child
            elif isinstance(child, BaseModel):
                yield from walk(child, f"{prefix}{name}.")
            elif isinstance(child, list):
                for i, item in enumerate(child):
                    if isinstance(item, BaseModel) and not isinstance(item, Value):
                        yield from walk(item, f"{prefix}{name}[{i}].")
    yield from walk(doc, "")


def describe(doc: OwnershipDocument, path: str) -> str:
    """A label a person finds on the form: the provenance label, else one built from the path."""
    try:
        value = get(doc, path)
    except KeyError:
        value = None
    if isinstance(value, Value) and value.provenance and value.provenance.label:
        return value.provenance.label
    steps = _steps(path)
    name, index = steps[0]
    if name == "footnotes" and index is not None and index < len(doc.footnotes):
        return f"footnote ({doc.footnotes[index].id[1:]})"
    if name in ROW_LISTS and index is not None and len(steps) > 1:
        return f"{ROW_LISTS[name]} row {index + 1}, {steps[1][0].replace('_', ' ')}"
    return path.replace("_", " ")
