"""The report written out with Jinja2 templates (``templates/``). The only module that imports jinja2.

Both formats escape every value by default, because titles, names and messages come from
untrusted input: HTML through Jinja's autoescaping, Markdown through a ``finalize`` hook that
escapes Markdown and HTML syntax in anything not marked :class:`Raw` by a filter here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ...model.trend import History
from ...verdict.ceiling import TOP
from ..escape import escape, visible
from .data import ReportData
from .pages import HISTORY, REPORT
from .timeline import chart

LABEL_WIDTH = 34  # characters of a process name shown in the chart


class Raw(str):
    """Markdown that a filter built on purpose: left as it is."""


def render(data: ReportData, format_: str) -> str:
    """The whole report as text: ``html`` or ``markdown``."""
    template = _environment(format_).get_template(REPORT[format_])
    return template.render(report=data, top=TOP)


def render_history(history: History, format_: str = "html") -> str:
    """The ceiling's history as a page: ``html`` or ``markdown``."""
    template = _environment(format_).get_template(HISTORY[format_])
    return template.render(history=history)


def _environment(format_: str) -> Environment:
    return _html() if format_ == "html" else _markdown()


@cache
def _html() -> Environment:
    env = _base(autoescape=True, finalize=_visible)
    env.filters["label"] = _label
    env.filters["chart"] = chart
    return env


@cache
def _markdown() -> Environment:
    env = _base(autoescape=False, finalize=_escape_markdown)
    env.filters["code"] = _inline_code
    env.filters["fenced"] = _fenced
    env.filters["raw"] = Raw
    env.filters["numbered"] = lambda quote: [f"{'>' if q.hit else ' '}{q.number:>5} | {visible(q.text, keep=chr(9))}"
                                             for q in quote]
    env.filters["meter"] = lambda ceiling: Raw("\u2588" * ceiling + "\u2591" * (TOP - ceiling))
    return env


def _base(autoescape: bool, finalize: Callable | None = None) -> Environment:
    return Environment(
        loader=PackageLoader("usm_rules.output.audit", "templates"), autoescape=autoescape, finalize=finalize,
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def _label(text: str) -> str:
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "\u2026"


def _visible(value: object) -> object:
    """Control characters in untrusted text written out (HTML would show some as nothing)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value, keep="\n\r\t")
    return value


def _escape_markdown(value: object) -> object:
    if isinstance(value, Raw) or not isinstance(value, str):
        return value
    return escape(value)


def _inline_code(value: object) -> Raw:
    text = visible(" ".join(str(value).split()))
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Raw(f"{ticks}{pad}{text}{pad}{ticks}")


def _fenced(lines: list[str], language: str = "text") -> Raw:
    """A fenced code block longer than any run of backticks inside, so nothing can close it."""
    body = "\n".join(lines)
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", body)), default=0) + 1)
    return Raw(f"{fence}{language}\n{body}\n{fence}")
