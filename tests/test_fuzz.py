"""Bad input never crashes: arbitrary bytes and mutated documents give findings, not tracebacks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import usm_rules
from usm_rules.loader import load_bytes

SEED = b"""apiVersion: usm/v1
kind: Process
metadata: {name: recover, title: Recover}
spec:
  trigger: [incident]
  activities:
    - {id: rec-1, name: Register the failure, next: rec-2}
    - {id: rec-2, name: Restore the service, performer: desk}
"""


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_load_without_crashing(raw):
    loaded = load_bytes("fuzz.yaml", raw)
    for problem in loaded.problems:
        assert problem.rule.startswith("USM00") and problem.line >= 1 and problem.column >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
