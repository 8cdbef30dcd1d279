"""``usm-rules convert``: BPMN diagrams written as usm/v1 YAML."""

from __future__ import annotations

from pathlib import Path

import click

from .errors import TOOL, UsageProblem


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "folder", required=True, type=click.Path(file_okay=False),
              help="The folder to write the usm/v1 YAML into (created if needed).")
def convert(files: tuple[str, ...], folder: str) -> None:
    """Write BPMN diagrams (FILES: *.bpmn) as usm/v1 YAML: each process without its who and how
    (a Procedure and a WorkInstruction hold them), gateways kept, a ProcessModel for several."""
    from ..model.limits import Limits
    from ..output.writes import OutputError, write_text
    from ..read.files import read_bounded
    from ..rewrite.convert import convert as convert_file
    from ..rewrite.yaml_writer import dump

    target = Path(folder)
    written = 0
    for file in files:
        try:
            raw = read_bounded(file, Limits().file_size)
        except OSError as error:
            raise UsageProblem(f"{file}: cannot read: {error.strerror or error}") from None
        outputs, problems = convert_file(file, raw)
        if problems:
            raise UsageProblem(f"{file}:{problems[0].line}:{problems[0].column}: {problems[0].message}")
        try:
            target.mkdir(parents=True, exist_ok=True)
            for converted in outputs:
                write_text(str(target / converted.name),
                           dump(list(converted.documents), f"Converted from {Path(file).name} by {TOOL} convert."))
                written += 1
        except (OutputError, OSError) as error:
            raise UsageProblem(str(error)) from None
    click.echo(f"{TOOL}: {written} file(s) written to {folder}", err=True)

