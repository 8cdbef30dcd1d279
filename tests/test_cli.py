"""The command line: exit codes, the JSON contract, stdin, schema/rules/explain."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from conftest import CLEAN, REPO, SAMPLES

from usm_rules.cli import cli

WARNING_ONLY = CLEAN.replace("Register the failure", "Register the failure manually")
BROKEN = "apiVersion: usm/v1\nkind: Process\nmetadata: {name: x\n"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_clean_input_exits_0_with_a_summary(tree):
    tree({"model.yaml": CLEAN})
    result = run("check", ".")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "0 errors, 0 warnings, 0 infos in 1 file (2 documents, 1 process)",
        "Maturity ceiling 5 (business-driven): process design does not limit maturity",
    ]


def test_errors_exit_1_and_print_compiler_style_lines(tree):
    tree({"model.yaml": CLEAN, "bad.yaml": BROKEN})
    result = run("check", ".")
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("bad.yaml:4:1: error USM0001 yaml-syntax YAML syntax error:")
    assert "usm-rules: fail: 1 finding(s) at or above error" in result.stderr


def test_fail_on_controls_warnings(tree):
    tree({"model.yaml": WARNING_ONLY})
    assert run("check", ".").exit_code == 0
    assert run("check", "--fail-on", "warning", ".").exit_code == 1
    assert run("check", "--fail-on", "info", ".").exit_code == 1
    tree({"bad.yaml": BROKEN})
    never = run("check", "--fail-on", "never", ".")  # an incomplete result fails whatever --fail-on says
    assert never.exit_code == 1 and "the result is incomplete" in never.stderr
    assert "No ceiling: 1 file could not be read or understood. The readable files do not limit it" in never.stdout


def test_min_maturity_gate_names_what_holds_the_ceiling(tree):
    tree({"model.yaml": CLEAN.replace("  model: usm\n", "").replace("processes: [recover]", "processes: [agree]")})
    result = run("check", "--fail-on", "never", "--min-maturity", "3", ".")
    assert result.exit_code == 1
    assert "maturity ceiling 2 is below --min-maturity 3; held down by USM0701 (requirement 7)" in result.stderr
    assert run("check", "--fail-on", "never", "--min-maturity", "2", ".").exit_code == 0


@pytest.mark.parametrize("args", [
    ["check", "--format", "yaml", "."],
    ["check", "--min-maturity", "6", "."],
    ["check", "--select", "USM9999", "."],
    ["check", "--ignore", "nonsense", "."],
    ["explain", "USM9999"],
    ["schema", "Proces"],
    ["frobnicate"],
])
def test_usage_errors_exit_2_in_one_line(tree, args):
    tree({"model.yaml": CLEAN})
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_internal_error_exits_3_without_a_traceback(tree, monkeypatch):
    tree({"model.yaml": CLEAN})

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr("usm_rules.api.run", broken)
    result = run("check", ".")
    assert result.exit_code == 3
    assert result.stderr.startswith("usm-rules: internal error: KeyError: 'boom'; please report this")
    assert "Traceback" not in result.output
    debug = run("--debug", "check", ".")
    assert debug.exit_code == 3 and "Traceback" in debug.stderr


def test_json_contract(tree):
    tree({"model.yaml": CLEAN, "bad.yaml": BROKEN, "role.yaml": CLEAN.replace(
        "name: usm}", "name: usm2}").replace("name: recover,", "name: recover2,").replace(
        "processes: [recover]", "processes: [recover2]").replace("model: usm", "model: usm2").replace(
        "rec-1", "r2-1").replace("rec-2", "r2-2").replace(
        "Register the failure", "Escalate the failure to the service desk")})
    result = run("check", "--format", "json", ".")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["tool"]["name"] == "usm-rules" and data["tool"]["version"]
    assert set(data["summary"]) >= {"files", "documents", "processes", "errors", "warnings", "infos"}
    assert data["summary"]["files"] == 3 and data["summary"]["processes"] == 2
    assert set(data["maturity"]) >= {"ceiling", "level", "limitedBy"}
    assert data["maturity"]["ceiling"] == 2 and data["maturity"]["level"] == "system-driven"
    islands = {"rule": "USM0807", "requirement": 8, "ceiling": 2,
               "findings": [{"file": "role.yaml", "line": 3, "column": 18, "subject": "ProcessModel/usm2"}]}
    assert islands in data["maturity"]["limitedBy"]
    keys = {"rule", "name", "requirement", "severity", "confidence", "ceiling", "message", "file", "line",
            "column", "subject", "fingerprint", "suppressed", "grade"}
    assert all(set(f) == keys for f in data["findings"])
    assert {f["grade"] for f in data["findings"]} <= {"major", "minor", "observation"}
    levels = [step["level"] for step in data["roadmap"]]
    assert levels == sorted(levels) and levels[-1] == 5
    assert all(step["readable"] or step["level"] > data["maturity"]["ceiling"] for step in data["roadmap"])
    role = next(f for f in data["findings"] if f["rule"] == "USM0102")
    assert (role["file"], role["line"], role["column"], role["subject"]) == (
        "role.yaml", 20, 13, "Process/recover2/activities/r2-1")
    assert [r["number"] for r in data["requirements"]] == list(range(11))
    assert {r["status"] for r in data["requirements"]} <= {"pass", "fail", "warn"}
    assert next(r for r in data["requirements"] if r["number"] == 1)["status"] == "warn"
    assert [(f["path"], f["status"]) for f in data["files"]] == [
        ("bad.yaml", "error"), ("model.yaml", "checked"), ("role.yaml", "checked")]


def test_every_input_file_is_listed_once(tree, tmp_path):
    tree({"a.yaml": CLEAN, "b.yml": BROKEN, "notes.txt": "not yaml"})
    os.symlink(tmp_path, tmp_path / "loop")  # a symlink loop must not repeat files
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.yaml").write_text(BROKEN)
    result = run("check", "--format", "json", ".", "a.yaml", "./a.yaml")
    paths = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert paths == ["a.yaml", "b.yml"]


def test_missing_path_and_broken_link_are_findings(tree, tmp_path):
    tree({"a.yaml": CLEAN})
    os.symlink(tmp_path / "gone.yaml", tmp_path / "link.yaml")
    result = run("check", "--format", "json", ".", "nope.yaml")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    unreadable = [(f["file"], f["rule"]) for f in data["findings"] if f["rule"] == "USM0007"]
    assert unreadable == [("link.yaml", "USM0007"), ("nope.yaml", "USM0007")]
    assert {f["path"]: f["status"] for f in data["files"]}["nope.yaml"] == "error"


def test_stdin_is_read_with_a_dash(tree):
    tree({})
    result = run("check", "-", stdin="apiVersion: usm/v1\nkind: Process\nmetadata: {name: x\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:4:1: error USM0001")


def test_output_file(tree, tmp_path):
    tree({"model.yaml": CLEAN})
    result = run("check", "--format", "json", "-o", "out.json", ".")
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads((tmp_path / "out.json").read_text())["summary"]["errors"] == 0


def test_schema_command_prints_each_kind():
    envelope = json.loads(run("schema").stdout)
    assert envelope["properties"]["kind"]["enum"] == [
        "ProcessModel", "Process", "Practice", "Project", "Procedure", "WorkInstruction"]
    assert json.loads(run("schema", "Process").stdout)["properties"]["kind"]["const"] == "Process"
    assert json.loads(run("schema", "work-instruction").stdout)["properties"]["kind"]["const"] == "WorkInstruction"


def test_rules_and_explain():
    listing = run("rules").stdout.splitlines()
    assert any(line.startswith("USM0101  who-how-key") for line in listing)
    explained = run("explain", "who-how-key")
    assert explained.exit_code == 0
    assert explained.stdout.startswith("USM0101 who-how-key:")
    for part in ("Why", "How to fix", "Reference:", "Example that violates the rule"):
        assert part in explained.stdout


def test_real_subprocess_on_the_samples():
    """The installed console entry point, as the README runs it."""
    done = subprocess.run([sys.executable, "-m", "usm_rules", "check", "--format", "json", "sample_processes"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    assert data["summary"]["files"] == len(list(SAMPLES.rglob("*.yaml")))
    clean = subprocess.run([sys.executable, "-m", "usm_rules", "check", "sample_processes/reference"],
                           cwd=REPO, capture_output=True, text=True, timeout=120)
    assert clean.returncode == 0, clean.stdout


def test_exclude_skips_files_and_folders(tree, tmp_path):
    tree({"a.yaml": CLEAN, "b.yml": BROKEN})
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "x.yaml").write_text(BROKEN)
    result = run("check", "--format", "json", "--exclude", "b.yml", "--exclude", "drafts", ".")
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["a.yaml"]
    result = run("check", "--format", "json", "--exclude", "*.yml", ".")
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["a.yaml", "drafts/x.yaml"]
    (tmp_path / "sub" / "drafts").mkdir(parents=True)
    (tmp_path / "sub" / "drafts" / "y.yaml").write_text(BROKEN)
    for pattern in ("drafts", "**/drafts", "drafts/", "*/x.yaml"):
        result = run("check", "--format", "json", "--exclude", pattern, "--exclude", "sub/drafts", ".")
        assert "drafts/x.yaml" not in [f["path"] for f in json.loads(result.stdout)["files"]], pattern
        assert "sub/drafts/y.yaml" not in [f["path"] for f in json.loads(result.stdout)["files"]], pattern


@pytest.mark.parametrize(("files", "paths", "says"), [
    ({}, ["."], "nothing to check: no usm documents under ."),
    ({}, ["nope.yaml"], "nothing to check: no usm documents under nope.yaml (nope.yaml: no such file or directory)"),
    ({"mkdocs.yml": "site_name: Docs\n"}, ["."],
     "(1 file skipped, not usm documents (no apiVersion: usm/v1): mkdocs.yml)"),
])
def test_nothing_to_check_is_a_usage_error(tree, files, paths, says):
    tree(files)
    commands = (["check", "--min-maturity", "5"], ["baseline", "create", "-o", "b.json"], ["report", "-o", "r.html"])
    for command in commands:
        result = run(*command, *paths)
        assert result.exit_code == 2 and result.stderr.startswith("usm-rules: error: ") and says in result.stderr
        assert "Maturity ceiling" not in result.output


def test_a_mistyped_rule_gets_the_nearest_name(tree):
    tree({"model.yaml": CLEAN})
    selected = run("check", "--select", "who-how", ".")
    assert selected.exit_code == 2 and "did you mean 'who-how-key'?" in selected.stderr
    explained = run("explain", "noun-titel")
    assert explained.exit_code == 2 and "did you mean 'noun-title'?" in explained.stderr


def test_every_output_format_module_is_registered_once_and_loads_as_its_name():
    """A new output format is one module plus one registry line: a module in formats/ with a
    reporter that is not registered, or a registry line that does not load, fails here."""
    import importlib
    import pkgutil

    from usm_rules.output import formats
    from usm_rules.output.formats import FORMATS, reporter
    from usm_rules.output.formats.base import Reporter

    with_reporter = {info.name for info in pkgutil.iter_modules(formats.__path__)
                     if isinstance(getattr(importlib.import_module(f"usm_rules.output.formats.{info.name}"),
                                           "REPORTER", None), type)}
    assert with_reporter == set(FORMATS.values())
    assert all(issubclass(reporter(name), Reporter) and reporter(name).name == name for name in FORMATS)
    offered = cli.get_command(click.Context(cli), "check").params
    assert list(next(p for p in offered if p.name == "format_").type.choices) == sorted(FORMATS)


def test_every_input_format_reads_what_its_sniffer_claims_and_discovery_takes_its_suffixes(tmp_path):
    from usm_rules.read.discovery import discover
    from usm_rules.read.formats import FORMATS, format_for

    for found in FORMATS:
        for suffix in found.suffixes:
            (tmp_path / f"a{suffix}").write_text("x", encoding="utf-8")
            assert format_for(f"a{suffix.upper()}", b"") is found
    assert len(discover([str(tmp_path)])) == sum(len(f.suffixes) for f in FORMATS)
    assert format_for("<stdin>", b"\xef\xbb\xbf  <?xml version='1.0'?><definitions/>").name == "bpmn"
    assert format_for("<stdin>", b"apiVersion: usm/v1\n").name == "yaml"


@pytest.mark.parametrize(("args", "allowed"), [
    (["--version"], set()),
    (["check", "--help"], set()),
    (["schema", "process"], {"usm_rules.read.validation"}),
    (["rules"], {"usm_rules.check.catalog", "usm_rules.read.validation", "ruamel", "jsonschema_rs"}),
])
def test_a_command_imports_only_what_it_needs(args, allowed):
    # start-up: no rule engine, lexicon, language detector or numpy for what does not use them
    import subprocess
    import sys

    probe = ("import sys; from usm_rules.cli import cli\n"
             f"try:\n    cli({args!r}, prog_name='usm-rules')\nexcept SystemExit:\n    pass\n"
             "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split("\n")[-2].split())
    heavy = {"durable", "durable_rules_engine", "numpy", "lingua", "lemminflect", "simplemma", "jinja2",
             "jsonschema", "jsonschema_rs", "ruamel", "usm_rules.api", "usm_rules.engine.runner",
             "usm_rules.language.lexicons",
             "usm_rules.read.validation", "usm_rules.check.catalog", "pygls", "lsprotocol"}
    assert not (loaded & heavy) - allowed, sorted(loaded & heavy)
