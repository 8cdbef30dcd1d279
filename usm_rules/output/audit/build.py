"""The report's values built from a result: :func:`build_report` turns a result and the rules it
was checked with into a :class:`~usm_rules.output.audit.data.ReportData`. Everything about the inputs
(hashes, quoted lines, process titles and triggers) comes from what the run read
(``result.inputs``): the report never opens an input file. Never prints.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ...model.findings import Finding, Severity
from ...model.requirements import REQUIREMENTS
from ...model.results import Result
from ...model.rules import Catalog, rule_hash
from ...model.trend import History
from ...verdict.ceiling import LEVELS
from ...verdict.grades import GRADES, MAJOR, MINOR, OBSERVATION, graded, roadmap_for
from ...verdict.phrases import accepted, likely, no_ceiling, plural
from ...version import __version__
from ..formats.csv_report import table
from .capability import concerns, matrix, overall, processes
from .data import AuditFrame, InputFile, MappingRow, Provenance, Ref, ReportData, Verdict
from .evidence import Quotes, evidence, number_findings, suppressed
from .provenance import ReportError, generated_at, rule_packs
from .reclassify import KEYWORDS, TRIGGERS, declared_processes, reclassify
from .value import bars, holders, lead, levels


@dataclass(frozen=True)
class Audit:
    """What the auditor states about an audit (``report --auditee`` and so on, or the
    configuration's ``audit:`` block); "" where nothing is stated."""

    auditee: str = ""
    scope: str = ""
    objective: str = ""
    auditor: str = ""


OBJECTIVE = ("Determine whether the process definitions meet USM's ten requirements for calling something a "
             "process, and the highest maturity level their design allows.")


def build_report(result: Result, *, tool: str = "usm-rules", version: str | None = None,
                 environ: Mapping[str, str] | None = None, audit: Audit | None = None,
                 history: History | None = None) -> ReportData:
    """Everything the report shows, of a result and the rules it was checked with. Raises
    :class:`ReportError` for a malformed SOURCE_DATE_EPOCH."""
    catalog = result.catalog
    refs = number_findings(result)
    names = processes(result)
    declared = declared_processes(result.inputs)
    own = {name: [f for f in result.active if concerns(f, name)] for name in names}
    provenance = _provenance(result, catalog, tool, version or __version__, os.environ if environ is None else environ)
    return ReportData(
        provenance=provenance,
        verdict=_verdict(result, refs),
        requirements=tuple((n, REQUIREMENTS[n]) for n in range(1, 11)),
        matrix=matrix(result, refs, declared),
        overall=overall(result),
        bars=bars(result, refs),
        reclassified=reclassify(declared, names, own, refs),
        triggers=tuple(TRIGGERS.items()),
        keywords=tuple(KEYWORDS.items()),
        evidence=evidence(result, catalog, refs, Quotes(result.inputs)),
        suppressed=suppressed(result, catalog),
        levels=levels(),
        mapping=tuple(MappingRow(r.id, r.name, r.requirement, r.severity.value, r.ceiling)
                      for r in sorted(catalog, key=lambda r: r.id)),
        frame=_frame(result, catalog, provenance, audit or Audit()),
        roadmap=roadmap_for(result, catalog),
        csv=_csv(result, catalog),
        history=history,
    )


def _frame(result: Result, catalog: Catalog, provenance: Provenance, audit: Audit) -> AuditFrame:
    digest = hashlib.sha256()
    for item in sorted(provenance.inputs, key=lambda i: i.path):
        digest.update(f"{item.path}\0{item.sha256}\n".encode("utf-8", "surrogateescape"))
    digest.update(f"{provenance.rule_hash}\0{result.mapping}".encode())
    counts = Counter(graded(f, catalog) for f in result.active)
    files = len(result.files)
    return AuditFrame(
        auditee=audit.auditee or "(not stated)",
        scope=audit.scope or (f"{files} input file{'s' if files != 1 else ''}: {result.documents} documents, "
                              f"{len(result.processes)} processes (listed under Provenance)"),
        objective=audit.objective or OBJECTIVE, auditor=audit.auditor or "(not stated)",
        report_id=f"USM-{digest.hexdigest()[:12].upper()}",
        criteria=(*(f"Requirement {n}: {REQUIREMENTS[n]}" for n in range(1, 11)),
                  f"Ceiling mapping: {result.mapping}"),
        grades=tuple(plural(counts[g], GRADES[g], GRADES[g][:-1] + "ies" if GRADES[g].endswith("y") else "")
                     for g in (MAJOR, MINOR, OBSERVATION)),
    )


def _csv(result: Result, catalog: Catalog) -> str:
    return table(result.findings, lambda f: graded(f, catalog))


def _provenance(result: Result, catalog: Catalog, tool: str, version: str,
                environ: Mapping[str, str]) -> Provenance:
    hashes = {item.path: item.sha256 for item in result.inputs}
    languages: dict[str, list[str]] = {}
    for document in result.languages:
        label = document.language or "unknown"
        if label not in languages.setdefault(document.file, []):
            languages[document.file].append(label)
    files = tuple(InputFile(f.path, f.status, f.documents, hashes.get(f.path, ""), ", ".join(languages.get(f.path, ())))
                  for f in result.files)
    return Provenance(
        tool=tool, version=version, rule_packs=rule_packs(catalog), rules=len(catalog.rules),
        rule_hash=rule_hash(catalog), mapping=result.mapping, generated=generated_at(environ), inputs=files,
    )


def _verdict(result: Result, refs: dict[Finding, Ref]) -> Verdict:
    m = result.maturity
    held = holders(m.limited_by, refs)
    return Verdict(
        ceiling=m.ceiling, level=m.level, lead=lead(result, held), holders=held,
        errors=result.count(Severity.ERROR), warnings=result.count(Severity.WARNING),
        infos=result.count(Severity.INFO), suppressed=result.suppressed, at_risk=m.at_risk,
        likely=likely(m).capitalize() + "." if m.likely < m.ceiling else "",
        design=m.design, design_level=LEVELS[m.design],
        accepted=(f"The counting ceiling is {m.ceiling}, but {accepted(m)}. The accepted findings are listed "
                  "under Suppressed, with who accepted them and why.") if m.design < m.ceiling else "",
        complete=result.complete, unreadable=result.unreadable,
        missing="" if result.complete else no_ceiling(result).removeprefix("No ceiling: "),
        files=len(result.files), documents=result.documents, processes=len(processes(result)),
    )


__all__ = ["Audit", "ReportData", "ReportError", "build_report"]
