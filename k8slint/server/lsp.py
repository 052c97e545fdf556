"""``k8slint server``: the language server (pygls), over stdio or TCP.

Editor events become operations on a warm ``Workspace`` (open, change, close,
files changed on disk, config reloaded). They are collected for a short
debounce, then applied and linted in one worker thread, one pass at a time;
the findings of every open document are published as diagnostics with the
version they were computed for. Hover and code actions read the last
published findings; a fix is computed on the document's current text and sent
for its current version.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from k8slint import __version__
from k8slint.config import Settings
from k8slint.configfile import CONFIG_NAMES, load_settings
from k8slint.errors import ConfigError
from k8slint.findings import Finding
from k8slint.server import convert
from k8slint.server.workspace import Workspace
from k8slint.sources import YAML_SUFFIXES

log = logging.getLogger("k8slint.server")
DEFAULT_DEBOUNCE = 0.05  # seconds of quiet typing before a lint pass
CONFIG_FILES = (*CONFIG_NAMES, "pyproject.toml")
YAML_LANGUAGES = ("yaml", "dockercompose")  # language ids editors give YAML and Compose files
WATCHED = ("**/*.yaml", "**/*.yml", "**/Kustomization", "**/pyproject.toml")


class K8slintServer(LanguageServer):
    """The server's state: the workspace, pending operations, what was last published."""

    def __init__(self):
        super().__init__("k8slint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.roots: list[str] = []
        self.options: dict = {}
        self.debounce = DEFAULT_DEBOUNCE
        self.state: Workspace | None = None
        self.pending: dict[str, str | None] = {}  # path -> editor text (None: read it from disk again)
        self.closed: set[str] = set()
        self.reload = True  # (re)read the config and every file before the next pass
        self.published: dict[str, tuple[int | None, list[Finding]]] = {}  # path -> (version, findings shown)
        self.problem: str | None = None  # a config error to show the user
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="k8slint-lint")
        self._timer: asyncio.TimerHandle | None = None
        self._pass: asyncio.Task | None = None

    # --- scheduling ---------------------------------------------------------------------------------------------

    def schedule(self, delay: float | None = None) -> None:
        """Lint after ``delay`` (the debounce) without further changes; a pass under way is followed by another."""
        if self._timer is not None:
            self._timer.cancel()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(self.debounce if delay is None else delay, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._pass is not None and not self._pass.done():
            return  # the pass under way schedules the next one when it ends
        self._pass = asyncio.ensure_future(self._run_pass())

    async def _run_pass(self) -> None:
        changes, closed, reload = self.pending, self.closed, self.reload
        self.pending, self.closed, self.reload = {}, set(), False
        versions = {path: self._version(path) for path in self._open_paths()}
        loop = asyncio.get_running_loop()
        try:
            found = await loop.run_in_executor(self._executor, self._apply, changes, closed, reload)
        except Exception as exc:  # a bug must cost a pass, never the server
            log.exception("lint pass failed")
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Error, f"k8slint: lint pass failed: {exc!r}")
            )
            found = {}
        if self.problem:
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, self.problem))
            self.problem = None
        for path, findings in found.items():
            if path in versions and versions[path] == self._version(path):  # else a newer pass publishes it
                self._publish(path, findings, versions[path])
        if self.pending or self.closed or self.reload:
            self.schedule()

    def _apply(self, changes: dict[str, str | None], closed: set[str], reload: bool) -> dict[str, list[Finding]]:
        """In the worker thread: bring the workspace up to date, lint the open documents."""
        if reload or self.state is None:
            settings, self.problem = self._settings()
            self.state = None
            gc.unfreeze()
            state = Workspace(self.roots, settings)
            state.load()
            for path in self._open_paths():
                state.open(path, self._text(path))
            self.state = state
            # the workspace's millions of long-lived objects: out of the collector's sight, or every full
            # collection (triggered by the garbage of a keystroke) rescans them all, for a second or more
            gc.collect()
            gc.freeze()
            log.info("k8slint: workspace of %d files loaded", state.files)
        else:
            for path in closed:
                self.state.close(path)
            for path, text in changes.items():
                if text is None:
                    self.state.changed_on_disk(path)
                else:
                    self.state.open(path, text)
        return self.state.findings()

    def _settings(self) -> tuple[Settings, str | None]:
        """The workspace's config file (``.k8slint.yaml`` or pyproject), then the initialization options.

        A bad config gives the default settings and the reason, for the user.
        """
        overrides = {"kubernetes_version": self.options.get("kubernetesVersion")}
        where = Path(self.roots[0]) if self.roots else Path.cwd()
        try:
            return load_settings(None, overrides, cwd=where), None
        except ConfigError as exc:
            return Settings(), f"k8slint: {exc}; linting with the default settings"

    # --- documents ----------------------------------------------------------------------------------------------

    def _open_paths(self) -> list[str]:
        """The open documents k8slint lints: YAML files (by name or by the editor's language id)."""
        return [path for path in map(_path, self.workspace.text_documents) if path and self._is_yaml(path)]

    def _is_yaml(self, path: str) -> bool:
        document = self._document(path)
        return path.endswith(YAML_SUFFIXES) or document.language_id in YAML_LANGUAGES

    def _document(self, path: str):
        return self.workspace.get_text_document(from_fs_path(path))

    def _text(self, path: str) -> str:
        return self._document(path).source

    def _version(self, path: str) -> int | None:
        return self._document(path).version

    def _publish(self, path: str, findings: list[Finding], version: int | None) -> None:
        shown = [finding for finding in findings if not finding.suppressed]
        if self.published.get(path) == (version, shown):
            return  # another file's edit changed nothing here
        self.published[path] = (version, shown)
        document = self._document(path)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=document.uri,
                version=version,
                diagnostics=[convert.diagnostic(finding, document) for finding in shown],
            )
        )

    def changed(self, uri: str) -> None:
        path = _path(uri)
        if path and self._is_yaml(path):
            self.pending[path] = self._text(path)
            self.schedule()

    def shown(self, path: str | None) -> list[Finding]:
        """The findings last published for ``path``."""
        return self.published.get(path, (None, []))[1]


