"""``html``: the self-contained audit report (the same as ``usm-rules report``)."""

from __future__ import annotations

from .base import Reporter


class HtmlReporter(Reporter):
    name = "html"

    def finish(self) -> None:
        from ..audit.build import build_report  # jinja2 and the report only for this format
        from ..audit.render import render

        data = build_report(self.result, tool=self.context.tool, version=self.context.version)
        self.stream.write(render(data, "html"))


REPORTER = HtmlReporter
