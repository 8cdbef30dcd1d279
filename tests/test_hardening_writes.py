"""Writes that never destroy (issue 28, rows 2, 3, 4, 16, 17, 24): every command that writes a
file writes it whole, never over a file that is not the tool's own unless --force, never through
a symbolic link, never outside its folder, never onto a checked file; two outputs with one name
stop the run before anything is written; a write that fails, standard output included, is one
line and exit 2.

Each test drives the real command line (CliRunner, or a real process where file descriptors or a
kill matter) and compares the files before and after.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CLEAN_MODEL, CLEAN_RECOVER, REPO, SAMPLES

from usm_rules.cli import cli

MIWG = REPO / "tests" / "data" / "bpmn-miwg" / "reference"
FULL = Path("/dev/full")
needs_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full")
REFUSED_LINK = "it is a symbolic link; nothing is written through one (name the file it leads to)"
NOT_OURS = "it exists and usm-rules did not write it; --force replaces it"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def error_line(result) -> str:
    """The one line a refused run prints (and that it is one line, with exit 2)."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    [line] = result.stderr.splitlines()
    return line


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below ``folder``: a file's bytes, a link's target."""
    return {str(p.relative_to(folder)): os.readlink(p) if p.is_symlink() else p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_symlink() or p.is_file()}


@pytest.fixture
def model(tree):
    """A working folder holding a clean model in processes/."""
    return tree({"processes/model.yaml": CLEAN_MODEL, "processes/recover.yaml": CLEAN_RECOVER})


def diagram(path: Path, *pools: str) -> Path:
    """A BPMN file with one pool (and process) per name."""
    participants = "".join(f'<participant id="pool{i}" name="{name}" processRef="p{i}"/>'
                           for i, name in enumerate(pools))
    processes = "".join(f'<process id="p{i}"><task id="t{i}" name="Restore the service"/></process>'
                        for i, _ in enumerate(pools))
    path.write_text('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
                    f'<collaboration id="c">{participants}</collaboration>{processes}</definitions>\n',
                    encoding="utf-8")
    return path


# --- row 2: convert over a file that is not its own ----------------------------------------------

def test_convert_refuses_a_file_of_the_folder_it_did_not_write_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "team-assistant.yaml").write_text("my own notes\n", encoding="utf-8")
    before = snapshot(out)
    result = run("convert", str(MIWG / "C.1.0.bpmn"), "-o", str(out))
    assert error_line(result) == (f"usm-rules: error: cannot write {out}/team-assistant.yaml: it exists and "
                                  "usm-rules convert did not write it; --force replaces it")
    assert snapshot(out) == before  # none of the other files either
    forced = run("convert", str(MIWG / "C.1.0.bpmn"), "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert (out / "team-assistant.yaml").read_text(encoding="utf-8").startswith(
        "# Written by usm-rules convert from C.1.0.bpmn (sha256 of the YAML below: ")


def test_convert_replaces_its_own_files_but_not_once_they_are_edited(tmp_path):
    out = tmp_path / "out"
    assert run("convert", str(MIWG / "C.1.0.bpmn"), "-o", str(out)).exit_code == 0
    first = snapshot(out)
    assert sorted(first) == ["c-1-0.model.yaml", "process-engine-invoice-receipt.yaml", "team-assistant.yaml"]
    again = run("convert", str(MIWG / "C.1.0.bpmn"), "-o", str(out))  # CI and pre-commit run it again
    assert again.exit_code == 0 and again.stderr == f"usm-rules: 3 file(s) written to {out}\n"
    assert snapshot(out) == first
    edited = out / "team-assistant.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: Team-Assistant", "title: The assistants"),
                      encoding="utf-8")
    kept = edited.read_bytes()
    result = run("convert", str(MIWG / "C.1.0.bpmn"), "-o", str(out))
    assert error_line(result) == (f"usm-rules: error: cannot write {edited}: it was edited after usm-rules convert "
                                  "wrote it; --force replaces it")
    assert edited.read_bytes() == kept


def test_a_file_of_an_older_convert_without_a_digest_needs_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "team-assistant.yaml").write_text("# Converted from C.1.0.bpmn by usm-rules convert.\nkind: x\n",
                                             encoding="utf-8")
    result = run("convert", str(MIWG / "C.1.0.bpmn"), "-o", str(out))
    assert error_line(result).endswith(": an older usm-rules convert wrote it, with no digest to tell whether it "
                                       "was edited since; --force replaces it")


# --- row 3: convert through a link ---------------------------------------------------------------

def test_convert_writes_through_no_link_even_with_force(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("somebody else's file\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "team-assistant.yaml").symlink_to(outside)
    for force in ((), ("--force",)):
        result = run("convert", str(MIWG / "C.1.0.bpmn"), "-o", str(out), *force)
        assert error_line(result) == f"usm-rules: error: cannot write {out}/team-assistant.yaml: {REFUSED_LINK}"
        assert outside.read_text(encoding="utf-8") == "somebody else's file\n"
        assert sorted(p.name for p in out.iterdir()) == ["team-assistant.yaml"]


# --- row 4: two outputs with one name ------------------------------------------------------------

def test_two_diagrams_that_give_one_file_are_refused_before_anything_is_written(tmp_path):
    first, second = diagram(tmp_path / "a.bpmn", "Recover"), diagram(tmp_path / "b.bpmn", "Recover")
    out = tmp_path / "out"
    result = run("convert", str(first), str(second), "-o", str(out))
    assert error_line(result) == f"usm-rules: error: {first} and {second} both give {out}/recover.yaml; nothing written"
    assert not out.exists()


def test_a_process_named_like_the_model_s_file_keeps_both(tmp_path):
    source = diagram(tmp_path / "x.bpmn", "X model", "Other")  # processes x-model and other, model x
    out = tmp_path / "out"
    result = run("convert", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["other.yaml", "x-model.yaml", "x.model.yaml"]
    checked = json.loads(run("check", "-f", "json", str(out)).stdout)
    assert (checked["summary"]["documents"], checked["summary"]["processes"]) == (3, 2)  # the model and both
    assert {f["rule"] for f in checked["findings"]} & {"USM0001", "USM0006", "USM0701"} == set()  # valid, listed


# --- row 16: docs ----------------------------------------------------------------------------------

def test_docs_keeps_the_user_s_notes_and_removes_only_its_own_stale_pages(tmp_path):
    folder = tmp_path / "docs"
    assert run("docs", str(folder)).exit_code == 0
    (folder / "rules" / "notes.md").write_text("# Our notes on the rules\n", encoding="utf-8")
    (folder / "rules" / "USM9999.md").write_text((folder / "rules" / "USM0101.md").read_text(encoding="utf-8"),
                                                 encoding="utf-8")  # a page generated once, no longer
    result = run("docs", str(folder))
    assert result.exit_code == 0 and result.stdout.endswith(", removed 1\n"), result.output
    assert (folder / "rules" / "notes.md").read_text(encoding="utf-8") == "# Our notes on the rules\n"
    assert not (folder / "rules" / "USM9999.md").exists()
    assert run("docs", str(folder)).stdout == f"wrote {len(list((folder / 'rules').glob('USM*.md'))) + 2} pages to " \
                                              f"{folder}\n"


def test_docs_refuses_a_facts_page_it_did_not_write_unless_forced(tmp_path):
    folder = tmp_path / "docs"
    (folder / "rules").mkdir(parents=True)
    (folder / "facts.md").write_text("# Facts we collected\n", encoding="utf-8")
    result = run("docs", str(folder))
    assert error_line(result) == ("usm-rules: error: cannot write "
                                  f"{folder}/facts.md: it exists and is not a page usm-rules docs generated; --force "
                                  "replaces it")
    assert snapshot(folder) == {"facts.md": b"# Facts we collected\n"}
    assert run("docs", str(folder), "--force").exit_code == 0
    assert (folder / "facts.md").read_text(encoding="utf-8").startswith("<!-- generated by `usm-rules docs docs`")


@pytest.mark.parametrize("where", ["rules/USM0101.md", "facts.md", "rules"])
def test_docs_writes_through_no_link(tmp_path, where):
    folder, outside = tmp_path / "docs", tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "USM0101.md").write_text("kept\n", encoding="utf-8")
    (folder / "rules").mkdir(parents=True)
    if where == "rules":
        (folder / "rules").rmdir()
    (folder / where).symlink_to(outside if where == "rules" else outside / "USM0101.md")
    result = run("docs", str(folder), "--force")
    line = error_line(result)
    assert line == (f"usm-rules: error: cannot write {folder}/rules/README.md: {folder}/rules is a symbolic link; "
                    "nothing is written through one" if where == "rules"
                    else f"usm-rules: error: cannot write {folder}/{where}: {REFUSED_LINK}")
    assert snapshot(outside) == {"USM0101.md": b"kept\n"}


KILLED_AT_FIRST_WRITE = """
import builtins, io, os, signal, sys
folder = os.path.realpath(sys.argv[1])

