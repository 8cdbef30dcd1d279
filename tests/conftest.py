"""Shared helpers: write small YAML trees into a temporary folder and check them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import usm_rules

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_processes"


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


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """Write ``{relative path: YAML text}`` below a fresh working folder; return a checker."""
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(dedent(content), encoding="utf-8")
        return tmp_path

    return write


def located(result, rule: str | None = None) -> list[tuple[str, int, int, str]]:
    """(file, line, column, rule) of each finding, optionally of one rule only."""
    return [(f.file, f.line, f.column, f.rule) for f in result.findings if rule in (None, f.rule)]


def check(*paths: str, **options):
    return usm_rules.check_paths(list(paths) or ["."], **options)
