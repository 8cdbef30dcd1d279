"""Every document the code, the rules, the docs and the output refer to is in the repository.

A reference a user cannot open is a dead end: what `explain`, SARIF help and the audit report
cite (a rule's `reference:`, "ceiling mapping: default (docs/usm.md)") must name a file of the
repository, and a `#section` of a Markdown file must be one of its headings.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO

# repository paths as the text names them (optionally with a section), and Markdown links
PATH = re.compile(r"(?<![\w/.:-])((?:docs|schemas|rules|lexicons|examples|sample_processes|bench|usm_rules)/"
                  r"[\w./-]*\w\.(?:md|json|yaml|yml|py)|README\.md)(#[\w-]+)?")
LINK = re.compile(r"\]\(((?!https?:|mailto:|#|data:)[^)\s]+?\.md)(#[\w-]+)?\)")
GONE = re.compile(r"\b(USM|SPEC|STYLE)\.md\b|SPEC section")


def texts() -> list[Path]:
    found = [REPO / "README.md", REPO / ".pre-commit-hooks.yaml", REPO / "pyproject.toml"]
    for folder, pattern in (("usm_rules", "*.py"), ("usm_rules", "*.j2"), ("rules", "*.yaml"), ("docs", "*.md"),
                            ("schemas", "*.json"), ("lexicons", "*.yaml"), ("examples", "*"), ("bench", "*.py"),
                            ("sample_processes", "*.md")):
        found += sorted(p for p in (REPO / folder).rglob(pattern) if p.is_file())
    return found


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it."""
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"\s", "-", text)


def anchors(page: Path) -> set[str]:
    found = {slug(line.lstrip("#")) for line in page.read_text(encoding="utf-8").splitlines()
             if re.match(r"#{1,6} ", line)}
    return found | set(re.findall(r'<a (?:id|name)="([\w-]+)"', page.read_text(encoding="utf-8")))


def test_no_text_names_a_document_that_is_not_in_the_repository():
    for path in texts():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not GONE.search(line), f"{path.relative_to(REPO)}:{number}: {line.strip()}"


def test_every_repository_path_a_text_names_exists_with_its_section():
    problems = [problem for path in texts() for problem in _dead_paths(path)]
    assert problems == []


def _dead_paths(path: Path) -> list[str]:
    problems = []
    text = path.read_text(encoding="utf-8")
    links = list(LINK.finditer(text)) if path.suffix == ".md" else []  # relative to the page's folder
    named = [((path.parent / found.group(1)).resolve(), found.group(2)) for found in links]
    named += [(REPO / found.group(1), found.group(2)) for found in PATH.finditer(text)
              if not any(link.start() <= found.start() < link.end() for link in links)
              and not text[:found.start()].endswith('" = "')]  # a wheel's path in pyproject.toml
    for target, section in named:
        if not target.exists():
            problems.append(f"{path.relative_to(REPO)} names {target}, which is not in the repository")
        elif section and target.suffix == ".md" and section[1:] not in anchors(target):
            problems.append(f"{path.relative_to(REPO)}: {target.name} has no {section}")
    return problems


def test_explain_and_the_report_name_the_repository_s_domain_document():
    from click.testing import CliRunner

    from usm_rules.cli import cli

    explained = CliRunner().invoke(cli, ["explain", "USM0101"])
    assert "Reference: docs/usm.md#requirement-1" in explained.output
    report = CliRunner().invoke(cli, ["report", "--no-config", "--no-cache", "-f", "markdown", "-o", "-",
                                      str(REPO / "sample_processes" / "reference")])
    assert "default (docs/usm.md)" in report.output


DOTTED = re.compile(r"(?<![\w.])usm_rules(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


def _resolves(name: str) -> bool:
    import importlib

    if "__main__" in name:  # importing it runs the command line
        return True
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        for attribute in parts[end:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def test_every_module_and_name_a_text_names_exists():
    """``usm_rules.check.catalog.EngineRule`` in a docstring or a page: a module, a name in it."""
    dead = [f"{path.relative_to(REPO)} names {found.group(0)}" for path in texts()
            for found in DOTTED.finditer(path.read_text(encoding="utf-8")) if not _resolves(found.group(0).rstrip("."))]
    assert dead == []
