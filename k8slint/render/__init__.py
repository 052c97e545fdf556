"""Rendering: lint what kustomize and Helm produce, and report it where it was written.

``plan`` decides, before linting, which streams are rendered: each
kustomization root built by kustomize (``--kustomize``), each Helm output
(``# Source:`` comments, on stdin or in a file named on the command line, or
``helm template`` of ``--helm CHART``). ``lint_rendered`` lints every
rendered stream in a run of its own (an overlay is one deployment: its
objects meet only each other), moves each finding to the file the user edits,
and reports a finding that several kustomize builds share (a base seen
through two overlays) once, naming the builds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from k8slint.findings import Finding
from k8slint.sources import Source


def wanted(settings, sources: list[Source], paths: list[str]) -> bool:
    """Whether a run has anything to render (cheap: only stdin and the files named on the command line are sniffed)."""
    from k8slint.render.helm import is_rendered

    named = _named(paths)
    return (
        settings.kustomize
        or bool(settings.helm)
        or any(is_rendered(source, sniff=_is_named(source, named)) for source in sources)
    )


def _named(paths: list[str]) -> set[str]:
    return {os.path.normpath(path) for path in paths if path != "-"}


def _is_named(source: Source, named: set[str]) -> bool:
    return source.path is not None and os.path.normpath(source.path) in named


@dataclass
class Plan:
    """The sources linted as they are, the rendered streams, and what to tell the user."""

    sources: list[Source]
    renders: list = field(default_factory=list)  # kustomize.Build / helm.Stream: .source .label .files .relocate()
    findings: list[Finding] = field(default_factory=list)  # what kustomize or helm refused to render
    notices: list[str] = field(default_factory=list)


def plan(sources: list[Source], paths: list[str], settings) -> Plan:
    """Split the run's sources into rendered streams and the files linted as they are."""
    from k8slint.render import helm, origins

    origins.read_documents.cache_clear()  # files may have changed since the last run of this process
    result = Plan(list(sources))
    named = _named(paths)
    for source in sources:
        if helm.is_rendered(source, sniff=_is_named(source, named)):
            stream = helm.stream(source)
            if stream is not None:
                result.renders.append(stream)
                result.sources.remove(source)
    if settings.helm:
        _plan_helm(result, settings.helm, settings.helm_values)
    if settings.kustomize:
        _plan_kustomize(result, paths)
    return result


def _plan_helm(result: Plan, chart: str, values: list[str]) -> None:
    from k8slint.filters import engine_finding
    from k8slint.render import helm

    try:
        result.renders.append(helm.template(chart, values))
    except FileNotFoundError as exc:
        result.notices.append(str(exc))
    except helm.TemplateError as exc:
        result.findings.append(engine_finding("render-failed", chart, 1, 1, f"helm cannot render {chart}: {exc}"))


def _plan_kustomize(result: Plan, paths: list[str]) -> None:
    from k8slint.filters import engine_finding
    from k8slint.render import kustomize, origins

    roots = kustomize.roots([path for path in paths if path != "-"] + [s.path for s in result.sources if s.path])
    if not roots:
        return
    argv = kustomize.command()
    if argv is None:
        result.notices.append(kustomize.NO_BINARY)
        return
    built = set()
    for root in roots:
        try:
            build = kustomize.build(root, argv)
        except kustomize.BuildError as exc:
            message = f"kustomize cannot build {origins.display(os.path.dirname(root))}: {exc}"
            result.findings.append(engine_finding("render-failed", origins.display(root), 1, 1, message))
            continue
        result.renders.append(build)
        built |= build.files
    result.sources = [s for s in result.sources if not (s.path and os.path.abspath(s.path) in built)]


def lint_rendered(run, paths: list[str], settings, lint_sources):
    """Lint a run whose sources include rendered streams; ``lint_sources`` is the engine's (a Result back)."""
    from k8slint.documents import Document
    from k8slint.render.origins import display

    planned = plan(run.sources, paths, settings)
    left_out = set(run.sources) - set(planned.sources)
    context = [source for source in run.context if source not in left_out]
    result = lint_sources(planned.sources, settings, run.missing, context=context, helm=run.helm)
    builds: list[tuple[str, list[Finding]]] = []
    files = set()
    for render in planned.renders:
        part = lint_sources([render.source], settings)
        for finding in part.findings:
            render.relocate(finding)
            finding.edits = ()  # fixes edit the stream as rendered, not the file the finding now points at
        if render.files:
            builds.append((render.label, part.findings))
            files |= render.files
        else:
            result.findings.extend(part.findings)
            result.files += 1
        for obj in part.objects:  # reporters that list objects (JUnit) list them under the files they came from
            home = render.home(obj)
            if home is not None:
                obj.doc = Document(Source(display(home), home), obj.doc.index, obj.doc.data)
        result.objects.extend(part.objects)
        result.documents += part.documents
        result.skipped_documents += part.skipped_documents
        for tool, count in part.tool_configs.items():
            result.tool_configs[tool] = result.tool_configs.get(tool, 0) + count
    result.files += len(files)
    result.findings.extend(combine(builds) + planned.findings)
    _suppress(result.findings, {finding.file for _, findings in builds for finding in findings})
    result.findings.sort(key=Finding.sort_key)
    result.notices.extend(planned.notices)
    return result


def combine(builds: list[tuple[str, list[Finding]]]) -> list[Finding]:
    """One finding per problem: the same rule at the same place from several builds is reported once, naming them."""
    merged: dict[tuple, tuple[Finding, list[str]]] = {}
    for label, findings in builds:
        for finding in findings:
            key = (finding.rule, finding.file, finding.line, finding.column, finding.end_line, finding.end_column)
            if key in merged:
                merged[key][1].append(label)
            else:
                merged[key] = (finding, [label])
    for finding, labels in merged.values():
        if len(builds) > 1:
            names = sorted(set(labels))
            finding.message += f" (kustomize build{'s' * (len(names) > 1)} of {', '.join(names)})"
    return [finding for finding, _ in merged.values()]


def _suppress(findings: list[Finding], files: set[str]) -> None:
    """Apply the ``# k8slint: disable=`` comments of the files relocated findings now point into."""
    from k8slint import suppress
    from k8slint.errors import SourceError

    comments = {}
    for file in files:
        try:
            comments[file] = suppress.scan(Source(file, file).read())
        except SourceError:
            continue
    suppress.apply([finding for finding in findings if finding.file in comments], comments)
