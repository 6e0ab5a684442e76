"""README.md stays true: its setup and test commands, and its Python example, work as shown."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_first_two_commands_are_setup_and_tests():
    first, second = [b.strip() for b in _blocks("sh")[:2]]
    assert first == "pip install -e . && form4 extract samples/form4-allied-motion-2013.md"
    assert second == "pip install -e '.[test]' && python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert second in ci


def test_sample_command_runs():
    exe = shutil.which("form4")
    cmd = [exe] if exe else [sys.executable, "-m", "extractor.cli.app"]
    done = subprocess.run(cmd + ["extract", "samples/form4-allied-motion-2013.md"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "<issuerTradingSymbol>AMOT</issuerTradingSymbol>" in done.stdout


def test_usage_commands_run(tmp_path, corpus):
    """Each `form4 ...` line of the Usage block, with its placeholder files made real."""
    import zipfile

    usage = _blocks("sh")[2]
    seed = (ROOT / "samples" / "form4-allied-motion-2013.md").read_text()
    for name in ("FILING.html", "FILING.md", "a.html", "b.md", "c.html", "filings/seed.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(seed)
    shutil.copy(corpus / "pdf" / "edgt_374WaterForm4.real.pdf", tmp_path / "FILING.pdf")
    with zipfile.ZipFile(tmp_path / "more.zip", "w") as archive:
        archive.writestr("again.md", seed + "\n")
    exe = shutil.which("form4")
    for line in usage.strip().splitlines():
        command = line.split("#")[0].strip()
        if not exe:
            command = command.replace("form4 ", f"{sys.executable} -m extractor.cli.app ")
        done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (command, done.stderr)
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["a.xml", "b.xml", "c.xml"]
    assert "<value>7</value>" in (tmp_path / "fixed" / "FILING.xml").read_text()
    assert [p.name for p in (tmp_path / "pages").iterdir()] == ["FILING.pdf.p1.png"]
    assert len(list((tmp_path / "out" / "filings").glob("*.json"))) == 2
    assert (tmp_path / "out" / "form4.sqlite").exists() and (tmp_path / "out" / "tables" / "SUBMISSION.parquet").exists()


def test_python_example(capsys):
    code = _blocks("python")[0]
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "785 ['F1']"
    assert lines[1] == "table 3 row 3 col 6"
