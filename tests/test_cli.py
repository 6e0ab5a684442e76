"""The CLI: exit codes, outputs, one-line errors; every command documented with an example."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from extractor.cli.app import app
from tests.conftest import SAMPLES

SEED = SAMPLES / "form4-allied-motion-2013.md"
runner = CliRunner()


def test_extract_xml_to_stdout():
    result = runner.invoke(app, ["extract", str(SEED)])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    assert root.findtext("issuer/issuerTradingSymbol") == "AMOT"
    shares = root.find("nonDerivativeTable/nonDerivativeTransaction/transactionAmounts/transactionShares")
    assert shares.findtext("value") == "785" and shares.find("footnoteId").get("id") == "F1"


def test_extract_json_to_file(tmp_path):
    out = tmp_path / "seed.json"
    result = runner.invoke(app, ["extract", str(SEED), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    sig = data["owner_signatures"][0]
    assert sig["signature_name"]["value"] == "Susan M. Chiarmonte, attorney-in-fact for Richard D. Federico"
    assert sig["signature_date"]["value"] == "2013-05-21"
    assert data["non_derivative_transactions"][0]["transaction_shares"]["provenance"]["reader"] == "markdown"


def test_several_files_into_a_directory_and_failures_exit_1(tmp_path):
    bad = tmp_path / "empty.html"
    bad.write_text("")
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["extract", str(SEED), str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert (out / "form4-allied-motion-2013.xml").exists()
    assert not (out / "empty.xml").exists()
    lines = [line for line in result.stderr.splitlines() if line]
    assert lines == [f"form4: {bad}: empty file"]


def test_stdin():
    result = runner.invoke(app, ["extract", "-", "--format", "json"], input=SEED.read_bytes())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["issuer"]["issuer_name"]["value"] == "ALLIED MOTION TECHNOLOGIES INC"


def test_layout_override_and_unknown_layout(tmp_path):
    result = runner.invoke(app, ["extract", str(SEED), "--layout", "form4", "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["layout"] == "form4"
    result = runner.invoke(app, ["extract", str(SEED), "--layout", "form9"])
    assert result.exit_code == 1 and "no layout named 'form9'" in result.stderr


def test_usage_errors_exit_2():
    assert runner.invoke(app, ["extract"]).exit_code == 2
    assert runner.invoke(app, ["extract", str(SEED), "--format", "yaml"]).exit_code == 2
    assert runner.invoke(app, ["nonsense"]).exit_code == 2


def test_schema_and_layouts():
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert "transaction_shares" in json.dumps(schema) and schema["title"] == "OwnershipDocument"
    result = runner.invoke(app, ["layouts"])
    assert result.exit_code == 0 and "form4-pre2023" in result.stdout


def test_broken_user_layout_fails_layouts(tmp_path, monkeypatch):
    (tmp_path / "mine.toml").write_text('format_version = 1\nname = "mine"\n')
    monkeypatch.setenv("FORM4_LAYOUTS", str(tmp_path))
    result = runner.invoke(app, ["layouts"])
    assert result.exit_code == 1 and "mine.toml" in result.stderr


def test_every_command_is_documented_with_an_example():
    for command in app.registered_commands:
        assert command.callback.__doc__ and "Example: " in command.callback.__doc__, command.name
        assert "form4 " + command.name in command.callback.__doc__, command.name


def test_several_inputs_never_give_several_xml_documents_on_stdout(tmp_path):
    """XML documents one after another parse as none: several inputs take -o DIR, or JSON Lines."""
    other = tmp_path / "copy.md"
    other.write_bytes(SEED.read_bytes())
    result = runner.invoke(app, ["extract", str(SEED), str(other)])
    assert result.exit_code == 2 and "-o DIR" in result.stderr and result.stdout == ""
    lines = runner.invoke(app, ["extract", str(SEED), str(other), "--format", "json"]).stdout.splitlines()
    assert [json.loads(line)["issuer"]["issuer_name"]["value"] for line in lines] == ["ALLIED MOTION TECHNOLOGIES INC"] * 2


def test_rules_lists_every_rule_with_its_source():
    from extractor.validate import RULES

    rows = [json.loads(line) for line in runner.invoke(app, ["rules", "--format", "json"]).stdout.splitlines()]
    assert {r["id"] for r in rows} == set(RULES)
    assert rows[0]["id"] == "S1" and "Technical Specification" in rows[0]["source"]
    r9 = next(r for r in rows if r["id"] == "R9")
    assert r9["severity"] == "warning" and "shifted" in r9["checks"] and "form4's own reading" in r9["source"]
    assert runner.invoke(app, ["rules", "--format", "yaml"]).exit_code == 2


def test_output_in_a_folder_that_does_not_exist_is_refused(tmp_path):
    """A mistyped -o path is an error naming the missing folder, not a tree of new folders; -o DIR
    for several inputs may be new itself."""
    missing = tmp_path / "no" / "such"
    result = runner.invoke(app, ["extract", str(SEED), "-o", str(missing / "out.xml")])
    assert result.exit_code == 1 and f"form4: {missing}: no such folder" in result.stderr
    assert not (tmp_path / "no").exists()
    result = runner.invoke(app, ["extract", str(SEED), str(SEED), "-o", str(tmp_path / "results")])
    assert result.exit_code == 0 and (tmp_path / "results" / f"{SEED.stem}.xml").exists()


def test_json_provenance_has_no_null_keys():
    doc = json.loads(runner.invoke(app, ["extract", str(SEED), "--format", "json"]).stdout)
    provenance = doc["non_derivative_transactions"][0]["transaction_shares"]["provenance"]
    assert set(provenance) == {"reader", "locator", "label", "text"}  # Markdown: no page, no bbox
    assert provenance["text"] == "785 (1)"


def test_a_url_is_named_whole_and_said_to_be_a_url():
    result = runner.invoke(app, ["extract", "https://www.sec.gov/Archives/edgar/data/1/x.htm"])
    assert result.exit_code == 1
    assert result.stderr.startswith("form4: https://www.sec.gov/Archives/edgar/data/1/x.htm: a URL: form4 reads files")


def test_a_folder_that_cannot_be_made_is_one_line(corpus, tmp_path):
    """--debug-images and export --to under a file (what a read-only folder gives a non-root user
    too): one line naming the folder, exit 1, no traceback."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = runner.invoke(app, ["extract", str(corpus / "pdf" / "dsp_1_emb0.pdf"), "--debug-images",
                                 str(blocker / "pages")])
    assert result.exit_code == 1 and f"form4: {blocker / 'pages'}: cannot write (Not a directory)" in result.stderr
    out = tmp_path / "out"
    assert runner.invoke(app, ["batch", str(SEED), "-o", str(out), "-j", "1", "--tables", "none"]).exit_code == 0
    result = runner.invoke(app, ["export", str(out), "--to", str(blocker / "tables")])
    assert result.exit_code == 1 and f"form4: {blocker / 'tables'}: cannot write (Not a directory)" in result.stderr


