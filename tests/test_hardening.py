"""Hostile inputs, links, signals and output writes: each row of the hardening issue's table.

Every test runs the real command line (in process with CliRunner, or as a real process where
signals, file descriptors or a closed stdout matter) and checks exit codes, positions and what
reaches the output.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SAMPLES

from usm_rules.cli import cli
from usm_rules.output.formats import text as text_reporter

RECOVER = (SAMPLES / "reference" / "recover.yaml").read_text(encoding="utf-8")
MODEL = (SAMPLES / "reference" / "model.yaml").read_text(encoding="utf-8")
FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "markdown", "html")


def run(*args: str, **kwargs):
    return CliRunner().invoke(cli, list(args), **kwargs)


def findings(*args: str) -> list[dict]:
    result = run("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def process(name: str, extra: str = "") -> str:
    return RECOVER.replace("name: recover\n", f"name: {name}\n", 1) + extra


@pytest.fixture
def folder(tree):
    """A working folder holding the reference model's model and Recover."""
    return tree({"model.yaml": MODEL, "recover.yaml": RECOVER})


# --- 1. huge integers -----------------------------------------------------------------------

@pytest.mark.parametrize("number", ["7" * 5000, "0x" + "f" * 4000, "-" + "1" * 101])
def test_a_huge_integer_is_a_positioned_finding_and_the_rest_of_the_run_goes_on(folder, number):
    (folder / "big.yaml").write_text(f"apiVersion: usm/v1\nkind: Process\nmetadata:\n  name: big\n  order: {number}\n",
                                     encoding="utf-8")
    data = json.loads(run("check", "--format", "json", ".").stdout)
    [limit] = [f for f in data["findings"] if f["rule"] == "USM0017"]
    assert (limit["file"], limit["line"], limit["column"]) == ("big.yaml", 5, 10)
    assert "limits.integer-digits" in limit["message"]
    assert {f["path"]: f["status"] for f in data["files"]} == {"big.yaml": "error", "model.yaml": "checked",
                                                               "recover.yaml": "checked"}
    result = run("check", ".")
    assert result.exit_code == 1 and "big.yaml:5:10: error USM0017 over-limit" in result.stdout


def test_the_integer_limit_can_be_raised_up_to_python_s_own_bound(folder):
    (folder / "big.yaml").write_text(process("big").replace("metadata:\n", "metadata:\n  order: " + "1" * 150 + "\n"),
                                     encoding="utf-8")
    assert any(f["rule"] == "USM0017" for f in findings("."))
    assert not any(f["rule"] == "USM0017" for f in findings(".", "--limit", "integer-digits=200"))
    result = run("check", "--limit", "integer-digits=5000", ".")
    assert result.exit_code == 2 and result.stderr.startswith("usm-rules: error: --limit: integer-digits: at most 4300")


def test_a_huge_integer_in_the_configuration_is_one_line_and_exit_2(folder):
    (folder / ".usm-rules.yaml").write_text("min-maturity: " + "9" * 5000 + "\n", encoding="utf-8")
    result = run("check", ".")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "limits.integer-digits" in result.stderr and "Traceback" not in result.output


# --- limits in general ----------------------------------------------------------------------

def test_every_limit_is_a_finding_at_its_place_and_can_be_changed(folder):
    long_value = "x" * 2_000
    (folder / "long.yaml").write_text(process("long").replace("title: ", f"description: {long_value}\n  title: ", 1),
                                      encoding="utf-8")
    (folder / "deep.yaml").write_text("a: " + "[" * 70 + "]" * 70 + "\n", encoding="utf-8")
    (folder / "many.yaml").write_text("".join(f"---\nx{i}: 1\n" for i in range(5)), encoding="utf-8")
    found = findings(".", "--limit", "scalar-length=1000", "--limit", "documents=3")
    by_file = {f["file"]: f for f in found if f["rule"] in ("USM0017", "USM0009")}
    assert "limits.scalar-length" in by_file["long.yaml"]["message"]
    assert "limits.nesting" in by_file["deep.yaml"]["message"] and by_file["deep.yaml"]["rule"] == "USM0009"
    many = by_file["many.yaml"]
    assert (many["line"], "limits.documents" in many["message"]) == (7, True)  # the fourth "---"
    assert "long.yaml" not in {f["file"] for f in findings(".") if f["rule"] == "USM0017"}


def test_limits_come_from_the_configuration_and_a_wrong_one_is_exit_2(folder):
    size = (folder / "model.yaml").stat().st_size
    assert size < (folder / "recover.yaml").stat().st_size
    (folder / ".usm-rules.yaml").write_text(f"limits:\n  file-size: {size}\n", encoding="utf-8")
    [limit] = [f for f in findings(".") if f["rule"] == "USM0017"]
    assert limit["file"] == "recover.yaml" and "(limits.file-size); not read" in limit["message"]
    (folder / ".usm-rules.yaml").write_text("limits:\n  file-size: lots\n", encoding="utf-8")
    result = run("check", ".")
    assert result.exit_code == 2 and "limits: file-size: 'lots' is not a whole number" in result.stderr
    result = run("check", "--no-config", "--limit", "speed=3", ".")
    assert result.exit_code == 2 and "unknown limit 'speed'" in result.stderr


