"""Where the shipped rule pack and schemas live: inside the wheel, or at the top of a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # the usm_rules package


def shipped(folder: str) -> Path:
    """``rules``, ``schemas``, ``lexicons`` or ``docs``: packaged beside the code in a wheel,
    top-level in the repo."""
    for candidate in (_PACKAGE / folder, _PACKAGE.parent / folder):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"usm-rules is installed without its {folder}/ folder")
