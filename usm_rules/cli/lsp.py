"""``usm-rules lsp``: a Language Server Protocol server over stdio, on pygls (the only module that
imports pygls and lsprotocol).

What an editor gets, as a process owner types:

- **diagnostics** for every open document, when it is opened, saved, or changed (after a pause
  in typing), computed with the whole process model as context: the open documents' unsaved
  text, the rest of the model from disk, the workspace's ``.usm-rules.yaml``. Each carries the
  rule id, a link to the rule's page, a severity from the finding's, and the ceiling it implies;
- **hover** on a diagnostic: the rule's ``explain`` page;
- a **code action** per diagnostic: an inline suppression above the line, with a reason to fill in.

What it reads, and how it outlives whatever its client sends:

- its input passes through :mod:`usm_rules.cli.lsp_framing` before pygls reads it (a header
  pygls cannot read, or a length it would read whole: see there); a message that is framed but
  cannot be read or structured is answered with a JSON-RPC error (:meth:`UsmServer.report_server_error`);
  pygls's log records are one line each on standard error, never a traceback;
- a document is checked only when its URI is a regular file inside the workspace's folders, or
  a new file not saved yet, checked from its text (:mod:`usm_rules.cli.lsp_documents`); any other
  gets no diagnostics, and a warning in the client's log (``window/logMessage``), once;
- its text is read as ``check`` reads a file, under the configuration's limits (size, nesting,
  aliases...): a document over the file-size limit is one finding that says so (USM0017);
- checks run one at a time, in a thread of their own (:mod:`usm_rules.cli.lsp_checks`), so hovers,
  code actions and shutdown are answered while one runs. A check asked for meanwhile runs once it
  ends (one for all the asks), and a document changed or closed since a check read it never gets
  that check's diagnostics.

pygls's traps, where they are handled: it keeps documents by their unquoted URI (the client's
spelling is ``document.uri``, which diagnostics go to); ``get_text_document`` makes up a document
from the disk for a URI that is not open (open documents are looked up in ``text_documents``);
``exit`` closes its writer (standard output: :class:`~usm_rules.cli.lsp_framing.SharedOutput` only
flushes it) and ends the loop with ``sys.exit``, which ``start_io`` swallows before it waits for
its reading thread (a check still running is not waited for: :func:`serve`); its log records and
asyncio's carry tracebacks, made one line here (:func:`_one_line_logs`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from ..model.findings import Finding
from ..model.rules import Catalog
from ..version import __version__
from .lsp_checks import Checks, OpenDocument, Outcome, check_documents, summary
from .lsp_documents import document_path, folders
from .lsp_framing import INVALID_REQUEST, PARSE_ERROR, FramedInput, SharedOutput

DEBOUNCE = 0.3  # seconds of quiet typing before a changed document is checked
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}


@dataclass
class _Shown:
    """A diagnostic as published, with the finding behind it (for hover and code actions)."""

    diagnostic: types.Diagnostic
    rule: str
    name: str


class UsmServer(LanguageServer):
    def __init__(self, cache: Path | None, output: SharedOutput | None = None) -> None:
        super().__init__("usm-rules", __version__)
        self.cache = cache
        self.output = output  # standard output, shared with the framing (None: pygls's own writer)
        self.shown: dict[str, list[_Shown]] = {}
        self.refused: dict[str, str] = {}  # open documents not checked, and why (each said once)
        self._pending: asyncio.TimerHandle | None = None
        self._catalog: Catalog | None = None  # the rules of the last check
        self.checks = Checks(partial(check_documents, cache, _present), partial(_publish, self),
                             partial(check_open_documents, self))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A message pygls could not read or structure (``source`` is then JsonRpcException) is
        answered with a JSON-RPC error, its id unknown; other errors are shown as pygls shows them."""
        if source is JsonRpcException and self.output is not None:
            code = error.code if isinstance(error, JsonRpcException) else \
                PARSE_ERROR if isinstance(error, ValueError) else INVALID_REQUEST
            self.output.refuse(code, f"a message that cannot be read or handled ({summary(error)})")
            return
        super().report_server_error(error, source)


