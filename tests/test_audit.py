"""The auditors' report: the audit frame, grades, the roadmap, CSV exports, print layout, and the
ceiling's history from git. Rendered in the real browser, printed to PDF by it, read back."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import unicodedata
import urllib.parse
from pathlib import Path

import browser
import pytest
from click.testing import CliRunner
from conftest import REPO, SAMPLES
from pypdf import PdfReader
from test_report import chromium, dom

import usm_rules
from usm_rules.api import Request
from usm_rules.cli import cli
from usm_rules.history.trend import history
from usm_rules.read.config import Config

EPOCH = "1767225600"


def run(*args: str, cwd_env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env={"SOURCE_DATE_EPOCH": EPOCH, **(cwd_env or {})})


@pytest.fixture
def report_page(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    page = tmp_path / "audit.html"
    done = run("report", "--no-config", "sample_processes", "-o", str(page), "--auditee", "Example Corp IT",
               "--auditor", "J. Auditor", "--scope", "The sample process model, release 2026.4")
    assert done.exit_code == 0, done.output
    return page


@pytest.mark.slow
def test_the_report_states_the_audit_frame_grades_and_the_roadmap_in_the_browser(tmp_path, report_page):
    text = dom(tmp_path, report_page)
    frame = text[text.index('id="audit"'):text.index('id="verdict"')]
    assert "Example Corp IT" in frame and "J. Auditor" in frame and "release 2026.4" in frame
    assert re.search(r"USM-[0-9A-F]{12}", frame) and "ten requirements" in frame and "default (docs/usm.md)" in frame
    result = json.loads(run("check", "--no-config", "-f", "json", "sample_processes").stdout)
    grades = {g: sum(1 for f in result["findings"] if f["grade"] == g and not f.get("suppressed"))
              for g in ("major", "minor", "observation")}
    assert f"{grades['major']} major nonconformities" in frame and f"{grades['observation']} observations" in frame
    roadmap = text[text.index('id="roadmap"'):text.index('id="capability"')]
    steps = result["roadmap"]
    assert [s["level"] for s in steps][1:] == [3, 5] and steps[0]["readable"]
    assert "First, make every input readable" in roadmap
    assert f"To reach level 3 (service-driven), fix {steps[1]['findings']} findings in {len(steps[1]['files'])} files" \
        in roadmap
    assert "To reach level 5 (business-driven)" in roadmap and "USM0701" in roadmap and "How to fix" in roadmap
    assert text.index('id="audit"') < text.index('id="verdict"') < text.index('id="roadmap"')
    assert "major nonconformity" in text[text.index('id="findings"'):]  # each finding carries its grade
    assert ("Sign-off" in text and "Auditee&rsquo;s representative" in text) or "Auditee’s representative" in text


def test_the_report_id_is_the_same_for_the_same_audit_and_changes_with_the_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES / "reference", tmp_path / "m")
    ids = []
    for _ in range(2):
        ids.append(re.search(r"USM-[0-9A-F]{12}", run("report", "--no-config", "-f", "markdown", "-o", "-", "m")
                             .stdout).group(0))
    recover = tmp_path / "m" / "recover.yaml"
    recover.write_text(recover.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    ids.append(re.search(r"USM-[0-9A-F]{12}", run("report", "--no-config", "-f", "markdown", "-o", "-", "m")
                         .stdout).group(0))
    assert ids[0] == ids[1] != ids[2]


def test_the_audit_block_of_the_configuration_fills_the_frame_and_options_win(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES / "reference", tmp_path / "m")
    (tmp_path / "m" / ".usm-rules.yaml").write_text(
        "audit: {auditee: ACME Services, auditor: Configured Auditor, objective: Surveillance audit 2}\n",
        encoding="utf-8")
    text = run("report", "-f", "markdown", "-o", "-", "--auditor", "Named Auditor", "m").stdout
    assert "- Auditee: ACME Services" in text and "- Auditor: Named Auditor" in text
    assert "- Objective: Surveillance audit 2" in text and "| Auditor | Named Auditor |" in text


@pytest.mark.slow
def test_the_printed_report_has_running_headers_and_page_numbers(tmp_path, report_page):
    pdf = tmp_path / "audit.pdf"
    chromium(tmp_path, report_page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    pages = PdfReader(str(pdf)).pages
    assert len(pages) >= 10  # the samples' report runs long: the layout paginates
    report_id = re.search(r"USM-[0-9A-F]{12}", report_page.read_text(encoding="utf-8")).group(0)
    for number in (1, len(pages)):
        text = pages[number - 1].extract_text()
        assert f"USM process design audit — {report_id}" in text
        assert f"Page {number} of {len(pages)}" in text
    texts = [unicodedata.normalize("NFKC", p.extract_text()) for p in pages]  # the PDF sets "ff" as a ligature
    assert any(t.startswith(f"USM process design audit — {report_id}") and "\nSign-off\n" in t for t in texts)


def test_csv_lists_every_finding_with_grade_and_acceptance_and_defuses_formulas(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES / "reference", tmp_path / "m")
    recover = tmp_path / "m" / "recover.yaml"
    text = recover.read_text(encoding="utf-8")
    text = text.replace("      name: Classify the incident", "      # usm-rules: disable=role-as-actor -- until Q3\n"
                        "      name: The service desk classifies the incident", 1)
    recover.write_text(text.replace("Register the incident", "The service desk registers the incident"),
                       encoding="utf-8")
    (tmp_path / "m" / "=HYPERLINK.yaml").write_text(text.replace("name: recover\n", "name: recover-2\n", 1),
                                                    encoding="utf-8")
    monkeypatch.chdir(tmp_path / "m")  # so that a path starts with "="
    done = run("check", "--no-config", "-f", "csv", ".")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    as_json = json.loads(run("check", "--no-config", "-f", "json", ".").stdout)["findings"]
    assert [(r["file"].lstrip("'"), r["rule"], int(r["line"])) for r in rows] == \
        [(f["file"], f["rule"], f["line"]) for f in as_json]
    assert {r["grade"] for r in rows} <= {"major nonconformity", "minor nonconformity", "observation"}
    actor = [r for r in rows if r["rule"] == "USM0106"]
    assert {(r["grade"], r["accepted"], r["reason"]) for r in actor} == {
        ("major nonconformity", "", ""), ("major nonconformity", "inline", "until Q3")}  # accepted, not passed
    assert any(r["file"] == "'=HYPERLINK.yaml" for r in rows)  # a spreadsheet shows it, never runs it
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())
    page = tmp_path / "r.html"
    assert run("report", "--no-config", ".", "-o", str(page)).exit_code == 0
    link = re.search(r'href="data:text/csv;charset=utf-8,([^"]*)"', page.read_text(encoding="utf-8")).group(1)
    embedded = urllib.parse.unquote(link.replace("&amp;", "&"))
    assert embedded.replace("\r\n", "\n") == done.stdout and embedded.count("\r\n") == len(rows) + 1


def _commit(repo: Path, message: str, day: str) -> None:
    date = f"2026-{day}T10:00:00+01:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, capture_output=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True, capture_output=True, env=env)


@pytest.fixture
def git_model(tmp_path):
    """A throwaway repository whose five commits lower and raise the ceiling: 5, 2, 3, 5, 3, from
    January to June 2026 (two of them two days apart)."""
    repo = tmp_path / "repo"
    model = repo / "processes"
    shutil.copytree(SAMPLES / "reference", model)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for key, value in (("user.name", "usm"), ("user.email", "usm@example.invalid"), ("commit.gpgsign", "false")):
        subprocess.run(["git", "config", key, value], cwd=repo, check=True)
    _commit(repo, "the reference model", "01-05")  # 5
    listing = model / "model.yaml"
    clean = listing.read_text(encoding="utf-8")
    listing.write_text(clean.replace("    - operate\n", "", 1), encoding="utf-8")
    _commit(repo, "operate dropped from the model", "02-10")  # 2 (a process outside the model)
    listing.write_text(clean, encoding="utf-8")
    recover = model / "recover.yaml"
    original = recover.read_text(encoding="utf-8")
    recover.write_text(original.replace("Register the incident", "The service desk registers the incident"),
                       encoding="utf-8")
    _commit(repo, "operate back; recover names its performer", "02-12")  # 3 (role as actor)
    recover.write_text(original, encoding="utf-8")
    _commit(repo, "recover says what, not who", "04-01")  # 5
    (repo / "README.md").write_text("not a model file\n", encoding="utf-8")
    _commit(repo, "a readme outside the model", "05-01")  # not a commit of processes/
    recover.write_text(original.replace("Register the incident", "The service desk registers the incident"),
                       encoding="utf-8")
    _commit(repo, "the performer is back", "06-15")  # 3
    return repo


def test_history_shows_the_ceiling_at_each_commit_of_the_model(git_model, monkeypatch):
    monkeypatch.chdir(git_model)
    done = run("history", "-f", "json", "processes")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    points = data["points"]
    assert [p["ceiling"] for p in points] == [5, 2, 3, 5, 3]
    assert next(p["subject"] for p in points) == "the reference model"
    assert "a readme outside the model" not in [p["subject"] for p in points]
    assert points[1]["requirements"]["R7"] >= 1 and points[2]["requirements"]["R1"] == 1
    assert data["path"] == "processes"
    table = run("history", "-f", "markdown", "processes").stdout
    rows = [line for line in table.splitlines() if line.startswith("| 2")]
    assert [row.split(" | ")[3] for row in rows] == ["3", "5", "3", "2", "5"]  # newest first
    page = git_model / "history.html"
    assert run("history", "processes", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("<circle") == 5 and "<polyline" in html and "<script" not in html
    assert subprocess.run(["git", "status", "--porcelain", "processes"], cwd=git_model, capture_output=True,
                          text=True).stdout == ""  # the working tree untouched


def _axis_labels(page: str) -> list[tuple[float, str]]:
    axis = r'<text x="([\d.]+)"[^>]*class="axis">(\d{4}-\d\d-\d\d)</text>'
    return [(float(x), label) for x, label in re.findall(axis, page)]


def test_the_history_page_has_a_time_axis_of_dates_and_names_no_absolute_path(git_model, monkeypatch):
    monkeypatch.chdir(git_model)
    page = git_model / "history.html"
    assert run("history", "processes", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    labels = _axis_labels(html)
    assert [label for _, label in labels] == ["2026-01-05", "2026-02-12", "2026-04-01", "2026-06-15"]
    # 02-10 gets no label: two days from 02-12, it would overlap; positions follow the dates
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', html)]
    assert xs == sorted(xs) and xs[2] - xs[1] < 10 and xs[1] - xs[0] > 100
    assert str(git_model) not in html and str(git_model.parent) not in html and "<code>repo</code>" in html
    assert html.index('class="ceiling"') < html.index('class="likely"')  # the likely line drawn on top
    assert html.count('class="likely-point"') == 5
    data = json.loads(run("history", "-f", "json", "processes").stdout)
    assert data["repository"] == "repo" and str(git_model) not in json.dumps(data)


@pytest.mark.slow
def test_the_history_page_fits_a_1000_pixel_window(git_model, tmp_path, monkeypatch):
    monkeypatch.chdir(git_model)
    (git_model / "processes" / "recover.yaml").write_text(
        (git_model / "processes" / "recover.yaml").read_text(encoding="utf-8") + "# " + "x" * 200 + "\n",
        encoding="utf-8")
    _commit(git_model, "A subject as long as some are: " + "reworded the purposes of every process " * 4, "07-01")
    page = git_model / "history.html"
    assert run("history", "processes", "-o", str(page)).exit_code == 0
    found = browser.find()
    assert found, "no Chromium or Chrome (run tests/setup, or set CHROME)"
    assert browser.scroll_width(found, tmp_path / "profile", page, 1000) <= 1000


def test_history_keeps_each_version_s_result_and_a_second_run_checks_nothing(git_model, tmp_path, monkeypatch):
    from usm_rules.history import trend

    checked: list[tuple[str, ...]] = []

    def counted(request: Request):
        checked.append(request.paths)
        return usm_rules.run(request)

    monkeypatch.setattr(trend, "run", counted)
    request = Request(config=Config(), cache=tmp_path / "cache")
    first = history(str(git_model / "processes"), request)
    assert len(checked) == 3  # five commits, three distinct trees: 5, 2, 3, 5 again, 3 again
    second = history(str(git_model / "processes"), request)
    assert len(checked) == 3 and second == first
    assert [p.ceiling for p in history(str(git_model / "processes"), Request(), since="HEAD~2").points] == [3]


def test_the_report_embeds_the_trend_inside_a_git_repository(git_model, tmp_path, monkeypatch):
    monkeypatch.chdir(git_model)
    page = tmp_path / "audit.html"
    assert run("report", "--history", "3", "processes", "-o", str(page)).exit_code == 0
    text = dom(tmp_path, page)
    trend = text[text.index('id="trend"'):]
    assert "Trend: the ceiling over time" in trend and trend.count("<circle") == 3
    shutil.copytree(SAMPLES / "reference", tmp_path / "plain")  # in no git repository
    outside = run("report", "--no-config", "--history", "3", str(tmp_path / "plain"), "-f", "markdown", "-o", "-")
    assert outside.exit_code == 0 and "Trend" not in outside.stdout
    assert outside.stderr.startswith("usm-rules: note: no trend in the report:")
