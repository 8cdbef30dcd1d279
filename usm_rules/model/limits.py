"""The bounds a run keeps to, whatever its input: each one a user can see and change.

A file or document that crosses one is a positioned requirement-0 finding for that file (the
rest of the run goes on), never a crash, a hang or memory exhausted. The defaults are far above
any real process definition and far below what would hurt a CI runner; ``.usm-rules.yaml``
(``limits:``) and ``--limit NAME=VALUE`` change them.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

# Python refuses to turn an integer of more than 4,300 decimal digits into text (or text into
# one): the integer-digits limit can never be set above it
INTEGER_DIGITS_CEILING = 4_300
_SIZE = re.compile(r"^\s*([0-9]+)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "kb": 1_000, "kib": 1_024, "mb": 1_000_000, "mib": 1_048_576, "gb": 1_000_000_000,
          "gib": 1_073_741_824}


class LimitError(ValueError):
    """A limit named or valued wrongly (the message names which and what is allowed)."""


@dataclass(frozen=True)
class Limits:
    """Every bound, by its name in the configuration (``file-size`` is ``file_size`` here)."""

    file_size: int = 32 * 1_048_576  # bytes of one file; bigger ones are not read
    scalar_length: int = 1_000_000  # characters of one value
    integer_digits: int = 100  # digits of one integer
    nesting: int = 64  # levels of mappings and lists in one document
    aliases: int = 10_000  # nodes that aliases may expand to beyond ten times the nodes written
    documents: int = 10_000  # documents in one file
    files: int = 100_000  # files in one run

    def with_values(self, values: dict[str, Any], where: str = "--limit") -> Limits:
        """These limits with some replaced, by configuration name (``{"file-size": "10MB"}``)."""
        changes: dict[str, int] = {}
        for name, value in values.items():
            field_name = str(name).replace("-", "_")
            if field_name not in _FIELDS:
                raise LimitError(f"{where}: unknown limit '{name}' (choose from {', '.join(names())})")
            changes[field_name] = _value(field_name, value, f"{where}: {name}")
        return dataclasses.replace(self, **changes)

    def shown(self) -> dict[str, int]:
        """Every limit by its configuration name."""
        return {name.replace("_", "-"): getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(f.name for f in dataclasses.fields(Limits))


def names() -> list[str]:
    return [name.replace("_", "-") for name in _FIELDS]


def defaults_text() -> str:
    """Every limit with its default, as the help shows them: "file-size (32 MiB), nesting (64)..."."""
    shown = Limits().shown()
    return ", ".join(f"{name} ({size_text(value) if name == 'file-size' else value})" for name, value in shown.items())


def parse_option(items: tuple[str, ...] | list[str], limits: Limits) -> Limits:
    """``--limit NAME=VALUE`` options applied to ``limits``."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise LimitError(f"--limit: '{item}' is not NAME=VALUE (e.g. file-size=10MB; names: {', '.join(names())})")
        values[name.strip()] = value.strip()
    return limits.with_values(values)


def _value(field_name: str, value: Any, where: str) -> int:
    if isinstance(value, bool):
        raise LimitError(f"{where}: '{value}' is not a number")
    if isinstance(value, int):
        number = value
    elif field_name == "file_size" and isinstance(value, str) and (size := _SIZE.match(value)):
        if len(size.group(1)) > 30:
            raise LimitError(f"{where}: '{value[:40]}' is too large")
        number = int(size.group(1)) * _UNITS[(size.group(2) or "").lower()]
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 30:
        number = int(value.strip())
    else:
        unit = " (a number, or with a unit: 500KB, 10MB, 1GiB)" if field_name == "file_size" else ""
        raise LimitError(f"{where}: '{str(value)[:40]}' is not a whole number{unit}")
    if number < 1:
        raise LimitError(f"{where}: must be at least 1")
    if field_name == "integer_digits" and number > INTEGER_DIGITS_CEILING:
        raise LimitError(f"{where}: at most {INTEGER_DIGITS_CEILING} (Python's own bound on integers as text)")
    return number


def size_text(size: int) -> str:
    """A byte count as people read it: 32 MiB, 1.5 MB, 900 bytes."""
    for unit, scale in (("GiB", 1_073_741_824), ("MiB", 1_048_576), ("KiB", 1_024)):
        if size >= scale:
            shown = f"{size / scale:.1f}".removesuffix(".0")
            return f"{shown} {unit}"
    return f"{size} bytes"
