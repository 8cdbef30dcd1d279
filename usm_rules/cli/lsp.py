"""``usm-rules lsp``: a Language Server Protocol server over stdio, on pygls (the only module that
imports pygls and lsprotocol).

What an editor gets, as a process owner types:

- **diagnostics** for every open document, when it is opened, saved, or changed (after a pause
  in typing), computed with the whole process model as context: the open documents' unsaved
  text, the rest of the model from disk, the workspace's ``.usm-rules.yaml``. Each carries the
  rule id, a link to the rule's page, a severity from the finding's, and the ceiling it implies;
- **hover** on a diagnostic: the rule's ``explain`` page;
- a **code action** per diagnostic: an inline suppression above the line, with a reason to fill in.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ..model.findings import Finding
from ..model.rules import Catalog
from ..version import __version__

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
    def __init__(self, cache: Path | None) -> None:
        super().__init__("usm-rules", __version__)
        self.cache = cache
        self.shown: dict[str, list[_Shown]] = {}
        self._pending: asyncio.TimerHandle | None = None
        self._catalog: Catalog | None = None  # the rules of the last check


def path_of(uri: str) -> Path | None:
    parsed = urlparse(uri)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


def build(cache: Path | None) -> UsmServer:
    server = UsmServer(cache)

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
        document = ls.workspace.get_text_document(uri)
        actions = []
        for shown in ls.shown.get(uri, []):
            diagnostic = shown.diagnostic
            if not any(d.code == diagnostic.code and d.range == diagnostic.range for d in params.context.diagnostics):
                continue
            line = diagnostic.range.start.line
            source = document.lines[line] if line < len(document.lines) else ""
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
    """Check every open file document in its model and publish each one's diagnostics."""
    ls._pending = None
    documents = {uri: doc for uri, doc in ls.workspace.text_documents.items() if path_of(uri) is not None}
    if not documents:
        return
    from ..api import Request, run
    from ..check.selection import SelectionError
    from ..model.errors import CatalogError
    from ..model.limits import LimitError
    from ..read.config import ConfigError, config_for

    paths = {uri: str(path_of(uri)) for uri in documents}
    overlay = {str(Path(path).resolve()): documents[uri].source.encode("utf-8") for uri, path in paths.items()}
    try:
        config = config_for(list(paths.values()))
        result = run(Request(paths=tuple(paths.values()), config=config, cache=ls.cache, model_aware=True,
                             overlay=overlay))
    except (ConfigError, CatalogError, SelectionError, LimitError) as error:  # the user's to fix: say so
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"usm-rules: {error}"))
        return
    except Exception as error:  # noqa: BLE001 - a bug: reported, and the server goes on serving
        ls.window_show_message(types.ShowMessageParams(
            type=types.MessageType.Error,
            message=f"usm-rules: internal error: {type(error).__name__}: {error}; please report this"))
        return
    catalog = ls._catalog = result.catalog
    by_path: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.counts:
            by_path.setdefault(str(Path(finding.file).resolve()), []).append(finding)
    for uri, path in paths.items():
        lines = documents[uri].lines
        shown = [_diagnostic(f, lines, catalog, config.docs_url) for f in by_path.get(str(Path(path).resolve()), [])]
        ls.shown[uri] = shown
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=documents[uri].version, diagnostics=[s.diagnostic for s in shown]))


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _diagnostic(finding: Finding, lines: list[str], catalog: Catalog, docs_url: str) -> _Shown:
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


def serve(cache: Path | None) -> None:
    """Serve one editor over standard input and output until it says exit."""
    from ..engine.workers import shared_hub

    shared_hub()  # forked before pygls starts its threads
    build(cache).start_io()
