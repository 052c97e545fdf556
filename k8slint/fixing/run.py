"""The fix loop: lint, apply the fixable findings file by file, lint again, until nothing changes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from k8slint.config import Settings
from k8slint.engine import Result, discover_run, lint_sources
from k8slint.findings import Finding
from k8slint.fixing.files import FileProblem, FileText, read_file, writable_target, write_file
from k8slint.fixing.textedit import FixRefused, apply_finding_edits
from k8slint.sources import Source
from k8slint.yamlio import split_path

BLOCKING_RULES = frozenset({"yaml-syntax", "file-unreadable"})  # never touch a file that did not read cleanly
MAX_PASSES = 4  # a fix can enable another (kind typo, then its removed apiVersion); stop well before a loop matters


@dataclass
class FileOutcome:
    """What happened to one file: the fixes applied and refused, and why it was not written."""

    source: Source
    original: FileText | None = None
    text: str = ""
    fixed: list[Finding] = field(default_factory=list)
    refused: list[tuple[Finding, str]] = field(default_factory=list)
    problem: str | None = None

    @property
    def display(self) -> str:
        return self.source.display

    @property
    def changed(self) -> bool:
        return self.original is not None and self.problem is None and self.text != self.original.text


@dataclass
class FixReport:
    """The outcome of a fix run: per-file outcomes and the lint result of what remains."""

    result: Result
    files: list[FileOutcome]

    @property
    def changed(self) -> list[FileOutcome]:
        return [outcome for outcome in self.files if outcome.changed]

    @property
    def fixed(self) -> int:
        return sum(len(outcome.fixed) for outcome in self.changed)


def fix_paths(
    paths: list[str],
    settings: Settings,
    *,
    unsafe: bool = False,
    write: bool = True,
    stdin_filename: str | None = None,
    compose_files=(),
    force: bool = False,
) -> FixReport:
    """Fix files, directories and globs; ``write=False`` computes the changes without touching the files."""
    run = discover_run(paths, settings, stdin_filename, compose_files)
    sources, missing, tree = run.sources, run.missing, run.context
    roots = [os.getcwd()] + [
        path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path)) for path in paths if path != "-"
    ]
    result = lint_sources(sources, settings, missing, context=tree, helm=run.helm)
    by_display = {source.display: source for source in sources}
    outcomes: dict[str, FileOutcome] = {}
    blocked = {finding.file for finding in result.findings if finding.rule in BLOCKING_RULES}
    for _ in range(MAX_PASSES):
        changed = False
        for display, findings in _fixable(result.findings, unsafe, blocked).items():
            if display not in by_display:
                continue
            outcome = outcomes.get(display) or _open(by_display[display], roots, write, force)
            outcomes[display] = outcome
            changed |= _apply(outcome, findings)
        if not changed:
            break
        # the next pass looks at the changed files (from memory), with every other file as context
        current = {source: _current(source, outcomes) for source in sources}
        changed_sources = [new for old, new in current.items() if new is not old]
        result = lint_sources(
            changed_sources,
            settings,
            missing,
            context=[current.get(source, source) for source in tree or sources],
            helm=run.helm,
        )
    if write:
        result = _write(
            outcomes,
            roots,
            result,
            lambda: lint_sources(sources, settings, missing, context=tree, helm=run.helm),
            force,
        )
    return FixReport(result, sorted(outcomes.values(), key=lambda outcome: outcome.display))


def apply_fixes(source: Source, text: str, findings: list[Finding]) -> tuple[str, list[Finding]]:
    """One pass of ``findings``' edits over ``text`` (source's text in memory), skipping overlapping ones.

    Returns the new text and the findings it fixed (the language server's "fix all").
    """
    outcome = FileOutcome(source, text=text)
    _apply(outcome, findings)
    return outcome.text, outcome.fixed


def _fixable(findings: list[Finding], unsafe: bool, blocked: set[str]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.edits and not finding.suppressed and (unsafe or not finding.unsafe) and finding.file not in blocked:
            grouped.setdefault(finding.file, []).append(finding)
    return grouped


def _open(source: Source, roots: list[str], write: bool, force: bool = False) -> FileOutcome:
    outcome = FileOutcome(source)
    if source.path is None:
        if write:
            outcome.problem = "standard input cannot be fixed in place (use --diff)"
        else:
            text = source.read()
            outcome.original, outcome.text = FileText(source.display, text.encode(), text, b"", "utf-8"), text
        return outcome
    try:
        if write:
            writable_target(source.path, roots, force)
        outcome.original = read_file(source.path)
        outcome.text = outcome.original.text
    except FileProblem as exc:
        outcome.problem = str(exc)
    return outcome


def _apply(outcome: FileOutcome, findings: list[Finding]) -> bool:
    """Apply the findings that do not overlap an edit made in this pass; True if the text changed."""
    if outcome.problem is not None:
        return False
    touched: list[tuple[int, list]] = []
    # a finding fixed in an earlier pass can come back when a rule reads a file from disk (compose partner
    # files): it is not applied twice
    done = {_identity(finding) for finding, _ in outcome.refused} | {_identity(finding) for finding in outcome.fixed}
    changed = False
    for finding in findings:
        paths = [(finding.document, split_path(edit.path)) for edit in finding.edits]
        if _identity(finding) in done or any(_overlaps(path, other) for path in paths for other in touched):
            continue
        try:
            text = apply_finding_edits(outcome.text, finding.document, finding.edits, outcome.source.is_compose_name)
        except FixRefused as exc:
            outcome.refused.append((finding, str(exc)))
            continue
        except Exception as exc:  # a bug must cost one fix, not the run
            outcome.refused.append((finding, f"internal error: {type(exc).__name__}: {exc}"))
            continue
        if text != outcome.text:
            outcome.text = text
            outcome.fixed.append(finding)
            touched.extend(paths)
            changed = True
    return changed


def _identity(finding: Finding) -> tuple:
    return finding.rule, finding.document, finding.path, finding.message


def _overlaps(a: tuple[int, list], b: tuple[int, list]) -> bool:
    (doc_a, parts_a), (doc_b, parts_b) = a, b
    common = min(len(parts_a), len(parts_b))
    return doc_a == doc_b and parts_a[:common] == parts_b[:common]


def _current(source: Source, outcomes: dict[str, FileOutcome]) -> Source:
    outcome = outcomes.get(source.display)
    if outcome is None or not outcome.changed:
        return source
    return Source(source.display, source.path, outcome.text, forced_compose=source.forced_compose)


def _write(outcomes: dict[str, FileOutcome], roots: list[str], result: Result, relint, force: bool = False) -> Result:
    """Write the changed files; then the result comes from the files as they now are."""
    touched = False
    for outcome in outcomes.values():
        if outcome.changed:
            touched = True
            try:
                write_file(outcome.original, outcome.text, roots, force)
            except FileProblem as exc:
                outcome.problem = str(exc)
    return relint() if touched else result
