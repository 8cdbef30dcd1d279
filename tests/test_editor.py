"""The shipped bundle schema in a real editor's YAML server (yaml-language-server, from npm):
completion offers the keys of the document's kind, and only those.

tests/setup installs the server into .tools/ (npm); YAML_LANGUAGE_SERVER names another one.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from lsprotocol import types
from pygls.lsp.client import LanguageClient

pytestmark = pytest.mark.slow  # see README.md#two-commands: the quick run leaves these out

BUNDLE = REPO / "schemas" / "usm-v1.bundle.schema.json"


def yaml_language_server() -> str:
    found = os.environ.get("YAML_LANGUAGE_SERVER") or shutil.which(
        "yaml-language-server", path=str(REPO / ".tools" / "node_modules" / ".bin")) or shutil.which(
        "yaml-language-server")
    assert found, "yaml-language-server is not installed: run tests/setup (it needs npm), or set YAML_LANGUAGE_SERVER"
    return found


def completions(folder: Path, text: str, line: int, character: int) -> set[str]:
    """The labels yaml-language-server offers at a place of a document checked against the bundle."""
    schema = BUNDLE.as_uri()

    async def session() -> set[str]:
        client = LanguageClient("usm-rules-tests", "1")

        @client.feature(types.WORKSPACE_CONFIGURATION)
        def configuration(ls: LanguageClient, params: types.ConfigurationParams) -> list:
            return [{"schemas": {schema: "*.yaml"}, "completion": True} for _ in params.items]

        await client.start_io(yaml_language_server(), "--stdio")
        try:
            await client.initialize_async(types.InitializeParams(
                capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(configuration=True)),
                root_uri=folder.as_uri(), workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="m")]))
            client.initialized(types.InitializedParams())
            client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
                settings={"yaml": {"schemas": {schema: "*.yaml"}, "completion": True}}))
            uri = (folder / "doc.yaml").as_uri()
            client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
                uri=uri, language_id="yaml", version=1, text=text)))
            for _ in range(50):  # the server reads its settings and the schema first
                found = await client.text_document_completion_async(types.CompletionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=types.Position(line=line, character=character)))
                items = getattr(found, "items", found) or []
                if items:
                    return {item.label for item in items}
                await asyncio.sleep(0.1)
            return set()
        finally:
            await client.shutdown_async(None)
            client.exit(None)
            await client.stop()

    return asyncio.run(session())


@pytest.mark.parametrize(("kind", "offered", "foreign"), [
    ("Process", {"activities", "purpose", "output", "trigger", "countedAs", "control", "subprocesses"},
     {"managementSystem", "processes", "forks", "workflows", "steps", "follows"}),
    ("ProcessModel", {"managementSystem", "processes", "forks", "workflows"},
     {"activities", "purpose", "steps", "follows"}),
    ("Procedure", {"process", "steps"}, {"activities", "managementSystem", "purpose"}),
])
def test_completion_in_a_spec_offers_the_keys_of_its_kind_only(tmp_path, kind, offered, foreign):
    text = f"apiVersion: usm/v1\nkind: {kind}\nmetadata:\n  name: x\nspec:\n  \n"
    labels = completions(tmp_path, text, 5, 2)
    assert offered <= labels, labels
    assert not labels & foreign, labels & foreign
