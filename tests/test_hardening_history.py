"""`usm-rules history` under attack: rows 5-8 of the hardening issue, on real git repositories.

Every test drives the real command line (CliRunner on ``usm_rules.cli.cli``, or a real process
where memory is measured) in a throwaway repository, and compares a version's verdict with what
``check`` says of that commit's checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from usm_rules.cli import cli

PERFORMER = ("Register the incident", "The service desk registers the incident")  # R1: ceiling 3
OTHER_TOOL = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"  # YAML, but not ours


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def git(repo: Path, *args: str, **kwargs) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, **kwargs).stdout


def commit(repo: Path, message: str, day: str, add: bool = True) -> None:
    """The working tree committed (only the index, without ``add``), on that day of 2026."""
    date = f"2026-{day}T10:00:00+01:00"
    if add:
        git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message,
        env={**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """An empty repository, the working folder of the test."""
    folder = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    for key, value in (("user.name", "usm"), ("user.email", "usm@example.invalid"), ("commit.gpgsign", "false")):
        git(folder, "config", key, value)
    monkeypatch.chdir(folder)
    return folder


def model(repo: Path, performer: bool = False) -> Path:
    """The reference model in processes/ (Recover naming its performer: ceiling 3)."""
    folder = repo / "processes"
    shutil.copytree(SAMPLES / "reference", folder, dirs_exist_ok=True)
    if performer:
        recover = folder / "recover.yaml"
        recover.write_text(recover.read_text(encoding="utf-8").replace(*PERFORMER), encoding="utf-8")
    return folder


def history(*args: str):
    """``usm-rules history`` with a cache of its own beside the repository (a test's runs share it)."""
    return run("history", "--cache-dir", str(Path.cwd().parent / "cache"), *args)


def points(*args: str) -> list[dict]:
    done = history("-f", "json", *args)
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)["points"]


def checked_now(path: str) -> dict:
    """What `check` says of the working tree (a commit's checkout), in a point's terms."""
    done = run("check", "--no-cache", "-f", "json", path)
    assert done.exit_code in (0, 1), done.output
    data = json.loads(done.stdout)
    summary, maturity = data["summary"], data["maturity"]
    return {"ceiling": maturity["ceiling"], "likely": maturity["likely"], "complete": summary["complete"],
            "errors": summary["errors"], "warnings": summary["warnings"], "files": summary["files"],
            "processes": summary["processes"], "requirements": {f"R{r['number']}": r["findings"]
                                                                for r in data["requirements"]}}


def verdict(point: dict) -> dict:
    return {key: point[key] for key in ("ceiling", "likely", "complete", "errors", "warnings", "files", "processes",
                                        "requirements")}


# --- row 5: a value that looks like an option ---------------------------------------------------

@pytest.mark.parametrize("since", ["--output=written.txt", "-p", "--all", "no-such-tag", "HEAD~5"])
def test_a_since_that_is_no_commit_is_one_line_and_exit_2_and_never_an_option_of_git(repo, since):
    model(repo)
    commit(repo, "the model", "01-05")
    done = history(f"--since={since}", "processes")
    assert done.exit_code == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [f"usm-rules: error: --since {since!r}: no such commit in this repository"]
    assert not (repo / "written.txt").exists() and not (repo / "processes" / "written.txt").exists()
    assert git(repo, "status", "--porcelain") == ""


def test_a_since_that_names_a_commit_still_limits_the_history(repo):
    model(repo)
    commit(repo, "the model", "01-05")
    git(repo, "tag", "v1")
    model(repo, performer=True)
    commit(repo, "recover names its performer", "02-05")
    assert [p["ceiling"] for p in points("--since=v1", "processes")] == [3]


def test_a_path_that_looks_like_an_option_or_a_pattern_is_a_path(repo):
    model(repo)
    commit(repo, "the model", "01-05")
    shutil.copytree(repo / "processes", repo / "--output=x")
    commit(repo, "a folder named like an option", "02-05")
    shutil.copytree(repo / "processes", repo / "p*")
    commit(repo, "a folder named like a pattern", "03-05")
    assert [p["subject"] for p in points("--", "--output=x")] == ["a folder named like an option"]
    assert [p["subject"] for p in points("p*")] == ["a folder named like a pattern"]  # not processes/ too
    assert not (repo / "x").exists()


# --- row 6: a path deleted, then restored -------------------------------------------------------

