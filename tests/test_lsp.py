"""The language server, driven over stdio by a real LSP client (pygls's), as an editor drives it."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from lsprotocol import types
from pygls.lsp.client import LanguageClient

pytestmark = pytest.mark.slow  # see README.md#two-commands: the quick run leaves these out

WAIT = 2.0  # seconds a diagnostic may take once the document is open (the bound)


class Editor:
    """A minimal editor: opens, changes and saves documents, keeps what the server publishes."""

    def __init__(self) -> None:
        self.client = LanguageClient("usm-rules-tests", "1")
        self.published: dict[str, types.PublishDiagnosticsParams] = {}
        self.changed = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = params
            self.changed.set()

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def message(client: LanguageClient, params: types.ShowMessageParams) -> None:
            self.published["message"] = params  # type: ignore[assignment]
            self.changed.set()

    async def start(self, root: Path, capabilities: types.ClientCapabilities | None = None) -> None:
        await self.client.start_io(sys.executable, "-m", "usm_rules", "lsp", "--no-cache", cwd=str(root))
        await self.client.initialize_async(types.InitializeParams(
            capabilities=capabilities or types.ClientCapabilities(), root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="model")]))
        self.client.initialized(types.InitializedParams())

    async def diagnostics(self, uri: str, version: int) -> list[types.Diagnostic]:
        async def arrived() -> list[types.Diagnostic]:
            while uri not in self.published or self.published[uri].version != version:
                self.changed.clear()
                await self.changed.wait()
            return self.published[uri].diagnostics
        return await asyncio.wait_for(arrived(), timeout=WAIT)

    def open(self, uri: str, text: str) -> None:
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="yaml", version=1, text=text)))

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


@pytest.fixture
def model(tmp_path):
    shutil.copytree(SAMPLES / "reference", tmp_path / "model")
    return tmp_path / "model"


def test_diagnostics_hover_and_a_suppression_through_the_real_server(model):
    recover = model / "recover.yaml"
    uri = recover.as_uri()
    text = recover.read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip().startswith("- id: rec-2"))
    indent = lines[target].index("- id") + 2
    edited = "\n".join([*lines[:target + 1], " " * indent + "performer: Service desk", *lines[target + 1:]]) + "\n"

    async def scenario() -> None:
        editor = Editor()
        await editor.start(model.parent)
        try:
            editor.open(uri, text)
            assert list(await editor.diagnostics(uri, 1)) == []  # the reference model, read in its model: clean
            editor.client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)]))
            [found] = [d for d in await editor.diagnostics(uri, 2) if d.code == "USM0101"]
            assert (found.range.start.line, found.range.start.character) == (target + 1, indent)
            assert (found.range.end.line, found.range.end.character) == (target + 1, indent + len("performer"))
            assert found.severity == types.DiagnosticSeverity.Error and found.source == "usm-rules"
            assert found.code_description is None  # no docs-url configured: no link to a path of this machine
            assert "who-how-key" in found.message and "maturity ceiling 3" in found.message
            hover = await editor.client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=found.range.start))
            assert hover.contents.kind == types.MarkupKind.Markdown
            page = hover.contents.value
            assert page.startswith("# USM0101 `who-how-key`") and "generated" not in page
            assert page.index("## How to fix it") < page.index("## Why it matters") < page.index("## What it checks")
            actions = await editor.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), range=found.range,
                context=types.CodeActionContext(diagnostics=[found])))
            [edit] = actions[0].edit.changes[uri]
            assert (edit.range.start.line, edit.range.start.character) == (target + 1, 0)
            # the reason is the user's to type: nothing is written for them (USM0011 asks until it is)
            assert edit.new_text == " " * indent + "# usm-rules: disable=who-how-key -- \n"
        finally:
            await editor.stop()

    asyncio.run(scenario())


def test_the_workspace_configuration_applies_and_a_broken_one_is_shown(model):
    recover = model / "recover.yaml"
    uri = recover.as_uri()
    text = recover.read_text(encoding="utf-8").replace("name: Register the failure",
                                                       "name: The service desk registers the failure", 1)
    (model / ".usm-rules.yaml").write_text("ignore: [role-as-actor]\n", encoding="utf-8")

    async def scenario() -> None:
        editor = Editor()
        await editor.start(model.parent)
        try:
            editor.open(uri, text)
            assert "USM0106" not in {d.code for d in await editor.diagnostics(uri, 1)}
            (model / ".usm-rules.yaml").write_text("ignore: [no-such-rule]\n", encoding="utf-8")
            editor.client.text_document_did_save(types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=uri)))

            async def message() -> types.ShowMessageParams:
                while "message" not in editor.published:
                    editor.changed.clear()
                    await editor.changed.wait()
                return editor.published["message"]  # type: ignore[return-value]
            shown = await asyncio.wait_for(message(), timeout=WAIT)
            assert shown.type == types.MessageType.Error and "no-such-rule" in shown.message
            assert "internal error" not in shown.message
        finally:
            await editor.stop()

    asyncio.run(scenario())


def test_the_quick_fix_leaves_the_reason_as_a_snippet_placeholder_and_links_go_to_the_docs_url(model):
    """An editor that takes snippet edits gets the reason as a placeholder to type over; with
    docs-url in the configuration, each diagnostic links to the rule's published page."""
    (model.parent / ".usm-rules.yaml").write_text("docs-url: https://example.org/usm-rules/docs/\n",
                                                  encoding="utf-8")
    recover = model / "recover.yaml"
    uri = recover.as_uri()
    text = recover.read_text(encoding="utf-8").replace("      name: Register the incident\n",
                                                       "      name: Register the incident\n      role: Desk\n")
    snippets = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
        workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True, snippet_edit_support=True)))

    async def scenario() -> None:
        editor = Editor()
        await editor.start(model.parent, snippets)
        try:
            editor.open(uri, text)
            [found] = [d for d in await editor.diagnostics(uri, 1) if d.code == "USM0101"]
            assert found.code_description.href == "https://example.org/usm-rules/docs/rules/USM0101.md"
            actions = await editor.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), range=found.range,
                context=types.CodeActionContext(diagnostics=[found])))
            [change] = actions[0].edit.document_changes
            [snippet] = change.edits
            assert snippet.snippet.value.endswith("# usm-rules: disable=who-how-key -- ${1:why this is accepted}\n")
            assert "TODO" not in snippet.snippet.value
        finally:
            await editor.stop()

    asyncio.run(scenario())
