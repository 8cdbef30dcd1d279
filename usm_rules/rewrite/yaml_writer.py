"""usm/v1 documents written as YAML, block style, keys in the order given (``usm-rules convert``)."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML


def dump(documents: list[dict[str, Any]], header: str = "") -> str:
    """Several documents as one YAML text (``---`` between them), with ``header`` as a comment."""
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    stream = io.StringIO()
    for line in header.splitlines():
        stream.write(f"# {line}\n" if line else "#\n")
    yaml.dump_all(documents, stream)
    return stream.getvalue()