def test_the_files_limit_stops_the_run_and_says_where(folder):
    for i in range(4):
        (folder / f"p{i}.yaml").write_text(process(f"p{i}"), encoding="utf-8")
    result = run("check", "--format", "json", "--limit", "files=3", ".")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and [f["path"] for f in data["files"]] == ["model.yaml", "p0.yaml", "p1.yaml",
                                                                             "p2.yaml"]
    [limit] = [f for f in data["findings"] if f["rule"] == "USM0017"]
    assert (limit["file"], limit["line"]) == ("p2.yaml", 1) and "limits.files" in limit["message"]
    assert data["maturity"]["complete"] is False


# --- 2, 5, 6. links, FIFOs, devices, huge files ---------------------------------------------

def test_a_link_out_of_the_checked_folder_is_never_read(tmp_path, monkeypatch):
    secret = tmp_path / "secret.yaml"
    secret.write_text("apiVersion: usm/v1\nkind: Process\nmetadata: {name: TOPSECRET-TOKEN}\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "recover.yaml").write_text(RECOVER, encoding="utf-8")
    (repo / "model.yaml").write_text(MODEL, encoding="utf-8")
    (repo / "leak.yaml").symlink_to(secret)
    (repo / "outside").symlink_to(tmp_path, target_is_directory=True)
    (repo / "inside.yaml").symlink_to(repo / "recover.yaml")  # inside: read (once, as recover.yaml)
    monkeypatch.chdir(repo)
    for format_ in ("github", "text", "json"):
        result = run("check", "--format", format_, ".")
        assert result.exit_code == 1 and "TOPSECRET" not in result.output
    found = [f for f in findings(".") if f["rule"] == "USM0007"]
    assert [(f["file"], f["line"], f["column"]) for f in found] == [("leak.yaml", 1, 1), ("outside", 1, 1)]
    assert "outside the checked folders" in found[0]["message"]
    report = run("report", "-o", "report.html", ".")
    assert report.exit_code == 0 and "TOPSECRET" not in (repo / "report.html").read_text(encoding="utf-8")
    # pre-commit passes file names: a link given by name is held to its own folder too
    assert [f["rule"] for f in findings("leak.yaml")] == ["USM0007"]
    assert "TOPSECRET" in run("check", "--follow-links", "leak.yaml").output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_a_device_and_a_huge_file_are_findings_never_read(folder):
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    with open(folder / "huge.yaml", "wb") as sparse:
        sparse.truncate(40 * 1024 * 1024)  # bigger than the default limit, no disk used
    done = subprocess.run([sys.executable, "-m", "usm_rules", "check", "--no-cache", "--follow-links", "-f", "json",
                           "."], capture_output=True, timeout=120, cwd=folder)
    assert done.returncode == 1, done.stderr
    by_file = {f["file"]: f for f in json.loads(done.stdout)["findings"] if f["rule"] in ("USM0007", "USM0017")}
    assert by_file["pipe.yaml"]["message"] == "not read: not a regular file (a FIFO)"
    assert by_file["zero.yaml"]["message"] == "not read: not a regular file (a character device)"
    assert by_file["huge.yaml"]["rule"] == "USM0017" and "40 MiB" in by_file["huge.yaml"]["message"]


# --- 7. undecodable file names ---------------------------------------------------------------

@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux only")
@pytest.mark.parametrize("format_", FORMATS)
def test_every_format_survives_a_file_name_that_is_not_utf8(folder, format_):
    name = os.fsdecode(b"caf\xe9.yaml")
    (folder / name).write_text(process("cafe").replace("Register the failure", "The service desk registers it"),
                               encoding="utf-8")
    out = folder / f"out.{format_}"
    for output in (["-o", str(out)], []):
        result = run("check", "--format", format_, *output, ".")
        assert result.exit_code == 1, result.output
    text = out.read_text(encoding="utf-8")
    shown = {"sarif": "caf%5Cxe9.yaml", "json": "caf\\\\xe9.yaml", "gitlab": "caf\\\\xe9.yaml",
             "markdown": "caf\\\\xe9.yaml"}  # JSON and Markdown escape the backslash
    assert shown.get(format_, "caf\\xe9.yaml") in text
    if format_ in ("json", "sarif", "gitlab"):
        json.loads(text)


# --- 8. control characters --------------------------------------------------------------------

def test_control_characters_and_forged_lines_are_shown_escaped(folder):
    forged = "\"Recover\\n::add-mask::x\\n::error::forged \\e[31m\\u202e\""
    evil = process("evil").replace("title: Recover", f"title: {forged}")
    evil = evil.replace("Register the failure", "Register \\x1b]0;pwned\\x07 the failure")
    (folder / "evil.yaml").write_text(evil, encoding="utf-8")
    (folder / "::error file=x::boom.yaml").write_text(process("boom"), encoding="utf-8")
    for format_ in ("text", "github", "markdown"):
        result = run("check", "--format", format_, ".")
        assert result.exit_code == 1
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\x07" not in result.stdout
        lines = result.stdout.splitlines()
        if format_ == "text":
            assert not any(line.startswith("::") for line in lines)
            assert "./::error file=x::boom.yaml:" in result.stdout
        if format_ == "github":
            assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
            assert not any("::add-mask::" in line.split("::", 2)[1] for line in lines)
    html = run("report", "-o", "r.html", ".")
    assert html.exit_code == 0
    page = (folder / "r.html").read_text(encoding="utf-8")
    assert "\x1b" not in page and "\u202e" not in page and "\\x1b" in page


# --- 9, 10. output written whole or not at all -----------------------------------------------

def test_a_run_that_fails_while_writing_keeps_the_previous_report(folder, monkeypatch):
    (folder / "out.txt").write_text("the previous report\n", encoding="utf-8")
    assert run("check", "-o", "out.txt", "--force", ".").exit_code == 1  # not one of ours: --force replaces it
    good = (folder / "out.txt").read_text(encoding="utf-8")
    assert good != "the previous report\n"

    def broken(self, result):
        self.stream.write("half a report")
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(text_reporter.TextReporter, "finish", broken)
    assert run("check", "-o", "out.txt", ".").exit_code == 3
    assert (folder / "out.txt").read_text(encoding="utf-8") == good
    assert sorted(p.name for p in folder.iterdir()) == ["model.yaml", "out.txt", "recover.yaml"]  # no temporary


def test_output_onto_a_checked_file_is_refused(folder):
    before = (folder / "recover.yaml").read_bytes()
    for command in (["check", "-o", "recover.yaml"], ["baseline", "create", "-o", "recover.yaml"],
                    ["report", "-f", "markdown", "-o", "./recover.yaml"]):
        result = run(*command, ".")
        assert result.exit_code == 2 and "is one of the checked files" in result.stderr, command
    assert (folder / "recover.yaml").read_bytes() == before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_disk_is_one_line_and_exit_2(folder):
    result = run("check", "-o", "/dev/full", ".")
    assert result.exit_code == 2 and result.stderr.strip() == ("usm-rules: error: cannot write /dev/full: "
                                                               "No space left on device")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "usm_rules", "check", "--no-cache", "."], stdout=full,
                              stderr=subprocess.PIPE, cwd=folder, timeout=120)
    assert done.returncode == 2 and done.stderr.decode().strip().splitlines() == [
        "usm-rules: error: cannot write standard output: No space left on device"]