def build(cache: Path | None, output: SharedOutput | None = None) -> UsmServer:
    server = UsmServer(cache, output)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: UsmServer, params: types.DidOpenTextDocumentParams) -> None:
        check_open_documents(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: UsmServer, params: types.DidSaveTextDocumentParams) -> None:
        check_open_documents(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: UsmServer, params: types.DidChangeTextDocumentParams) -> None:
        if ls._pending is not None:
            ls._pending.cancel()
        ls._pending = asyncio.get_running_loop().call_later(DEBOUNCE, check_open_documents, ls)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: UsmServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.shown.pop(params.text_document.uri, None)
        ls.refused.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                            diagnostics=[]))
        check_open_documents(ls)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: UsmServer, params: types.HoverParams) -> types.Hover | None:
        found = [s for s in ls.shown.get(params.text_document.uri, []) if _inside(params.position, s.diagnostic.range)]
        if not found:
            return None
        from ..output.rule_docs import markdown, page

        catalog = _catalog(ls)
        pages = [markdown(page(catalog[s.rule], fix_first=True), generated=False) for s in found
                 if s.rule in catalog.rules]
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                        value="\n\n---\n\n".join(pages)),
                           range=found[0].diagnostic.range)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: UsmServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = ls.workspace.text_documents.get(unquote(uri))
        actions: list[types.CodeAction] = []
        if document is None:  # not open (get_text_document would read it from the disk)
            return actions
        lines = document.lines
        for shown in ls.shown.get(uri, []):
            diagnostic = shown.diagnostic
            if not any(d.code == diagnostic.code and d.range == diagnostic.range for d in params.context.diagnostics):
                continue
            line = diagnostic.range.start.line
            source = lines[line] if line < len(lines) else ""
            indent = source[:len(source) - len(source.lstrip())]
            actions.append(types.CodeAction(
                title=f"Suppress {shown.rule} ({shown.name}) on this line, with a reason",
                kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                edit=_suppression(ls, uri, document.version, line, f"{indent}# usm-rules: disable={shown.name} -- ")))
        return actions

    return server


def _suppression(ls: UsmServer, uri: str, version: int | None, line: int, comment: str) -> types.WorkspaceEdit:
    """The suppression comment above a line, with its reason left for the user to type: a snippet
    placeholder where the editor takes snippet edits (LSP 3.18), else nothing after ' -- ' (a
    reason written for the user would be accepted as one; USM0011 asks for it until it is typed)."""
    at = types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0))
    workspace = ls.client_capabilities.workspace
    edits = workspace.workspace_edit if workspace is not None else None
    if edits is not None and edits.snippet_edit_support:
        snippet = types.SnippetTextEdit(range=at, snippet=types.StringValue(comment + "${1:why this is accepted}\n"))
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=[snippet])])
    return types.WorkspaceEdit(changes={uri: [types.TextEdit(range=at, new_text=comment + "\n")]})


def _inside(position: types.Position, span: types.Range) -> bool:
    start, end = (span.start.line, span.start.character), (span.end.line, span.end.character)
    return start <= (position.line, position.character) <= end


def _catalog(ls: UsmServer) -> Catalog:
    """The rules of the last check (the workspace's configuration applied), or the shipped ones."""
    if ls._catalog is None:
        from ..check.catalog import load_catalog

        ls._catalog = load_catalog()
    return ls._catalog


def check_open_documents(ls: UsmServer) -> None:
    """Check every open document in its model, in a thread of its own (:mod:`usm_rules.cli.lsp_checks`),
    and publish each one's diagnostics; those not checked are told why at once."""
    ls._pending = None
    ls.checks.ask(_checked(ls))


