"""``k8slint server`` driven by a real LSP client (pygls' LanguageClient) over stdio, as an editor would.

Each test starts the server as a process on a copy of fixtures/server (a
workspace folder), opens and edits documents, and reads the diagnostics the
server publishes, its hovers and its code actions.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

from conftest import FIXTURES, run_subprocess
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from k8slint import ruledocs
from k8slint.registry import all_rules
from k8slint.report.bounds import MAX_PER_FILE, MAX_PER_RULE
from k8slint.ruledocs import rule_url

WORKSPACE = FIXTURES / "server"
TIMEOUT = 60  # seconds for one published answer: a loaded CI machine is slow, a hung server is not


class Editor:
    """An LSP client with an editor's view: open documents, their text and version, the diagnostics received."""

    def __init__(self, root: Path):
        self.root = root
        self.client = LanguageClient("k8slint-tests", "1")
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.diagnostics: dict[str, tuple[int | None, list[types.Diagnostic]]] = {}
        self.arrived = asyncio.Condition()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def received(params: types.PublishDiagnosticsParams):
            async with self.arrived:
                self.diagnostics[params.uri] = (params.version, params.diagnostics)
                self.arrived.notify_all()

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams):
            return None

    async def start(self, **options):
        await self.client.start_io(sys.executable, "-m", "k8slint", "server", cwd=str(self.root))
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(
                    workspace=types.WorkspaceClientCapabilities(
                        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                            dynamic_registration=True
                        )
                    )
                ),
                root_uri=from_fs_path(str(self.root)),
                workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(self.root)), name="workspace")],
                initialization_options={"debounceMs": 20, **options},
            )
        )
        self.client.initialized(types.InitializedParams())

    async def stop(self):
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)

    def uri(self, name: str) -> str:
        return from_fs_path(str(self.root / name))

    def open(self, name: str, text: str | None = None):
        uri = self.uri(name)
        self.texts[uri] = (self.root / name).read_text() if text is None else text
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=self.texts[uri])
            )
        )

    def replace(self, name: str, old: str, new: str):
        """Type over the first ``old`` in the document (an incremental change, as editors send)."""
        uri = self.uri(name)
        text = self.texts[uri]
        offset = text.index(old)
        line = text.count("\n", 0, offset)
        column = offset - (text.rfind("\n", 0, offset) + 1)
        end_line = line + old.count("\n")
        end_column = (column + len(old)) if "\n" not in old else len(old) - old.rfind("\n") - 1
        self.texts[uri] = text[:offset] + new + text[offset + len(old) :]
        self.versions[uri] += 1
        change = types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(line, column), types.Position(end_line, end_column)), text=new
        )
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]), [change]
            )
        )

    async def diagnostics_of(self, name: str) -> list[types.Diagnostic]:
        """The diagnostics published for the document's current version."""
        uri = self.uri(name)

        def current():
            version, _ = self.diagnostics.get(uri, (None, None))
            return version == self.versions[uri]

        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(current), TIMEOUT)
        return self.diagnostics[uri][1]

    async def settled(self, name: str, predicate) -> list[types.Diagnostic]:
        """The document's diagnostics once ``predicate`` holds for them (another file's edit republishes them)."""
        uri = self.uri(name)

        def ready():
            return uri in self.diagnostics and predicate(self.diagnostics[uri][1])

        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(ready), TIMEOUT)
        return self.diagnostics[uri][1]


def session(test, **options):
    """Run ``await test(editor)`` against a server on a fresh copy of the fixture workspace."""

    def run(tmp_path):
        root = tmp_path / "workspace"
        shutil.copytree(WORKSPACE, root)

        async def main():
            editor = Editor(root)
            await editor.start(**options)
            try:
                await test(editor)
            finally:
                await editor.stop()

        asyncio.run(main())

    return run


