"""The command line (``usm-rules``): one module per command group, the language server beside them."""

from .app import cli, main

__all__ = ["cli", "main"]
