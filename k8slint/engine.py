"""The lint engine: sources -> documents -> objects -> rules -> findings.

Work per file (read, parse, classify, per-object rules, positions) runs in a
process pool; rules that look across files run once, in this process, over
the merged index.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field

from k8slint import suppress
from k8slint.config import Settings
from k8slint.documents import Document, Span, relocate
from k8slint.findings import SEVERITY_RANK, Edit, Finding, Hit
from k8slint.index import Index
from k8slint.model import K8sObject, classify, expand_objects
from k8slint.parse import parse_source
from k8slint.registry import Context, Rule, all_rules
from k8slint.sources import Discovery, Source, SourceError, discover

PARALLEL_MIN_FILES = 16
PARALLEL_MIN_PLACES = 1000  # cross-object findings worth a second pool to re-read their documents
# A run allocates millions of long-lived, acyclic objects (nodes, data); the
# default thresholds make the cycle collector rescan them all, over and over.
GC_THRESHOLDS = (100_000, 50, 100)


@dataclass
class FileResult:
    """What linting one file gives back to the main process."""

    source: Source
    findings: list[Finding] = field(default_factory=list)
    objects: list[K8sObject] = field(default_factory=list)
    compose_documents: list[Document] = field(default_factory=list)
    documents: int = 0
    skipped: int = 0
    suppressions: suppress.Suppressions = field(default_factory=suppress.Suppressions)


@dataclass
class Result:
    """The outcome of a run, as reporters see it."""

    findings: list[Finding]
    files: int
    documents: int
    objects: list[K8sObject]
    missing: list[str] = field(default_factory=list)
    skipped_documents: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity and not f.suppressed)

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.suppressed)

    def failed(self, fail_on: str) -> bool:
        threshold = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings if not f.suppressed)


def enabled_rules(settings: Settings) -> dict[str, Rule]:
    """The rules this run reports: ``select`` (ids or categories; default: every default rule) minus ``ignore``."""
    rules = all_rules()

    def matches(rule: Rule, names) -> bool:
        return "all" in names or rule.id in names or rule.category in names

    chosen = {
        rid: rule
        for rid, rule in rules.items()
        if (matches(rule, settings.select) if settings.select else rule.default)
    }
    return {rid: rule for rid, rule in chosen.items() if not matches(rule, settings.ignore)}


def lint_paths(
    paths: list[str],
    settings: Settings | None = None,
    *,
    stdin_filename: str | None = None,
    compose_files=(),
    context=None,
) -> Result:
    """Lint files, directories and globs (``-`` is stdin); the library's main entry point.

    ``context`` (default: ``settings.context``) names more files or directories
    whose objects join the index, so cross-file rules resolve references, but
    whose own findings are not reported (pre-commit on staged files).
    """
    settings = settings or Settings()
    sources, missing, tree = discover_run(paths, settings, stdin_filename, compose_files, context)
    return lint_sources(sources, settings, missing, context=tree)


def discover_run(
    paths: list[str], settings: Settings, stdin_filename: str | None = None, compose_files=(), context=None
):
    """``(sources, missing, context sources)`` of a run; the context holds the very linted Source objects."""
    found = discover(paths, settings.exclude, stdin_filename, compose_files)
    context_paths = settings.context if context is None else context
    tree = discover(context_paths, settings.exclude) if context_paths else Discovery([], [])
    linted = {os.path.abspath(source.path or source.display): source for source in found.sources}
    sources = [linted.get(os.path.abspath(source.path), source) for source in tree.sources]
    return found.sources, found.missing + tree.missing, sources


def lint_sources(
    sources: list[Source], settings: Settings, missing: list[str] = (), context: list[Source] = ()
) -> Result:
    """Lint already discovered sources; see ``lint_paths``.

    ``context`` is the whole tree in discovery order, holding the linted
    sources where they belong: the index sees objects in that order, as a run
    over the whole tree would.
    """
    with few_collections():
        return _lint_sources(sources, settings, missing, context)


@contextmanager
def few_collections():
    """Raise the GC thresholds while a run's objects are alive (reporting a big run needs it too)."""
    old_thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old_thresholds)


def _lint_sources(sources: list[Source], settings: Settings, missing, context: list[Source]) -> Result:
    rules = enabled_rules(settings)
    results = _map_files(sources, settings, rules)
    # context-only files are parsed and indexed (no per-object rules); their findings are dropped below
    linted = set(sources)
    context_only = [source for source in context if source not in linted]
    # keyed by our own Source objects: results that crossed a process boundary hold copies
    by_source = dict(zip(sources, results, strict=False))
    by_source.update(zip(context_only, _map_files(context_only, settings, {}), strict=False))
    in_tree = set(context)
    indexed = [by_source[source] for source in context] + [
        by_source[source] for source in sources if source not in in_tree
    ]
    findings = [finding for result in results for finding in result.findings]
    objects = [obj for result in results for obj in result.objects]
    compose_documents = [doc for result in indexed for doc in result.compose_documents]
    projects = _compose_projects(compose_documents, settings)
    index = Index([obj for result in indexed for obj in result.objects], projects)
    context_files = {source.display for source in context_only}
    findings.extend(_cross_file_findings(rules, index, projects, settings, context_files))
    findings = _suppress(findings, results, rules, settings, _loaded_suppressions(projects, results))
    if context_only:
        findings = [finding for finding in findings if finding.file not in context_files]
    findings.sort(key=Finding.sort_key)
    return Result(
        findings=findings,
        files=len(sources),
        documents=sum(result.documents for result in results),
        objects=objects,
        missing=list(missing),
        skipped_documents=sum(result.skipped for result in results),
    )