def test_a_path_deleted_and_restored_is_absent_at_the_commit_that_deleted_it(repo, tmp_path):
    model(repo)
    commit(repo, "the model", "01-05")
    shutil.rmtree(repo / "processes")
    (repo / "README.md").write_text("moved away for a while\n", encoding="utf-8")
    commit(repo, "the model deleted", "02-05")
    model(repo, performer=True)
    commit(repo, "the model restored", "03-05")
    found = points("processes")
    assert [(p["subject"], p["state"], p["ceiling"]) for p in found] == [
        ("the model", "checked", 5), ("the model deleted", "absent", None), ("the model restored", "checked", 3)]
    absent = found[1]
    assert absent["tree"] == "" and absent["likely"] is None and absent["complete"] is None and absent["files"] == 0
    table = history("processes").stdout
    assert "At 1 of them `processes` is absent: not in the commit." in table
    [row] = [line for line in table.splitlines() if "the model deleted" in line]
    assert row.split(" | ")[3] == "absent"
    page = tmp_path / "history.html"
    assert history("processes", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("<circle") == 2 and html.count('class="gap absent"') == 1  # no point, a mark of its own
    assert "absent <span class=\"muted\">(<code>processes</code> is not in this commit)</span>" in html
    [gap] = re.findall(r'<line x1="([\d.]+)"[^>]*class="gap absent"', html)
    for line in re.findall(r'<polyline class="(?:ceiling|likely)" fill="none" points="([^"]*)"', html):
        xs = [float(pair.split(",")[0]) for pair in line.split()]
        assert all(x < float(gap) for x in xs) or all(x > float(gap) for x in xs)  # no line across the gap


def test_the_report_s_trend_says_absent_where_the_model_was_deleted(repo, tmp_path):
    model(repo)
    commit(repo, "the model", "01-05")
    shutil.rmtree(repo / "processes")
    commit(repo, "the model deleted", "02-05")
    model(repo)
    commit(repo, "the model restored", "03-05")
    report = run("report", "--cache-dir", str(tmp_path / "cache"), "--history", "3", "processes", "-f", "markdown",
                 "-o", "-")
    assert report.exit_code == 0, report.output
    rows = [line for line in report.stdout.splitlines() if line.startswith("| 2026-")]
    assert [row.split(" | ")[2:4] for row in rows] == [["the model restored", "5"], ["the model deleted", "absent"],
                                                       ["the model", "5"]]


def test_a_file_deleted_and_restored_is_absent_between(repo):
    folder = model(repo)
    commit(repo, "the model", "01-05")
    (folder / "recover.yaml").unlink()
    commit(repo, "recover deleted", "02-05")
    model(repo)
    commit(repo, "recover restored", "03-05")
    assert [p["state"] for p in points("processes/recover.yaml")] == ["checked", "absent", "checked"]


# --- row 7: a version with nothing to check -----------------------------------------------------

def test_a_version_with_no_usm_document_is_nothing_to_check_never_ceiling_5(repo, tmp_path):
    (repo / "processes").mkdir()
    (repo / "processes" / "settings.yaml").write_text(OTHER_TOOL, encoding="utf-8")
    (repo / "processes" / "README.md").write_text("the model will come here\n", encoding="utf-8")
    said = run("check", "--no-cache", "processes")
    assert said.exit_code == 2 and "nothing to check" in said.stderr  # what check says of this checkout
    commit(repo, "a folder for the model", "01-05")
    model(repo, performer=True)
    commit(repo, "the model", "02-05")
    found = points("processes")
    assert [(p["state"], p["ceiling"], p["complete"]) for p in found] == [("empty", None, None), ("checked", 3, True)]
    table = history("processes").stdout
    [row] = [line for line in table.splitlines() if "a folder for the model" in line]
    assert row.split(" | ")[3] == "nothing to check" and "there is nothing to check" in table
    page = tmp_path / "history.html"
    assert history("processes", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("<circle") == 1 and html.count('class="gap empty"') == 1 and "nothing to check <span" in html


def test_files_that_git_archive_leaves_out_are_checked_as_committed(repo):
    model(repo, performer=True)
    (repo / ".gitattributes").write_text("processes/** export-ignore\n", encoding="utf-8")
    commit(repo, "the model, left out of archives", "01-05")
    [point] = points("processes")
    assert point["state"] == "checked" and verdict(point) == checked_now("processes")
    assert point["ceiling"] == 3 and point["files"] == 9


# --- row 8: what a version holds, read blob by blob ---------------------------------------------

def test_links_submodules_and_files_over_the_limit_give_check_s_verdict_of_the_checkout(repo):
    folder = model(repo)
    for name, source in (("elsewhere/x.yaml", "recover.yaml"), ("shared/y.yaml", "change.yaml")):
        (repo / name).parent.mkdir()
        shutil.copy(folder / source, repo / name)
    os.symlink("recover.yaml", folder / "alias.yaml")  # inside the model: read once, as its target
    os.symlink("../elsewhere/x.yaml", folder / "outside.yaml")  # leaves the checked folder: not read
    os.symlink("/etc/passwd", folder / "passwd.yaml")  # leaves the repository: never read
    os.symlink("../shared", folder / "shared")  # a folder outside
    os.symlink("nothing.yaml", folder / "broken.yaml")
    with open(folder / "agree.yaml", "a", encoding="utf-8") as grown:
        grown.write("# " + "x" * 5000 + "\n")  # over the 4 KB limit below
    (repo / ".usm-rules.yaml").write_text("limits:\n  file-size: 4KB\n", encoding="utf-8")
    commit(repo, "links and a big file", "01-05")
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},processes/vendor")  # a submodule
    commit(repo, "a submodule", "02-05", add=False)
    now = checked_now("processes")
    assert now["complete"] is False and now["requirements"]["R0"] == 5
    for point in points("processes"):
        assert point["state"] == "checked" and verdict(point) == now
    assert point["not_read"] == ["processes/agree.yaml (6.9 KiB: over the file-size limit, not read)",
                                 "processes/vendor (a submodule: not read)"]


def test_the_configuration_s_exclusions_apply_to_each_version_as_to_its_checkout(repo):
    folder = model(repo)
    (folder / "drafts").mkdir()
    broken = (folder / "recover.yaml").read_text(encoding="utf-8").replace("name: recover\n", "name: draft\n", 1)
    (folder / "drafts" / "draft.yaml").write_text(broken.replace(*PERFORMER), encoding="utf-8")
    (repo / ".usm-rules.yaml").write_text("exclude: [drafts]\n", encoding="utf-8")
    commit(repo, "a draft beside the model", "01-05")
    [point] = points("processes")
    assert verdict(point) == checked_now("processes") and point["ceiling"] == 5 and point["files"] == 9


def test_the_result_of_each_version_is_kept_with_its_state(repo, tmp_path):
    (repo / "processes").mkdir()
    (repo / "processes" / "settings.yaml").write_text(OTHER_TOOL, encoding="utf-8")
    commit(repo, "nothing to check yet", "01-05")
    model(repo)
    commit(repo, "the model", "02-05")
    shutil.rmtree(repo / "processes")
    commit(repo, "deleted", "03-05")
    model(repo)
    (repo / "processes" / "settings.yaml").write_text(OTHER_TOOL, encoding="utf-8")
    commit(repo, "restored as it was", "04-05")  # the tree of 'the model' again
    cache = tmp_path / "cache"
    first = run("history", "--cache-dir", str(cache), "-f", "json", "processes")
    kept = sorted(path for path in (cache / "history").rglob("*") if path.is_file())
    assert len(kept) == 2  # two trees checked: nothing to check, and the model (twice); absent is no check
    second = run("history", "--cache-dir", str(cache), "-f", "json", "processes")
    assert second.exit_code == first.exit_code == 0 and second.stdout == first.stdout
    assert sorted(path for path in (cache / "history").rglob("*") if path.is_file()) == kept
    assert [p["state"] for p in json.loads(first.stdout)["points"]] == ["empty", "checked", "absent", "checked"]


def zeros(repo: Path, size: int) -> str:
    """A blob of ``size`` zero bytes, written as git writes a loose object (a zlib stream of its
    header and bytes, named by their SHA-1), chunk by chunk: in the object store it takes a few
    hundred KB, and neither the test nor git holds it whole."""
    header, chunk = f"blob {size}\0".encode(), bytes(1 << 20)
    digest, packer = hashlib.sha1(header), zlib.compressobj(1)
    part = repo / ".git" / "objects" / "incoming"
    with open(part, "wb") as out:
        out.write(packer.compress(header))
        for start in range(0, size, len(chunk)):
            piece = chunk[:min(len(chunk), size - start)]
            digest.update(piece)
            out.write(packer.compress(piece))
        out.write(packer.flush())
    oid = digest.hexdigest()
    (part.parent / oid[:2]).mkdir(exist_ok=True)
    part.rename(part.parent / oid[:2] / oid[2:])
    assert git(repo, "cat-file", "-s", oid).strip() == str(size)
    return oid


def peak_kb(repo: Path, *args: str) -> int:
    """The largest resident set of the history command or any process it waited for (git), in KB."""
    probe = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
             "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "usm_rules", "history", "--no-cache",
                           *args], cwd=repo, capture_output=True, text=True, timeout=300)
    code, peak = done.stdout.split()
    assert code == "0", done.stderr
    return int(peak)


