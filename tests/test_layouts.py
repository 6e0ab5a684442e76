"""Layout descriptors: every shipped one loads; a broken one fails naming file and field."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractor.errors import LayoutError
from extractor.layout import all_layouts, layout_dirs, load_layout

SHIPPED = sorted(p for d in layout_dirs() for p in d.glob("*.toml"))


def test_layouts_are_shipped():
    names = {lay.name for lay in all_layouts()}
    assert {"form3", "form3-2026", "form4", "form4-pre2023", "form4-2026", "form5", "form5-pre2023",
            "form5-2026"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_layout_loads(path):
    layout = load_layout(path)
    assert layout.format_version == 1
    widths = {"3": (4, 8), "4": (11, 16), "5": (10, 15)}[layout.form]
    if layout.name == "legacy-form4-a":  # the monthly form had no deemed execution date columns
        widths = (10, 15)
    assert tuple(t.width for t in layout.tables.values()) == widths


def test_extends_and_remove():
    by_name = {lay.name: lay for lay in all_layouts()}
    assert "aff10b5_one" in by_name["form4"].boxes
    assert "aff10b5_one" not in by_name["form4-pre2023"].boxes
    assert by_name["form4-2026"].boxes["foreign_trading_symbol"].field == "issuer_foreign_trading_symbol"
    assert "10b5-1(c)" in by_name["form4"].match.present and "10b5-1(c)" in by_name["form4-pre2023"].match.absent


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_unknown_key_is_rejected_with_file_and_field(tmp_path):
    base = (layout_dirs()[0] / "form4.toml").read_text()
    broken = base.replace('[boxes.issuer]\nnumber = "2"', '[boxes.issuer]\nnumber = "2"\nlabell = "typo"')
    path = _write(tmp_path, "broken.toml", broken)
    with pytest.raises(LayoutError) as info:
        load_layout(path)
    assert "broken.toml" in str(info.value) and "boxes.issuer.labell" in str(info.value)


def test_wrong_type_and_version(tmp_path):
    base = (layout_dirs()[0] / "form4.toml").read_text()
    path = _write(tmp_path, "typed.toml", base.replace('type = "issuer"', 'type = "bogus"'))
    with pytest.raises(LayoutError, match=r"typed.toml: boxes.issuer.type"):
        load_layout(path)
    path = _write(tmp_path, "version.toml", base.replace("format_version = 1", "format_version = 9"))
    with pytest.raises(LayoutError, match="version.toml.*format_version 9"):
        load_layout(path)


def test_bad_toml_and_missing_parent(tmp_path):
    with pytest.raises(LayoutError, match="bad.toml: invalid TOML"):
        load_layout(_write(tmp_path, "bad.toml", "name = [unclosed"))
    with pytest.raises(LayoutError, match="orphan.toml: extends: no layout named 'nope'"):
        load_layout(_write(tmp_path, "orphan.toml", 'format_version = 1\nextends = "nope"\n'))


def test_unknown_model_field_is_rejected_at_load(tmp_path):
    """A misspelt field would otherwise load fine and fail (or silently write nothing) at extraction."""
    base = (layout_dirs()[0] / "form4.toml").read_text()
    path = _write(tmp_path, "typo.toml", base.replace('field = "period_of_report"', 'field = "period_of_reprt"'))
    with pytest.raises(LayoutError, match=r"typo.toml: .*boxes.period_of_report.field 'period_of_reprt'"):
        load_layout(path)
    path = _write(tmp_path, "col.toml", base.replace('field = "transaction_date", type = "date" },\n  { number = "2A"',
                                                     'field = "transaction_dat", type = "date" },\n  { number = "2A"'))
    with pytest.raises(LayoutError, match=r"col.toml: .*'transaction_dat' is not a non_derivative row field"):
        load_layout(path)
