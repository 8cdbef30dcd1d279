"""``python -m usm_rules``."""

from .cli import main

main()