server = K8slintServer()


def _path(uri: str) -> str | None:
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return os.path.abspath(path) if path else None


@server.feature(types.INITIALIZE)
def initialize(ls: K8slintServer, params: types.InitializeParams) -> None:
    folders = [_path(folder.uri) for folder in params.workspace_folders or []]
    if not folders and params.root_uri:
        folders = [_path(params.root_uri)]
    ls.roots = [folder for folder in folders if folder]
    ls.options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
    debounce = ls.options.get("debounceMs")
    if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and debounce >= 0:
        ls.debounce = debounce / 1000


@server.feature(types.INITIALIZED)
async def initialized(ls: K8slintServer, params: types.InitializedParams) -> None:
    watching = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
    if watching and watching.dynamic_registration:
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
        watchers += [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
        registration = types.Registration(
            id="k8slint-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(types.RegistrationParams([registration]))
        except Exception:  # a client that refuses still gets diagnostics; it just does not tell us of disk changes
            log.warning("k8slint: the client did not accept file watchers")
    ls.schedule(0)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: K8slintServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.changed(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: K8slintServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.changed(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: K8slintServer, params: types.DidSaveTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    if path and os.path.basename(path) in CONFIG_FILES:
        ls.reload = True
        ls.schedule()
    elif path:
        ls.changed(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: K8slintServer, params: types.DidCloseTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    if path:
        ls.pending.pop(path, None)
        ls.closed.add(path)
        ls.published.pop(path, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )
        ls.schedule()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: K8slintServer, params: types.DidChangeWatchedFilesParams) -> None:
    for change in params.changes:
        path = _path(change.uri)
        if not path:
            continue
        if os.path.basename(path) in CONFIG_FILES:
            ls.reload = True
        elif path not in ls.pending:
            ls.pending[path] = None
    ls.schedule()


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def did_change_workspace_folders(ls: K8slintServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    ls.roots = [path for path in (_path(folder.uri) for folder in ls.workspace.folders.values()) if path]
    ls.reload = True
    ls.schedule()


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: K8slintServer, params: types.HoverParams) -> types.Hover | None:
    path = _path(params.text_document.uri)
    document = ls.workspace.get_text_document(params.text_document.uri)
    point = types.Range(params.position, params.position)
    found = convert.at(ls.shown(path), document, point)
    if not found:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=convert.hover(found)))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, convert.FIX_ALL], resolve_provider=False),
)
def code_action(ls: K8slintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    from k8slint.fixing.run import apply_fixes
    from k8slint.fixing.textedit import FixRefused, apply_finding_edits
    from k8slint.sources import Source

    path = _path(params.text_document.uri)
    if path is None:  # not a file (an unsaved buffer): never linted, nothing to fix
        return []
    document = ls.workspace.get_text_document(params.text_document.uri)
    findings = ls.shown(path)
    only = params.context.only

    def wanted(kind: str) -> bool:
        return not only or any(kind == want or kind.startswith(f"{want}.") for want in only)

    source = Source(path, path, document.source)
    actions = []
    here = convert.at(findings, document, params.range)
    if wanted(types.CodeActionKind.QuickFix):
        for finding in here:
            if not finding.edits:
                continue
            try:
                text = apply_finding_edits(document.source, finding.document, finding.edits, source.is_compose_name)
            except FixRefused:
                continue
            except Exception:  # a bug must cost one fix, not the request
                log.exception("fix of %s failed", finding.rule)
                continue
            if text != document.source:
                actions.append(
                    types.CodeAction(
                        title=convert.fix_title(finding),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[convert.diagnostic(finding, document)],
                        is_preferred=not finding.unsafe,
                        edit=convert.workspace_edit(document, convert.replacement(document, text)),
                    )
                )
        for finding in _one_per_rule_and_line(here):
            actions.append(
                types.CodeAction(
                    title=f"Disable {finding.rule} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[convert.diagnostic(finding, document)],
                    edit=convert.workspace_edit(document, [convert.disable_edit(document, finding)]),
                )
            )
    safe = [finding for finding in findings if finding.edits and not finding.unsafe]
    if safe and (wanted(convert.FIX_ALL) or (not only and here)):
        text, fixed = apply_fixes(source, document.source, safe)
        if fixed:
            actions.append(
                types.CodeAction(
                    title=f"Fix all safe k8slint fixes in this file ({len(fixed)})",
                    kind=convert.FIX_ALL,
                    edit=convert.workspace_edit(document, convert.replacement(document, text)),
                )
            )
    return actions


def _one_per_rule_and_line(findings: list[Finding]) -> list[Finding]:
    seen, kept = set(), []
    for finding in findings:
        if (finding.rule, finding.line) not in seen:
            seen.add((finding.rule, finding.line))
            kept.append(finding)
    return kept


def serve(tcp: bool = False, host: str = "127.0.0.1", port: int = 2087) -> None:
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    if tcp:
        server.start_tcp(host, port)
        return
    # The protocol gets its own handles on stdin and stdout. File descriptors 0 and 1 become /dev/null and stderr:
    # a stray print cannot corrupt the protocol, and the lint pool's forked workers (which close sys.stdin and
    # flush sys.stdout) never wait on a lock the reader thread held when they were forked.
    stdin, stdout = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    with open(os.devnull, "rb") as devnull:
        os.dup2(devnull.fileno(), 0)
    os.dup2(2, 1)
    server.start_io(stdin, stdout)