def _cross_file_findings(
    rules: dict[str, Rule], index: Index, projects: list, settings: Settings, hidden=frozenset()
) -> list[Finding]:
    """Run index and compose rules; locate their hits file by file, so each file is re-read once (by workers when many).

    Hits in ``hidden`` files (context-only, never reported) are not located at all.
    """
    ctx = Context(settings)
    pending = []  # (rule, document, hit, object)
    for rule in rules.values():
        if rule.scope == "index":
            pending.extend((rule, obj.doc, hit, obj) for obj, hit in _run(rule, rule.check, index, ctx))
        elif rule.scope == "compose":
            for project in projects:
                pending.extend(
                    (rule, hit.doc or project.doc, hit, None) for hit in _run(rule, rule.check, project, ctx)
                )
    pending = sorted(
        (item for item in pending if item[1].file not in hidden), key=lambda item: (item[1].file, item[1].index)
    )
    spans = _place([(doc, _hit_path(hit, obj), hit.on_key) for _, doc, hit, obj in pending], settings)
    findings, seen = [], set()
    for (rule, doc, hit, obj), span in zip(pending, spans, strict=False):
        finding = _finding(rule, settings, doc, hit, obj, span)
        if obj is None:  # a compose file shared by projects (extends, include) is reported once per node
            key = (finding.rule, finding.file, finding.line, finding.column)
            if key in seen:
                continue
            seen.add(key)
        findings.append(finding)
    return findings


def _compose_projects(documents: list[Document], settings: Settings) -> list:
    if not documents:
        return []
    from k8slint.compose import build_projects

    return build_projects(documents, settings)


