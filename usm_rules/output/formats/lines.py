"""The lines the human formats share (text, github, junit): a finding as compilers print it,
the counts, and the verdict; what comes from the input with its control characters written out."""

from __future__ import annotations

from ...model.findings import Finding, Severity
from ...model.results import Result
from ...verdict.phrases import plural, sentence, some
from ..escape import line_start, visible


def finding_line(f: Finding) -> str:
    """``file:line:col: severity rule name message``, as compilers print them; what comes from
    the input (the path, quoted titles) with its control characters written out."""
    place = f"{line_start(visible(f.file))}:{f.line}:{f.column}"
    return f"{place}: {f.severity.value} {f.rule} {f.name} {visible(f.message)}"


def summary_line(result: Result) -> str:
    counts = ", ".join(plural(result.count(s), s.value) for s in Severity)
    unread = len(result.unreadable)
    text = (f"{counts} in {plural(len(result.files), 'file')} "
            f"({plural(result.documents, 'document')}, {plural(len(result.processes), 'process', 'processes')})")
    if result.suppressed:
        text += f"; {result.suppressed} suppressed"
    if result.skipped:
        text += f"; {plural(result.skipped, 'file')} skipped: not usm documents ({some(result.skipped_files)})"
    if unread:
        text += f"; {plural(unread, 'file')} could not be fully read: result incomplete"
    if result.fixed:
        text += (f"; {plural(len(result.fixed), 'baseline finding')} no longer occur: "
                 "recreate the baseline to shrink it")
    return text


def model_line(result: Result) -> str:
    """``Checked in its model at sample_processes/reference (8 other files read)``: where the model
    of the given files was found, and how much of it was read as context; ``Checked alone: no
    other file of its model under one`` when nothing else was found."""
    roots = ", ".join(visible(root) for root in result.model_roots)
    if not result.context_files:
        return f"Checked alone: no other file of {'its model' if len(result.model_roots) == 1 else 'their models'}" \
               f" under {roots}"
    return (f"Checked in {'its model' if len(result.model_roots) == 1 else 'their models'} at {roots} "
            f"({plural(result.context_files, 'other file')} read)")


def ceiling_line(result: Result) -> str:
    return visible(sentence(result))  # the configuration names the ceiling mapping
