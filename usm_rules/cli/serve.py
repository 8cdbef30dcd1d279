"""``usm-rules lsp``: the language server's command (the server itself: :mod:`usm_rules.cli.lsp`)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--no-cache", is_flag=True, help="Read every file anew; leave the cache alone.")
@click.option("--cache-dir", type=click.Path(file_okay=False),
              help="Keep the per-file cache here [default: the user cache folder].")
def lsp(no_cache: bool, cache_dir: str | None) -> None:
    """Serve an editor over standard input and output (Language Server Protocol): diagnostics
    as you type, the rule's page on hover, a suppression as a quick fix."""
    from ..check.cache import default_folder
    from .lsp import serve

    serve(None if no_cache else Path(cache_dir) if cache_dir else default_folder())