def mine(path):
    return os.path.realpath(os.fspath(path)).startswith(folder + os.sep)

real_open, real_io_open = os.open, io.open

def os_open(path, flags, *args, **kwargs):
    handle = real_open(path, flags, *args, **kwargs)
    if flags & (os.O_WRONLY | os.O_RDWR) and mine(path):
        os.kill(os.getpid(), signal.SIGKILL)  # killed right after opening for writing
    return handle

def io_open(file, mode="r", *args, **kwargs):
    stream = real_io_open(file, mode, *args, **kwargs)
    if isinstance(file, (str, os.PathLike)) and set(mode) & set("wax+") and mine(file):
        os.kill(os.getpid(), signal.SIGKILL)
    return stream

os.open, io.open, builtins.open = os_open, io_open, io_open
from usm_rules.cli.app import main
sys.argv = ["usm-rules", "docs", sys.argv[1]]
main()
"""


def test_docs_killed_while_writing_leaves_every_page_whole(tmp_path):
    folder = tmp_path / "docs"
    assert run("docs", str(folder)).exit_code == 0
    facts = folder / "facts.md"
    facts.write_text(facts.read_text(encoding="utf-8") + "\nAn older version of the page.\n", encoding="utf-8")
    before = snapshot(folder)
    done = subprocess.run([sys.executable, "-c", KILLED_AT_FIRST_WRITE, str(folder)], capture_output=True,
                          timeout=120)
    assert done.returncode == -9, done.stderr.decode()
    after = snapshot(folder)
    assert {name: after[name] for name in before} == before  # no page empty, none half written
    assert all(Path(name).name.startswith(".") for name in set(after) - set(before))  # a hidden temporary at most


# --- row 17: -o onto a checked file ----------------------------------------------------------------

def _commit(folder: Path) -> None:
    git = ["git", "-c", "user.name=usm", "-c", "user.email=usm@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", "the model"], cwd=folder, check=True)


@pytest.mark.parametrize("force", [(), ("--force",)])
def test_history_never_writes_onto_a_checked_process_file(model, force):
    _commit(Path.cwd())
    before = snapshot(model / "processes")
    result = run("history", "processes", "-o", "processes/recover.yaml", *force)
    assert error_line(result) == ("usm-rules: error: -o processes/recover.yaml is one of the checked files; "
                                  "refusing to overwrite it")
    assert snapshot(model / "processes") == before


def test_an_o_file_is_never_the_run_s_baseline_or_configuration(model):
    assert run("baseline", "create", "-o", "baseline.json", "--reason", "Adopted", "processes").exit_code == 0
    (model / "settings.yaml").write_text("fail-on: error\n", encoding="utf-8")
    before = snapshot(model)
    for command in (("check", "--baseline", "baseline.json", "-f", "json", "-o", "baseline.json"),
                    ("report", "--baseline", "baseline.json", "-o", "./baseline.json"),
                    ("check", "--config", "settings.yaml", "-o", "settings.yaml")):
        result = run(*command, "--force", "processes")
        assert error_line(result) == (f"usm-rules: error: -o {command[-1]} is read by this run (its configuration or "
                                      "baseline); refusing to overwrite it"), command
    assert snapshot(model) == before


# --- the -o files of check, baseline, report, history: ours replaced, others' refused --------------

WRITERS = {
    **{f"check {f}": ("check", "-f", f, "processes") for f in
       ("text", "json", "sarif", "junit", "github", "gitlab", "markdown", "html", "csv")},
    "check --quiet": ("check", "-q", "processes"),
    "check --statistics": ("check", "--statistics", "processes"),
    "check --color always": ("check", "--color", "always", "processes"),
    "baseline create": ("baseline", "create", "--reason", "Adopted", "processes"),
    "report html": ("report", "processes"),
    "report markdown": ("report", "-f", "markdown", "processes"),
    **{f"history {f}": ("history", "processes", "-f", f) for f in ("html", "markdown", "json")},
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_second_run_replaces_its_own_output_and_another_s_file_is_refused(tree, name):
    folder = tree({"processes/model.yaml": CLEAN_MODEL,
                   "processes/recover.yaml": CLEAN_RECOVER.replace("name: Restore the service",
                                                                   "name: Restore the service in ServiceNow")})
    _commit(folder)
    command = (*WRITERS[name], "-o", "out")
    first = run(*command)
    assert first.exit_code in (0, 1), first.output
    written = (folder / "out").read_bytes()
    assert written
    again = run(*command)
    assert again.exit_code == first.exit_code, again.output  # no --force needed for its own output
    (folder / "out").write_text("a file of the user's\n", encoding="utf-8")
    assert error_line(run(*command)) == f"usm-rules: error: cannot write out: {NOT_OURS}"
    assert (folder / "out").read_text(encoding="utf-8") == "a file of the user's\n"


LOOKALIKES = {
    "notes.txt": "Meeting notes\n",
    "package.json": '{\n  "name": "usm-rules",\n  "version": "1.0.0"\n}\n',
    "tool.json": '{"tool": {"name": "other-linter"}, "findings": []}\n',
    "other.sarif": '{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", '
                   '"runs": [{"tool": {"driver": {"name": "eslint"}}}]}\n',
    "other.csv": "file,line,column,message\nx.yaml,1,1,hello\n",
    "build.log": "main.c:12:3: error: expected ';' before '}' token\n",
    "README.md": "## usm-rules setup\n\nHow we run it.\n",
    "codequality.json": '[{"description": "no-unused-vars: x", "check_name": "no-unused-vars"}]\n',
    "recover.yaml": CLEAN_RECOVER,
}


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_a_file_that_only_looks_like_a_report_is_refused(tree, name):
    folder = tree({"processes/model.yaml": CLEAN_MODEL, "processes/recover.yaml": CLEAN_RECOVER,
                   name: LOOKALIKES[name]})
    result = run("check", "-o", name, "processes")
    assert error_line(result) == f"usm-rules: error: cannot write {name}: {NOT_OURS}"
    assert (folder / name).read_text(encoding="utf-8") == LOOKALIKES[name]


def test_an_empty_file_holds_nothing_to_lose(model):
    (model / "out.sarif").touch()  # mktemp, touch: a place prepared for the report
    assert run("check", "-f", "sarif", "-o", "out.sarif", "processes").exit_code == 0
    assert json.loads((model / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


@pytest.mark.parametrize("command", [("check", "-f", "sarif"), ("baseline", "create"), ("report",)])
def test_an_o_file_that_is_a_link_is_refused_even_with_force(model, command):
    (model / "elsewhere.txt").write_text("kept\n", encoding="utf-8")
    (model / "out").symlink_to(model / "elsewhere.txt")
    result = run(*command, "-o", "out", "--force", "processes")
    assert error_line(result) == f"usm-rules: error: cannot write out: {REFUSED_LINK}"
    assert (model / "elsewhere.txt").read_text(encoding="utf-8") == "kept\n" and (model / "out").is_symlink()


def test_a_link_to_a_device_and_dev_stdout_are_written_directly(model):
    (model / "null").symlink_to(os.devnull)
    assert run("check", "-o", "null", "processes").exit_code == 0
    with open(model / "captured.txt", "wb") as captured:  # /dev/stdout leads to a regular file here
        done = subprocess.run([sys.executable, "-m", "usm_rules", "check", "-o", "/dev/stdout", "processes"],
                              stdout=captured, stderr=subprocess.PIPE, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert (model / "captured.txt").read_text(encoding="utf-8").startswith("0 errors, 0 warnings, 0 infos in 2 files")


# --- row 24: a write that fails is one line and exit 2, standard output included -------------------

@needs_full
@pytest.mark.parametrize("args", [["schema"], ["schema", "--bundle"], ["rules"], ["rules", "--format", "json"],
                                  ["explain", "who-how-key"], ["explain", "R1"], ["docs", "{tmp}/docs"],
                                  ["check", "processes"], ["report", "-o", "-", "processes"], ["--help"],
                                  ["--version"]])
def test_a_full_standard_output_is_one_line_and_exit_2(model, args):
    args = [arg.replace("{tmp}", str(model)) for arg in args]
    with open(FULL, "w") as full:
        done = subprocess.run([sys.executable, "-m", "usm_rules", *args], stdout=full, stderr=subprocess.PIPE,
                              timeout=120)
    assert (done.returncode, done.stderr.decode().splitlines()) == (
        2, ["usm-rules: error: cannot write standard output: No space left on device"])


@needs_full
def test_docs_into_a_device_is_one_line_and_exit_2():
    result = run("docs", str(FULL))
    assert error_line(result) == "usm-rules: error: cannot write /dev/full: not a folder"


@needs_full
@pytest.mark.parametrize("args", [("check",), ("baseline", "create"), ("report",), ("report", "-f", "markdown")])
def test_a_full_disk_under_an_o_file_is_one_line_and_exit_2(model, args):
    result = run(*args, "-o", str(FULL), "processes")
    assert error_line(result) == f"usm-rules: error: cannot write {FULL}: No space left on device"


@pytest.mark.parametrize("command", ["convert", "docs"])
def test_a_full_disk_in_a_folder_is_one_line_exit_2_and_keeps_what_was_there(tmp_path, monkeypatch, command):
    out = tmp_path / "out"
    args = ["convert", str(MIWG / "C.1.0.bpmn"), "-o", str(out)] if command == "convert" else ["docs", str(out)]
    assert run(*args).exit_code == 0
    before = snapshot(out)

    def full(handle: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # the disk fills while the first file is written
    line = error_line(run(*args, "--force"))
    assert line.startswith(f"usm-rules: error: cannot write {out}/") and line.endswith(": No space left on device")
    assert snapshot(out) == before  # every file as it was, no temporary file left


# --- a second run of every README command needs no --force ----------------------------------------

@pytest.mark.slow
def test_every_readme_command_runs_twice_without_force(tmp_path):
    from test_readme import MIWG as DIAGRAMS
    from test_readme import _env, _tool, commands

    repo = tmp_path / "process-repo"
    shutil.copytree(SAMPLES / "reference", repo / "processes")
    for name in ("recover.yaml", "change.yaml"):
        shutil.copy(repo / "processes" / name, repo / name)
    (repo / "diagrams").mkdir()
    for source in sorted(DIAGRAMS.rglob("*.bpmn"))[:3]:
        shutil.copy(source, repo / "diagrams" / source.name)
    _commit(repo)
    subprocess.run(["git", "tag", "v2026.1"], cwd=repo, check=True)
    assert Path(_tool()).is_file()
    for command in [c for c in commands() if "sample_processes" not in c] * 2:  # CI and pre-commit run them again
        done = subprocess.run(["bash", "-c", command], cwd=repo, capture_output=True, text=True, env=_env(),
                              timeout=300)
        assert done.returncode in (0, 1), (command, done.stderr[-1500:])