def _map_files(sources: list[Source], settings: Settings, rules: dict[str, Rule]) -> list[FileResult]:
    jobs = settings.jobs or usable_cpus()
    stdin = [s for s in sources if s.text_from_stdin is not None]
    if jobs <= 1 or len(sources) < PARALLEL_MIN_FILES or stdin:
        return [lint_file(source, settings, rules) for source in sources]
    for rule in rules.values():  # import the checks once, before the workers fork
        if rule.check is not None:
            rule.check.load()
    chunk = max(1, min(64, len(sources) // (jobs * 8)))
    with _pool(jobs, _init_worker, (settings, tuple(rules))) as pool:
        return list(pool.map(_lint_file_in_worker, sources, chunksize=chunk))


def _pool(jobs: int, initializer=None, initargs=()):
    import multiprocessing  # only here: a run on a few files never pays for the pool machinery
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=initializer, initargs=initargs)


def _place(requests: list[tuple[Document, str, bool]], settings: Settings) -> list[Span]:
    """Spans of ``(document, path, on_key)`` requests sorted by file; many are re-read by workers, file by file."""
    jobs = settings.jobs or usable_cpus()
    if jobs <= 1 or len(requests) < PARALLEL_MIN_PLACES:
        return [doc.locate(path, on_key) for doc, path, on_key in requests]
    by_file: dict[str, tuple[Source, list]] = {}
    for doc, path, on_key in requests:
        if not doc.has_tree:  # documents still holding their tree are placed here, below
            by_file.setdefault(doc.file, (doc.source, []))[1].append((doc.start, path, on_key))
    with _pool(jobs) as pool:
        placed = pool.map(_place_in_file, by_file.values(), chunksize=max(1, len(by_file) // (jobs * 8)))
        spans = iter([span for spans in placed for span in spans])
    return [doc.locate(path, on_key) if doc.has_tree else next(spans) for doc, path, on_key in requests]


def _place_in_file(task) -> list[Span]:
    source, wanted = task
    return [relocate(source, start, path, on_key) for start, path, on_key in wanted]


def usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_WORKER: dict = {}


def _init_worker(settings: Settings, rule_ids: tuple[str, ...]) -> None:
    rules = all_rules()
    _WORKER.update(settings=settings, rules={rid: rules[rid] for rid in rule_ids})


def _lint_file_in_worker(source: Source) -> FileResult:
    return lint_file(source, _WORKER["settings"], _WORKER["rules"])


def lint_file(source: Source, settings: Settings, rules: dict[str, Rule]) -> FileResult:
    """Everything that needs only this file: parse, classify, per-object rules, positions."""
    parsed = parse_source(source, settings.max_file_size)
    result = FileResult(source, documents=len(parsed.documents))
    result.suppressions = suppress.scan(parsed.text)
    for rule_id, line, column, message in parsed.line_problems:
        result.findings.append(_engine_finding(rule_id, settings, source.display, line, column, message))
    ctx = Context(settings)
    object_rules = [rule for rule in rules.values() if rule.scope == "object"]
    for doc in parsed.documents:
        category = classify(doc)
        if category in ("compose", "kubernetes"):  # YAML oddities matter only in manifests (not in e.g. CI workflows)
            for rule_id, line, column, message in parsed.document_problems.get(doc.index, ()):
                result.findings.append(_engine_finding(rule_id, settings, source.display, line, column, message))
        if category == "compose":
            if not doc.yaml12:
                doc = _as_yaml12(doc)
            result.compose_documents.append(doc)
        elif category == "kubernetes":
            for obj in expand_objects(doc, settings.namespace):
                result.objects.append(obj)
                for rule in object_rules:
                    if rule.applies(obj.kind):
                        result.findings.extend(
                            _finding(rule, settings, doc, hit, obj) for hit in _run(rule, rule.check, obj, ctx)
                        )
        elif doc.data is not None and not isinstance(doc.data, dict):
            result.findings.append(
                _finding_at(
                    "document-not-mapping",
                    settings,
                    doc,
                    "",
                    f"document {doc.index + 1} is a {'list' if isinstance(doc.data, list) else 'plain value'}, not a mapping; Kubernetes objects and Compose files are mappings",
                )
            )
        else:
            result.skipped += 1
    for doc in parsed.documents + result.compose_documents:
        doc.drop_node()
    return result


def _as_yaml12(doc: Document) -> Document:
    from k8slint import yamlio

    node = doc._node
    data = yamlio.rebuild(node, yaml12=True) if node is not None else doc.data
    return Document(doc.source, doc.index, data, node, doc.line_offset, yaml12=True)


def _run(rule: Rule, check, subject, ctx: Context):
    try:
        yield from check(subject, ctx.for_rule(rule))
    except Exception as exc:  # a bug in one check must not stop the run
        print(f"k8slint: internal error in rule {rule.id}: {type(exc).__name__}: {exc}", file=sys.stderr)


def _severity(rule_id: str, settings: Settings, hit: Hit | None = None) -> str:
    """The configured severity of a rule, else the one its check gave this hit, else the rule's own."""
    return settings.severity.get(rule_id) or (hit.severity if hit else None) or all_rules()[rule_id].severity


def _hit_path(hit: Hit, obj: K8sObject | None) -> str:
    return obj.full_path(hit.path) if obj is not None and hit.doc is None else hit.path


def _finding(
    rule: Rule, settings: Settings, doc: Document, hit: Hit, obj: K8sObject | None, span: Span | None = None
) -> Finding:
    path = _hit_path(hit, obj)
    span = span or doc.locate(path, hit.on_key)
    finding = Finding(
        rule=rule.id,
        severity=_severity(rule.id, settings, hit),
        message=hit.message,
        file=doc.file,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        document=doc.index,
        object=obj.ref if obj is not None else None,
        path=path,
        fix=hit.fix or rule.fix or None,
        edits=tuple(Edit(e.op, obj.full_path(e.path), e.value) for e in hit.edits) if obj is not None else hit.edits,
        unsafe=hit.unsafe,
    )
    if obj is not None and rule.id in suppress.split_names(obj.annotations.get(suppress.ANNOTATION)):
        finding.suppressed = True
    return finding


def _finding_at(rule_id: str, settings: Settings, doc: Document, path: str, message: str) -> Finding:
    return _finding(all_rules()[rule_id], settings, doc, Hit(path, message), None)


def _engine_finding(rule_id: str, settings: Settings, file: str, line: int, column: int, message: str) -> Finding:
    rule = all_rules()[rule_id]
    return Finding(
        rule_id, _severity(rule_id, settings), message, file, line, column, line, column, fix=rule.fix or None
    )


def _loaded_suppressions(projects: list, results: list[FileResult]) -> dict[str, suppress.Suppressions]:
    """Suppression comments of files that compose projects pulled in (overrides, extends, include) beyond the run's own."""
    known = {result.source.display for result in results}
    extra = {}
    for project in projects:
        for source in project.sources:
            display = source.doc.source.display
            if display not in known and display not in extra:
                try:
                    extra[display] = suppress.scan(source.doc.source.read())
                except SourceError:
                    continue
    return extra


def _suppress(
    findings: list[Finding],
    results: list[FileResult],
    rules: dict[str, Rule],
    settings: Settings,
    loaded: dict[str, suppress.Suppressions] | None = None,
) -> list[Finding]:
    """Drop findings of disabled rules, mark suppressed ones, report unused suppression comments."""
    findings = [finding for finding in findings if finding.rule in rules]
    by_file = {**(loaded or {}), **{result.source.display: result.suppressions for result in results}}
    unused = suppress.apply(findings, by_file)
    if "unused-suppression" in rules:
        for file, line, column, rule_id in unused:
            if rule_id in all_rules() and rule_id not in rules:
                continue
            message = f"suppression of {rule_id!r} matches no finding; remove it"
            if rule_id not in all_rules() and rule_id != "all":
                message = f"suppression names unknown rule {rule_id!r}; remove or correct it"
            findings.append(_engine_finding("unused-suppression", settings, file, line, column, message))
    return findings
