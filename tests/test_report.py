"""The auditor report (`usm-rules report`): rendered in a real headless browser, escaped,
reproducible, with provenance, the capability matrix, the value lens and reclassification."""

from __future__ import annotations

import hashlib
import re
import struct
import subprocess
import zlib
from pathlib import Path

import browser
import grimp
import pytest
from click.testing import CliRunner
from conftest import CLEAN_MODEL, CLEAN_RECOVER, REPO, SAMPLES, write_files

import usm_rules
from usm_rules.api import prepare_catalog
from usm_rules.cli import cli
from usm_rules.model.shipped import shipped
from usm_rules.output.audit.build import build_report
from usm_rules.output.audit.reclassify import Declared, belongs_to
from usm_rules.output.audit.render import render
from usm_rules.read.config import Config

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

MODEL, RECOVER = CLEAN_MODEL, CLEAN_RECOVER


def _process(name: str, title: str, activities: str, trigger: str = "incident", extra: str = "") -> str:
    return f"""\
apiVersion: usm/v1
kind: Process
metadata: {{name: {name}, title: '{title}'}}
spec:
  model: usm
  purpose: Keep the workplace running for the customer.
  output: A working {name}
  outputRecipient: customer
  trigger: {trigger}
  countedAs: handled {name}
  activities:
{activities}
  control:
    manager: Someone
    steering: [Weekly agreement]
    informing:
      - {{measure: Handled per week, purpose: accountability}}
      - {{measure: Handled late, purpose: improvement}}
{extra}"""


# --- helpers -------------------------------------------------------------------------------


def run_report(*args: str, epoch: str = EPOCH, stdin: str | None = None):
    config = [] if "--config" in args else ["--no-config"]
    return CliRunner().invoke(cli, ["report", *config, *args], env={"SOURCE_DATE_EPOCH": epoch}, input=stdin)


def data_for(*paths: str, config: Config | None = None, epoch: str = EPOCH):
    config = config or Config()
    catalog = prepare_catalog(config)
    result = usm_rules.check_paths(list(paths), catalog=catalog, config=config)
    return build_report(result, environ={"SOURCE_DATE_EPOCH": epoch})


def chromium(tmp_path: Path, page: Path, *action: str) -> subprocess.CompletedProcess:
    """Run a real browser headless on a file; fail (never skip) when there is none."""
    found = browser.find()
    if found is None:
        pytest.fail("no Chromium or Chrome: the report tests render in a real browser. Run tests/setup (it installs "
                    "Debian's chromium where apt can), or set CHROME to the browser's path.")
    done = browser.headless(found, tmp_path / "chromium-profile", page, *action)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def dom(tmp_path: Path, page: Path) -> str:
    return chromium(tmp_path, page, "--dump-dom").stdout


