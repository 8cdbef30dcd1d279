"""The long fuzz run, for use before a release: many hostile inputs, every outcome counted.

    python bench/fuzz.py [--inputs 10000] [--seed 0]

Draws inputs from the strategies the test suite's fuzz tests use (tests/strategies.py: mutated
samples, YAML torture, documents drawn from the schemas, mangled BPMN exports of real tools),
one to three files per run, checks
each run in process with the whole pipeline and every output format, and counts: inputs, runs,
findings by rule, and the failures that must stay at zero: exceptions (the command line's exit
3), rule crashes (USM0010), files missing from the result, findings at no real place, and runs
whose output differs when repeated (every tenth run is repeated). Exit 1 if any failure.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import any_input, mutated_bpmn  # noqa: E402

import usm_rules  # noqa: E402
from usm_rules.api import prepare_catalog  # noqa: E402
from usm_rules.output.formats import FORMATS, reporter  # noqa: E402
from usm_rules.output.formats.base import Context, report  # noqa: E402
from usm_rules.read.config import Config  # noqa: E402


def rendered(result, catalog) -> dict[str, str]:
    outputs = {}
    for name in sorted(FORMATS):
        stream = io.StringIO()
        report(reporter(name)(stream, Context("usm-rules", "fuzz"), result))
        outputs[name] = stream.getvalue()
    return outputs


def main() -> int:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")  # the HTML report states its time: the same in both renders
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs to try [default: 10000]")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    catalog = prepare_catalog(Config())
    counts: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    failures: list[str] = []
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="usm-fuzz-"))

    yaml_or_bpmn = st.one_of(any_input().map(lambda raw: ("yaml", raw)), mutated_bpmn().map(lambda raw: ("bpmn", raw)))

    @settings(max_examples=args.inputs, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), derandomize=False)
    @given(st.lists(yaml_or_bpmn, min_size=1, max_size=3))
    def one_run(drawn: list[tuple[str, bytes]]) -> None:
        inputs = [raw for _, raw in drawn]
        if counts["inputs"] >= args.inputs:
            return
        counts["runs"] += 1
        counts["inputs"] += len(inputs)
        folder = work / f"run-{counts['runs']}"
        folder.mkdir()
        names = [f"input-{i}.{suffix}" for i, (suffix, _) in enumerate(drawn)]
        for name, raw in zip(names, inputs, strict=True):
            (folder / name).write_bytes(raw)
        try:
            result = usm_rules.check_paths([str(folder)], catalog=catalog)
            outputs = rendered(result, catalog)
            if counts["runs"] % 10 == 0 and rendered(usm_rules.check_paths([str(folder)], catalog=catalog),
                                                     catalog) != outputs:
                failures.append(f"{folder}: output differs when repeated")
        except Exception:  # noqa: BLE001 - counted and shown, never raised: the run goes on
            failures.append(f"{folder}: exception\n{traceback.format_exc()}")
            return  # its inputs stay in the folder, to reproduce it
        if sorted(Path(f.path).name for f in result.files) != names:
            failures.append(f"{folder}: files missing from the result")
        for finding in result.findings:
            rules[finding.rule] += 1
            if finding.line < 1 or finding.column < 1:
                failures.append(f"{folder}: {finding.rule} at {finding.line}:{finding.column}")
            if finding.rule == "USM0010":
                failures.append(f"{folder}: a rule crashed: {finding.message}")
        counts["findings"] += len(result.findings)
        for raw in inputs:
            counts["bytes"] += len(raw)
        if not failures or not failures[-1].startswith(f"{folder}:"):  # a failing run's inputs are kept
            for name in names:
                (folder / name).unlink()
            folder.rmdir()

    one_run()
    seconds = time.monotonic() - started
    print(f"inputs {counts['inputs']:,} in {counts['runs']:,} runs ({counts['bytes']:,} bytes), "
          f"{seconds:.0f} s; findings {counts['findings']:,}")
    print("findings by rule: " + ", ".join(f"{rule} {n:,}" for rule, n in sorted(rules.items())))
    print(f"failures (exceptions, rule crashes, missing files, unpositioned, nondeterministic): {len(failures)}")
    for failure in failures[:20]:
        print("  " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
