"""The pre-commit hook and the CI examples, exercised with the real tools.

pre-commit installs the hook from a git snapshot of this working tree (tracked files plus new
files not ignored, as they are on disk), so the test sees uncommitted work the way the next
commit will ship it. `pre-commit try-repo` always builds its hook environment in a temporary
store of its own; the other tests use a `.pre-commit-config.yaml` made from
`examples/pre-commit-config.yaml` and a PRE_COMMIT_HOME shared by the module, so their
environment is built once. Building one pip-installs the project (durable-rules compiles from
source the first time; pip caches the wheel afterwards).

The examples are parsed, their usm-rules commands are checked against `usm-rules check
--help`, and each command is run on the clean reference model.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from conftest import REPO, SAMPLES
from ruamel.yaml import YAML

from usm_rules.cli import cli

pytestmark = pytest.mark.slow  # see README.md#two-commands: the quick run leaves these out

EXAMPLES = REPO / "examples"
MANIFEST = REPO / ".pre-commit-hooks.yaml"
HOOK = "usm-rules"
FILES_HOOK = "usm-rules-files"
INSTALL_TIMEOUT = 900  # a hook environment's first build compiles durable-rules
RUN_TIMEOUT = 300

# Announced in README.md and being added: a command that uses them is skipped, with the
# reason, until `usm-rules check --help` lists them.
ANNOUNCED_FORMATS = {"sarif", "junit", "github", "gitlab", "markdown", "html"}
ANNOUNCED_OPTIONS = {"--baseline", "--config", "--no-config"}

# git variables that point git at another repository (set when the suite runs inside a git hook)
_GIT_LOCATION = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                 "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_NAMESPACE"}


# --- tools and repositories -------------------------------------------------------------------


@pytest.fixture(scope="module")
def pre_commit_exe() -> str:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail(f"pre-commit is not installed next to {sys.executable}; it is part of the "
                    "test extra: pip install '.[test]'")
    if not shutil.which("git"):
        pytest.fail("git is not on PATH; pre-commit needs it")
    return found


@pytest.fixture(scope="module")
def tool_env(tmp_path_factory) -> dict[str, str]:
    """The environment for git and pre-commit: isolated from the user's git configuration and
    pre-commit settings, with one PRE_COMMIT_HOME for the module."""
    env = {k: v for k, v in os.environ.items()
           if k not in _GIT_LOCATION and not k.startswith("PRE_COMMIT") and k not in {"SKIP", "PYTHONPATH"}}
    env |= {
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "PRE_COMMIT_COLOR": "never",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    return env


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def init_repository(path: Path, env: dict[str, str]) -> None:
    git("init", "-q", cwd=path, env=env)
    for key, value in (("user.name", "usm-rules tests"), ("user.email", "tests@example.invalid"),
                       ("commit.gpgsign", "false"), ("core.autocrlf", "false")):
        git("config", key, value, cwd=path, env=env)


def commit_all(path: Path, env: dict[str, str], message: str) -> str:
    git("add", "-A", cwd=path, env=env)
    git("commit", "-q", "--no-verify", "-m", message, cwd=path, env=env)
    return git("rev-parse", "HEAD", cwd=path, env=env)


def working_tree_files() -> list[str]:
    """This repository's files as the next commit would hold them (tracked and new files)."""
    done = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    if done.returncode == 0:
        return [name for name in done.stdout.split("\0") if name and (REPO / name).is_file()]
    skip = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", "build", "dist"}
    return [p.relative_to(REPO).as_posix() for p in REPO.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(REPO).parts) and not p.name.endswith(".egg-info")]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory, tool_env) -> tuple[Path, str]:
    """A git repository holding a snapshot of this working tree, and its commit."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in working_tree_files():
        target = snapshot / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    init_repository(snapshot, tool_env)
    return snapshot, commit_all(snapshot, tool_env, "snapshot of the usm-rules working tree")


@pytest.fixture
def process_repo(tmp_path, tool_env, hook_repo) -> Path:
    """A repository of process definitions: the clean reference model under processes/ and the
    example .pre-commit-config.yaml, pointed at the snapshot. Committed."""
    repo = tmp_path / "processes-repo"
    (repo / "processes").mkdir(parents=True)
    for sample in sorted((SAMPLES / "reference").glob("*.yaml")):
        shutil.copy2(sample, repo / "processes" / sample.name)
    # the example as it is written: a local hook running the usm-rules of the repository's .venv,
    # here the suite's own usm-rules (the set-up that builds .venv is run whole in test_the_readme_set_up_...)
    shutil.copy2(EXAMPLES / "pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "usm-rules").symlink_to(Path(sys.executable).parent / "usm-rules")
    (repo / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    (repo / "README.md").write_text("# Example Corp processes\n", encoding="utf-8")
    init_repository(repo, tool_env)
    commit_all(repo, tool_env, "the reference model")
    return repo


def pre_commit(exe: str, *args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    done = subprocess.run([exe, *args, "--color", "never"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=INSTALL_TIMEOUT)
    return done.returncode, done.stdout


def status_line(output: str) -> str:
    """pre-commit's `usm-rules......Passed` line."""
    return next((line for line in output.splitlines() if line.startswith(HOOK + ".")), "(no status line)")


