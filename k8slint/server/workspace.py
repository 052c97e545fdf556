"""A warm workspace: the per-file lint results of a whole tree kept in memory, brought up to date file by file.

The language server lints what the editor shows as ``k8slint lint FILE
--context ROOT`` would: each open document against the index of every
Kubernetes object and Compose file of its workspace folders (the CLI's
grouping: directory scope, kustomize roles from ``layout``). Re-linting
after a keystroke parses one document and runs the cross-file stage over the
index of cached results; nothing else is read again. No editor protocol here:
paths and texts in, findings out.
"""

from __future__ import annotations

import os

from k8slint import engine, filters, focus, pool
from k8slint.config import Settings
from k8slint.findings import Finding
from k8slint.layout import KUSTOMIZATION_NAMES, Layout, read_layout
from k8slint.report.bounds import bounded
from k8slint.sources import Source, discover, is_excluded, is_helm_file


class Workspace:
    """Every YAML file of some folders, linted once, plus the documents open in an editor.

    Files are keyed by absolute path, which is also the name findings carry
    (``Finding.file``). All methods are to be called from one thread.
    """

    def __init__(self, roots: list[str], settings: Settings):
        self.roots = [os.path.abspath(root) for root in roots]
        self.settings = settings
        self.rules = filters.enabled_rules(settings)
        self._open: dict[str, str] = {}  # path -> editor text
        self._results: dict[str, engine.FileResult] = {}  # path -> per-file result, in discovery order
        self._run_wide: set[str] = set()  # files holding objects every object of the workspace knows about
        self._layout = Layout()

    def load(self) -> int:
        """Discover and lint every file under the roots (the pool when many); returns how many files were read."""
        found = discover(self.roots, self.settings.exclude).sources if self.roots else []
        self._layout = read_layout(self.roots + list(self._open), gitignore=self.settings.respect_gitignore)
        disk = [source for source in found if os.path.abspath(source.path) not in self._open]
        for source in disk:
            source.display = source.path = os.path.abspath(source.path)
            source.role = self._layout.role(source.path)
        results = pool.map_files(disk, self.settings, {}, engine.lint_file)  # context only: no per-object rules
        self._results = {}
        self._run_wide = set()
        for source, result in zip(disk, results, strict=True):
            self._keep(source.path, result)
        for path, text in self._open.items():
            self._lint(path, text)
        return len(found)

    def open(self, path: str, text: str) -> None:
        """The editor shows ``text`` for ``path`` (opened or changed)."""
        path = os.path.abspath(path)
        self._open[path] = text
        self._lint(path, text)

    def close(self, path: str) -> None:
        """The editor closed ``path``: the file counts as it is on disk again (or not at all)."""
        path = os.path.abspath(path)
        self._open.pop(path, None)
        self.changed_on_disk(path)

    def changed_on_disk(self, path: str) -> None:
        """A file was created, changed or deleted on disk; an open document keeps its editor text."""
        path = os.path.abspath(path)
        if os.path.basename(path) in KUSTOMIZATION_NAMES or path not in self._results:
            self._relayout()  # what is a patch, a template or a kustomize input may have changed
        if path in self._open:
            return
        if os.path.isfile(path) and self._wanted(path) and any(_within(path, root) for root in self.roots):
            self._lint(path, None)
        else:
            self._forget(path)

    def findings(self) -> dict[str, list[Finding]]:
        """The findings of every open document (none for files the CLI passes over), by path.

        Cross-file rules see what linting each open document's directory would
        read (``Index``: its directory and those below), plus the run-wide kinds
        of the whole workspace (CRDs, webhooks): the CLI's findings for these
        files, from the cached results of a few files instead of all of them.
        """
        shown = [path for path in self._open if path in self._results]
        found: dict[str, list[Finding]] = {path: [] for path in self._open}
        if not shown:
            return found
        around = focus.Focus(shown)
        indexed = [path for path in self._results if around.within(path) or path in self._run_wide]
        if focus.takes_params(self._results[path] for path in indexed):  # a policy's params may be anywhere
            indexed = list(self._results)
        hidden = frozenset(path for path in indexed if path not in self._open)
        results = [self._results[path] for path in shown]
        scope = [self._results[path] for path in indexed]
        with engine.few_collections():
            for finding in engine.combine(results, scope, self.settings, self.rules, hidden):
                found[finding.file].append(finding)
        return {path: bounded(findings) for path, findings in found.items()}  # as many as a report would show

    def text(self, path: str) -> str | None:
        return self._open.get(os.path.abspath(path))

    @property
    def files(self) -> int:
        return len(self._results)

    def _wanted(self, path: str) -> bool:
        """Whether the CLI lints this file: not a Helm chart's, not excluded (patterns read from the folder's root)."""
        names = [os.path.relpath(path, root) for root in self.roots if _within(path, root)] or [path]
        return not is_helm_file(path) and not is_excluded(names[0], self.settings.exclude)

    def _lint(self, path: str, text: str | None) -> None:
        if not self._wanted(path):
            self._forget(path)
            return
        source = Source(path, path, text)
        source.role = self._layout.role(path)
        rules = self.rules if path in self._open else {}
        size = len(text.encode("utf-8", "surrogatepass")) if text is not None else 0
        if size > self.settings.max_file_size:  # as the CLI refuses the file on disk
            message = (
                f"cannot read {path}: file is {size / 1e6:.1f} MB, over the {self.settings.max_file_size / 1e6:.0f} MB "
                "limit (raise max-file-size in the config)"
            )
            result = engine.FileResult(
                source, findings=[filters.engine_finding("file-unreadable", path, 1, 1, message)]
            )
        else:
            result = engine.lint_file(source, self.settings, rules)
        self._keep(path, result)

    def _keep(self, path: str, result: engine.FileResult) -> None:
        self._results[path] = result
        if focus.run_wide(result):
            self._run_wide.add(path)
        else:
            self._run_wide.discard(path)

    def _forget(self, path: str) -> None:
        self._results.pop(path, None)
        self._run_wide.discard(path)

    def _relayout(self) -> None:
        """Read the kustomize layout again; re-lint the files whose role it changed."""
        layout = read_layout(self.roots + list(self._open), gitignore=self.settings.respect_gitignore)
        changed = [path for path in self._results if layout.role(path) != self._layout.role(path)]
        self._layout = layout
        for path in changed:
            self._lint(path, self._open.get(path))


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
