"""The language server outlives its client (issue 28, rows 19-22): the real server as a process,
driven by a raw client that writes bytes to its standard input and reads framed JSON-RPC from its
standard output, every wait bounded so that a hang fails fast."""

from __future__ import annotations

import contextlib
import json
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CLEAN_MODEL, CLEAN_RECOVER, SAMPLES

pytestmark = pytest.mark.slow  # a real server process each (see README.md#two-commands)
WAIT = 20.0  # seconds any one answer may take before the test fails (a bound on a hang, not a timing)
PUBLISH = "textDocument/publishDiagnostics"
PERFORMER = CLEAN_RECOVER.replace("      name: Register the failure\n",
                                  "      name: Register the failure\n      performer: Service desk\n")


class Server:
    """``usm-rules lsp`` as a child process, and a client that speaks bytes to it."""

    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "usm_rules", "lsp", "--no-cache"], cwd=cwd,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.seen: list[dict[str, Any]] = []  # every message read so far, in order
        self.waiting: list[dict[str, Any]] = []  # those read but not taken by next()
        self.errors = bytearray()
        self.ids = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()

    def _read(self) -> None:
        """Frames from the server's output, until it ends (None)."""
        out = self.process.stdout
        assert out is not None
        while True:
            length = None
            while (line := out.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                self.messages.put(None)
                return
            self.messages.put(json.loads(out.read(length)))

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        for chunk in iter(lambda: self.process.stderr.read1(65_536), b""):  # type: ignore[union-attr]
            self.errors.extend(chunk)

    def write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        self.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method: str, params: Any = None) -> int:
        self.ids += 1
        self.send({"jsonrpc": "2.0", "id": self.ids, "method": method, "params": params})
        return self.ids

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def next(self, wanted: Any, timeout: float = WAIT) -> dict[str, Any]:
        """The first message not taken yet that ``wanted`` accepts (``seen`` keeps them all, in order)."""
        for message in self.waiting:
            if wanted(message):
                self.waiting.remove(message)
                return message
        end = time.monotonic() + timeout
        while True:
            try:
                message = self.messages.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no answer in {timeout} s; read: {json.dumps(self.seen)[-2000:]}; "
                                     f"stderr: {self.errors.decode()[-2000:]}") from None
            if message is None:
                self.messages.put(None)  # ended for good
                raise EOFError(f"the server's output ended; stderr: {self.errors.decode()[-2000:]}")
            self.seen.append(message)
            if wanted(message):
                return message
            self.waiting.append(message)

    def answer(self, request_id: int) -> dict[str, Any]:
        return self.next(lambda m: m.get("id") == request_id and "method" not in m)

    def diagnostics(self, uri: str, version: int = 1) -> list[dict[str, Any]]:
        found = self.next(lambda m: m.get("method") == PUBLISH and m["params"]["uri"] == uri
                          and m["params"].get("version") == version)
        return found["params"]["diagnostics"]

    def refused(self) -> dict[str, Any]:
        """The next error answered to a message whose id could not be known."""
        return self.next(lambda m: "error" in m and m.get("id") is None)["error"]

    def initialize(self, root: Path | None) -> None:
        folders = [{"uri": root.as_uri(), "name": "model"}] if root is not None else None
        self.answer(self.request("initialize", {"processId": None, "rootUri": root.as_uri() if root else None,
                                                "capabilities": {}, "workspaceFolders": folders}))
        self.notify("initialized", {})

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": version,
                                                              "text": text}})

    def gone(self) -> int:
        """The exit status of a server that ended on its own (its output ended first)."""
        with contextlib.suppress(EOFError):
            self.next(lambda message: False)
        return self.process.wait(timeout=WAIT)

    def ended(self) -> int:
        """The exit status, once the server has gone on its own (its input closed)."""
        assert self.process.stdin is not None
        if not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):  # gone already
                self.process.stdin.close()
        return self.process.wait(timeout=WAIT)

    def stop(self) -> int:
        """Shutdown and exit, as an editor ends a session; the exit status."""
        assert self.answer(self.request("shutdown"))["result"] is None
        self.notify("exit")
        return self.ended()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT)

    def assert_no_traceback(self) -> None:
        assert b"Traceback" not in self.errors and b"MemoryError" not in self.errors, self.errors.decode()


