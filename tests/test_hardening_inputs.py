"""Patterns, paths and time: rows 13, 14, 15, 25 and 26 of the hardening issue (issue 28).

Every test drives the real command line (CliRunner on ``usm_rules.cli.cli``, or a real process
where the environment or a run that might never end matters) and checks exit codes, positions
and the exact line users read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CLEAN, CLEAN_MODEL, CLEAN_RECOVER, dedent, write_files

from usm_rules.cli import cli

BROKEN = "apiVersion: usm/v1\nkind: Process\nmetadata: {name: x\n"  # USM0001 at 4:1
PATH_MAX = 4096  # Linux's, with the terminating NUL


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def paths_checked(result) -> list[str]:
    assert result.exit_code in (0, 1), result.output
    return [f["path"] for f in json.loads(result.stdout)["files"]]


def usm_rules(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60):
    """The command line as a real process: it must end within ``timeout`` seconds, or the test fails."""
    return subprocess.run([sys.executable, "-m", "usm_rules", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


# --- 13. a bad pattern is a configuration error, never an internal one ----------------------

BAD_PATTERNS = [
    ("[z-a]", "the range z-a runs backwards (write a-z)"),
    ("\\", "it ends in a '\\' that escapes nothing (write '\\\\' for a backslash)"),
    ("!", "'!' negates nothing: follow it with the pattern to re-include"),
    ("drafts/[abc", "'[' opens a set of characters that no ']' closes (write '\\[' for a bracket)"),
    ("#old", "'#' starts a comment in .gitignore syntax: it matches nothing (write '\\#' for a name that starts "
             "with #)"),
]


@pytest.mark.parametrize(("pattern", "problem"), BAD_PATTERNS)
def test_a_bad_exclude_option_is_one_line_naming_the_option_and_exit_2(tree, pattern, problem):
    tree({"model.yaml": CLEAN})
    result = run("check", "--exclude", "drafts", "--exclude", pattern, ".")
    assert result.exit_code == 2, result.output
    assert result.stderr == f"usm-rules: error: --exclude: '{pattern}' is not a pattern: {problem}\n"
    assert result.stdout == ""


@pytest.mark.parametrize("key", ["exclude", "include"])
@pytest.mark.parametrize(("pattern", "problem"), BAD_PATTERNS)
def test_a_bad_pattern_in_the_configuration_names_the_file_and_the_key(tree, tmp_path, key, pattern, problem):
    quoted = pattern.replace("'", "''")
    tree({"model.yaml": CLEAN, ".usm-rules.yaml": f"{key}: ['*.draft.yaml', '{quoted}']\n"})
    result = run("check", ".")
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"usm-rules: error: {tmp_path / '.usm-rules.yaml'}: {key}[1]: '{pattern}' is not a "
                             f"pattern: {problem}\n")


def test_a_pattern_with_a_control_character_is_shown_on_one_line(tree, tmp_path):
    tree({"model.yaml": CLEAN, ".usm-rules.yaml": 'exclude: ["a\\n[z-a]"]\n'})
    result = run("check", ".")
    assert result.exit_code == 2
    assert result.stderr == (f"usm-rules: error: {tmp_path / '.usm-rules.yaml'}: exclude[0]: 'a\\n[z-a]' is not a "
                             "pattern: the range z-a runs backwards (write a-z)\n")


# --- 14. matching costs what it reads: many stars against a long name -------------------------

def test_a_pattern_with_many_stars_against_a_long_name_ends(tmp_path):
    """pathspec's regular expression for '*a*a*a*a*a*a*c' backtracks for hours on a 200-character
    name it does not match; matched name by name without backtracking, the run ends at once."""
    long_a, long_b = "a" * 200 + ".yaml", "b" * 200 + ".yaml"
    write_files(tmp_path, {"model.yaml": CLEAN, long_a: BROKEN, long_b: BROKEN, ".usm-rules.yaml": dedent("""
        exclude: ['*a*a*a*a*a*a*c', '*b*b*b*b*b*b*l']
        include: ['*a*a*a*a*a*a*c', '*.yaml']
        """)})
    done = usm_rules("check", "--no-cache", "--exclude", "*a*a*a*a*a*a*a*a*a*a*x", "-f", "json", ".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert [f["path"] for f in data["files"]] == [long_a, "model.yaml"]  # long_b: excluded by its pattern
    assert [(f["file"], f["line"], f["column"], f["rule"]) for f in data["findings"]] == [(long_a, 4, 1, "USM0001")]


GIT_TREE = ["model.yaml", "drafts/keep.yaml", "drafts/x.yaml", "old/keep.yaml", "old/x.yaml", "sub/old/y.yaml",
            "sub/drafts/keep.yaml", "a/b/c/deep.yaml", "a/x.draft.yaml", "old.yaml", "1st.yaml", "[x].yaml"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git compares")
@pytest.mark.parametrize("patterns", [
    ["drafts/*", "!drafts/keep.yaml"],  # re-included
    ["drafts", "!drafts/keep.yaml"],  # a file in an excluded folder stays excluded
    ["/old"], ["old/"], ["old"], ["**/old/**", "!keep.yaml"], ["a/**/deep.yaml"], ["*.draft.yaml", "/*.yaml"],
    ["*", "!*.yaml"], ["[0-9]*", "\\[x\\].yaml"], ["sub/**", "!sub/drafts/", "!sub/drafts/**"], ["**/keep.yaml"],
])
def test_exclude_reads_patterns_as_git_reads_gitignore(tree, tmp_path, patterns):
    tree(dict.fromkeys(GIT_TREE, BROKEN))
    subprocess.run(["git", "init", "-q", "."], check=True)
    (tmp_path / ".gitignore").write_text("\n".join(patterns) + "\n", encoding="utf-8")
    kept_by_git = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], capture_output=True,
                                 text=True, check=True).stdout.split()
    options = [arg for pattern in patterns for arg in ("--exclude", pattern)]
    assert paths_checked(run("check", *options, "-f", "json", ".")) == sorted(
        path for path in kept_by_git if path.endswith(".yaml")), patterns


# --- 15. a path too long to open is that path's finding ---------------------------------------

def deep_tree(top: Path, name: str, depth: int, files: dict[int, dict[str, str]]) -> None:
    """Folders ``name/name/...`` ``depth`` deep below ``top``, made through folder descriptors (the
    paths themselves may be too long to name), with ``files[level]`` ({name: text}) at those levels."""
    handle = os.open(top, os.O_RDONLY)
    try:
        for level in range(1, depth + 1):
            os.mkdir(name, dir_fd=handle)
            inner = os.open(name, os.O_RDONLY, dir_fd=handle)
            os.close(handle)
            handle = inner
            for file, text in files.get(level, {}).items():
                written = os.open(file, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=handle)
                os.write(written, text.encode())
                os.close(written)
    finally:
        os.close(handle)


def remove_deep_tree(top: Path, name: str) -> None:
    """Remove what :func:`deep_tree` made, deepest first, going down by changing folder: no path
    is too long, and nothing recurses (shutil.rmtree, and so pytest's clean-up, would)."""
    here = os.getcwd()
    os.chdir(top)
    try:
        depth = 0
        while os.path.isdir(name):
            os.chdir(name)
            depth += 1
        for _ in range(depth):
            for entry in os.listdir("."):
                os.unlink(entry)
            os.chdir("..")
            os.rmdir(name)
    finally:
        os.chdir(here)


@pytest.fixture
def deep(tmp_path):
    """:func:`deep_tree` below the test's folder, removed after the test."""
    made: list[str] = []

    def make(name: str, depth: int, files: dict[int, str]) -> None:
        made.append(name)
        deep_tree(tmp_path, name, depth, files)
    yield make
    for name in made:
        remove_deep_tree(tmp_path, name)


@pytest.mark.skipif(sys.platform != "linux", reason="PATH_MAX is Linux's")
@pytest.mark.parametrize(("name", "depth"), [("d" * 200, 25), pytest.param("abc", 1030, marks=pytest.mark.slow)])
def test_a_tree_deeper_than_path_max_is_a_finding_at_each_path_too_long(tree, deep, name, depth):
    """Long names (ENAMETOOLONG) and many short ones (a walk that recursed once per folder, past
    Python's recursion limit; each lookup of a path costs its depth, hence slow): the files that
    can be named are read, a file or a folder whose path is too long to open is that path's
    finding, and what lies below such a folder is never listed."""
    tree({"model.yaml": CLEAN})

    def below(levels: int, file: str = "") -> str:
        return "/".join([name] * levels + ([file] if file else []))

    def openable(path: str) -> bool:
        return len(f"./{path}") < PATH_MAX  # as the run names it: below '.'

    long_file = "q" * 250 + ".yaml"
    readable = max(k for k in range(1, depth) if openable(below(k, "p.yaml")))
    last = max(k for k in range(1, depth) if openable(below(k)))  # the deepest folder that can be listed
    assert readable <= last and not openable(below(last, long_file))
    files: dict[int, dict[str, str]] = {readable: {"p.yaml": BROKEN}, depth: {"p.yaml": BROKEN}}
    files.setdefault(last, {})[long_file] = CLEAN  # readable and last are one level with long names
    deep(name, depth, files)
    result = run("check", "-f", "json", ".")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    expected = sorted([
        (below(last + 1), 1, 1, "USM0007", "cannot read folder: File name too long"),
        (below(last, long_file), 1, 1, "USM0007", "cannot read file: File name too long"),
        (below(readable, "p.yaml"), 4, 1, "USM0001",
         "YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping)"),
    ])
    assert [(f["file"], f["line"], f["column"], f["rule"], f["message"]) for f in data["findings"]] == expected
    assert [f["path"] for f in data["files"]] == sorted([path for path, *_ in expected] + ["model.yaml"])
    assert data["maturity"]["complete"] is False
    excluded = run("check", "--exclude", f"/{name}/", "-f", "json", ".")  # an excluded folder is never entered
    assert (excluded.exit_code, paths_checked(excluded)) == (0, ["model.yaml"])


@pytest.mark.skipif(sys.platform != "linux", reason="PATH_MAX is Linux's")
def test_a_given_path_too_long_to_open_is_its_finding(tree, deep):
    tree({"model.yaml": CLEAN})
    name = "d" * 200
    deep(name, 21, {21: {"p.yaml": CLEAN}})
    given = "/".join([name] * 21) + "/p.yaml"  # 4227 characters
    result = run("check", "-f", "json", "model.yaml", given)
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert [(f["file"], f["line"], f["column"], f["rule"], f["message"]) for f in data["findings"]] == [
        (given, 1, 1, "USM0007", "cannot read file: File name too long")]


# --- 25. patterns are relative to the checked tree, wherever the run starts ------------------

def test_exclude_patterns_are_relative_to_the_checked_tree_wherever_the_run_starts(tmp_path, monkeypatch):
    write_files(tmp_path / "t", {
        "model.yaml": CLEAN_MODEL, "recover.yaml": CLEAN_RECOVER, "new.draft.yaml": BROKEN,
        "drafts/x.yaml": BROKEN, "sub/drafts/y.yaml": BROKEN, "sub/old/z.yaml": BROKEN,
        ".usm-rules.yaml": "exclude: [sub/old]\n",  # the configuration's: relative to its folder
    })
    (tmp_path / "elsewhere" / "deeper").mkdir(parents=True)
    options = ["--exclude", "*.draft.yaml", "--exclude", "/drafts", "--exclude", "sub/drafts/"]
    for cwd, tree_path in [(tmp_path / "t", "."), (tmp_path / "elsewhere", "../t"),
                           (tmp_path / "elsewhere" / "deeper", "../../t"), (tmp_path / "t" / "sub", "..")]:
        monkeypatch.chdir(cwd)
        result = run("check", *options, "-f", "json", tree_path)
        shown = [os.path.normpath(os.path.join(tree_path, name)) for name in ("model.yaml", "recover.yaml")]
        assert paths_checked(result) == shown, cwd
        assert result.exit_code == 0, cwd
    monkeypatch.chdir(tmp_path / "elsewhere")  # a file given by name: relative to the checked tree it is in
    assert paths_checked(run("check", *options, "-f", "json", "--isolated", "../t/model.yaml",
                             "../t/new.draft.yaml")) == ["../t/model.yaml"]


# --- 26. a waiver's expiry is a date in UTC ----------------------------------------------------

def two_waivers(rec_1: dt.date, rec_2: dt.date) -> str:
    return "waivers:\n" + "".join(dedent(f"""
          - rule: USM0101
            subject: Process/recover/activities/{activity}
            reason: The desk stays named until the reorganisation.
            approver: J. Auditor
            expires: {expires.isoformat()}
        """) for activity, expires in (("rec-1", rec_1), ("rec-2", rec_2)))


@pytest.mark.slow
def test_a_waiver_expires_on_its_utc_date_whatever_the_machine_s_time_zone(tmp_path):
    """At any instant, one of UTC+14 and UTC-12 has another date than UTC: a waiver that expires
    today (UTC) must still suppress, one that expired yesterday (UTC) must not, in every zone."""
    recover = CLEAN_RECOVER.replace("      name: Register the failure\n",
                                    "      name: Register the failure\n      performer: Service desk\n").replace(
        "      name: Restore the service\n", "      name: Restore the service\n      performer: Service desk\n")
    for _attempt in range(2):  # once more if the UTC date changed during the runs
        today = dt.datetime.now(dt.timezone.utc).date()
        write_files(tmp_path, {"model.yaml": CLEAN_MODEL, "recover.yaml": recover,
                               ".usm-rules.yaml": two_waivers(today, today - dt.timedelta(days=1))})
        verdicts = {}
        for zone in ("UTC", "Pacific/Kiritimati", "Etc/GMT+12"):
            done = usm_rules("check", "--no-cache", "-f", "json", ".", cwd=tmp_path, env={"TZ": zone})
            data = json.loads(done.stdout)
            verdicts[zone] = (done.returncode, [(f["rule"], f["line"], (f["suppressed"] or {}).get("kind"))
                                                for f in data["findings"]])
        if dt.datetime.now(dt.timezone.utc).date() == today:
            break
    expected = (1, [("USM0013", 7, None), ("USM0101", 14, "waiver"), ("USM0101", 18, None)])
    assert verdicts == dict.fromkeys(("UTC", "Pacific/Kiritimati", "Etc/GMT+12"), expected)