def test_a_write_killed_midway_leaves_the_old_result_and_the_rerun_cleans_up(tmp_path):
    """kill -9 in the middle of writing a result (after its first bytes): the previous result is
    still whole, no partial file has its name, and the next extract removes the killed write's
    temporary file and writes the new result whole."""
    import subprocess
    import sys

    target = tmp_path / "out.xml"
    target.write_text("<previous/>")
    killer = (
        "import os, signal, sys\n"
        "from extractor import fsutil\n"
        "real = os.write\n"
        "def half_then_die(fd, data):\n"
        "    real(fd, bytes(data[: len(data) // 2]))\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "fsutil.os.write = half_then_die\n"
        "from extractor.cli.app import app\n"
        f"sys.argv = ['form4', 'extract', {str(SEED)!r}, '-o', {str(target)!r}]\n"
        "app()\n")
    died = subprocess.run([sys.executable, "-c", killer], capture_output=True, timeout=120)
    assert died.returncode == -9
    assert target.read_text() == "<previous/>"
    leftovers = list(tmp_path.glob(".*.tmp"))
    assert len(leftovers) == 1 and 0 < leftovers[0].stat().st_size  # the cut write, under its own name
    assert runner.invoke(app, ["extract", str(SEED), "-o", str(target)]).exit_code == 0
    assert ET.fromstring(target.read_text()).tag == "ownershipDocument"
    assert list(tmp_path.glob(".*.tmp")) == []