@pytest.fixture
def server():
    started: list[Server] = []

    def start(cwd: Path, root: Path | None = None, initialize: bool = True) -> Server:
        started.append(Server(cwd))
        if initialize:
            started[-1].initialize(root)
        return started[-1]

    yield start
    for one in started:
        one.kill()
        one.assert_no_traceback()


@pytest.fixture
def model(tmp_path):
    shutil.copytree(SAMPLES / "reference", tmp_path / "model")
    return tmp_path / "model"


def performer_range(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    lines = text.splitlines()
    line = next(i for i, source in enumerate(lines) if source.strip().startswith("performer:"))
    column = lines[line].index("performer")
    return (line, column), (line, column + len("performer"))


def span(diagnostic: dict[str, Any]) -> tuple[tuple[int, int], tuple[int, int]]:
    start, end = diagnostic["range"]["start"], diagnostic["range"]["end"]
    return (start["line"], start["character"]), (end["line"], end["character"])


def clean_folder(tmp_path: Path) -> Path:
    """A workspace with the clean model on disk, and no recover.yaml yet (the editor's to write)."""
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "model.yaml").write_text(CLEAN_MODEL, encoding="utf-8")
    return folder


# row 19: a header the server cannot read, a length it must not read


@pytest.mark.parametrize("headers", [
    b"Content-Length: abc\r\n\r\n",
    b"Content-Length: -1\r\n\r\n",
    b"Content-Length: 12 34\r\n\r\n",
    b"Content-Type: application/vscode-jsonrpc\r\n\r\n",
    b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n",
    b"Content-Length 2\r\n\r\n",
    b"X-Padding: " + b"x" * 20_000 + b"\r\n\r\n",
], ids=["not-a-number", "negative", "two-numbers", "no-length", "two-lengths", "no-colon", "a-20-KB-line"])
def test_a_header_that_cannot_be_read_is_answered_and_the_connection_closed(tmp_path, server, headers):
    lsp = server(tmp_path)
    shutdown = b'{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}'
    # today's pygls reads on out of step after such a header: the shutdown is never answered
    lsp.write(headers + b"{}" + b"Content-Length: %d\r\n\r\n" % len(shutdown) + shutdown)
    error = lsp.refused()
    assert error["code"] == -32700 and "connection is closed" in error["message"]
    warning = lsp.next(lambda m: m.get("method") == "window/logMessage")
    assert warning["params"]["type"] == 2 and warning["params"]["message"] == error["message"]
    assert lsp.gone() == 0  # its input still open: the server closed the connection itself
    assert all(m.get("id") != 2 for m in lsp.seen)
    assert error["message"].removeprefix("usm-rules: ") in lsp.errors.decode()


def test_a_length_of_a_terabyte_is_refused_before_a_byte_of_its_body_is_read(tmp_path, server):
    lsp = server(tmp_path)
    lsp.write(b"Content-Length: 1000000000000\r\n\r\n")  # and no body: the answer cannot wait for it
    error = lsp.refused()
    assert error["code"] == -32600
    assert error["message"] == ("usm-rules: a message of 1,000,000,000,000 bytes is over the bound of 64 MiB: "
                                "skipped, not read")
    assert lsp.process.poll() is None  # still serving, not killed by a MemoryError
    assert lsp.ended() == 0  # its input ends inside the skipped body: a clean end


def test_after_a_message_over_the_bound_the_next_one_is_answered(tmp_path, server):
    lsp = server(tmp_path)
    size = 64 * 1_048_576 + 1
    lsp.write(b"Content-Length: %d\r\n\r\n" % size)
    assert lsp.refused()["code"] == -32600
    lsp.write(b" " * size)  # read in chunks and dropped
    assert lsp.stop() == 0


def test_a_body_that_is_no_json_rpc_message_is_answered_and_the_server_goes_on(tmp_path, server):
    lsp = server(tmp_path)
    bad_params = b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": 1}}}'
    for body, code in ((b"not json", -32700), (b"\xff\xfe{}", -32700), (b"[1, 2]", -32600), (bad_params, -32602)):
        lsp.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        assert lsp.refused()["code"] == code
    lsp.write(b"Content-Length: 0\r\n\r\n")
    assert lsp.refused()["code"] == -32700
    assert lsp.stop() == 0


# row 20: a URI is a request to read: only a regular file of the workspace is read


