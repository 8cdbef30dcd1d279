"""Shared helpers: the clean model, one way to write small trees of files, and checking them."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

import usm_rules

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_processes"

# The smallest clean model: one ProcessModel and one Process that meet all ten requirements
# (tests change a line of it to make the finding they are about).
CLEAN_MODEL = """\
apiVersion: usm/v1
kind: ProcessModel
metadata: {name: usm}
spec:
  managementSystem: Example
  processes: [recover]
"""
CLEAN_RECOVER = """\
apiVersion: usm/v1
kind: Process
metadata: {name: recover, title: Recover}
spec:
  model: usm
  purpose: Restore the agreed service after a failure.
  output: A restored service
  outputRecipient: customer
  trigger: incident
  countedAs: restored service
  activities:
    - id: rec-1
      name: Register the failure
      next: rec-2
    - id: rec-2
      name: Restore the service
  control:
    manager: Recover process manager
    steering: [Agree the restore sequence with the coordinators]
    informing:
      - {measure: restore time, purpose: improvement}
      - {measure: restores within agreed time, purpose: accountability}
"""
CLEAN = f"{CLEAN_MODEL}---\n{CLEAN_RECOVER}"  # both in one file


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """The command line caches per-file work in the user cache folder: the tests use their own."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        patch.setenv("LOCALAPPDATA", str(folder))
        yield folder


@pytest.fixture(autouse=True, scope="session")
def _hub_first():
    """As a command-line run does: the process's hub is forked before anything starts threads."""
    from usm_rules.engine.workers import shared_hub

    shared_hub()


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` below ``folder`` (texts dedented, as UTF-8)."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(dedent(content), encoding="utf-8")
    return folder


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A fresh working folder, and a writer of ``{relative path: text or bytes}`` into it."""
    monkeypatch.chdir(tmp_path)
    return lambda files: write_files(tmp_path, files)


def located(result, rule: str | None = None) -> list[tuple[str, int, int, str]]:
    """(file, line, column, rule) of each finding, optionally of one rule only."""
    return [(f.file, f.line, f.column, f.rule) for f in result.findings if rule in (None, f.rule)]


def check(*paths: str, **options):
    return usm_rules.check_paths(list(paths) or ["."], **options)
