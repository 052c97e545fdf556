"""Tie a diagnosis to the manifests that caused it (``diagnose --manifests``).

Two sources, both reported as findings with file:line:
- lint findings of the entry's ``related_rules``, kept only when they mention
  the values named in ``lint_match`` (the quota's containers, the kind, ...);
- locators (``locate:`` in an entry) that point at the objects the error names
  even when no lint rule covers it yet: the object with the unknown kind, the
  containers a quota rejected.

The lint engine is imported here, inside the function, and nowhere else in
the diagnose package.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace

from k8slint.access import mapping


class LinkError(Exception):
    """The manifests could not be linted (missing path, bad config)."""


def _values(value) -> list[str]:
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if str(v)]
    return [str(value)] if value not in (None, "") else []


def _mentions(finding, values: list[str]) -> bool:
    text = f"{finding.message} {finding.object or ''} {finding.path or ''}"
    return any(re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text) for v in values)


def _relevant(finding, diag) -> bool:
    if finding.rule not in diag.entry.related_rules or finding.suppressed:
        return False
    for fact in diag.entry.lint_match:
        values = _values(diag.facts.get(fact))
        if values and not _mentions(finding, values):
            return False
    return True


def _located(obj, path: str, message: str, diag):
    span = obj.doc.locate(obj.full_path(path), on_key=False)
    return SimpleNamespace(
        rule=diag.entry.id,
        severity="error",
        message=message,
        file=obj.doc.file,
        line=span.line,
        column=span.column,
        object=obj.ref,
        path=obj.full_path(path),
        suppressed=False,
    )


def _locate_kind(objects, diag) -> list:
    facts = diag.facts
    kind, api_version = facts.get("kind"), facts.get("api_version")
    out = []
    for obj in objects:
        if obj.kind != kind or (api_version and obj.api_version != api_version):
            continue
        problem = facts.get("problem")
        if problem == "kind-typo":
            message = f"kind {kind} is not a Kubernetes kind; did you mean {facts['suggested_kind']}?"
        elif problem == "removed-api":
            message = (
                f"{kind} is no longer served as {api_version} (removed in {facts['removed_in']}); "
                f"use {facts['replacement_api_version']}"
            )
        elif problem == "wrong-api-version":
            message = f"{kind} is served as {facts['suggested_api_version']}, not {api_version}"
        else:
            message = f"{kind} ({api_version}) needs its CustomResourceDefinition installed first"
        out.append(_located(obj, "kind" if problem == "kind-typo" else "apiVersion", message, diag))
    return out


def _locate_containers_without_resources(objects, diag) -> list:
    facts = diag.facts
    wanted = set(_values(facts.get("containers")))
    required = _values(facts.get("missing_resources")) or [
        "requests.cpu",
        "requests.memory",
        "limits.cpu",
        "limits.memory",
    ]
    namespace = facts.get("namespace")
    out = []
    for obj in objects:
        if namespace and obj.namespace != namespace:
            continue
        for container in obj.containers():
            if wanted and container.name not in wanted:
                continue
            resources = mapping(container.data, "resources")
            lacking = []
            for item in required:
                section, _, name = item.rpartition(".")
                sections = [section] if section else ["requests", "limits"]
                for sec in sections:
                    block = mapping(resources, sec)
                    if name not in block and f"{sec}.{name}" not in lacking:
                        lacking.append(f"{sec}.{name}")
            if lacking:
                kind = "init container" if container.init else "container"
                message = f"{kind} {container.name} of {obj.kind} {obj.name} sets no {', '.join(lacking)}"
                path = f"{container.path}.resources" if resources else container.path
                out.append(_located(obj, path, message, diag))
    return out


LOCATORS: dict[str, Callable] = {
    "kind": _locate_kind,
    "containers-without-resources": _locate_containers_without_resources,
}


def attach_findings(diagnoses: list, paths: list[str]) -> None:
    """Lint ``paths`` and give every diagnosis the findings that explain it."""
    from k8slint.config import ConfigError, Settings
    from k8slint.engine import lint_paths
    from k8slint.registry import all_rules

    known = all_rules()
    wanted = sorted({rule for d in diagnoses for rule in d.entry.related_rules if rule in known})
    settings = Settings(select=wanted or ["all"])
    try:
        result = lint_paths(paths, settings)
    except ConfigError as exc:
        raise LinkError(f"--manifests: {exc}") from None
    if result.missing:
        raise LinkError(f"--manifests: no such file or directory: {', '.join(result.missing)}")
    for diag in diagnoses:
        found = [f for f in result.findings if wanted and _relevant(f, diag)]
        seen = {(f.file, f.line) for f in found}
        for name in diag.entry.locate:
            for item in LOCATORS[name](result.objects, diag):
                if (item.file, item.line) not in seen:
                    seen.add((item.file, item.line))
                    found.append(item)
        found.sort(key=lambda f: (f.file, f.line, f.column))
        diag.findings = found