def rules(diagnostics) -> list[str]:
    return [diagnostic.code for diagnostic in diagnostics]


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 columns equal code points in these ASCII fixtures)."""
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        return sum(len(line) for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def edits_of(action: types.CodeAction) -> list[types.TextEdit]:
    (change,) = action.edit.document_changes
    return change.edits


async def _typing(editor: Editor):
    editor.open("app/service.yaml")
    editor.open("app/deployment.yaml")
    assert rules(await editor.diagnostics_of("app/deployment.yaml")) == []
    assert rules(await editor.diagnostics_of("app/service.yaml")) == []

    editor.replace("app/deployment.yaml", "      app: web", "      app: webb")  # the selector's label
    (mismatch,) = await editor.diagnostics_of("app/deployment.yaml")
    assert mismatch.code == "selector-mismatch" and mismatch.source == "k8slint"
    assert mismatch.severity == types.DiagnosticSeverity.Error and "app=webb" in mismatch.message
    # the selector's value: spec.selector.matchLabels.app, 0-based line 8, the four characters of "webb"
    assert (mismatch.range.start, mismatch.range.end) == (types.Position(8, 11), types.Position(8, 15))
    assert mismatch.code_description.href == rule_url("selector-mismatch")

    # the template's label follows: the Deployment is whole again, and the Service (another file) selects nothing
    editor.replace("app/deployment.yaml", "        app: web\n", "        app: webb\n")
    assert rules(await editor.diagnostics_of("app/deployment.yaml")) == []
    (no_match,) = await editor.settled("app/service.yaml", lambda found: found)
    assert no_match.code == "service-selector-no-match" and "Deployment web has app=webb" in no_match.message

    editor.replace("app/service.yaml", "    app: web\n", "    app: webb\n")
    assert rules(await editor.diagnostics_of("app/service.yaml")) == []


test_diagnostics_follow_typing_within_a_file_and_across_files = session(_typing)


async def _kind_typo(editor: Editor):
    editor.open("app/typo.yaml")
    (typo,) = await editor.diagnostics_of("app/typo.yaml")
    assert typo.code == "unknown-kind"
    assert (typo.range.start, typo.range.end) == (types.Position(1, 6), types.Position(1, 15))

    hover = await editor.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(editor.uri("app/typo.yaml")), types.Position(1, 9))
    )
    assert hover.contents.kind == types.MarkupKind.Markdown
    text = hover.contents.value
    assert text.startswith("**unknown-kind** (error): kind 'ConfigMpa' is not served")
    page = ruledocs.page(all_rules()["unknown-kind"])  # what, why, how to fix: docs/rules/unknown-kind.md
    assert page.split("# unknown-kind", 1)[1].strip() in text and "## Why" in text and "## How to fix" in text
    assert text.endswith(f"[Rule page]({rule_url('unknown-kind')})")
    away = await editor.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(editor.uri("app/typo.yaml")), types.Position(4, 2))
    )
    assert away is None
    actions = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(editor.uri("app/typo.yaml")),
            typo.range,
            types.CodeActionContext(diagnostics=[typo]),
        )
    )
    titles = [action.title for action in actions]
    (fix,) = [action for action in actions if action.title.startswith("Fix unknown-kind")]
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred, titles
    assert fix.title == "Fix unknown-kind: set kind to 'ConfigMap'"
    fixed = apply(editor.texts[editor.uri("app/typo.yaml")], edits_of(fix))
    assert fixed == (editor.root / "app/typo.yaml").read_text().replace("ConfigMpa", "ConfigMap")
    (fix_all,) = [action for action in actions if action.kind == "source.fixAll.k8slint"]
    assert apply(editor.texts[editor.uri("app/typo.yaml")], edits_of(fix_all)) == fixed
    (disable,) = [action for action in actions if action.title == "Disable unknown-kind for this line"]
    disabled = apply(editor.texts[editor.uri("app/typo.yaml")], edits_of(disable))
    assert disabled.splitlines()[1:3] == ["# k8slint: disable=unknown-kind", "kind: ConfigMpa"]
    editor.replace("app/typo.yaml", "apiVersion: v1\n", disabled.split("kind: ConfigMpa")[0])
    assert "unknown-kind" not in rules(await editor.diagnostics_of("app/typo.yaml"))

    hover = await editor.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(editor.uri("app/typo.yaml")), types.Position(2, 8))
    )
    assert hover is None  # suppressed: nothing shown, nothing explained


test_kind_typo_hover_quick_fix_fix_all_and_disable_comment = session(_kind_typo)


async def _bad_input(editor: Editor):
    editor.open("app/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [half")
    assert rules(await editor.diagnostics_of("app/broken.yaml")) == ["yaml-syntax"]
    editor.replace("app/broken.yaml", "  name: [half", "\tname: tabbed")
    (syntax,) = await editor.diagnostics_of("app/broken.yaml")
    assert syntax.code == "yaml-syntax" and "tab" in syntax.message
    big = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n" + "".join(
        f"  key{n}: {'x' * 80}\n" for n in range(60_000)
    )
    editor.open("app/big.yaml", big + "\tbroken: tab\n")
    assert len(big) > 5_000_000
    assert rules(await editor.diagnostics_of("app/big.yaml")) == ["yaml-syntax"]
    container = "  - &c {name: " + "n" * 3000 + ", image: 'nginx:latest', resources: {limits: {cpu: lots}}}\n"
    editor.open(
        "app/amplified.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n" + container + "  - *c\n" * 1500,
    )
    amplified = await editor.diagnostics_of("app/amplified.yaml")  # as many as a report shows, with the note
    assert MAX_PER_RULE < len(amplified) <= MAX_PER_FILE + 1 and rules(amplified).count("findings-left-out") == 1
    editor.replace("app/broken.yaml", "\tname: tabbed", "  name: fixed")
    assert rules(await editor.diagnostics_of("app/broken.yaml")) == []  # still running, still answering


test_half_typed_yaml_tabs_and_a_5mb_file_never_kill_the_server = session(_bad_input)


async def _workspace(editor: Editor):
    # the Deployment is not open: the server knows it from the files on disk
    editor.open("app/service.yaml", (editor.root / "app/service.yaml").read_text().replace("app: web", "app: webs"))
    (no_match,) = await editor.diagnostics_of("app/service.yaml")
    assert no_match.code == "service-selector-no-match" and "Deployment web has app=web" in no_match.message

    # initializationOptions: Kubernetes 1.25 still serves autoscaling/v2beta2 (1.37, the default, does not)
    editor.open(
        "app/old.yaml",
        "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: p\nspec:\n"
        "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 2\n",
    )
    assert rules(await editor.diagnostics_of("app/old.yaml")) == ["api-deprecated"]

    # the workspace's config file, read again when it changes
    editor.open("app/typo.yaml")
    assert rules(await editor.diagnostics_of("app/typo.yaml")) == ["unknown-kind"]
    config = editor.root / ".k8slint.yaml"
    config.write_text("ignore: [unknown-kind]\n")
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(from_fs_path(str(config)), types.FileChangeType.Created)])
    )
    assert not await editor.settled("app/typo.yaml", lambda found: not found)
    assert rules(editor.diagnostics[editor.uri("app/old.yaml")][1]) == ["api-deprecated"]  # the version holds


test_workspace_files_initialization_options_and_config_reload = session(_workspace, kubernetesVersion="1.25")


def test_server_without_the_extra_says_how_to_install_it(tmp_path):
    (tmp_path / "pygls").mkdir()
    (tmp_path / "pygls" / "__init__.py").write_text("raise ImportError('hidden by the test', name='pygls')\n")
    done = run_subprocess("server", env={"PYTHONPATH": f"{tmp_path}:{Path(__file__).resolve().parents[1]}"})
    assert done.returncode == 2
    assert "pip install 'k8slint[server]'" in done.stderr and "Traceback" not in done.stderr
