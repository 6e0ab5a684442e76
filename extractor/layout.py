"""Layout descriptors: their schema, loading (with ``extends``), and choosing one.

A descriptor (``layouts/*.toml``) is data: for one form x edition it names each
numbered box and each table column, its label and label variants, the model
field it fills, its value type and its sub-columns. Loading validates it with
the pydantic schema below (unknown keys rejected, ``format_version`` checked)
and reports errors with the file and the field. A descriptor may ``extends`` a
base one and ``remove`` what the edition lacks, so a new edition is a short
file and never new code.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import LayoutError
from .ir import Source
from .labels import LabelIndex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

FORMAT_VERSION = 1
_STRICT = ConfigDict(extra="forbid", frozen=True)


class Option(BaseModel):
    """One choice inside a box: a relationship flag or a joint-filing line."""

    model_config = _STRICT
    field: str
    label: str
    variants: list[str] = Field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [self.label, *self.variants]


class Box(BaseModel):
    model_config = _STRICT
    number: str | None = None
    label: str
    variants: list[str] = Field(default_factory=list)
    # "ignore": a box read only as a boundary, never emitted (the typed forms' IRS/SSN number box)
    type: Literal["checkbox", "name_address", "issuer", "date", "text", "relationship", "joint_filing", "ignore"]
    field: str | None = None
    options: list[Option] = Field(default_factory=list)
    sublabels: list[str] = Field(default_factory=list)
    threshold: float | None = None

    @property
    def labels(self) -> list[str]:
        return [self.label, *self.variants]


ValueType = Literal["text", "date", "number", "code", "v", "acquired_disposed", "ownership"]


class SubColumn(BaseModel):
    model_config = _STRICT
    label: str
    variants: list[str] = Field(default_factory=list)
    field: str
    type: ValueType
    value_field: str | None = None  # filled instead of FIELD when the cell shows "$"
    acquired_disposed: Literal["A", "D"] | None = None  # a number here means this code

    @property
    def labels(self) -> list[str]:
        return [self.label, *self.variants]


class Column(BaseModel):
    model_config = _STRICT
    number: str
    label: str
    variants: list[str] = Field(default_factory=list)
    field: str | None = None
    type: ValueType | None = None
    value_field: str | None = None
    sub: list[SubColumn] = Field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [self.label, *self.variants]

    @property
    def width(self) -> int:
        return max(1, len(self.sub))

    def slots(self) -> list[SubColumn]:
        """The cells this column spans, as sub-columns (itself when it has none)."""
        if self.sub:
            return list(self.sub)
        if self.field is None or self.type is None:
            raise ValueError(f"column {self.number} needs field and type, or sub-columns")
        return [SubColumn(label=self.label, field=self.field, type=self.type, value_field=self.value_field)]


class TableSpec(BaseModel):
    model_config = _STRICT
    title: str
    variants: list[str] = Field(default_factory=list)
    kind: Literal["non_derivative", "derivative"]
    rows: Literal["auto", "holdings"] = "auto"
    columns: list[Column]

    @property
    def width(self) -> int:
        return sum(c.width for c in self.columns)


class Section(BaseModel):
    model_config = _STRICT
    label: str
    variants: list[str] = Field(default_factory=list)
    # "end": printed boilerplate that ends whatever section is open (the form's footer);
    # "skip": boilerplate lines inside a section that belong to none ("* If the form is filed by ...")
    type: Literal["footnotes", "remarks", "signatures", "owner_list", "owner_table", "end", "skip"]

    @property
    def labels(self) -> list[str]:
        return [self.label, *self.variants]


class Match(BaseModel):
    """How the layout is recognised in the header text (titles and labels)."""

    model_config = _STRICT
    titles: list[str]  # at least one must be present
    present: list[str] = Field(default_factory=list)  # all must be present
    absent: list[str] = Field(default_factory=list)  # none may be present
    threshold: float = 88.0


class Layout(BaseModel):
    model_config = _STRICT
    format_version: int
    name: str
    form: Literal["3", "4", "5"]
    edition: str
    description: str = ""
    threshold: float = 85.0  # default fuzzy threshold for labels
    match: Match
    boxes: dict[str, Box]
    tables: dict[str, TableSpec]
    sections: dict[str, Section] = Field(default_factory=dict)
    # the form's own fixed text besides its labels (title, instructions, OMB box, footer): words
    # printed on every filing of the edition, so never data (see extractor.form.coverage);
    # an edition's list adds to the one it extends
    printed: list[str] = Field(default_factory=list)

    def phrases(self, printed: bool = True) -> list[str]:
        """Every text this edition prints whatever the filing: titles, box, option, sub-, column,
        sub-column and section labels with their variants, a column's sub-labels in a run as printed
        side by side ("Code V"), and (PRINTED) the fixed text of
        ``printed``, where ``{date}`` stands for any date ("Expires: {date}")."""
        out = [*self.match.titles, *self.match.present]
        for box in self.boxes.values():
            out += box.labels + box.sublabels + [label for o in box.options for label in o.labels]
        for table in self.tables.values():
            out += [table.title, *table.variants]
            for column in table.columns:
                out += column.labels + [label for s in column.sub for label in s.labels]
                firsts = [s.labels[0] for s in column.sub if s.labels]
                out += [" ".join(firsts[a:b]) for a in range(len(firsts)) for b in range(a + 2, len(firsts) + 1)]
        for section in self.sections.values():
            out += section.labels
        return list(dict.fromkeys(out + (self.printed if printed else [])))

    @property
    def prints_country(self) -> bool:
        """The edition prints a (Country) line in box 1 (X0609, 2026): only then is there an
        ownershipDocument element for it."""
        return any("country" in s.lower() for b in self.boxes.values() for s in b.sublabels)

    def model_post_init(self, _context: object) -> None:
        if self.format_version != FORMAT_VERSION:
            raise ValueError(f"format_version {self.format_version} is not supported (expected {FORMAT_VERSION})")
        from .model import DerivativeTransaction, Issuer, NonDerivativeTransaction, OwnershipDocument, ReportingOwner

        document_fields = set(OwnershipDocument.model_fields) | set(Issuer.model_fields)
        for key, box in self.boxes.items():
            if box.field is not None and box.field not in document_fields:
                raise ValueError(f"boxes.{key}.field {box.field!r} is not a document field")
            allowed = set(ReportingOwner.model_fields) if box.type == "relationship" else {"one", "more"}
            for option in box.options:
                if option.field not in allowed:
                    raise ValueError(f"boxes.{key}.options: {option.field!r} is not one of {sorted(allowed)}")
        for key, table in self.tables.items():
            row = DerivativeTransaction if table.kind == "derivative" else NonDerivativeTransaction
            for column in table.columns:
                for sub in column.slots():
                    for name in filter(None, (sub.field, sub.value_field)):
                        if name not in row.model_fields:
                            raise ValueError(f"tables.{key} column {column.number}: {name!r} is not a "
                                             f"{table.kind} row field")


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if key == "printed" and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + value  # an edition's fixed text adds to its base's
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _raw(path: Path, seen: tuple[Path, ...] = ()) -> dict:
    if path in seen:
        raise LayoutError(f"'extends' loops back to {path.name}", str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError(f"cannot read layout: {exc}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"invalid TOML: {exc}", str(path)) from None
    parent = data.pop("extends", None)
    removals = data.pop("remove", [])
    if parent:
        base_path = path.with_name(f"{parent}.toml")
        if not base_path.exists():
            raise LayoutError(f"extends: no layout named {parent!r} beside it", str(path))
        own_match = data.get("match")
        data = _merge(_raw(base_path, seen + (path,)), data)
        if own_match is not None:  # recognition is never inherited piecemeal
            data["match"] = own_match
        data["name"] = data.get("name", path.stem)
    for dotted in removals:
        node = data
        *head, last = dotted.split(".")
        for key in head:
            node = node.get(key, {})
        if isinstance(node, list):  # a table column, named by its number: "tables.x.columns.2A"
            kept = [c for c in node if str(c.get("number", "")).lower() != last.lower()]
            if len(kept) == len(node):
                raise LayoutError(f"remove: {dotted!r} is not in the base layout", str(path))
            node[:] = kept
            continue
        if last not in node:
            raise LayoutError(f"remove: {dotted!r} is not in the base layout", str(path))
        del node[last]
    return data


def load_layout(path: Path) -> Layout:
    """Load and validate one descriptor; errors name the file and the field."""
    data = _raw(path)
    try:
        return Layout.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise LayoutError(f"{where}: {first['msg']}{more}", str(path)) from None


def layout_dirs() -> list[Path]:
    """Shipped layouts (inside the wheel, or the checkout's layouts/) + $FORM4_LAYOUTS."""
    here = Path(__file__).resolve().parent
    dirs = [d for d in (here / "layouts", here.parent / "layouts") if d.is_dir()][:1]
    extra = os.environ.get("FORM4_LAYOUTS")
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    return dirs


@lru_cache(maxsize=8)
def _load_dirs(dirs: tuple[Path, ...]) -> tuple[Layout, ...]:
    layouts: dict[str, Layout] = {}
    for folder in dirs:
        for path in sorted(folder.glob("*.toml")):
            layout = load_layout(path)
            layouts[layout.name] = layout
    return tuple(layouts.values())


def all_layouts() -> tuple[Layout, ...]:
    return _load_dirs(tuple(layout_dirs()))


def get_layout(name: str) -> Layout:
    for layout in all_layouts():
        if layout.name == name:
            return layout
    names = ", ".join(sorted(lay.name for lay in all_layouts()))
    raise LayoutError(f"no layout named {name!r} (known: {names})")


def score_layout(layout: Layout, index: LabelIndex, fuzzy: bool = False) -> float:
    """How well LAYOUT fits the header text; <= 0 means it does not. Exact label
    matches only, unless FUZZY (the second pass, for noisy text)."""
    m = layout.match
    threshold = m.threshold if fuzzy else 100
    title = max((h.score for t in m.titles if (h := index.find([t], threshold))), default=0.0)
    if title == 0:
        return 0.0
    for label in m.present:
        if index.find([label], threshold) is None:
            return 0.0
    for label in m.absent:
        if index.find([label], 100) is not None:
            return 0.0
    found = sum(1 for box in layout.boxes.values() if index.find(box.labels, 100) is not None)
    return title + 10 * found + len(m.present) + len(m.absent)


def choose_layout(source: Source, index: LabelIndex) -> Layout:
    """The best-matching shipped layout for SOURCE (matched once per document):
    exact label matches first, fuzzy ones only when no layout fits exactly."""
    layouts = all_layouts()
    for fuzzy in (False, True):
        scored = [(score_layout(lay, index, fuzzy), lay.name, lay) for lay in layouts]
        scored = [s for s in scored if s[0] > 0]
        if scored:
            scored.sort(key=lambda s: (-s[0], s[1]))
            return scored[0][2]
    from .errors import NotAFormError

    raise NotAFormError("not a Form 3, 4 or 5 rendering (no form title or box labels found)", source.name)