def test_a_uri_with_a_nul_byte_is_not_checked_and_every_other_document_still_is(model, server):
    lsp = server(model.parent, model.parent)
    broken = model.as_uri() + "/recover%00.yaml"
    lsp.open(broken, PERFORMER)
    assert lsp.diagnostics(broken) == []
    warning = lsp.next(lambda m: m.get("method") == "window/logMessage")
    assert warning["params"]["type"] == 2 and broken in warning["params"]["message"]
    assert "NUL" in warning["params"]["message"]
    recover = model / "recover.yaml"
    text = recover.read_text(encoding="utf-8").replace(
        "      name: Register the incident\n", "      name: Register the incident\n      performer: Service desk\n")
    lsp.open(recover.as_uri(), text)
    [found] = [d for d in lsp.diagnostics(recover.as_uri()) if d["code"] == "USM0101"]
    assert span(found) == performer_range(text)
    assert not any(m.get("method") == "window/showMessage" for m in lsp.seen)  # no internal error either
    assert lsp.stop() == 0


@pytest.mark.parametrize("which", ["root-of-the-machine", "workspace-folder", "model-folder-with-slash"])
def test_a_folder_uri_is_not_read(model, server, which):
    uri = {"root-of-the-machine": "file:///", "workspace-folder": model.parent.as_uri(),
           "model-folder-with-slash": model.as_uri() + "/"}[which]
    lsp = server(model.parent, model.parent)
    lsp.open(uri, "apiVersion: usm/v1\n")
    assert lsp.diagnostics(uri) == []
    warning = lsp.next(lambda m: m.get("method") == "window/logMessage")
    assert warning["params"]["type"] == 2 and "folder" in warning["params"]["message"]
    recover = model / "recover.yaml"
    # the next check reads the document's model, not the folder (not the machine: it would not end)
    lsp.open(recover.as_uri(), recover.read_text(encoding="utf-8"))
    assert lsp.diagnostics(recover.as_uri()) == []
    assert lsp.stop() == 0


def test_a_file_outside_the_workspace_is_not_read_even_through_a_link(tmp_path, server):
    workspace = clean_folder(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "recover.yaml").write_text(PERFORMER, encoding="utf-8")
    (workspace / "linked.yaml").symlink_to(outside / "recover.yaml")
    lsp = server(workspace, workspace)
    for uri in ((outside / "recover.yaml").as_uri(), (workspace / "linked.yaml").as_uri(),
                workspace.as_uri() + "/../elsewhere/recover.yaml", "untitled:Untitled-1"):
        lsp.open(uri, PERFORMER)
        assert lsp.diagnostics(uri) == []
        warning = lsp.next(lambda m: m.get("method") == "window/logMessage")
        assert warning["params"]["type"] == 2 and uri in warning["params"]["message"]
    assert lsp.stop() == 0


def test_diagnostics_go_to_the_uri_as_the_client_spells_it(tmp_path, server):
    workspace = clean_folder(tmp_path)
    folder = workspace / "my model"
    folder.mkdir()
    (folder / "model.yaml").write_text(CLEAN_MODEL, encoding="utf-8")
    uri = (folder / "recover.yaml").as_uri()
    assert "%20" in uri
    lsp = server(workspace, workspace)
    lsp.open(uri, PERFORMER)
    assert [(d["code"], span(d)) for d in lsp.diagnostics(uri)] == [("USM0101", performer_range(PERFORMER))]
    hover = lsp.answer(lsp.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                          "position": {"line": performer_range(PERFORMER)[0][0],
                                                                       "character": performer_range(PERFORMER)[0][1]}}))
    assert hover["result"]["contents"]["value"].startswith("# USM0101")
    assert lsp.stop() == 0


# row 21: a new document, not saved yet, is checked from its text


def test_a_new_file_not_saved_yet_is_checked_from_its_text_in_its_model(tmp_path, server):
    workspace = clean_folder(tmp_path)
    uri = (workspace / "recover.yaml").as_uri()
    lsp = server(workspace, workspace)
    lsp.open(uri, PERFORMER)
    assert [(d["code"], span(d)) for d in lsp.diagnostics(uri)] == [("USM0101", performer_range(PERFORMER))]
    assert not (workspace / "recover.yaml").exists()
    assert lsp.stop() == 0


# row 22: the editor's text is read under the limits check reads a file under


