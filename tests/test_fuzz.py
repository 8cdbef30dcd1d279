"""Bad input never crashes: arbitrary bytes and mutated documents give findings, not tracebacks.

Derandomized, so that CI runs the same examples every time; bench/fuzz.py explores at random,
10,000 inputs and more, before a release."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import any_input, mutated_bpmn

import usm_rules
from usm_rules.read.formats.yaml_reader import load_bytes

pytestmark = pytest.mark.slow  # see README.md#two-commands: the quick run leaves these out

SEED = b"""apiVersion: usm/v1
kind: Process
metadata: {name: recover, title: Recover}
spec:
  trigger: [incident]
  activities:
    - {id: rec-1, name: Register the failure, next: rec-2}
    - {id: rec-2, name: Restore the service, performer: desk}
"""


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_load_without_crashing(raw):
    loaded = load_bytes("fuzz.yaml", raw)
    for problem in loaded.problems:
        assert problem.rule.startswith("USM00") and problem.line >= 1 and problem.column >= 1


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(SEED) - 1), st.binary(max_size=3)), max_size=4))
def test_mutated_documents_check_without_crashing(tmp_path, edits):
    raw = bytearray(SEED)
    for offset, replacement in edits:
        raw[offset:offset + 1] = replacement
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(bytes(raw))
    result = usm_rules.check_paths([str(path)])
    assert [f.path for f in result.files] == [str(path)]
    assert all(f.line >= 1 and f.column >= 1 for f in result.findings)
    assert not any(f.rule == "USM0010" for f in result.findings), "no rule may crash on any input"


def _render(result, catalog, format_: str) -> str:
    import io

    from usm_rules.output.formats import reporter
    from usm_rules.output.formats.base import Context, report

    stream = io.StringIO()
    report(reporter(format_)(stream, Context("usm-rules", "0"), result))
    return stream.getvalue()


def _written(tmp_path_factory, pattern: str, contents: list[bytes]):
    """A fresh folder holding each input under ``pattern`` numbered; its names; the catalogue."""
    from usm_rules.api import prepare_catalog
    from usm_rules.read.config import Config

    names = [pattern.format(i) for i in range(len(contents))]
    folder = write_files(tmp_path_factory.mktemp("fuzz"), dict(zip(names, contents, strict=True)))
    return folder, names, prepare_catalog(Config())


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(any_input(), min_size=1, max_size=3))
def test_hostile_inputs_give_positioned_findings_deterministically(tmp_path_factory, inputs):
    """Mutated samples, YAML torture and schema-drawn documents: no exception, every file
    accounted for, every finding at a real place, no rule crashing, the same output twice."""
    folder, names, catalog = _written(tmp_path_factory, "input-{}.yaml", inputs)
    first = usm_rules.check_paths([str(folder)], catalog=catalog)
    second = usm_rules.check_paths([str(folder)], catalog=catalog)
    assert sorted(Path(f.path).name for f in first.files) == names
    lines = {f.path: len((folder / Path(f.path).name).read_bytes().splitlines()) + 1 for f in first.files}
    for finding in first.findings:
        assert finding.line >= 1 and finding.column >= 1
        assert finding.line <= lines.get(finding.file, finding.line), finding
    assert not any(f.rule == "USM0010" for f in first.findings), "no rule may crash on any input"
    for format_ in ("json", "text", "sarif"):
        assert _render(first, catalog, format_) == _render(second, catalog, format_)


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(mutated_bpmn(), min_size=1, max_size=2))
def test_mangled_bpmn_exports_give_positioned_findings(tmp_path_factory, diagrams):
    folder, names, catalog = _written(tmp_path_factory, "diagram-{}.bpmn", diagrams)
    result = usm_rules.check_paths([str(folder)], catalog=catalog)
    assert sorted(Path(f.path).name for f in result.files) == names
    assert all(f.line >= 1 and f.column >= 1 for f in result.findings)
    assert not any(f.rule == "USM0010" for f in result.findings)
    assert _render(result, catalog, "json") == _render(usm_rules.check_paths([str(folder)], catalog=catalog),
                                                       catalog, "json")
