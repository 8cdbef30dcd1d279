"""``json``: the machine contract (README.md#auditors), one object."""

from __future__ import annotations

import json

from ...model.findings import Severity
from ...model.requirements import REQUIREMENTS, status
from ...model.results import Limiter, Result
from ...verdict.ceiling import LEVELS
from ...verdict.grades import graded, roadmap_for
from .base import Reporter


class JsonReporter(Reporter):
    name = "json"

    def finish(self) -> None:
        result = self.result
        json.dump(self.document(result), self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")

    def document(self, result: Result) -> dict:
        return {
            "tool": {"name": self.context.tool, "version": self.context.version},
            "summary": {
                "files": len(result.files),
                "documents": result.documents,
                "processes": len(result.processes),
                "errors": result.count(Severity.ERROR),
                "warnings": result.count(Severity.WARNING),
                "infos": result.count(Severity.INFO),
                "suppressed": result.suppressed,
                "complete": result.complete,
            },
            "maturity": maturity_block(result),
            "findings": [{**f.to_dict(), "grade": graded(f, self.result.catalog)} for f in result.findings],
            "requirements": requirement_rows(result),
            "files": [{"path": f.path, "status": f.status, "documents": f.documents} for f in result.files],
            "languages": [document.to_dict() for document in result.languages],
            "baseline": {"fixed": list(result.fixed)},
            "roadmap": [step.to_dict() for step in roadmap_for(result, self.result.catalog)],
        }


def _limits(limits: tuple[Limiter, ...]) -> list[dict]:
    return [
        {"rule": limit.rule, "requirement": limit.requirement, "ceiling": limit.ceiling,
         "findings": [{"file": f.file, "line": f.line, "column": f.column, "subject": f.subject}
                      for f in limit.findings]}
        for limit in limits
    ]


def maturity_block(result: Result) -> dict:
    m = result.maturity
    return {
        "ceiling": m.ceiling,
        "design": m.design,
        "likely": m.likely,
        "level": m.level,
        "complete": result.complete,
        "accepted": m.accepted,
        "mapping": result.mapping,
        "limitedBy": _limits(m.limited_by),
        "atRisk": list(m.at_risk),
        "likelyBy": _limits(m.likely_by) if m.likely < m.ceiling else [],
        "designBy": _limits(m.design_by) if m.design < m.ceiling else [],
        "processes": [
            {"name": name, "ceiling": ceiling, "likely": likely, "level": LEVELS[ceiling], "limitedBy": _limits(limits)}
            for (name, ceiling, limits), (_, likely) in zip(m.processes, m.likely_processes, strict=True)
        ],
    }


def requirement_rows(result: Result) -> list[dict]:
    rows = []
    for number, title in REQUIREMENTS.items():
        found = [f for f in result.active if f.requirement == number]
        rows.append({"number": number, "title": title, "status": status(found), "findings": len(found)})
    return rows


REPORTER = JsonReporter
