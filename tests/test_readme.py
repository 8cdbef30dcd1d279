"""The README cannot drift: its transcripts are run and compared, its commands are run.

A transcript is a ``text`` block that opens with ``$ usm-rules ...``: the command runs from the
repository's root through the installed ``usm-rules`` script, and what it prints (colours
removed) must be the lines shown, where ``...`` alone on a line stands for any lines and
``...`` inside a line for any text. Every other ``usm-rules`` command the README shows, in a
``sh`` block or as inline code, runs in a process repository like the one it talks about
(``processes/``, single files, diagrams, a git history with a tag; the repository's root for
those on ``sample_processes/``) and must not be refused:
exit 0 or 1, nothing on standard error but the tool's own lines.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES

README = REPO / "README.md"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
PLACEHOLDER = re.compile(r"\b(?:RULE|KIND|FILE|DIR|PATH|NAME|VALUE|URL|N)\b")
MIWG = REPO / "tests" / "data" / "bpmn-miwg"


def _blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README.read_text(encoding="utf-8")) if lang == language]


def transcripts() -> list[tuple[str, list[str]]]:
    shown = []
    for body in _blocks("text"):
        lines = body.rstrip("\n").split("\n")
        if lines[0].startswith("$ usm-rules "):
            shown.append((lines[0][2:], lines[1:]))
    return shown


def commands() -> list[str]:
    """Every usm-rules command line of the sh blocks (continuations joined, comments dropped) and
    every inline ``usm-rules ...`` without a placeholder."""
    found = []
    for body in _blocks("sh"):
        for line in body.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            if re.match(r"^(cat \S+ \| )?usm-rules ", line):
                found.append(line)
    text = FENCE.sub("", README.read_text(encoding="utf-8"))
    found += [span for span in re.findall(r"`(usm-rules [^`]+)`", text)
              if not PLACEHOLDER.search(span) and span.split()[1] not in ("lsp", "docs")]
    return list(dict.fromkeys(found))


def _tool() -> str:
    script = Path(sys.executable).parent / "usm-rules"
    assert script.is_file(), f"no usm-rules script beside {sys.executable}: is usm-rules installed?"
    return str(script)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return {**env, "PATH": f"{Path(_tool()).parent}{os.pathsep}{env.get('PATH', '')}", **extra}


def _matches(expected: list[str], actual: list[str]) -> bool:
    """``...`` alone: any lines, none included; ``...`` in a line: any text."""
    def same(shown: str, printed: str) -> bool:
        if "..." not in shown:
            return shown == printed
        return re.fullmatch(".*".join(map(re.escape, shown.split("..."))), printed) is not None

    reach = {0}  # how many printed lines the shown lines so far can have covered
    for shown in expected:
        if shown == "...":
            reach = set(range(min(reach), len(actual) + 1)) if reach else set()
        else:
            reach = {i + 1 for i in reach if i < len(actual) and same(shown, actual[i])}
    return len(actual) in reach


def test_the_readme_shows_transcripts_and_commands():
    assert len(transcripts()) >= 2 and len(commands()) >= 15


@pytest.mark.parametrize(("command", "expected"), transcripts(), ids=[c for c, _ in transcripts()])
def test_each_transcript_is_what_the_command_prints(command, expected):
    args = shlex.split(command)
    done = subprocess.run([_tool(), *args[1:]], cwd=REPO, capture_output=True, text=True, env=_env(),
                          timeout=300)
    printed = ANSI.sub("", done.stdout).rstrip("\n").split("\n")
    assert done.returncode in (0, 1), done.stderr
    assert _matches(expected, printed), "the README's transcript differs from the output:\n" + "\n".join(printed)


@pytest.fixture(scope="module")
def process_repository(tmp_path_factory) -> Path:
    """The repository the README's commands talk about: processes/, two single files, diagrams,
    a git history with a tag."""
    repo = tmp_path_factory.mktemp("readme") / "process-repo"
    shutil.copytree(SAMPLES / "reference", repo / "processes")
    for name in ("recover.yaml", "change.yaml"):
        shutil.copy(repo / "processes" / name, repo / name)
    (repo / "diagrams").mkdir()
    for diagram in sorted(MIWG.rglob("*.bpmn"))[:3]:
        shutil.copy(diagram, repo / "diagrams" / diagram.name)
    git = ["git", "-c", "user.name=usm", "-c", "user.email=usm@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "the model"], cwd=repo, check=True)
    subprocess.run([*git, "tag", "v2026.1"], cwd=repo, check=True)
    recover = repo / "processes" / "recover.yaml"
    recover.write_text(recover.read_text(encoding="utf-8").replace("Register the incident", "Log the incident"),
                       encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "recover reworded"], cwd=repo, check=True)
    return repo


@pytest.mark.slow
@pytest.mark.parametrize("command", commands())
def test_each_command_the_readme_shows_runs(command, process_repository):
    where = REPO if "sample_processes" in command else process_repository  # the samples are the repository's
    done = subprocess.run(["bash", "-c", command], cwd=where, capture_output=True, text=True, env=_env(), timeout=300)
    assert done.returncode in (0, 1), f"exit {done.returncode}: {done.stderr[-1500:]}"
    foreign = [line for line in done.stderr.splitlines() if line and not line.startswith("usm-rules:")]
    assert foreign == [], done.stderr[-1500:]