@pytest.mark.slow
def test_a_200_mb_blob_over_the_limit_is_never_read_and_memory_stays_flat(repo):
    model(repo)
    commit(repo, "the model", "01-05")
    oid = zeros(repo, 200 * 1_048_576)
    for name in ("processes/zeros.yaml", "processes/zeros.bin"):  # an input file, and a file never looked at
        git(repo, "update-index", "--add", "--cacheinfo", f"100644,{oid},{name}")
    commit(repo, "200 MB of zeros", "02-05", add=False)
    git(repo, "rm", "-q", "--cached", "processes/zeros.yaml", "processes/zeros.bin")
    commit(repo, "the zeros removed", "03-05")
    baseline = peak_kb(repo, "--max-commits", "1", "-f", "json", "-o", "newest.json", "processes")
    peak = peak_kb(repo, "-f", "json", "-o", "all.json", "processes")
    assert peak < baseline + 64 * 1024, (baseline, peak)  # far below the 200 MB blob
    found = json.loads((repo / "all.json").read_text(encoding="utf-8"))["points"]
    big = next(p for p in found if p["subject"] == "200 MB of zeros")
    assert big["state"] == "checked" and big["complete"] is False and big["requirements"]["R0"] == 1
    assert big["files"] == 10 and big["errors"] == 1
    assert big["not_read"] == ["processes/zeros.yaml (200 MiB: over the file-size limit, not read)"]
    assert [p["ceiling"] for p in found if p is not big] == [5, 5]
