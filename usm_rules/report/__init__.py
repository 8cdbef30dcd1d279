"""The auditor report (SPEC section 1): one self-contained file per run, HTML or Markdown.

:func:`build_report` turns a :class:`~usm_rules.model.Result` and the catalogue in force into
a :class:`ReportData`; :func:`render` writes it in a format. The input files are read once
more from disk (hashes, quoted lines, process titles and triggers). Never prints.
"""

from __future__ import annotations

import os
from typing import Mapping

from ..catalog import Catalog
from ..model import Finding, Result, Severity
from ..requirements import REQUIREMENTS
from .capability import concerns, matrix, overall, processes
from .data import MappingRow, Provenance, Ref, ReportData, Verdict
from .evidence import evidence, number_findings, suppressed
from .inputs import Inputs, read_inputs
from .provenance import ReportError, generated_at, rule_hash, rule_packs
from .reclassify import KEYWORDS, TRIGGERS, reclassify
from .render import FORMATS, render
from .value import bars, holders, lead, levels


def build_report(result: Result, catalog: Catalog, *, tool: str = "usm-rules", version: str | None = None,
                 environ: Mapping[str, str] | None = None) -> ReportData:
    """Everything the report shows. Raises :class:`ReportError` for a malformed SOURCE_DATE_EPOCH."""
    from .. import __version__

    inputs = read_inputs(result)
    refs = number_findings(result)
    names = processes(result)
    own = {name: [f for f in result.active if concerns(f, name)] for name in names}
    return ReportData(
        provenance=_provenance(result, catalog, inputs, tool, version or __version__,
                               os.environ if environ is None else environ),
        verdict=_verdict(result, refs),
        requirements=tuple((n, REQUIREMENTS[n]) for n in range(1, 11)),
        matrix=matrix(result, refs, inputs.processes),
        overall=overall(result),
        bars=bars(result, refs),
        reclassified=reclassify(inputs.processes, names, own, refs),
        triggers=tuple(TRIGGERS.items()),
        keywords=tuple(KEYWORDS.items()),
        evidence=evidence(result, catalog, refs, inputs),
        suppressed=suppressed(result),
        levels=levels(),
        mapping=tuple(MappingRow(r.id, r.name, r.requirement, r.severity.value, r.ceiling)
                      for r in sorted(catalog, key=lambda r: r.id)),
    )


def _provenance(result: Result, catalog: Catalog, inputs: Inputs, tool: str, version: str,
                environ: Mapping[str, str]) -> Provenance:
    return Provenance(
        tool=tool, version=version, rule_packs=rule_packs(catalog), rules=len(catalog.rules),
        rule_hash=rule_hash(catalog), mapping=result.mapping, generated=generated_at(environ), inputs=inputs.files,
    )


def _verdict(result: Result, refs: dict[Finding, Ref]) -> Verdict:
    m = result.maturity
    held = holders(m.limited_by, refs)
    return Verdict(
        ceiling=m.ceiling, level=m.level, lead=lead(result, held), holders=held,
        errors=result.count(Severity.ERROR), warnings=result.count(Severity.WARNING),
        infos=result.count(Severity.INFO), suppressed=result.suppressed, at_risk=m.at_risk,
        complete=result.complete, unreadable=tuple(f.path for f in result.files if f.status == "error"),
        files=len(result.files), documents=result.documents, processes=len(processes(result)),
    )


__all__ = ["FORMATS", "ReportData", "ReportError", "build_report", "render"]
