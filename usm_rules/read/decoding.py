"""Bytes to text: byte-order marks, UTF-8, and a positioned reason when that fails."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class DecodeFailure:
    message: str
    line: int
    column: int


def decode(raw: bytes) -> str | DecodeFailure:
    """The text of a YAML file (YAML 1.2 allows UTF-8, UTF-16 and UTF-32 with a BOM)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _decode_as(raw[len(bom):], encoding, len(bom))
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line, column = _locate(raw, offset, "utf-8")
        return DecodeFailure("binary file: NUL byte found; a YAML file must be text", line, column)
    return _decode_as(raw, "utf-8", 0)


def _decode_as(raw: bytes, encoding: str, skipped: int) -> str | DecodeFailure:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line, column = _locate(raw, error.start, encoding)
        bad = raw[error.start:error.end].hex(" ")
        return DecodeFailure(
            f"cannot decode byte(s) {bad} as {encoding.upper()} at byte offset "
            f"{error.start + skipped}; save the file as UTF-8",
            line,
            column,
        )


def _locate(raw: bytes, offset: int, encoding: str) -> tuple[int, int]:
    before = raw[:offset].decode(encoding, errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return line, column
