"""The README's screenshots, made again from today's output: docs/report-sample.png and
docs/history-sample.png.

    python bench/screenshots.py          (needs the browser the tests use: tests/setup installs it)

The report is `usm-rules report sample_processes/`; the history is that of a throwaway git
repository whose five commits, from January to May 2026, lower and raise the ceiling of the
reference model (a process left out of the model, a role as actor, a team mentioned, each put
right). Both are rendered by the headless browser of tests/browser.py at the size the README
shows them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import browser  # noqa: E402  (the tests' way of finding and running the browser)

DOCS = REPO / "docs"
STORY = (  # (date, subject, edits of the reference model: (file, text, replacement))
    ("2026-01-12", "Reference model adopted", ()),
    ("2026-02-03", "Operate left out of the model while it is split", (("model.yaml", "    - operate\n", ""),)),
    ("2026-03-10", "Operate back in the model; recover names the desk",
     (("model.yaml", "    - recover\n", "    - recover\n    - operate\n"),
      ("recover.yaml", "name: Register the incident", "name: The service desk registers the incident"))),
    ("2026-04-14", "Recover says what, not who; structural faults noted",
     (("recover.yaml", "name: The service desk registers the incident", "name: Register the incident"),
      ("recover.yaml", "with the affected service.", "with the affected service. Pass structural faults on to the "
                                                     "network team."))),
    ("2026-05-19", "Recover without the network team",
     (("recover.yaml", " Pass structural faults on to the network team.", ""),)),
)


def main() -> None:
    found = browser.find()
    if found is None:
        sys.exit("no Chromium or Chrome: run tests/setup, or set CHROME to the browser")
    tool = shutil.which("usm-rules", path=str(Path(sys.executable).parent)) or "usm-rules"
    with tempfile.TemporaryDirectory(prefix="usm-shots-") as temporary:
        work = Path(temporary)
        report = work / "report.html"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
        _run([tool, "report", "--no-config", "sample_processes", "-o", str(report)], REPO, env)
        _shoot(found, work, report, DOCS / "report-sample.png", "1280,1500")
        repo = _history_repository(work / "service-model")
        page = work / "history.html"
        _run([tool, "history", "processes", "-o", str(page)], repo, env)
        _shoot(found, work, page, DOCS / "history-sample.png", "1000,700")
    print(f"wrote {DOCS / 'report-sample.png'} and {DOCS / 'history-sample.png'}")


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[1:3])}: exit {done.returncode}: {done.stderr.strip()[-500:]}")


def _history_repository(repo: Path) -> Path:
    model = repo / "processes"
    shutil.copytree(REPO / "sample_processes" / "reference", model)
    git = ["git", "-c", "user.name=Process owner", "-c", "user.email=owner@example.invalid",
           "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for date, subject, edits in STORY:
        for name, old, new in edits:
            text = (model / name).read_text(encoding="utf-8")
            if old not in text:
                raise SystemExit(f"the story no longer fits the reference model: {name} has no {old!r}")
            (model / name).write_text(text.replace(old, new, 1), encoding="utf-8")
        stamp = f"{date}T10:00:00+01:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-qm", subject], cwd=repo, check=True, env=env)
    return repo


def _shoot(found: str, work: Path, page: Path, target: Path, size: str) -> None:
    shot = work / target.name
    done = browser.headless(found, work / "profile", page, f"--screenshot={shot}", size=size)
    if done.returncode != 0 or not shot.is_file():
        raise SystemExit(f"the browser made no screenshot of {page.name}: {done.stderr[-500:]}")
    shutil.copy(shot, target)


if __name__ == "__main__":
    main()
