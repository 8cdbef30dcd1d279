"""Every command's output on the samples, captured, to compare two versions of the code byte for byte.

    python bench/outputs.py capture DIR          (the installed usm-rules, from the repository root)
    python bench/outputs.py compare BEFORE AFTER (exit 1 when any output differs)

For a change that must not change behaviour (moving modules, renaming, speed work): capture with
the code before, capture with the code after, compare. Each case is one command line run as a
user runs it: its exit code, standard output, standard error and the files it writes, with
``SOURCE_DATE_EPOCH=0`` (reports state their time), no cache, no colour unless asked for, in a
fresh copy of the samples (so paths are the same in both captures); links into the installed
package's docs are shown without the install's folder.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHECK_FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "markdown", "html", "csv")
KINDS = ("ProcessModel", "Process", "Practice", "Project", "Procedure", "WorkInstruction", "rule")


def cases(work: Path) -> list[tuple[str, list[str], bytes | None]]:
    """(name, arguments after `usm-rules`, standard input) for every case."""
    found: list[tuple[str, list[str], bytes | None]] = []
    samples = "sample_processes"
    for fmt in CHECK_FORMATS:
        found.append((f"check-all-{fmt}", ["check", "--no-cache", "-f", fmt, samples], None))
        found.append((f"check-reference-{fmt}", ["check", "--no-cache", "-f", fmt, f"{samples}/reference"], None))
    for folder in sorted(p.name for p in (work / samples / "violations").iterdir() if p.is_dir()):
        for fmt in ("text", "json"):
            found.append((f"check-{folder}-{fmt}", ["check", "--no-cache", "-f", fmt,
                                                    f"{samples}/violations/{folder}"], None))
    flow = f"{samples}/violations/flow-defects"
    recover = f"{samples}/reference/recover.yaml"
    found += [
        ("check-color", ["check", "--no-cache", "--color", "always", flow], None),
        ("check-color-all", ["check", "--no-cache", "--color", "always", samples], None),
        ("check-statistics", ["check", "--no-cache", "--statistics", samples], None),
        ("check-quiet", ["check", "--no-cache", "-q", samples], None),
        ("check-select", ["check", "--no-cache", "--select", "R1,R7", samples], None),
        ("check-ignore", ["check", "--no-cache", "--ignore", "R4", "--ignore", "USM0101", samples], None),
        ("check-fail-warning", ["check", "--no-cache", "--fail-on", "warning", f"{samples}/reference"], None),
        ("check-fail-never", ["check", "--no-cache", "--fail-on", "never", samples], None),
        ("check-min-maturity", ["check", "--no-cache", "--fail-on", "never", "--min-maturity", "3", samples], None),
        ("check-file-in-model", ["check", "--no-cache", recover], None),
        ("check-file-isolated", ["check", "--no-cache", "--isolated", "-f", "json", recover], None),
        ("check-stdin", ["check", "--no-cache", "-"], (work / recover).read_bytes()),
        ("check-stdin-empty", ["check", "--no-cache", "-"], b""),
        ("check-exclude", ["check", "--no-cache", "--exclude", "violations", samples], None),
        ("check-cache-cold", ["check", "--cache-dir", "cache-folder", "-f", "json", samples], None),
        ("check-cache-warm", ["check", "--cache-dir", "cache-folder", "-f", "json", samples], None),
        ("check-cache-warm-text", ["check", "--cache-dir", "cache-folder", samples], None),
        ("check-jobs-2", ["check", "--no-cache", "-j", "2", "-f", "json", samples], None),
        ("check-output-file", ["check", "--no-cache", "-f", "sarif", "-o", "out/check.sarif", samples], None),
        ("check-missing", ["check", "--no-cache", "no/such/folder"], None),
        ("check-bad-select", ["check", "--no-cache", "--select", "R77", samples], None),
        ("check-bad-format", ["check", "--no-cache", "-f", "yaml", samples], None),
        ("check-bad-limit", ["check", "--no-cache", "--limit", "file-size=lots", samples], None),
        ("check-limit", ["check", "--no-cache", "--limit", "nesting=3", "-f", "json", f"{samples}/reference"], None),
        ("check-config", ["check", "--no-cache", "--config", "acme.yaml", "-f", "json", samples], None),
        ("check-bad-config", ["check", "--no-cache", "--config", "broken.yaml", samples], None),
        ("check-output-onto-input", ["check", "--no-cache", "-o", recover, samples], None),
        ("baseline-create", ["baseline", "create", "--no-cache", "-o", "out/baseline.json", samples], None),
        ("check-baseline", ["check", "--no-cache", "--baseline", "out/baseline.json", samples], None),
        ("check-baseline-json", ["check", "--no-cache", "--baseline", "out/baseline.json", "-f", "json", samples],
         None),
        ("report-html", ["report", "--no-cache", "-o", "out/report.html", samples], None),
        ("report-markdown", ["report", "--no-cache", "-f", "markdown", "-o", "-", samples], None),
        ("report-framed", ["report", "--no-cache", "-f", "markdown", "-o", "-", "--auditee", "Example Corp",
                           "--auditor", "J. Auditor", "--scope", "the samples", f"{samples}/reference"], None),
        ("report-html-no-output", ["report", "--no-cache", samples], None),
        ("rules", ["rules"], None),
        ("rules-json", ["rules", "--format", "json"], None),
        ("explain-id", ["explain", "USM0101"], None),
        ("explain-name", ["explain", "process-outside-model"], None),
        ("explain-builtin", ["explain", "USM0011"], None),
        ("explain-unknown", ["explain", "who-how"], None),
        ("schema", ["schema"], None),
        ("schema-bundle", ["schema", "--bundle"], None),
        ("schema-unknown", ["schema", "Proces"], None),
        ("docs", ["docs", "out/docs"], None),
        ("convert", ["convert", "-o", "out/converted", "bpmn/C.1.0.bpmn", "bpmn/C.3.0.bpmn"], None),
        ("check-bpmn", ["check", "--no-cache", "-f", "json", "bpmn"], None),
        ("history-markdown", ["history", "--no-cache", "repo"], None),
        ("history-json", ["history", "--no-cache", "-f", "json", "repo"], None),
        ("history-html", ["history", "--no-cache", "-o", "out/history.html", "repo"], None),
        ("version", ["--version"], None),
        ("help", ["--help"], None),
        ("check-help", ["check", "--help"], None),
    ]
    found += [(f"schema-{kind}", ["schema", kind], None) for kind in KINDS]
    return found


def prepare(work: Path) -> None:
    """The samples, a configuration, a broken one, two BPMN diagrams and a small git history."""
    shutil.copytree(REPO / "sample_processes", work / "sample_processes")
    (work / "out").mkdir()
    (work / "acme.yaml").write_text(
        "ignore: [USM0202]\nseverity: {USM0103: error}\n"
        "ceilings: {mapping: ACME assessment 2026, overrides: {R7: 3}}\n"
        "waivers:\n  - rule: USM0101\n    subject: Process/*\n    reason: The desk stays named until Q3.\n"
        "    approver: J. Auditor\n    expires: 2099-03-31\n", encoding="utf-8")
    (work / "broken.yaml").write_text("select: [R1\n", encoding="utf-8")
    (work / "bpmn").mkdir()
    for name in ("C.1.0", "C.3.0"):
        shutil.copy(REPO / "tests" / "data" / "bpmn-miwg" / "reference" / f"{name}.bpmn", work / "bpmn")
    repo = work / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00"}
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=repo, check=True, env=env)
    steps = [("reference", "the reference model"), ("violations/model-defects", "islands"),
             ("violations/purpose-defects", "purposes")]
    for folder, message in steps:
        for path in sorted((REPO / "sample_processes" / folder).glob("*.yaml")):
            shutil.copy(path, repo / path.name)
        subprocess.run([*git, "add", "-A"], cwd=repo, check=True, env=env)
        subprocess.run([*git, "commit", "-q", "-m", message], cwd=repo, check=True, env=env)


def capture(target: Path, command: list[str]) -> int:
    target.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.gettempdir()) / "usm-outputs-capture"  # one place: paths in outputs are the same each time
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        prepare(work)
        env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
        env.update(SOURCE_DATE_EPOCH="0", HOME=str(work / "home"), XDG_CACHE_HOME=str(work / "cache"),
                   TZ="UTC", COLUMNS="100")
        for name, args, stdin in cases(work):
            before = _tree(work / "out")
            done = subprocess.run([*command, *args], cwd=work, input=stdin if stdin is not None else b"",
                                  capture_output=True, env=env, timeout=600)
            written = {path: digest for path, digest in _tree(work / "out").items() if before.get(path) != digest}
            text = [f"$ usm-rules {' '.join(args)}", f"exit: {done.returncode}", "--- stdout",
                    done.stdout.decode("utf-8", "backslashreplace"), "--- stderr",
                    done.stderr.decode("utf-8", "backslashreplace"), "--- written"]
            text += [f"{path} {digest}" for path, digest in sorted(written.items())]
            shown = _SHIPPED_DOCS.sub(b"file://<shipped docs>/", "\n".join(text).encode("utf-8"))
            (target / f"{name}.txt").write_bytes(shown + b"\n")
            print(f"{name}: exit {done.returncode}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


# the shipped rule reference is where the package is installed (a checkout, site-packages)
_SHIPPED_DOCS = re.compile(rb"file://[^\s\"'<>)]*?/docs/")


def _tree(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(_SHIPPED_DOCS.sub(
        b"file://<shipped docs>/", path.read_bytes())).hexdigest()[:16]
            for path in sorted(folder.rglob("*")) if path.is_file()}


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.glob("*.txt")} | {p.name for p in after.glob("*.txt")})
    differing = 0
    for name in names:
        old, new = before / name, after / name
        if not old.exists() or not new.exists():
            print(f"{name}: only in {'after' if not old.exists() else 'before'}")
            differing += 1
            continue
        if old.read_bytes() != new.read_bytes():
            differing += 1
            print(f"{name}: differs")
            diff = difflib.unified_diff(old.read_text(encoding="utf-8").splitlines(),
                                        new.read_text(encoding="utf-8").splitlines(), "before", "after", n=1,
                                        lineterm="")
            for line in list(diff)[:40]:
                print(f"    {line[:200]}")
    print(f"{len(names)} outputs, {differing} differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="verb", required=True)
    take = sub.add_parser("capture", help="run every case and keep its output in DIR")
    take.add_argument("folder", type=Path)
    take.add_argument("--command", default=f"{sys.executable} -m usm_rules",
                      help="how to run usm-rules [default: this Python's usm_rules]")
    both = sub.add_parser("compare", help="compare two captures")
    both.add_argument("before", type=Path)
    both.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.verb == "capture":
        return capture(args.folder.absolute(), args.command.split())
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
