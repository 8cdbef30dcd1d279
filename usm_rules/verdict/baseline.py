"""Baselines: accept today's findings so that only new ones fail a change.

A finding's fingerprint is its rule and subject (never its line), so moved lines and
reformatting keep matching. Entries that no longer occur are reported as fixed, so the
baseline can shrink.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from dataclasses import dataclass

from ..model.findings import Finding, Suppression
from ..model.limits import Limits
from ..model.results import Result
from ..read.files import read_bounded

VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read (exit 2)."""


@dataclass(frozen=True)
class Baseline:
    path: str
    counts: Counter


def build(result: Result, tool: str, version: str) -> dict:
    """The baseline document for a result: every counting finding, sorted, no line numbers."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule": f.rule, "subject": f.subject or f.file, "message": f.message}
         for f in result.active if f.acceptable),
        key=lambda e: (e["rule"], e["subject"], e["fingerprint"], e["message"]),
    )
    return {"version": VERSION, "tool": {"name": tool, "version": version}, "findings": entries}


def load_baseline(path: str) -> Baseline:
    try:
        data = json.loads(read_bounded(path, Limits().file_size).decode("utf-8"))
        entries = data["findings"]
        if data.get("version") != VERSION:
            raise BaselineError(f"{path}: version: expected {VERSION}, found {data.get('version')!r}")
        return Baseline(path, Counter(entry["fingerprint"] for entry in entries))
    except OSError as error:
        raise BaselineError(f"{path}: {error.strerror or error}") from None
    except RecursionError:
        raise BaselineError(f"{path}: not a usm-rules baseline (nested too deeply to read)") from None
    except (ValueError, KeyError, TypeError) as error:
        if isinstance(error, BaselineError):
            raise
        raise BaselineError(f"{path}: not a usm-rules baseline ({type(error).__name__}: {str(error)[:200]})") from None


def apply_baseline(findings: list[Finding], baseline: Baseline) -> tuple[list[Finding], tuple[str, ...]]:
    """Findings with those in the baseline suppressed, and the fingerprints no longer found."""
    remaining = Counter(baseline.counts)
    result = []
    for finding in findings:
        if finding.counts and finding.acceptable and remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            finding = dataclasses.replace(finding, suppressed=Suppression("baseline", f"accepted in {baseline.path}"))
        result.append(finding)
    fixed = tuple(sorted(fp for fp, left in remaining.items() for _ in range(left)))
    return result, fixed
