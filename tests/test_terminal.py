"""The text format on a terminal: colour, the source line with a caret, the rule's page; plain in a pipe."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from usm_rules.cli import cli

ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;;[^\x1b]*\x1b\\")
FLOW = str(SAMPLES / "violations" / "flow-defects")


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env={"NO_COLOR": "", "FORCE_COLOR": "", **(env or {})})


def test_a_terminal_sees_the_source_line_a_caret_under_the_column_and_the_rule_s_page(tree):
    tree({".usm-rules.yaml": "docs-url: https://example.org/usm-rules/docs\n"})
    result = run("check", "--color", "always", FLOW)
    assert result.exit_code == 1 and "\x1b[" in result.stdout
    plain = ANSI.sub("", result.stdout).splitlines()
    head = next(i for i, line in enumerate(plain) if ": error USM0401 condition-key " in line)
    column = int(plain[head].split(":")[2])
    assert plain[head + 2].startswith("37 |") and "gateway: Tests passed?" in plain[head + 2]
    caret_line = plain[head + 3]
    assert caret_line.index("^") - caret_line.index("|") - 1 == column and "^^^^^^^" in caret_line
    assert "doc:" not in "".join(plain) and "file://" not in result.stdout  # no docs-url: no link to this machine
    assert any(line.startswith("  R4 ") and "Does not depend on practical conditions" in line for line in plain)
    linked = run("check", "--color", "always", "--config", ".usm-rules.yaml", FLOW)
    lines = ANSI.sub("", linked.stdout).splitlines()
    head = next(i for i, line in enumerate(lines) if ": error USM0401 condition-key " in line)
    assert re.fullmatch(r" +=  ?doc: https://example.org/usm-rules/docs/rules/USM0401\.md", lines[head + 4])
    assert "\x1b]8;;https://example.org/usm-rules/docs/rules/USM0401.md" in linked.stdout  # the rule id links


@pytest.mark.parametrize(("text", "word"), [
    ("Service desk logs the call in ServiceNow", "ServiceNow"),
    ("If the incident is major, the team escalates it", "team"),
])
def test_the_caret_stands_under_the_word_the_message_quotes(tree, text, word):
    from conftest import CLEAN

    tree({"model.yaml": CLEAN.replace("name: Register the failure", f"name: {text}")})
    result = run("check", "--color", "always", "--no-config", "model.yaml")
    plain = ANSI.sub("", result.stdout).splitlines()
    source = next(i for i, line in enumerate(plain) if line.endswith(f"name: {text}"))
    for caret_line in (plain[source + 1],):
        start = caret_line.index("^")
        assert plain[source][start:start + len(word)] == word and caret_line.count("^") == len(word)


def test_a_pipe_gets_the_plain_parseable_lines_unless_colour_is_forced():
    plain = run("check", FLOW)
    assert "\x1b" not in plain.stdout and "doc:" not in plain.stdout
    finding = re.compile(r"\S+:\d+:\d+: (error|warning|info) USM\d{4} ")
    assert all(finding.match(line) for line in plain.stdout.splitlines()[:-2])
    assert "\x1b[" in run("check", FLOW, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b" not in run("check", FLOW, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[" in run("check", "--color", "always", FLOW, env={"NO_COLOR": "1"}).stdout
    assert "\x1b" not in run("check", "--color", "never", FLOW, env={"FORCE_COLOR": "1"}).stdout


def test_an_output_file_is_plain_unless_colour_is_asked_for_by_option(tmp_path):
    forced, asked = tmp_path / "forced.txt", tmp_path / "asked.txt"
    run("check", FLOW, "-o", str(forced), env={"FORCE_COLOR": "1"})
    run("check", FLOW, "-o", str(asked), "--color", "always")
    assert "\x1b" not in forced.read_text() and forced.read_text() == run("check", FLOW).stdout
    assert "\x1b[" in asked.read_text()


@pytest.mark.parametrize("color", ["never", "always"])
def test_quiet_prints_the_findings_only(color):
    result = run("check", "-q", "--color", color, FLOW)
    assert result.exit_code == 1 and result.stderr == ""
    text = ANSI.sub("", result.stdout)
    assert "Maturity ceiling" not in text and "errors," not in text and "USM0401" in text


def test_statistics_count_each_rule_instead_of_listing_findings():
    result = run("check", "--statistics", FLOW)
    lines = result.stdout.splitlines()
    assert result.exit_code == 1 and not any(re.match(r"\S+:\d+:\d+:", line) for line in lines)
    counts = {line.split()[1]: int(line.split()[0]) for line in lines if re.match(r" +\d+  USM\d{4}", line)}
    listed = run("check", FLOW).stdout.splitlines()
    assert counts and all(sum(1 for line in listed if re.search(rf": \w+ {rule} ", line)) == n
                          for rule, n in counts.items())
    assert lines[-1].startswith("Maturity ceiling")
