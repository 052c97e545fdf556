"""The lint engine: sources -> documents -> objects -> rules -> findings -> filters.

Work per file (read, parse, classify, per-object rules, positions) runs in a
process pool (``pool``); rules that look across files run once, in this
process, over the merged index. A check that raises becomes an
``internal-error`` finding at what it was checking; the run goes on.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from k8slint import cache, filters, focus, observed, pool, replay, suppress
from k8slint.config import Settings
from k8slint.documents import Document, Span
from k8slint.filters import INTERNAL_ERROR, engine_finding
from k8slint.findings import SEVERITY_RANK, Edit, Finding, Hit
from k8slint.index import Index
from k8slint.kube import anchors
from k8slint.kube.model import K8sObject, classify, expand_objects, tool_of
from k8slint.layout import read_layout
from k8slint.parse import parse_source
from k8slint.registry import Context, Rule, all_rules
from k8slint.sources import Discovery, Source, SourceError, discover

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
    tools: dict[str, int] = field(default_factory=dict)  # tool configs passed over, by tool
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
    tool_configs: dict[str, int] = field(default_factory=dict)  # documents that are a tool's config, by tool
    helm: list[str] = field(default_factory=list)  # Helm chart files and directories passed over
    kubernetes_versions: list[str] = field(default_factory=list)  # the target versions, when a run has several
    notices: list[str] = field(default_factory=list)  # one-line things the user should know (a renderer missing)

    @property
    def empty(self) -> bool:
        """Nothing was there to lint (a run that only met Helm charts is not empty: it had nothing to check)."""
        return not self.files and not self.helm

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity and not f.suppressed)

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.suppressed)

    @property
    def crashed(self) -> bool:
        """A check raised: the report is incomplete (exit 2)."""
        return any(f.rule == INTERNAL_ERROR for f in self.findings)

    def failed(self, fail_on: str) -> bool:
        threshold = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings if not f.suppressed)


def lint_paths(
    paths: list[str],
    settings: Settings | None = None,
    *,
    stdin_filename: str | None = None,
    compose_files=(),
    context=None,
    baseline: str | None = None,
) -> Result:
    """Lint files, directories and globs (``-`` is stdin); the library's main entry point.

    ``context`` (default: ``settings.context``) names more files or directories
    whose objects join the index, so cross-file rules resolve references, but
    whose own findings are not reported (pre-commit on staged files).
    ``baseline`` names a baseline file whose recorded findings are left out
    (``baseline.BaselineError`` when it cannot be read).
    """
    settings = settings or Settings()
    with replay.listing_once():  # the walks of one run share one view of the tree
        run = discover_run(paths, settings, stdin_filename, compose_files, context)
        from k8slint import render

        if render.wanted(
            settings, run.sources, paths
        ):  # kustomize builds, Helm output: linted as rendered, reported at the source
            result = render.lint_rendered(run, paths, settings, lint_sources)
        else:
            result = lint_sources(run.sources, settings, run.missing, context=run.context, helm=run.helm)
    return filters.apply_baseline(result, baseline)[0] if baseline else result


@dataclass
class Run:
    """The discovered sources of a run; ``context`` holds the very linted Source objects."""

    sources: list[Source]
    missing: list[str]
    context: list[Source]
    helm: list[str]  # Helm chart files and directories passed over


def discover_run(
    paths: list[str], settings: Settings, stdin_filename: str | None = None, compose_files=(), context=None
) -> Run:
    gitignore = settings.respect_gitignore
    found = discover(
        paths, settings.exclude, stdin_filename, compose_files, gitignore=gitignore, max_bytes=settings.max_file_size
    )
    context_paths = settings.context if context is None else context
    tree = discover(context_paths, settings.exclude, gitignore=gitignore) if context_paths else Discovery([], [])
    linted = {os.path.abspath(source.path or source.display): source for source in found.sources}
    names = {os.path.basename(path) for path in linted}  # most of a tree's files are not linted: no need to look
    sources = [
        linted.get(os.path.abspath(source.path), source) if os.path.basename(source.path) in names else source
        for source in tree.sources
    ]
    return Run(found.sources, found.missing + tree.missing, sources, found.helm)


def lint_sources(
    sources: list[Source],
    settings: Settings,
    missing: list[str] = (),
    context: list[Source] = (),
    helm: list[str] = (),
) -> Result:
    """Lint already discovered sources; see ``lint_paths``.

    ``context`` is the whole tree in discovery order, holding the linted
    sources where they belong: the index sees objects in that order, as a run
    over the whole tree would. ``helm`` lists the chart files discovery passed over.
    """
    with few_collections():
        result = _lint_sources(sources, settings, missing, context)
    result.helm = list(helm)
    return result


@contextmanager
def few_collections():
    """Raise the GC thresholds while a run's objects are alive (reporting a big run needs it too); what the run
    froze (``gc.freeze``) goes back to the collector's oldest generation at the end, unless a caller had frozen
    objects of its own (a language server keeps its workspace frozen)."""
    old_thresholds = gc.get_threshold()
    frozen = gc.get_freeze_count()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old_thresholds)
        if not frozen:
            gc.unfreeze()


@contextmanager
def _parsing():
    """No collections while a file is parsed: its node tree is all alive until the file is done, so a collection
    finds nothing to free and only rescans the tree (a multi-MB file's parse spent a tenth of its time there).
    What the parse made then goes straight to the oldest generation (``freeze`` and ``unfreeze`` move lists, they
    scan nothing), unless a caller keeps objects frozen of its own."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _lint_sources(sources: list[Source], settings: Settings, missing, context: list[Source]) -> Result:
    linted = set(sources)
    context_only = [source for source in context if source not in linted]
    store = cache.open_store(settings) if sources else None
    context_store = cache.open_store(settings, checked=False) if context_only else None
    kustomizations = cache.Table(store or context_store, "kustomizations")  # read again only when changed
    layout = read_layout(
        [],
        files=[source.path for source in list(sources) + context_only if source.path],
        known=kustomizations,
        gitignore=settings.respect_gitignore,
    )
    kustomizations.save()
    for source in sources:
        source.role = layout.role(source.path)
    # a context file's role is worked out only when it is linted or its entry must be named anew
    keys, context_keys = cache.keys_of(store, sources, layout), cache.keys_of(context_store, context_only, layout)
    memo = cache.RunMemo.of(
        store, [(store, keys), (context_store, context_keys), (None, _order_keys(context, sources))]
    )

    def lint_linted():
        rules = filters.enabled_rules(settings)
        return cache.map_files(store, sources, lambda stale: pool.map_files(stale, settings, rules, lint_file), keys)

    remembered = memo.load() if memo else None
    if remembered is not None:  # nothing changed: the run's result, its objects read only if a reporter lists them
        remembered.objects = cache.Deferred(lambda: [obj for result in lint_linted() for obj in result.objects])
        remembered.missing = list(missing)
        return remembered
    results = lint_linted()
    rules = filters.enabled_rules(settings)
    # context-only files are parsed and indexed (no per-object rules); their findings are dropped below
    # keyed by our own Source objects: results that crossed a process boundary or came from the cache hold copies
    by_source = dict(zip(sources, results, strict=False))
    by_source.update(_context_results(context_store, context_only, context_keys, sources, settings, layout))
    in_tree = set(context)
    indexed = [by_source[source] for source in context if source in by_source] + [
        by_source[source] for source in sources if source not in in_tree
    ]
    # by both names: a compose project names the files it pulls in from disk by their normalized path
    hidden = frozenset(name for source in context_only for name in (source.display, os.path.normpath(source.display)))
    objects = [obj for result in results for obj in result.objects]
    # every file's result is in, and lives until the run ends: collections need not scan it again and again
    # (a 100k-document run spent seconds there), nor a helper process forked from here (``pool.share``) copy it
    gc.freeze()
    with observed.recording() as seen:
        findings = combine(results, indexed, settings, rules, hidden, store)
    for obj in objects:  # reporters need neither the rules' maps nor places: a large run's report has the memory
        obj.settle()
    from k8slint.render import owners

    result = Result(
        findings=owners.collapse(findings, objects),  # `kubectl get` dumps: once, at the owner
        files=len(sources),
        documents=sum(result.documents for result in results),
        objects=objects,
        missing=list(missing),
        skipped_documents=sum(result.skipped for result in results),
        tool_configs=dict(sum((Counter(result.tools) for result in results), Counter())),
        kubernetes_versions=versions if len(versions := settings.kubernetes_versions()) > 1 else [],
    )
    if memo and not result.crashed:
        memo.save(replace(result, objects=[], missing=[]), seen)
    return result


def _context_results(store, context_only: list[Source], keys: list, linted: list[Source], settings, layout) -> dict:
    """The results of the context-only files the linted files' findings depend on (``focus``), by source.

    Which files hold what every object of a run sees is remembered by entry
    name beside the cache, so the other files of the tree are not even loaded;
    without the cache every file is parsed to find out.
    """
    around = focus.Focus(_path(source) for source in linted)
    wide = cache.Table(store, "run-wide")

    def lint(stale: list[Source]) -> list[FileResult]:
        for source in stale:
            source.role = layout.role(source.path)
        return pool.map_files(stale, settings, {}, lint_file)  # indexed only: no per-object rules

    def results_of(indices: list[int]) -> dict[int, FileResult]:
        found = cache.map_files(store, [context_only[i] for i in indices], lint, [keys[i] for i in indices])
        return dict(zip(indices, found, strict=True))

    inside = [around.within(_path(source)) for source in context_only]
    read = results_of([i for i, key in enumerate(keys) if inside[i] or wide.get(key) is not False])
    seen_by_all = {i for i, result in read.items() if focus.run_wide(result)}
    for i in read:
        wide.set(keys[i], i in seen_by_all)
    wide.save()
    kept = {i: result for i, result in read.items() if inside[i] or i in seen_by_all}
    if focus.takes_params(kept.values()):  # an admission policy's params may be any object of the run
        kept = {**read, **results_of([i for i in range(len(context_only)) if i not in read])}
    return {context_only[i]: result for i, result in kept.items()}


def _path(source: Source) -> str:
    return source.path or source.display


def _order_keys(context: list[Source], sources: list[Source]) -> list:
    """Where the linted files sit in the context tree (the index sees objects in that order)."""
    at = {source: i for i, source in enumerate(context)}
    return [str(at.get(source, -1)) for source in sources]


def combine(
    results: list[FileResult],
    indexed: list[FileResult],
    settings: Settings,
    rules: dict[str, Rule],
    hidden: frozenset[str] = frozenset(),
    store=None,
) -> list[Finding]:
    """The findings of ``results`` (files already linted one by one) against the index of ``indexed``, filtered and sorted.

    ``indexed`` holds every file whose objects the index sees (``results`` among
    them, once); cross-file rules run over it, and the filters follow. Files in
    ``hidden`` are indexed but never reported; ``store`` is the run's result
    cache (``cache``), if any. A long-lived caller (the language server) keeps
    the per-file results of a workspace warm, re-lints only the files that
    changed (``lint_file``) and calls this.
    """
    findings = [finding for result in results for finding in result.findings]
    compose_documents = [doc for result in indexed for doc in result.compose_documents]
    projects = _compose_projects(compose_documents, settings)
    index = Index([obj for result in indexed for obj in result.objects], projects, hidden)
    findings.extend(_cross_file_findings(rules, index, projects, settings, hidden, store))
    suppressions = {
        **_loaded_suppressions(projects, results),
        **{result.source.display: result.suppressions for result in results},
    }
    findings = filters.apply(findings, rules, settings, suppressions, index.objects)
    if hidden:
        findings = [finding for finding in findings if finding.file not in hidden]
    findings.sort(key=Finding.sort_key)
    return findings


def _cross_file_findings(
    rules: dict[str, Rule], index: Index, projects: list, settings: Settings, hidden=frozenset(), store=None
) -> list[Finding]:
    """Run index and compose rules; locate their hits file by file, so each file is re-read once (by workers when many).

    A large index's rules are shared with a helper process (``pool.share``).
    Hits in ``hidden`` files (context-only, never reported) are not located at all.
    """
    by_module: dict[str, list[Rule]] = {}  # one task per check module: its rules share what they work out
    for rule in rules.values():
        if (rule.scope == "index" and index.objects) or (rule.scope == "compose" and projects):
            by_module.setdefault(rule.check.__module__, []).append(rule)
    tasks = list(by_module.values())
    first = (
        next((obj for obj in index.objects if obj.doc.file not in hidden), index.objects[0]) if index.objects else None
    )

    def findings_of(claim) -> list[Finding]:
        ctx = Context(settings)
        pending = []  # (rule, document, hit, object)
        while (task := claim()) is not None:
            for rule in tasks[task]:
                if rule.scope == "index":
                    pending.extend(
                        (reported, hit.obj.doc, hit, hit.obj) for reported, hit in _run(rule, index, ctx, first)
                    )
                else:
                    for project in projects:
                        pending.extend(
                            (reported, hit.doc or project.doc, project.conceal(hit), None)
                            for reported, hit in _run(rule, project, ctx)
                        )
        return _placed([item for item in pending if item[1].file not in hidden], settings, store)

    helper = len(index.objects) >= pool.PARALLEL_MIN_OBJECTS and pool.worker_count(settings) > 1
    return pool.share(len(tasks), findings_of, helper)


def _placed(pending: list[tuple], settings: Settings, store) -> list[Finding]:
    """The findings of ``(rule, document, hit, object)`` hits, each placed in its file; compose hits once per node."""
    pending.sort(key=lambda item: (item[1].file, item[1].index))
    spans = [
        anchors.anchored_span(obj, hit.path, hit.on_key) if obj is not None and hit.doc is None else None
        for _, _, hit, obj in pending
    ]
    unplaced = [i for i, span in enumerate(spans) if span is None]  # placed by reading their documents again
    requests = [(pending[i][1], _hit_path(pending[i][2], pending[i][3]), pending[i][2].on_key) for i in unplaced]
    for i, span in zip(unplaced, cache.place(store, requests, lambda stale: pool.place(stale, settings)), strict=True):
        spans[i] = span
    findings, seen = [], set()
    for (rule, doc, hit, obj), span in zip(pending, spans, strict=False):
        finding = _finding(rule, doc, hit, obj, span)
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

    observed.environ()  # interpolation sees the process environment

    return build_projects(documents, settings)


BASE_COMPOSE_NAME = re.compile(r"^(docker-)?compose\.ya?ml$")  # loaded alone; other compose names may be layers


def _compose_shape(source: Source, parsed) -> str | None:
    """Why a file named as a compose file is not one docker compose can load, or None.

    The loader refuses a file without a mapping of top-level keys, and calls one with no key but the
    obsolete ``version`` empty.
    """
    if not source.is_compose_name or parsed.line_problems:
        return None
    mappings = [doc.data for doc in parsed.documents if isinstance(doc.data, dict)]
    if any(set(data) - {"version"} for data in mappings):
        return None
    shapes = {type(doc.data) for doc in parsed.documents} - {type(None), dict}
    if not shapes:  # an empty add-on (compose.extras.yaml) is fine in `-f compose.yaml -f compose.extras.yaml`
        if not BASE_COMPOSE_NAME.match(os.path.basename(source.display)):
            return None
        return "the compose file is empty, and docker compose refuses an empty compose file; add services: or delete the file"
    shape = "a list" if list in shapes else "a plain value"
    return f"the compose file is {shape}, not a mapping of top-level keys, so docker compose refuses it; start it with services:"


def lint_file(source: Source, settings: Settings, rules: dict[str, Rule]) -> FileResult:
    """Everything that needs only this file: parse, classify, per-object rules, positions.

    ``source.role`` is what the file is in its repository (``layout.Role``):
    a kustomize patch holds partial objects, a kustomize input or a tool's
    config holds none.
    """
    role = source.role
    with _parsing():
        parsed = parse_source(source, settings.max_file_size)
    result = FileResult(source, documents=len(parsed.documents))
    result.suppressions = suppress.scan(parsed.text)
    for rule_id, line, column, message in parsed.line_problems:
        result.findings.append(engine_finding(rule_id, source.display, line, column, message))
    compose_shape = _compose_shape(source, parsed)
    if compose_shape:  # docker compose refuses it; it is reported instead of document-not-mapping
        result.findings.append(engine_finding("compose-not-mapping", source.display, 1, 1, compose_shape))
    ctx = Context.of(settings)
    object_rules = [rule for rule in rules.values() if rule.scope == "object"]
    anchoring = any(rule.scope == "index" for rule in rules.values())  # cross-file findings will want places
    for doc in parsed.documents:
        category = classify(doc, role)
        if category in ("compose", "kubernetes"):  # YAML oddities matter only in manifests (not in e.g. CI workflows)
            for rule_id, line, column, message in parsed.document_problems.get(doc.index, ()):
                finding = engine_finding(rule_id, source.display, line, column, message)
                if category == "compose" and rule_id == "yaml-non-string-key":  # the compose loader refuses it
                    finding = replace(
                        finding, severity="error", message=f"{message} (docker compose refuses such a key)"
                    )
                result.findings.append(finding)
        if category == "compose":
            if not doc.yaml12:
                doc = _as_yaml12(doc)
            result.compose_documents.append(doc)
        elif category == "kubernetes":
            for obj in expand_objects(doc, settings.namespace, role):
                result.objects.append(obj)
                for rule in object_rules:
                    if rule.applies(obj.kind):
                        for reported, hit in _run(rule, obj, ctx, obj):
                            result.findings.append(_finding(reported, doc, hit, obj))
                if anchoring:
                    anchors.place(obj)
        elif category == "config":
            tool = role.config or tool_of(doc)
            result.tools[tool] = result.tools.get(tool, 0) + 1
        elif (
            doc.data is not None and not isinstance(doc.data, dict) and not role.partial and not compose_shape
        ):  # JSON 6902 patches are lists
            result.findings.append(
                _finding_at(
                    "document-not-mapping",
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


def _run(rule: Rule, subject, ctx: Context, obj: K8sObject | None = None) -> Iterator[tuple[Rule, Hit]]:
    """``(rule, hit)`` for each hit of the rule's check on ``subject``, for every target version of the run.

    A check runs for the first version, and for another only if it asked
    something that version answers differently (the version itself, or a
    catalog question); a hit that does not hold for every version carries the
    versions it holds for.
    """
    if len(ctx.versions) == 1:
        return _checked(rule, subject, ctx.for_rule(rule), obj)
    runs, last = [], None
    for version in ctx.versions:
        rule_ctx = ctx.for_rule(rule, version)
        if last is not None and last.answers_alike(rule_ctx):
            runs.append(runs[-1])
            continue
        runs.append(_checked(rule, subject, rule_ctx, obj))
        if last is None and not rule_ctx.read_version:
            return iter(runs[0])
        last = rule_ctx
    if all(run is runs[0] for run in runs):  # every version answered alike: one run holds for all
        return iter(runs[0])
    return _by_version(runs, ctx.versions)


def _checked(rule: Rule, subject, ctx: Context, obj: K8sObject | None) -> list[tuple[Rule, Hit]]:
    """The hits of one check; a check that raises ends with one ``internal-error`` hit at ``obj`` (or the
    compose file), so the report says the run is incomplete; the run goes on.
    """
    hits = []
    try:
        for hit in rule.check(subject, ctx):
            hits.append((rule, hit))
    except Exception as exc:  # a bug in one check must not stop the run
        summary = (str(exc).strip().splitlines() or [""])[0]
        print(f"k8slint: internal error in rule {rule.id}: {type(exc).__name__}: {summary}", file=sys.stderr)
        message = (
            f"rule {rule.id} crashed with {type(exc).__name__}{': ' + summary if summary else ''}, so it did not "
            "check this; this is a bug in k8slint, please report it"
        )
        hits.append((all_rules()[INTERNAL_ERROR], Hit("", message, obj=obj)))
    return hits


def _by_version(runs: list[list], versions: list[str]) -> Iterator[tuple[Rule, Hit]]:
    """The hits of one check's runs, one run per version, each once with the versions it holds for.

    Hits that differ only in naming their run's version ("the target is 1.29")
    are one hit, its message naming every version it holds for.
    """
    found: dict[tuple, tuple[Rule, Hit, str, list]] = {}
    for version, hits in zip(versions, runs, strict=True):
        mention = re.compile(rf"(?<![\d.]){re.escape(version)}(?![\d])")
        for rule, hit in hits:
            template = mention.sub("\0", hit.message)
            key = (rule.id, hit.path, template, hit.on_key, hit.severity, id(hit.obj), id(hit.doc))
            found.setdefault(key, (rule, hit, template, []))[3].append(version)
    for rule, hit, template, held in found.values():
        if template != hit.message:
            hit = replace(hit, message=template.replace("\0", ", ".join(held)))
        yield rule, (hit if len(held) == len(versions) else replace(hit, versions=tuple(held)))


def _hit_path(hit: Hit, obj: K8sObject | None) -> str:
    return obj.full_path(hit.path) if obj is not None and hit.doc is None else hit.path


def _severity(rule: Rule, hit: Hit, obj: K8sObject | None) -> str:
    """The hit's own severity, else the rule's; an error in a patch nothing uses is a warning (it is never sent)."""
    severity = hit.severity or rule.severity
    if severity == "error" and obj is not None and obj.role.unused and rule.id != INTERNAL_ERROR:
        return "warning"
    return severity


def _finding(rule: Rule, doc: Document, hit: Hit, obj: K8sObject | None, span: Span | None = None) -> Finding:
    path = _hit_path(hit, obj)
    span = span or doc.locate(path, hit.on_key)
    return Finding(
        rule=rule.id,
        severity=_severity(rule, hit, obj),  # configured severities are applied later, by filters
        message=hit.message,
        file=doc.file,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        document=doc.index,
        object=obj.ref if obj is not None else None,
        path=path,
        help=hit.fix_title or rule.help or None,
        edits=tuple(Edit(e.op, obj.full_path(e.path), e.value) for e in hit.edits) if obj is not None else hit.edits,
        unsafe=hit.unsafe,
        versions=hit.versions,
    )


def _finding_at(rule_id: str, doc: Document, path: str, message: str) -> Finding:
    return _finding(all_rules()[rule_id], doc, Hit(path, message), None)


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
