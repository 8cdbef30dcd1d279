"""The reference commands: ``rules``, ``explain``, ``docs`` and ``schema``."""

from __future__ import annotations

import json

import click

from ..model.rules import Rule
from .errors import TOOL, UsageProblem, to_stdout, usage_errors
from .options import force_option

DOMAIN = "docs/usm.md"  # the ten requirements, in the repository and the wheel


@click.command(name="rules")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Add a rule pack folder.")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(rule_dirs: tuple[str, ...], format_: str) -> None:
    """List the rules: id, name, requirement, severity, ceiling, summary."""
    from ..check.catalog import load_catalog

    with usage_errors():
        catalog = load_catalog(rule_dirs)
    if format_ == "json":
        rows = [{"id": r.id, "name": r.name, "requirement": r.requirement, "severity": r.severity.value,
                 "confidence": r.confidence, "ceiling": r.ceiling, "summary": r.summary} for r in catalog]
        to_stdout(json.dumps(rows, indent=2) + "\n")
        return
    to_stdout("".join(_row(r) + "\n" for r in catalog))


def _row(r: Rule) -> str:
    ceiling = "-" if r.ceiling is None else str(r.ceiling)
    return f"{r.id}  {r.name:<32} R{r.requirement:<2} {r.severity.value:<7} ceiling {ceiling}  {r.summary}"


@click.command()
@click.argument("rule")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Add a rule pack folder.")
def explain(rule: str, rule_dirs: tuple[str, ...]) -> None:
    """Show a rule's rationale, remediation, USM reference and examples (RULE: an id or a name), or
    a requirement's rules (R1)."""
    from ..check.catalog import load_catalog
    from ..model.requirements import REQUIREMENTS
    from ..output.rule_docs import page, text
    from ..read.spelling import suggestion

    with usage_errors():
        catalog = load_catalog(rule_dirs)
    found = catalog.find(rule)
    if found is None and catalog.is_requirement(rule) and (ids := catalog.expand(rule)) is not None:
        number = int(rule.strip().upper().removeprefix("REQ").removeprefix("R"))
        where = f"{DOMAIN}#requirement-{number}" if number else "docs/design.md#bad-input"
        lines = [f"Requirement {number}: {REQUIREMENTS[number]} ({where})", *(_row(catalog[n]) for n in sorted(ids)),
                 f"`{TOOL} explain RULE` shows one of them; `--select R{number}` checks them alone."]
        to_stdout("".join(line + "\n" for line in lines))
        return
    if found is None:
        raise UsageProblem(f"unknown rule '{rule}'{suggestion(rule, catalog.handles())}; `{TOOL} rules` lists them")
    to_stdout(text(page(found)) + "\n")


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
@force_option("a page")
def docs(folder: str, force: bool) -> None:
    """Write the rule reference (Markdown) into FOLDER (docs): FOLDER/rules/ and FOLDER/facts.md.

    Only generated pages are replaced, and removed when no longer generated: another file there
    is refused (--force replaces it), a symbolic link always."""
    from ..check.catalog import load_catalog
    from ..output.rule_docs import write

    with usage_errors():
        written, removed = write(load_catalog(), folder, force)
    to_stdout(f"wrote {len(written)} pages to {folder}" + (f", removed {len(removed)}" if removed else "") + "\n")



@click.command()
@click.argument("kind", required=False)
@click.option("--bundle", is_flag=True, help="One self-contained schema for editors (no external $ref), "
              "choosing each document's definition by its kind.")
def schema(kind: str | None, bundle: bool) -> None:
    """Print the JSON Schema of a document KIND (default: the usm/v1 envelope), or `rule`."""
    from ..read.validation import ENVELOPE, KIND_SCHEMAS, schema_text

    if bundle:
        from ..read.schema_bundle import bundle_text

        if kind is not None:
            raise UsageProblem("--bundle holds every kind: give no KIND with it")
        to_stdout(bundle_text())
        return
    names = {k.lower(): v for k, v in KIND_SCHEMAS.items()} | {"rule": "rule.schema.json"}
    if kind is None:
        name = ENVELOPE
    elif kind.lower().replace("-", "") in names:
        name = names[kind.lower().replace("-", "")]
    else:
        raise UsageProblem(f"unknown kind '{kind}' (choose from {', '.join([*KIND_SCHEMAS, 'rule'])})")
    to_stdout(schema_text(name))