def usm_rules(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The usm-rules command of this working tree."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "usm_rules", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=RUN_TIMEOUT)


# --- the manifest -----------------------------------------------------------------------------


def test_the_manifest_is_valid_and_checks_the_whole_model(pre_commit_exe, tool_env):
    rc, output = pre_commit(pre_commit_exe, "validate-manifest", str(MANIFEST), cwd=REPO, env=tool_env)
    assert rc == 0, output
    hooks = YAML(typ="safe").load(MANIFEST)
    assert [h["id"] for h in hooks] == [HOOK, FILES_HOOK]
    for hook in hooks:
        assert shlex.split(hook["entry"])[:2] == ["usm-rules", "check"]
        assert hook["language"] == "python"
        assert hook["types"] == ["yaml"]
        assert hook["require_serial"] is True
    # every run sees all files of the model: cross-document rules need them together
    assert hooks[0]["pass_filenames"] is False
    # the staged files, each read in its model (pre-commit passes file names by default)
    assert hooks[1].get("pass_filenames", True) is True


def test_the_example_configuration_is_valid(pre_commit_exe, tool_env):
    rc, output = pre_commit(pre_commit_exe, "validate-config", str(EXAMPLES / "pre-commit-config.yaml"),
                            cwd=REPO, env=tool_env)
    assert rc == 0, output
    hooks = [h["id"] for r in YAML(typ="safe").load(EXAMPLES / "pre-commit-config.yaml")["repos"] for h in r["hooks"]]
    assert hooks == [HOOK]


# --- the hook, run by pre-commit ----------------------------------------------------------------


def test_try_repo_passes_a_clean_model(pre_commit_exe, tool_env, hook_repo, process_repo):
    """As published, without args: the whole repository, hidden files (.pre-commit-config.yaml) skipped."""
    rc, output = pre_commit(pre_commit_exe, "try-repo", str(hook_repo[0]), HOOK, "--all-files",
                            cwd=process_repo, env=tool_env)
    assert rc == 0, output
    assert status_line(output).endswith("Passed"), output


def test_a_broken_process_fails_with_its_position(pre_commit_exe, tool_env, process_repo):
    operate = process_repo / "processes" / "operate.yaml"
    text = operate.read_text(encoding="utf-8")
    anchor = "      name: Verify entitlement\n"
    assert anchor in text
    operate.write_text(text.replace(anchor, anchor + "      performer: Service desk\n"), encoding="utf-8")
    line = operate.read_text(encoding="utf-8").splitlines().index("      performer: Service desk") + 1

    rc, output = pre_commit(pre_commit_exe, "run", "--all-files", cwd=process_repo, env=tool_env)

    assert rc == 1, output
    assert status_line(output).endswith("Failed"), output
    assert f"- hook id: {HOOK}" in output and "- exit code: 1" in output, output
    prefix = f"processes/operate.yaml:{line}:7: error USM0101 who-how-key "
    finding = [row for row in output.splitlines() if row.startswith(prefix)]
    assert finding, f"no line starting {prefix!r} in:\n{output}"
    assert "'Verify entitlement'" in finding[0] and "'performer'" in finding[0], finding[0]


def test_a_commit_of_one_file_is_checked_with_the_whole_model(pre_commit_exe, tool_env, process_repo):
    """Only recover.yaml is staged. The hook passes: it reads the model the process belongs to,
    where the file alone would be 'in no process model'."""
    recover = process_repo / "processes" / "recover.yaml"
    recover.write_text(recover.read_text(encoding="utf-8").replace(
        "Restoring the agreed service after a failure.", "Restoring the agreed service after any failure."),
        encoding="utf-8")
    git("add", "processes/recover.yaml", cwd=process_repo, env=tool_env)
    alone = usm_rules("check", "--isolated", "processes/recover.yaml", cwd=process_repo)
    assert alone.returncode == 1 and "USM0701" in alone.stdout, alone.stdout + alone.stderr
    in_model = usm_rules("check", "processes/recover.yaml", cwd=process_repo)
    assert in_model.returncode == 0, in_model.stdout + in_model.stderr

    rc, output = pre_commit(pre_commit_exe, "run", cwd=process_repo, env=tool_env)

    assert rc == 0, output
    assert status_line(output).endswith("Passed"), output


def test_the_files_hook_checks_each_staged_file_in_its_model(pre_commit_exe, tool_env, hook_repo, process_repo):
    recover = process_repo / "processes" / "recover.yaml"
    recover.write_text(recover.read_text(encoding="utf-8").replace(
        "Restoring the agreed service after a failure.", "Restoring the agreed service after any failure."),
        encoding="utf-8")

    def staged_and_tried(path: str) -> tuple[int, str]:
        git("add", path, cwd=process_repo, env=tool_env)
        return pre_commit(pre_commit_exe, "try-repo", str(hook_repo[0]), FILES_HOOK, cwd=process_repo, env=tool_env)

    rc, output = staged_and_tried("processes/recover.yaml")
    assert rc == 0, output  # no "in no process model": the model was read as context
    operate = process_repo / "processes" / "operate.yaml"
    operate.write_text(operate.read_text(encoding="utf-8").replace(
        "      name: Verify entitlement\n", "      name: Verify entitlement\n      performer: Service desk\n"),
        encoding="utf-8")
    rc, output = staged_and_tried("processes/operate.yaml")
    assert rc == 1, output
    assert re.search(r"^processes/operate\.yaml:\d+:7: error USM0101 who-how-key ", output, re.MULTILINE), output
    assert "processes/recover.yaml:" not in output


def test_a_model_change_is_reported_in_the_files_it_breaks(pre_commit_exe, tool_env, process_repo):
    """Only model.yaml is staged; the finding is in operate.yaml, a file the commit does not touch."""
    model = process_repo / "processes" / "model.yaml"
    text = model.read_text(encoding="utf-8")
    assert "    - operate\n" in text
    model.write_text(text.replace("    - operate\n", "", 1), encoding="utf-8")
    git("add", "processes/model.yaml", cwd=process_repo, env=tool_env)

    rc, output = pre_commit(pre_commit_exe, "run", cwd=process_repo, env=tool_env)

    assert rc == 1, output
    assert status_line(output).endswith("Failed"), output
    assert re.search(r"^processes/operate\.yaml:\d+:\d+: error USM0701 ", output, re.MULTILINE), output


def test_a_commit_without_yaml_skips_the_hook(pre_commit_exe, tool_env, process_repo):
    readme = process_repo / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nOur processes, USM style.\n", encoding="utf-8")
    git("add", "README.md", cwd=process_repo, env=tool_env)

    rc, output = pre_commit(pre_commit_exe, "run", cwd=process_repo, env=tool_env)

    assert rc == 0, output
    assert status_line(output).endswith("Skipped"), output


# --- the CI examples ------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    where: str  # example file and step, for test ids and messages
    argv: tuple[str, ...]  # "usm-rules", "check", ...


def load_example(name: str):
    return YAML(typ="safe").load(EXAMPLES / name)


def commands_in_script(where: str, script: str) -> list[Command]:
    """Every `usm-rules check ...` in a shell script, up to the first shell operator."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        for start in (i for i in range(len(tokens) - 1) if tokens[i:i + 2] == ["usm-rules", "check"]):
            end = next((j for j in range(start, len(tokens)) if set(tokens[j]) <= set("();<>|&")), len(tokens))
            found.append(Command(where, tuple(tokens[start:end])))
    return found


def example_commands() -> list[Command]:
    commands = []
    workflow = load_example("github-actions.yml")
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                commands += commands_in_script(f"github-actions.yml: {step.get('name', step['run'][:30])}", step["run"])
    for name, job in load_example("gitlab-ci.yml").items():
        if isinstance(job, dict) and "script" in job:
            commands += commands_in_script(f"gitlab-ci.yml: {name}", "\n".join(job["script"]))
    entry = shlex.split(YAML(typ="safe").load(MANIFEST)[0]["entry"])
    for repo in load_example("pre-commit-config.yaml")["repos"]:
        for hook in repo["hooks"]:
            if hook["id"] == HOOK:
                commands.append(Command("pre-commit-config.yaml: usm-rules", (*entry, *map(str, hook.get("args", ())))))
    return commands


@dataclass(frozen=True)
class Option:
    takes_value: bool
    choices: tuple[str, ...] | None
    bounds: tuple[int, int] | None


def options_of(command: click.Command) -> dict[str, Option]:
    """`--name` and `-n` of each option of a click command, with its choices or range."""
    options: dict[str, Option] = {}
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        kind = param.type
        choices = tuple(kind.choices) if isinstance(kind, click.Choice) else None
        bounds = (kind.min, kind.max) if isinstance(kind, click.IntRange) and kind.max is not None else None
        for name in (*param.opts, *param.secondary_opts):
            options[name] = Option(not param.is_flag, choices, bounds)
    return options


def problems_with(command: Command, options: dict[str, Option]) -> tuple[list[str], list[str]]:
    """(unknown or invalid options, announced options the CLI does not have yet)."""
    problems, pending = [], []
    args = list(command.argv[2:])
    while args:
        arg = args.pop(0)
        if not arg.startswith("-") or arg == "-":
            continue
        name, _, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        option = options.get(name)
        if option is None:
            (pending if name in ANNOUNCED_OPTIONS else problems).append(f"option {name}")
            if args and not args[0].startswith("-"):
                args.pop(0)
            continue
        if not option.takes_value:
            continue
        if not value:
            if not args:
                problems.append(f"{name} without a value")
                continue
            value = args.pop(0)
        if option.choices and value not in option.choices:
            (pending if name in {"-f", "--format"} and value in ANNOUNCED_FORMATS else problems).append(
                f"{name} {value} (the CLI offers {'|'.join(option.choices)})")
        if option.bounds and not (value.isdigit() and option.bounds[0] <= int(value) <= option.bounds[1]):
            problems.append(f"{name} {value} (allowed {option.bounds[0]}..{option.bounds[1]})")
    return problems, pending


@pytest.fixture(scope="module")
def check_options() -> dict[str, Option]:
    options = options_of(cli.get_command(click.Context(cli), "check"))
    assert {"--format", "--output", "--fail-on", "--min-maturity"} <= set(options)
    return options


# the check command of an older usm-rules: fewer formats, no --baseline yet
OLD_CHECK = click.Command("check", params=[
    click.Option(["--no-config"], is_flag=True),
    click.Option(["-f", "--format"], type=click.Choice(["json", "text"])),
    click.Option(["-o", "--output"]),
    click.Option(["--fail-on"], type=click.Choice(["error", "warning", "info", "never"])),
    click.Option(["--min-maturity"], type=click.IntRange(1, 5)),
])


@pytest.mark.parametrize(("argv", "problems", "pending"), [
    ("-f json -o out.json --fail-on never --min-maturity 5 --no-config .", [], []),
    ("--format=sarif -o x.sarif .", [], ["--format sarif (the CLI offers json|text)"]),
    ("--baseline base.json processes/", [], ["option --baseline"]),
    ("--fial-on error .", ["option --fial-on"], []),
    ("--fail-on fatal .", ["--fail-on fatal (the CLI offers error|warning|info|never)"], []),
    ("--min-maturity 7 .", ["--min-maturity 7 (allowed 1..5)"], []),
    ("--format yaml .", ["--format yaml (the CLI offers json|text)"], []),
])
def test_the_command_check_tells_unknown_from_announced(argv, problems, pending):
    command = Command("help of an older usm-rules", ("usm-rules", "check", *argv.split()))
    assert problems_with(command, options_of(OLD_CHECK)) == (problems, pending)


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml", "pre-commit-config.yaml"])
def test_each_example_is_yaml_with_usm_rules_commands(name):
    assert load_example(name)
    assert [c for c in example_commands() if c.where.startswith(name + ":")], f"{name} runs no usm-rules check"


def test_the_github_workflow_uploads_what_it_writes():
    workflow = load_example("github-actions.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.12"  # a string: an unquoted 3.10 would be the number 3.1
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    gate = next(s for s in steps if "--format sarif" in s.get("run", ""))
    assert f"-o {upload['with']['sarif_file']} " in gate["run"]
    assert steps.index(gate) < steps.index(upload) < len(steps) - 1, "upload after the check, fail after the upload"
    assert gate["id"] in steps[-1]["if"] and "exit 1" in steps[-1]["run"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "--format github" in runs
    assert re.search(r"--format markdown [^\n]*>> \"\$GITHUB_STEP_SUMMARY\"", runs)


def test_the_gitlab_job_keeps_junit_and_sarif_reports():
    (job,) = (j for j in load_example("gitlab-ci.yml").values() if isinstance(j, dict) and "script" in j)
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always"
    script = "\n".join(job["script"])
    assert f"--format junit -o {artifacts['reports']['junit']} " in script
    sarif = re.search(r"--format sarif -o (\S+) ", script)
    assert sarif and sarif[1] in artifacts["paths"]
    assert f"--format gitlab -o {artifacts['reports']['codequality']} " in script
    assert str(job["image"]).startswith("python:3.12")


@pytest.mark.parametrize("command", example_commands(), ids=lambda c: f"{c.where} {' '.join(c.argv[2:])}")
def test_example_commands_use_options_the_cli_has(command, check_options, tmp_path):
    problems, pending = problems_with(command, check_options)
    assert not problems, f"{command.where}: `{' '.join(command.argv)}` uses {', '.join(problems)}"
    if pending:
        pytest.skip(f"{command.where}: {', '.join(pending)} announced but not in `usm-rules check --help` yet")
    shutil.copytree(SAMPLES / "reference", tmp_path / "processes")
    done = usm_rules(*command.argv[1:], cwd=tmp_path)
    assert done.returncode == 0, f"`{' '.join(command.argv)}` on the clean reference model: {done.stdout}{done.stderr}"
    for flag in ("-o", "--output"):
        if flag in command.argv:
            written = tmp_path / command.argv[command.argv.index(flag) + 1]
            assert written.is_file() and written.stat().st_size > 0, f"{written.name} not written"


def test_the_copy_paste_setup_has_no_placeholder_and_installs_from_a_local_path():
    """What a user copies installs from what exists: no OWNER, no unpublished version, no tag."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in EXAMPLES.iterdir()}
    texts["README.md"] = (REPO / "README.md").read_text(encoding="utf-8")
    for name, text in texts.items():
        assert "OWNER" not in text and "usm-rules==" not in text and "rev: v0." not in text, name
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        assert "USM_RULES: ./.tools/usm-rules" in texts[name]
    config = YAML(typ="safe").load(EXAMPLES / "pre-commit-config.yaml")
    assert config["repos"][0]["repo"] == "local"
    assert config["repos"][0]["hooks"][0]["entry"] == ".venv/bin/usm-rules check"


def test_the_readme_set_up_works_as_written_with_no_path_prepared(tool_env, hook_repo, tmp_path):
    """The README's pre-commit set-up, step by step, as a user types it on git 2.38 or later: the
    submodule from a local path, a .venv, the hook installed; then a commit runs the hook with no
    virtualenv activated and no PATH of the suite's."""
    repo = tmp_path / "processes-repo"
    (repo / "processes").mkdir(parents=True)
    for sample in sorted((SAMPLES / "reference").glob("*.yaml")):
        shutil.copy2(sample, repo / "processes" / sample.name)
    init_repository(repo, tool_env)
    user = {**tool_env, "PATH": os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if Path(p).is_dir())}
    steps = setup_steps()
    assert steps[0].startswith("git -c protocol.file.allow=always submodule add ")
    for step in steps:
        argv = shlex.split(step.replace("/path/to/usm-rules", str(hook_repo[0])).replace("python3", sys.executable, 1))
        if argv[:2] == ["echo", ".venv/"]:
            (repo / ".gitignore").write_text(".venv/\n", encoding="utf-8")
            continue
        for part in " ".join(argv).split(" && "):
            done = subprocess.run(shlex.split(part), cwd=repo, env=user, capture_output=True, text=True,
                                  timeout=INSTALL_TIMEOUT)
            assert done.returncode == 0, f"{part}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    shutil.copy2(EXAMPLES / "pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    git("add", "-A", cwd=repo, env=user)
    committed = subprocess.run(["git", "commit", "-q", "-m", "the model"], cwd=repo, env=user, capture_output=True,
                               text=True, timeout=INSTALL_TIMEOUT)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "usm-rules" in committed.stdout + committed.stderr and "Passed" in committed.stdout + committed.stderr
    operate = repo / "processes" / "operate.yaml"
    operate.write_text(operate.read_text(encoding="utf-8").replace(
        "      name: Verify entitlement\n", "      name: Verify entitlement\n      performer: Service desk\n"),
        encoding="utf-8")
    git("add", "processes/operate.yaml", cwd=repo, env=user)
    refused = subprocess.run(["git", "commit", "-q", "-m", "a who in a process"], cwd=repo, env=user,
                             capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    assert refused.returncode == 1 and "USM0101 who-how-key" in refused.stdout + refused.stderr


def setup_steps() -> list[str]:
    """The README's pre-commit set-up commands, in order (its shell block under "### pre-commit")."""
    text = (REPO / "README.md").read_text(encoding="utf-8").split("### pre-commit", 1)[1]
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip() and not line.startswith("#")]
