"""Baselines: accept today's findings so that only new ones fail a change.

A finding's fingerprint is its rule and subject (never its line), so moved lines and
reformatting keep matching. Entries that no longer occur are reported as fixed, so the
baseline can shrink.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from dataclasses import dataclass

from ..model.findings import Finding, Suppression
from ..model.limits import Limits
from ..model.results import Result
from ..read.files import read_bounded
from .suppress import accepted_because

VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read (exit 2)."""


@dataclass(frozen=True)
class Baseline:
    path: str
    counts: Counter
    reason: str = ""  # why the findings in it are accepted (`baseline create --reason`), "" when not said
    reason_at: tuple[int, int] = (1, 1)  # where the reason stands in the file


_REASON_KEY = re.compile(r'"reason"\s*:')


def build(result: Result, tool: str, version: str, reason: str = "") -> dict:
    """The baseline document for a result: every counting finding, sorted, no line numbers; with
    why they are accepted, when given."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule": f.rule, "subject": f.subject or f.file, "message": f.message}
         for f in result.active if f.acceptable),
        key=lambda e: (e["rule"], e["subject"], e["fingerprint"], e["message"]),
    )
    said = {"reason": reason} if reason else {}
    return {"version": VERSION, "tool": {"name": tool, "version": version}, **said, "findings": entries}


def load_baseline(path: str) -> Baseline:
    try:
        text = read_bounded(path, Limits().file_size).decode("utf-8")
        data = json.loads(text)
        entries = data["findings"]
        if data.get("version") != VERSION:
            raise BaselineError(f"{path}: version: expected {VERSION}, found {data.get('version')!r}")
        reason = data.get("reason", "")
        if not isinstance(reason, str):
            raise BaselineError(f"{path}: reason: expected text, found {type(reason).__name__}")
        key = _REASON_KEY.search(text)
        before = text[:key.start()] if key else ""
        at = (before.count("\n") + 1, len(before) - before.rfind("\n")) if key else (1, 1)
        return Baseline(path, Counter(entry["fingerprint"] for entry in entries), reason, at)
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
            why = f"{accepted_because(baseline.reason)} (accepted in {baseline.path})" if baseline.reason \
                else f"accepted in {baseline.path}"
            finding = dataclasses.replace(finding, suppressed=Suppression("baseline", why))
        result.append(finding)
    fixed = tuple(sorted(fp for fp, left in remaining.items() for _ in range(left)))
    return result, fixed
