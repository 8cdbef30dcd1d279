"""``usm-rules convert``: BPMN diagrams written as usm/v1 YAML."""

from __future__ import annotations

import os

import click

from .errors import TOOL, UsageProblem, usage_errors
from .options import force_option


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "folder", required=True, type=click.Path(file_okay=False),
              help="The folder to write the usm/v1 YAML into (created if needed).")
@force_option("a file of the folder")
def convert(files: tuple[str, ...], folder: str, force: bool) -> None:
    """Write BPMN diagrams (FILES: *.bpmn) as usm/v1 YAML: each process without its who and how
    (a Procedure and a WorkInstruction hold them), gateways kept, a ProcessModel for several.

    Every diagram is converted before anything is written: two outputs with one name, a file in
    the folder that usm-rules did not write (or that was edited since; --force replaces it) or a
    symbolic link there stop the run with nothing written."""
    from ..model.limits import Limits
    from ..output.writes import Planned, is_one_of, write_files
    from ..read.files import read_bounded
    from ..rewrite.convert import convert as convert_file
    from ..rewrite.convert import foreign, text

    planned = []
    for file in files:
        try:
            raw = read_bounded(file, Limits().file_size)
        except OSError as error:
            raise UsageProblem(f"{file}: cannot read: {error.strerror or error}") from None
        outputs, problems = convert_file(file, raw)
        if problems:
            raise UsageProblem(f"{file}:{problems[0].line}:{problems[0].column}: {problems[0].message}")
        planned += [Planned(converted.name, text(converted, file), file) for converted in outputs]
    for item in planned:
        if is_one_of(target := os.path.join(folder, item.name), files):
            raise UsageProblem(f"{target} is one of the diagrams converted; refusing to overwrite it")
    with usage_errors():
        written, _ = write_files(folder, planned, foreign=foreign, force=force)
    click.echo(f"{TOOL}: {len(written)} file(s) written to {folder}", err=True)