def png_facts(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values in the decompressed image data."""
    raw = path.read_bytes()
    assert raw[:8] == PNG_SIGNATURE, "not a PNG file"
    width, height = struct.unpack(">II", raw[16:24])
    chunks, offset = [], 8
    while offset < len(raw):
        length, kind = struct.unpack(">I4s", raw[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(raw[offset + 8:offset + 8 + length])
        offset += length + 12
    pixels = zlib.decompress(b"".join(chunks))
    return width, height, len(set(pixels))


# --- in a real browser -----------------------------------------------------------------------


@pytest.mark.slow
def test_the_samples_report_renders_in_chromium_with_the_verdict_first(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    page = tmp_path / "report.html"
    done = run_report("sample_processes", "-o", str(page))
    assert done.exit_code == 0, done.output
    shot = tmp_path / "shot.png"
    chromium(tmp_path, page, f"--screenshot={shot}")
    assert shot.is_file() and shot.stat().st_size > 30_000
    width, height, values = png_facts(shot)
    assert (width, height) == (1280, 2000)
    assert values > 100, "the screenshot is (nearly) one colour: the page did not render"
    text = dom(tmp_path, page)
    assert "No ceiling: 4 files could not be read or understood" in text and "system-driven" in text
    assert "Incomplete" in text and "sample_processes/violations/syntax-errors/empty.yaml" in text
    order = [text.index(heading) for heading in ("No ceiling", "Incomplete", "Capability lens", "Value lens")]
    assert order == sorted(order)
    assert "<svg" in text and "<script" not in text.lower()


def test_the_reference_model_alone_is_not_limited(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    page = tmp_path / "reference.html"
    assert run_report("sample_processes/reference", "-o", str(page)).exit_code == 0
    text = dom(tmp_path, page)
    assert "Maturity ceiling 5" in text and "does not limit" in text
    assert "not a statement that you are at level 5" in text
    assert "Incomplete" not in text
    shot = tmp_path / "shot.png"
    chromium(tmp_path, page, f"--screenshot={shot}")
    assert png_facts(shot)[2] > 100


@pytest.mark.slow
def test_a_script_in_a_title_is_shown_as_text_and_never_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hostile = _process(
        "hostile", "<script>alert(1)</script>",
        "    - id: h-1\n"
        "      name: <img src=x onerror=\"document.body.setAttribute('data-pwned', '1')\">\n"
        "      performer: Service desk",
    )
    write_files(tmp_path, {"model.yaml": MODEL, "hostile.yaml": hostile})
    page = tmp_path / "report.html"
    assert run_report(".", "-o", str(page)).exit_code == 0
    source = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in source and "<img src=x" not in source
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    text = dom(tmp_path, page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # a text node, serialised escaped
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert "data-pwned" not in text.split("<body", 1)[1].split(">", 1)[0]
    markdown = run_report(".", "-f", "markdown").output
    prose = re.sub(r"^(`{3,})text\n.*?^\1$", "", markdown, flags=re.M | re.S)  # quoted YAML shows as written
    assert "<script>alert(1)</script>" in markdown and "<script" not in prose and "<img" not in prose
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in prose


# --- reproducible, with provenance -----------------------------------------------------------


@pytest.mark.parametrize("format_", ["html", "markdown"])
def test_the_same_inputs_and_epoch_give_a_byte_identical_report(tmp_path, monkeypatch, format_):
    monkeypatch.chdir(REPO)
    first, second = tmp_path / "one", tmp_path / "two"
    for target in (first, second):
        assert run_report("sample_processes", "-f", format_, "-o", str(target)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert "2026-01-01T00:00:00Z" in first.read_text(encoding="utf-8")


def test_provenance_lists_every_input_file_with_its_sha256(monkeypatch):
    monkeypatch.chdir(REPO)
    report = data_for("sample_processes")
    expected = {p.relative_to(REPO).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in SAMPLES.rglob("*.y*ml")}
    assert {f.path: f.sha256 for f in report.provenance.inputs} == expected
    html = render(report, "html")
    for path, digest in expected.items():
        assert re.search(rf"<code>{re.escape(path)}</code></td>.*?{digest}", html)
    assert report.provenance.generated == "2026-01-01T00:00:00Z"
    assert report.provenance.version == usm_rules.__version__
    assert report.provenance.mapping == "default (docs/usm.md)"


def test_the_rule_pack_hash_covers_each_rule_id_and_file(monkeypatch):
    monkeypatch.chdir(REPO)
    digest = hashlib.sha256()
    for path in sorted(shipped("rules").glob("*.yaml"), key=lambda p: p.stem):
        content = path.read_bytes()
        digest.update(f"{path.stem}\0{len(content)}\0".encode() + content)
    report = data_for("sample_processes/reference")
    assert report.provenance.rule_hash == digest.hexdigest()
    assert report.provenance.rule_packs == ("shipped",)
    assert {m.rule: m.ceiling for m in report.mapping}["USM0701"] == 2


def test_ceiling_overrides_in_the_configuration_show_in_the_mapping(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"model.yaml": MODEL, "recover.yaml": RECOVER,
                          "loose.yaml": RECOVER.replace("name: recover", "name: loose")})
    (tmp_path / ".assess.yaml").write_text("ceilings:\n  mapping: assessor 2026\n  overrides: {USM0701: 3}\n")
    page = tmp_path / "report.md"
    assert run_report(".", "--config", ".assess.yaml", "-f", "markdown", "-o", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert "Ceiling mapping in force: assessor 2026 (.assess.yaml)" in text
    assert "## Maturity ceiling 3 — service-driven" in text
    assert "| USM0701 | process-outside-model | 7 | error | 3 |" in text


# --- the lenses --------------------------------------------------------------------------------


def test_the_matrix_has_a_cell_per_process_and_requirement(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    calls = _process("handle-calls", "Call Management",
                     "    - {id: c-1, name: Log the call, performer: Service desk}\n"
                     "    - {id: c-2, name: Close the call, description: Keep the caller informed; otherwise reopen.}")
    write_files(tmp_path, {"model.yaml": MODEL, "recover.yaml": RECOVER, "calls.yaml": calls})
    report = data_for(".")
    rows = {row.process: [cell.status for cell in row.cells] for row in report.matrix}
    assert rows["recover"] == ["pass"] * 10
    #                            R1      R2      R3      R4      R5      R6      R7      R8      R9      R10
    assert rows["handle-calls"] == ["fail", "fail", "pass", "warn", "pass", "pass", "fail", "pass", "pass", "pass"]
    calls_row = next(row for row in report.matrix if row.process == "handle-calls")
    assert calls_row.title == "Call Management"
    assert [r.rule for r in calls_row.cells[0].refs] == ["USM0101"]
    assert [r.rule for r in calls_row.cells[6].refs] == ["USM0701"]
    html = render(report, "html")
    for cell in calls_row.cells:
        for ref in cell.refs:  # every link has its target
            assert f'href="#{ref.anchor}"' in html and f'id="{ref.anchor}"' in html
    assert [(b.label, b.ceiling, b.model) for b in report.bars] == [
        ("whole model", 2, True), ("handle-calls", 2, False), ("recover", 5, False)]  # processes in file order
    assert [h.rule for h in report.bars[1].holders] == ["USM0701"] and report.bars[2].holders == ()
    assert 'class="fill2"' in html and 'class="fill5"' in html


def test_findings_quote_their_yaml_lines_and_carry_rationale_and_remediation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    calls = _process("handle-calls", "Call Management", "    - {id: c-1, name: Log the call}")
    write_files(tmp_path, {"model.yaml": MODEL.replace("[recover]", "[handle-calls]"), "calls.yaml": calls})
    report = data_for(".")
    noun = next(r for s in report.evidence for r in s.rules if r.rule == "USM0201")
    finding = noun.findings[0]
    assert (finding.file, finding.line) == ("calls.yaml", 3)
    assert [(q.number, q.hit) for q in finding.quote] == [(2, False), (3, True), (4, False)]
    assert "Call Management" in finding.quote[1].text
    assert "verb" in noun.rationale and noun.remediation
    markdown = render(report, "markdown")
    assert ">    3 | metadata: {name: handle-calls, title: 'Call Management'}" in markdown


def test_suppressed_findings_are_listed_apart_with_their_reason(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    calls = _process("handle-calls", "Call Management", "    - {id: c-1, name: Log the call}")
    suppression = "  # usm-rules: disable=USM0201 -- legacy name"
    calls = calls.replace("title: 'Call Management'}", "title: 'Call Management'}" + suppression)
    write_files(tmp_path, {"model.yaml": MODEL.replace("[recover]", "[handle-calls]"), "calls.yaml": calls})
    report = data_for(".")
    assert [(s.rule, s.kind, s.reason) for s in report.suppressed] == [("USM0201", "inline", "legacy name")]
    assert report.verdict.suppressed == 1 and report.verdict.errors == 0
    assert report.verdict.ceiling == 5 and report.reclassified == ()
    assert "legacy name" in render(report, "html")


def test_a_baseline_moves_its_findings_to_the_suppressed_list(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    calls = _process("handle-calls", "Call Management", "    - {id: c-1, name: Log the call}")
    write_files(tmp_path, {"model.yaml": MODEL.replace("[recover]", "[handle-calls]"), "calls.yaml": calls})
    made = CliRunner().invoke(cli, ["baseline", "create", "--no-config", ".", "-o", ".baseline.json"])
    assert made.exit_code == 0, made.output
    done = run_report(".", "--baseline", ".baseline.json", "-f", "markdown")
    # the accepted finding never disappears from the verdict: the design's ceiling leads, never a bare 5
    assert done.exit_code == 0 and "## The design allows 3 — service-driven (ceiling 5 with accepted findings)" \
        in done.output
    assert "The counting ceiling is 5, but with 1 accepted finding; the design allows 3" in done.output
    assert "- [USM0201 noun-title](#S1) `calls.yaml:3`: baseline: accepted in .baseline.json" in done.output
    assert "| USM0201 noun-title (error) | `calls.yaml:3:39` |" in done.output and "| baseline |" in done.output


# --- reclassification --------------------------------------------------------------------------


def test_the_itil_catalogue_is_reclassified_as_practices_of_usm_processes(monkeypatch):
    monkeypatch.chdir(REPO)
    report = data_for("sample_processes/violations/itil-catalogue")
    found = {r.process: (r.title, r.kind, r.belongs_to) for r in report.reclassified}
    assert found == {
        "catalogue-incident-management": ("Incident Management", "practice", "Recover"),
        "catalogue-problem-management": ("Problem Management", "practice", "Improve"),
        "catalogue-monitoring": ("Monitoring and Event Management", "practice", "Operate"),
        "catalogue-change-enablement": ("Change Enablement", "practice", "Change"),
    }
    html = render(report, "html")
    assert "How items are reclassified" in html and "change-request" in html


def test_verb_titled_items_with_roles_or_tools_are_procedures_or_work_instructions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    roles = _process("restore-desk", "Restore", "    - {id: r-1, name: Restore the service, performer: Desk}")
    tools = _process("deploy-tool", "Deploy", "    - {id: d-1, name: Deploy the release, tool: Jenkins}",
                     trigger="change-request")
    write_files(tmp_path, {"model.yaml": MODEL.replace("[recover]", "[restore-desk, deploy-tool]"),
                          "roles.yaml": roles, "tools.yaml": tools})
    found = {r.process: (r.kind, r.belongs_to) for r in data_for(".").reclassified}
    assert found == {"restore-desk": ("procedure", "Recover"), "deploy-tool": ("work instruction", "Change")}


@pytest.mark.parametrize("title, trigger, expected", [
    ("Service Level Management", (), "Agree"),
    ("Access Management", ("service-request",), "Operate"),
    ("Release Management", (), "Change"),
    ("Risk Management", ("risk",), "Improve"),
    ("Outage handling", (), "Recover"),
    ("Knowledge Management", (), ""),
    ("Request for Change", (), "Change or Operate"),
])
def test_the_usm_process_heuristic(title, trigger, expected):
    assert belongs_to(Declared("x", title, trigger))[0] == expected


# --- markdown and the command line -------------------------------------------------------------


def test_the_markdown_report_gives_the_same_verdict(monkeypatch):
    monkeypatch.chdir(REPO)
    report = data_for("sample_processes")
    markdown, html = render(report, "markdown"), render(report, "html")
    assert "## No ceiling: 4 files could not be read or understood" in markdown
    assert "<h2>No ceiling: 4 files could not be read or understood</h2>" in html
    assert "The readable files allow at most level 2 (system-driven)" in report.verdict.lead
    assert report.verdict.lead in markdown and report.verdict.lead in html
    assert "Incomplete" in markdown
    assert re.search(r"\| 74 \| 11 \| 0 \| 0 \|", markdown)
    assert report.verdict.statement.startswith("The readable files allow at most level 2 (system-driven); 6 rules")


def test_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    done = run_report("sample_processes/reference", "-f", "markdown")
    assert done.exit_code == 0 and "## Maturity ceiling 5 — business-driven" in done.output
    assert run_report("sample_processes", "-o", str(tmp_path / "r.html")).exit_code == 0  # not a gate
    assert run_report("sample_processes").exit_code == 2  # html needs -o
    bad = run_report("sample_processes", "-o", str(tmp_path / "x.html"), epoch="yesterday")
    assert bad.exit_code == 2 and "SOURCE_DATE_EPOCH" in bad.output
    assert run_report("sample_processes", "--select", "NOPE", "-f", "markdown").exit_code == 2
    assert run_report("sample_processes", "-o", str(tmp_path / "no" / "such" / "dir.html")).exit_code == 2


# --- packaging and layers ----------------------------------------------------------------------


def test_the_report_reads_standard_input_once_and_quotes_what_was_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = RECOVER.replace("      next: rec-2\n", "      next: rec-2\n      performer: Service desk\n")
    done = run_report("-", "-f", "markdown", stdin=text)
    assert done.exit_code == 0, done.output
    assert "`<stdin>`" in done.output and hashlib.sha256(text.encode()).hexdigest() in done.output
    assert ">   15 |       performer: Service desk" in done.output


def test_the_report_package_never_reads_input_files():
    graph = grimp.build_graph("usm_rules")
    for module in graph.find_descendants("usm_rules.output.audit") | {"usm_rules.output.audit"}:
        imported = graph.find_modules_directly_imported_by(module)
        assert not imported & {"usm_rules.read.formats.yaml_reader", "usm_rules.read.formats.bpmn_reader",
                               "usm_rules.read.files", "usm_rules.read.inputs"}
    for module in (Path(usm_rules.__file__).parent / "output" / "audit").glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "read_bytes" not in source and "read_text" not in source and "open(" not in source, module


def test_the_templates_are_package_data():
    folder = Path(usm_rules.__file__).parent / "output" / "audit" / "templates"
    assert {p.name for p in folder.iterdir()} >= {"report.html.j2", "report.md.j2", "report.css"}


def test_the_browser_is_found_as_users_have_it(tmp_path, monkeypatch):
    """CHROME or CHROMIUM in the environment first, then the usual names on PATH."""
    fake = tmp_path / "bin" / "google-chrome"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.delenv("CHROME", raising=False)
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(fake.parent))
    assert browser.find() == str(fake)
    other = tmp_path / "my-chromium"
    other.write_text("#!/bin/sh\n", encoding="utf-8")
    other.chmod(0o755)
    monkeypatch.setenv("CHROMIUM", str(other))
    assert browser.find() == str(other)
    monkeypatch.delenv("CHROMIUM")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert browser.find() is None
