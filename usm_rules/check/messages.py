"""A rule's message template: ``{alias.attribute}`` placeholders, filled from the matched facts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\{([a-z][a-zA-Z0-9]*)\.([a-zA-Z][a-zA-Z0-9]*)\}")


def render_message(template: str, bound: Mapping[str, Mapping[str, Any]]) -> str:
    """The message with each ``{alias.attribute}`` replaced by the matched fact's value."""
    return PLACEHOLDER.sub(lambda m: str(bound[m.group(1)][m.group(2)]), template)
