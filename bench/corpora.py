"""Precision and recall of usm-rules on the corpora in tests/corpora.

Each folder is checked as one model; a finding is a true positive when an ``# expect:``
comment names its rule on its line. A false error or warning is one no comment expects:
the figures that must stay at zero on the precision corpora. Prints one row per corpus family and the totals:

    python bench/corpora.py          (with the test extra installed: it reads the corpora as the tests do)
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from test_corpora import CORPORA, expectations  # noqa: E402  (the tests' reading of # expect:)

import usm_rules  # noqa: E402


def main() -> None:
    rows: dict[str, Counter] = {}
    for folder in sorted(p for p in CORPORA.glob("*/*") if p.is_dir()):
        os.chdir(folder)
        result = usm_rules.check_paths(["."])
        found = {(Path(f.file).name, f.line, f.rule) for f in result.findings}
        errors = {(Path(f.file).name, f.line, f.rule) for f in result.findings if f.severity.value == "error"}
        warnings = {(Path(f.file).name, f.line, f.rule) for f in result.findings if f.severity.value == "warning"}
        want = expectations(folder)
        row = rows.setdefault(folder.parent.name, Counter())
        row.update(models=1, expected=len(want), found=len(found), hits=len(found & want),
                   false_errors=len(errors - want),
                   false_warnings=len(warnings - want), processes=len(result.processes))
    print(f"{'corpus':<22}{'models':>7}{'processes':>10}{'expected':>9}{'found':>7}{'hits':>6}"
          f"{'precision':>10}{'recall':>8}{'false errors':>13}{'false warnings':>15}")
    total = Counter()
    for name, row in rows.items():
        total.update(row)
        print(_line(name, row))
    print(_line("all", total))


def _line(name: str, row: Counter) -> str:
    precision = row["hits"] / row["found"] if row["found"] else 1.0
    recall = row["hits"] / row["expected"] if row["expected"] else 1.0
    return (f"{name:<22}{row['models']:>7}{row['processes']:>10}{row['expected']:>9}{row['found']:>7}{row['hits']:>6}"
            f"{precision:>10.3f}{recall:>8.3f}{row['false_errors']:>13}{row['false_warnings']:>15}")


if __name__ == "__main__":
    main()
