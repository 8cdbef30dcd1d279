"""``html``: the self-contained audit report (the same as ``usm-rules report``)."""

from __future__ import annotations

from ...model.results import Result
from .base import Reporter


class HtmlReporter(Reporter):
    name = "html"
    description = "the self-contained audit report, one HTML file (as `usm-rules report`)"

    def finish(self, result: Result) -> None:
        from ..audit import build_report, render  # jinja2 and the report only for this format

        data = build_report(result, self.context.catalog, tool=self.context.tool, version=self.context.version)
        self.stream.write(render(data, "html"))