def check_json(folder: Path, name: str) -> list[dict[str, Any]]:
    done = subprocess.run([sys.executable, "-m", "usm_rules", "check", "--no-cache", "--format", "json", name],
                          cwd=folder, capture_output=True, text=True, timeout=WAIT)
    return json.loads(done.stdout)["findings"]


@pytest.mark.parametrize("limits, text", [
    ("file-size: 2KB", PERFORMER + "# padding\n" * 300),
    ("nesting: 8", PERFORMER.replace("performer: Service desk\n", "performer: Service desk\n      deep: "
                                     + "[" * 10 + "]" * 10 + "\n")),
    ("aliases: 100", PERFORMER.replace("spec:\n", "x-bomb: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
                                       "x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                       "x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                                       "x-d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nspec:\n")),
], ids=["file-size", "nesting", "aliases"])
def test_a_document_over_a_configured_limit_gets_the_finding_check_gives(tmp_path, server, limits, text):
    workspace = clean_folder(tmp_path)
    (workspace / ".usm-rules.yaml").write_text(f"limits:\n  {limits}\n", encoding="utf-8")
    disk = workspace / "on-disk"
    disk.mkdir()
    (disk / "model.yaml").write_text(CLEAN_MODEL, encoding="utf-8")
    (disk / "recover.yaml").write_text(text, encoding="utf-8")
    expected = [(f["rule"], f["line"], f["column"], f["message"]) for f in check_json(disk, "recover.yaml")
                if f["rule"] < "USM0100"]
    assert expected and expected[0][0] in ("USM0017", "USM0009"), expected
    uri = (workspace / "recover.yaml").as_uri()
    lsp = server(workspace, workspace)
    lsp.open(uri, text)
    diagnostics = lsp.diagnostics(uri)
    shown = [(d["code"], d["range"]["start"]["line"] + 1, d["message"]) for d in diagnostics if d["code"] < "USM0100"]
    assert [(rule, line) for rule, line, _ in shown] == [(rule, line) for rule, line, _, _ in expected]
    assert all(message in found for (*_, message), (*_, found) in zip(expected, shown, strict=True))
    if limits.startswith("file-size"):  # nothing else of it is read: one diagnostic in all
        assert len(diagnostics) == 1
    assert lsp.stop() == 0


def test_a_document_over_the_default_file_size_limit_is_one_usm0017_not_a_long_run(tmp_path, server):
    workspace = clean_folder(tmp_path)
    text = PERFORMER + ("# " + "x" * 97 + "\n") * (33 * 1_048_576 // 100)  # 33 MiB, over the 32 MiB default
    (tmp_path / "recover.yaml").write_text(text, encoding="utf-8")
    [expected] = check_json(tmp_path, "recover.yaml")
    uri = (workspace / "recover.yaml").as_uri()
    lsp = server(workspace, workspace)
    lsp.open(uri, text)
    [only] = lsp.diagnostics(uri)
    assert (only["code"], only["range"]["start"]) == ("USM0017", {"line": 0, "character": 0})
    assert expected["message"] in only["message"] and "limit of 32 MiB" in expected["message"]
    assert lsp.stop() == 0


def test_a_hover_and_shutdown_are_answered_while_a_long_check_runs(tmp_path, server):
    workspace = clean_folder(tmp_path)
    uri = (workspace / "recover.yaml").as_uri()
    lsp = server(workspace, workspace)
    lsp.open(uri, PERFORMER)
    [found] = lsp.diagnostics(uri)
    # a document of 10,000 activities: seconds of checking, with the small one in the same run
    activities = "".join(f"    - id: a-{i}\n      name: Restore the service part {i}\n      next: a-{i + 1}\n"
                         for i in range(10_000)) + "    - id: a-10000\n      name: Close the record\n"
    big = (workspace / "big.yaml").as_uri()
    lsp.open(big, CLEAN_RECOVER.replace("name: recover", "name: big").split("  activities:\n")[0] +
             "  activities:\n" + activities)
    hover = lsp.answer(lsp.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                          "position": found["range"]["start"]}))
    assert hover["result"]["contents"]["value"].startswith("# USM0101")
    assert not any(m.get("method") == PUBLISH and m["params"]["uri"] == big for m in lsp.seen)  # still checking
    action = lsp.answer(lsp.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": found["range"], "context": {"diagnostics": [found]}}))
    assert action["result"][0]["title"].startswith("Suppress USM0101")
    assert lsp.stop() == 0  # nor does shutdown and exit wait for it