def _checked(ls: UsmServer) -> list[OpenDocument]:
    """The open documents a check reads; the others get no diagnostics, and the reason once."""
    workspace = ls.workspace
    roots = folders([folder.uri for folder in workspace.folders.values()] +
                    ([workspace.root_uri] if workspace.root_uri else []))
    found = []
    for document in list(workspace.text_documents.values()):
        where = document_path(document.uri, roots)
        if isinstance(where, Path):
            ls.refused.pop(document.uri, None)
            found.append(OpenDocument(document.uri, where, document.source, document.version))
        elif ls.refused.get(document.uri) != where:
            ls.refused[document.uri] = where
            ls.shown.pop(document.uri, None)
            ls.window_log_message(types.LogMessageParams(
                type=types.MessageType.Warning, message=f"usm-rules: not checked: {document.uri[:300]}: {where}"))
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=document.uri, version=document.version, diagnostics=[]))
    return found


def _present(document: OpenDocument, findings: Sequence[Finding], catalog: Catalog, docs_url: str) -> list[_Shown]:
    """A document's findings as diagnostics (in the check's thread: a big document's lines are split there)."""
    lines = document.text.splitlines(True) if findings else []
    return [_diagnostic(finding, lines, catalog, docs_url) for finding in findings]


def _publish(ls: UsmServer, documents: Sequence[OpenDocument], outcome: Outcome) -> None:
    """A check's diagnostics published (in the server's loop), but for documents changed or closed
    since it read them: the next check's to publish."""
    if outcome.message is not None:
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=outcome.message))
        return
    if outcome.catalog is not None:
        ls._catalog = outcome.catalog
    for document in documents:
        now = ls.workspace.text_documents.get(unquote(document.uri))
        if now is None or now.version != document.version or now.source is not document.text:
            continue
        ls.shown[document.uri] = shown = outcome.shown.get(document.uri, [])
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=document.uri, version=document.version, diagnostics=[s.diagnostic for s in shown]))


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _diagnostic(finding: Finding, lines: Sequence[str], catalog: Catalog, docs_url: str) -> _Shown:
    from ..output.escape import quoted_span
    from ..output.formats.base import help_uri

    line = max(0, finding.line - 1)
    source = lines[line].rstrip("\r\n") if line < len(lines) else ""
    column, length = quoted_span(source, max(0, min(finding.column - 1, len(source))), finding.message)
    end = column + length
    span = types.Range(start=types.Position(line=line, character=_utf16(source[:column])),
                       end=types.Position(line=line, character=_utf16(source[:end])))
    rule = catalog.rules.get(finding.rule)
    ceiling = f" (maturity ceiling {finding.ceiling})" if finding.ceiling is not None and finding.severity.value == \
        "error" else ""
    diagnostic = types.Diagnostic(
        range=span, message=f"{finding.name}: {finding.message}{ceiling}",
        severity=SEVERITY[finding.severity.value], code=finding.rule, source="usm-rules",
        code_description=types.CodeDescription(href=uri) if (uri := help_uri(rule, docs_url) if rule else "")
        else None,
        data={"rule": finding.rule, "name": finding.name, "requirement": finding.requirement,
              "ceiling": finding.ceiling})
    return _Shown(diagnostic, finding.rule, finding.name)


class _OneLine(logging.Formatter):
    """A log record as one line: the first line of its message and, for an exception, its type and
    text (never a traceback: a message the server could not handle is no crash)."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage().split("\n", 1)[0]
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({summary(record.exc_info[1])})"
        return f"usm-rules lsp: {record.levelname.lower()}: {text}"


def _one_line_logs() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    for name in ("pygls", "asyncio", "usm_rules"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def serve(cache: Path | None) -> None:
    """Serve one editor over standard input and output until it says exit (or its input ends)."""
    from ..engine.workers import shared_hub, stop_children

    shared_hub()  # forked before pygls starts its threads
    _one_line_logs()
    output = SharedOutput(sys.stdout.buffer)
    server = build(cache, output)
    server.start_io(cast(BinaryIO, FramedInput(sys.stdin.buffer, output)), cast(BinaryIO, output))
    if server.checks.running:  # a check still runs in its thread: its result has nobody to go to
        stop_children()
        sys.stderr.flush()
        os._exit(0)
