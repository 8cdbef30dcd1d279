"""``html``: the self-contained audit report (the same as ``usm-rules report``)."""

from __future__ import annotations

from .base import Reporter


class HtmlReporter(Reporter):
    name = "html"

    def finish(self) -> None:
        from ..audit import build_report, render  # jinja2 and the report only for this format

        data = build_report(self.result, tool=self.context.tool, version=self.context.version)
        self.stream.write(render(data, "html"))
