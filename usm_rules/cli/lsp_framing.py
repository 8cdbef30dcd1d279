"""The language server's input, framed within bounds before pygls reads it.

A client sends JSON-RPC messages, each a block of header lines (``Content-Length: N``), a blank
line and N bytes of body. pygls (1.x and 2.x alike) reads that stream through two calls,
``readline()`` for each header line and ``read(N)`` for a body, and trusts it: a length it
cannot parse is passed over and the next body read as if it were headers, so the stream is out
of step for good and nothing is answered again, not even ``shutdown``; and any length is read
whole, so ``Content-Length: 1000000000000`` ends the server with a MemoryError.

:class:`FramedInput` is what pygls reads instead of standard input (``start_io``'s ``stdin``,
public in both versions). It reads each message's headers itself, a line at a time within
:data:`MAX_LINE` bytes, and passes on only whole messages within :data:`MAX_MESSAGE`, framed as
``Content-Length: N`` alone, the one header pygls reads:

- a header block that cannot be read (no length, a length that is not a number, two lengths, a
  line longer than :data:`MAX_LINE` or more than :data:`MAX_LINES` lines) is answered with a
  JSON-RPC parse error and ends the input: where the next message starts cannot be known, so
  the connection is closed rather than guessed at, and pygls stops as at the end of its input;
- a message over :data:`MAX_MESSAGE` is answered with an invalid-request error and its body is
  skipped: read in small chunks and dropped, never held, so the stream stays in step and the
  next message is served;
- an empty body is answered with a parse error, and the next message served.

Each refusal is also logged to the client (``window/logMessage``) and on standard error, in one
line. The answers go through :class:`SharedOutput`, the one writer of standard output, which
pygls writes through too: one whole message per write, under a lock, so frames written from the
reading thread and from pygls's never interleave.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from contextlib import suppress
from typing import Any, BinaryIO

MAX_MESSAGE = 64 * 1_048_576  # bytes of one message's body; above, it is skipped unread
MAX_LINE = 8_192  # bytes of one header line
MAX_LINES = 32  # header lines of one message
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
WARNING = 2  # window/logMessage's MessageType.Warning
_CHUNK = 1_048_576  # bytes of a skipped body read at once
_DIGITS = 18  # digits of a Content-Length (more: not a length any stream could carry)

log = logging.getLogger(__name__)


class _Unreadable(ValueError):
    """A header block that cannot be read (the message says why)."""


class SharedOutput:
    """Standard output as pygls's writer and the framing's: each message written whole, under a lock."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        with self._lock:
            self._stream.write(data)
            self._stream.flush()

    def flush(self) -> None:
        with self._lock:
            self._stream.flush()

    def close(self) -> None:
        """Flushed, and left open: pygls closes its writer at ``exit``, but standard output is the
        process's to close (the command line flushes it last; a closed one would make that a traceback)."""
        self.flush()

    def send(self, message: dict[str, Any]) -> None:
        """One JSON-RPC message, framed; nothing if the client is gone."""
        body = json.dumps(message).encode("utf-8")
        with suppress(OSError, ValueError):  # a closed pipe or stream: nobody left to tell
            self.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def refuse(self, code: int, reason: str) -> None:
        """An error answered to a message whose id cannot be known, logged to the client too."""
        text = f"usm-rules: {reason}"
        log.warning("%s", reason)
        self.send({"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": text}})
        self.send({"jsonrpc": "2.0", "method": "window/logMessage", "params": {"type": WARNING, "message": text}})


class FramedInput:
    """A client's byte stream as pygls reads it (``readline``, ``read``), whole messages within bounds only."""

    def __init__(self, stream: BinaryIO, output: SharedOutput) -> None:
        self._stream = stream
        self._output = output
        self._ready: deque[bytes] = deque()  # the next message, as pygls reads it
        self._ended = False

    def readline(self) -> bytes:
        if not self._ready:
            self._next()
        return self._ready.popleft() if self._ready else b""

    def read(self, size: int) -> bytes:
        parts = []
        while self._ready and size > 0:
            part = self._ready.popleft()
            if len(part) > size:
                self._ready.appendleft(part[size:])
                part = part[:size]
            parts.append(part)
            size -= len(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def close(self) -> None:
        """Nothing more is read (pygls 1.x closes its input at exit; the stream is the process's)."""
        self._ended = True
        self._ready.clear()

    def _next(self) -> None:
        """The next whole message within the bound made ready, the others answered; nothing at the end."""
        while not self._ended:
            try:
                length = self._length()
            except _Unreadable as error:
                self._output.refuse(PARSE_ERROR, f"{error}: where the next message starts cannot be known, so the "
                                                 "connection is closed")
                length = None
            if length is None:
                self._ended = True
            elif length > MAX_MESSAGE:
                self._output.refuse(INVALID_REQUEST, f"a message of {length:,} bytes is over the bound of "
                                                     f"{MAX_MESSAGE // 1_048_576} MiB: skipped, not read")
                self._skip(length)
            elif length == 0:
                self._output.refuse(PARSE_ERROR, "an empty message (Content-Length: 0): nothing to read")
            else:
                body = self._stream.read(length)
                if len(body) < length:  # the client went away in the middle of a message
                    self._ended = True
                    return
                self._ready.extend((b"Content-Length: %d\r\n" % length, b"\r\n", body))
                return

    def _length(self) -> int | None:
        """The Content-Length of the next message's headers (read whole); None at the end of the
        input; :class:`_Unreadable` for headers that cannot be read."""
        length: int | None = None
        lines = 0
        while True:
            line = self._stream.readline(MAX_LINE + 1)
            if not line.endswith(b"\n"):
                if len(line) > MAX_LINE:
                    raise _Unreadable(f"a header line longer than {MAX_LINE:,} bytes")
                return None  # the end of the input (inside a header block or between messages)
            text = line.rstrip(b"\r\n")
            if not text:
                if length is not None:
                    return length
                if lines:
                    raise _Unreadable("a message without a Content-Length header")
                continue  # blank lines between messages
            lines += 1
            if lines > MAX_LINES:
                raise _Unreadable(f"more than {MAX_LINES} header lines")
            name, colon, value = text.partition(b":")
            if not colon:
                raise _Unreadable(f"the header line '{_shown(text)}' is not 'Name: value'")
            if name.strip().lower() != b"content-length":
                continue  # Content-Type, or a header of some extension: nothing to do with framing
            value = value.strip()
            if not value.isdigit() or len(value) > _DIGITS:
                raise _Unreadable(f"'Content-Length: {_shown(value)}' is not a length in bytes")
            if length is not None and int(value) != length:
                raise _Unreadable("two different Content-Length headers")
            length = int(value)

    def _skip(self, length: int) -> None:
        """A body passed over in chunks, none of it kept."""
        while length > 0:
            chunk = self._stream.read(min(length, _CHUNK))
            if not chunk:
                self._ended = True
                return
            length -= len(chunk)


def _shown(raw: bytes) -> str:
    """Bytes from the client as one short printable line."""
    text = raw[:60].decode("ascii", "backslashreplace")
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text) + ("..." if len(raw) > 60 else "")
