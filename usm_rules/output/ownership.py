"""Whether an existing file is one of usm-rules' own outputs, which a new run may replace.

A report, baseline or history is told by its format's signature: the tool's name where the
format has a place for it (JSON's tool, SARIF's driver, JUnit's suites, HTML's generator), else
its fixed shape (the CSV header row, the Markdown headings, the text format's closing summary
and verdict, GitHub's closing notice). Anything else is someone else's file: replaced only with
``--force`` (see :mod:`usm_rules.output.writes`).
"""

from __future__ import annotations

import re

from .writes import Existing

_ANSI = re.compile(rb"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")
_REPORT = re.compile(rb"""\A(?:\xef\xbb\xbf)?(?:
    \{\s*(?:"version":\s*\d+,\s*)?"tool":\s*\{\s*"name":\s*"usm-rules"         # json, a baseline
  | \{\s*"\$schema":\s*"[^"]*sarif[^"]*",\s*"version":\s*"2\.1\.0",\s*"runs":\s*\[\s*\{
    \s*"tool":\s*\{\s*"driver":\s*\{\s*"name":\s*"usm-rules"                    # sarif
  | \{\s*"repository":\s*"[^"\n]*",\s*"path":\s*"[^"\n]*",\s*"points":\s*\[      # history --format json
  | \[\s*\]\s*\Z | \[\s*\{\s*"description":\s*"(?P<rule>[^"\s]+)\ [^\n]*",
    \s*"check_name":\s*"(?P=rule)"                                                # gitlab
  | <\?xml[^>]*\?>\s*<testsuites\ name="usm-rules"                                 # junit
  | file,line,column,rule,name,requirement,severity,confidence,ceiling,grade,accepted,reason,approver,
    expires,subject,message\r?\n                                                    # csv
  | \#\#\ usm-rules:\                                                              # markdown
  | \#\ USM\ process\ design\ audit\n\nReport\ `USM-                               # report --format markdown
  | \#\ USM\ maturity\ ceiling\ over\ time\n\n\d+\ commits?\ that\ touched\        # history markdown
  | <!DOCTYPE\ html>\s*<html[^>]*>\s*<head>(?:(?!</head>)[\s\S]){0,2000}?             # html: report, history
    (?:<meta\ name="generator"\ content="usm-rules\ |<title>USM\ maturity\ ceiling\ over\ time:)
)""", re.VERBOSE)
_SUMMARY = re.compile(rb"\d+ errors?, \d+ warnings?, \d+ infos? in \d+ files? \(")
_FINDING = re.compile(rb"(?:.+:\d+:\d+: (?:error|warning|info) \S+ \S+ .*"  # text: a finding, its source lines
                      rb"| *\d* [|=]( .*)?| *\d+  \S+  \S+ +R\d+ +(?:error|warning|info))")  # ... --statistics


def foreign_report(existing: Existing) -> str | None:
    """Why a file is not a report, baseline or history that usm-rules wrote (None when it is), told
    by each format's signature: the tool's name where the format has a place for it (JSON's tool,
    SARIF's driver, JUnit's suites, HTML's generator), else its fixed shape (the CSV header row,
    the markdown headings, the text format's closing summary and verdict, GitHub's closing notice)."""
    if _REPORT.match(existing.head):
        return None
    first = existing.head.split(b"\n", 1)[0]
    lines = [_ANSI.sub(b"", line) for line in existing.tail.rstrip(b"\n").split(b"\n")]
    if first.startswith(b"::") and lines[-1].startswith(b"::notice title=usm-rules maturity ceiling::"):
        return None  # github
    if len(lines) > 1 and lines[-1].startswith((b"Maturity ceiling ", b"No ceiling: ")) and \
            _SUMMARY.match(lines[-2]):
        return None  # text
    shown = existing.head.split(b"\n")[:-1 if not existing.whole else None] + lines[1:]
    if shown and all(_FINDING.fullmatch(_ANSI.sub(b"", line)) for line in shown if line):
        return None  # text --quiet: findings only
    return "it exists and usm-rules did not write it"