# --- 12. a baseline nested very deep -----------------------------------------------------------

@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, '{"version": 1, "findings": [' + "9" * 5000 + "]}",
                                     '{"version": 1, "findings": [{"fingerprint": []}]}'])
def test_a_hostile_baseline_is_one_line_and_exit_2(folder, content):
    (folder / "baseline.json").write_text(content, encoding="utf-8")
    result = run("check", "--baseline", "baseline.json", ".")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("usm-rules: error: baseline.json: not a usm-rules baseline")


# --- 3, 4, 11. signals ------------------------------------------------------------------------

def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, stack = set(), [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            found.add(child)
            stack.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated repository big enough that its engine phase can be caught running."""
    out = tmp_path_factory.mktemp("corpus") / "c"
    subprocess.run([sys.executable, str(REPO / "bench" / "corpus.py"), str(out), "--scale", "0.25"], check=True,
                   capture_output=True, timeout=300)
    return out


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.parametrize("phase", ["reading", "engine"])
def test_a_signal_stops_the_run_and_every_child_with_no_output(corpus, tmp_path, signum, code, phase):
    out = tmp_path / "out.json"
    process = subprocess.Popen([sys.executable, "-m", "usm_rules", "check", "--no-cache", "-j", "2", "-f", "json",
                                "-o", str(out), str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        now = _descendants(process.pid)
        seen |= now
        children = {pid for pid in now if _parent(pid) == process.pid}
        grandchildren = now - children
        if (phase == "engine" and grandchildren) or (phase == "reading" and len(children) >= 3):
            break  # the hub has an engine child / the hub and two readers run
        time.sleep(0.005)
    assert process.poll() is None, "the run ended before the signal could be sent"
    seen |= _descendants(process.pid)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr.decode().splitlines() == [f"usm-rules: stopped by {signal.Signals(signum).name}; no output written"]
    assert not out.exists() and not list(tmp_path.glob(".out.json.*"))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in seen):
        time.sleep(0.05)
    assert not [pid for pid in seen if _alive(pid)], "a child outlived the run"


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1
