"""Object identity: kind and apiVersion present, valid names, no object defined twice."""

from __future__ import annotations

import os
import re
from collections import Counter
from itertools import combinations
from typing import TYPE_CHECKING

from k8slint.findings import Hit
from k8slint.index import place
from k8slint.kube.anchors import locate
from k8slint.placeholders import is_template_value

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
# kinds whose names are validated as path segments only (e.g. "system:node-proxier")
PATH_SEGMENT_KINDS = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}
LABEL_NAME_KINDS = {
    "Namespace": (DNS1123_LABEL, 63, "a DNS-1123 label"),
    "Service": (DNS1035_LABEL, 63, "a DNS-1035 label"),
}


def missing_kind_or_apiversion(obj: K8sObject, ctx: Context) -> Hits:
    for key in ("apiVersion", "kind"):
        value = obj.data.get(key)
        if value is None or value == "":
            if obj.role.partial:
                continue  # a kustomize patch may name its target in the kustomization instead
            yield Hit("", f"the document has no {key}; every Kubernetes object needs both apiVersion and kind")
        elif not isinstance(value, str):
            yield Hit(key, f"{key} must be a string, not {value!r}")


def invalid_object_name(obj: K8sObject, ctx: Context) -> Hits:
    if not isinstance(obj.data.get("metadata", {}), dict):
        return  # the schema rule reports a metadata that is not a mapping
    name = obj.metadata.get("name")
    if name is None:
        if not obj.metadata.get("generateName") and not obj.role.partial:
            yield Hit(
                "metadata",
                f"{obj.kind or 'object'} has no metadata.name (or generateName); the API server requires one",
            )
        return
    if is_template_value(obj, "metadata.name", name) or obj.role.partial:
        return  # a template's placeholder, filled in later; a kustomize patch's name only selects its target
    if not isinstance(name, str):
        yield Hit("metadata.name", f"metadata.name must be a string, not {name!r}; quote it")
        return
    if obj.kind in PATH_SEGMENT_KINDS:
        if name in (".", "..") or "/" in name or "%" in name:
            yield Hit("metadata.name", f"name {name!r} may not be '.' or '..' or contain '/' or '%'")
        return
    pattern, limit, what = LABEL_NAME_KINDS.get(obj.kind, (DNS1123_SUBDOMAIN, 253, "a DNS-1123 subdomain"))
    if len(name) > limit or not pattern.fullmatch(name):
        suggestion = _suggest(name, pattern, limit)
        hint = f"; try {suggestion!r}" if suggestion else ""
        yield Hit(
            "metadata.name",
            f"{obj.kind} name {name!r} is not {what} (lowercase letters, digits and '-', at most {limit} characters){hint}",
        )


def _suggest(name: str, pattern: re.Pattern, limit: int) -> str | None:
    candidate = re.sub(r"[^a-z0-9.-]+", "-", name.lower())
    if pattern is not DNS1123_SUBDOMAIN:
        candidate = candidate.replace(".", "-")
    candidate = candidate.strip("-.")[:limit].strip("-.")
    return candidate if candidate and pattern.fullmatch(candidate) else None


# directories whose files are separate inputs (a test case each, a sample each), never applied as one
GALLERY_DIRECTORIES = {"test", "tests", "testdata", "e2e", "fixtures", "samples", "sample", "examples", "example"}


def duplicate_object(index: Index, ctx: Context) -> Hits:
    """Objects of one directory are applied together (``kubectl apply -f DIR``): a later definition replaces the first.

    Other directories are other clusters, environments or variants and are not compared. Across files of one
    directory, identical copies change nothing, files that share several objects are variants of one another
    (an alternative bundle, the next step of a test), and a name defined in three files or more is a gallery of
    alternatives: none of these is reported, nor are files of test and sample directories (the path as given).
    Two definitions in one file always are.
    """
    from k8slint.checks.api import KindScopes

    scopes = KindScopes(index, ctx)
    definitions: dict[tuple, list] = {}
    for obj in index.objects:
        if obj.kind and obj.name and not obj.role.partial:  # a kustomize patch is part of the object it patches
            key = (place(obj), obj.group, obj.kind, _namespace(obj, scopes), obj.name)
            definitions.setdefault(key, []).append(obj)
    shared = Counter()  # (file, file) -> objects both define
    for objects in definitions.values():
        files = sorted({obj.doc.file for obj in objects})
        shared.update(combinations(files, 2))
    for (_, _, kind, namespace, name), objects in definitions.items():
        if len(objects) < 2:
            continue
        shown = f"{kind} {namespace}/{name}" if namespace is not None else f"{kind} {name}"
        objects.sort(key=lambda obj: (obj.doc.file, obj.doc.index))  # kubectl's order: files by name, then documents
        gallery = len({obj.doc.file for obj in objects}) > 2  # the same name in three files: alternatives
        last_in_file = {objects[0].doc.file: objects[0]}
        for i, later in enumerate(objects[1:], 1):
            hit = _duplicate(shown, objects[i - 1 :: -1], later, last_in_file.get(later.doc.file), shared, gallery)
            last_in_file[later.doc.file] = later
            if hit:
                yield hit


def _duplicate(shown: str, earlier: list, later, same_file, shared: Counter, gallery: bool) -> Hit | None:
    """``earlier`` holds the definitions before ``later``, the nearest first; ``same_file`` is the last of them in
    ``later``'s file (None when it is the first there)."""
    if same_file is not None:
        first, second = _line(same_file), _line(later)
        return Hit(
            "metadata.name",
            f"{shown} is defined twice in this file, at lines {first} and {second}; kubectl apply applies both and "
            f"the one at line {second} replaces the other; delete one or rename it",
            obj=later,
        )
    if later.role.template or gallery or GALLERY_DIRECTORIES & set(os.path.normpath(later.doc.file).split(os.sep)[:-1]):
        return None  # a template is rendered on its own (clusterctl, envsubst), never applied beside its siblings
    first = next(
        (
            obj
            for obj in earlier
            if obj.data != later.data and shared[tuple(sorted((obj.doc.file, later.doc.file)))] < 2
        ),
        None,
    )
    if first is None:
        return None
    directory = os.path.dirname(later.doc.file) or "."
    return Hit(
        "metadata.name",
        f"{shown} is also defined in {first.doc.file}:{_line(first)} with different content; applied together "
        f"(kubectl apply -f {directory}) the later file, {os.path.basename(later.doc.file)}, wins; rename one, or "
        "keep alternatives in separate directories",
        obj=later,
    )


def _line(obj) -> int:
    return locate(obj, "metadata.name").line


def _namespace(obj, scopes) -> str | None:
    """Namespace of an object as the API server files it: ``None`` for cluster-scoped kinds (``scopes``:
    ``api.KindScopes``); a kind no API defines is taken as namespaced when the object names a namespace."""
    namespaced = scopes.namespaced(obj.group, obj.kind)
    if namespaced is None:
        namespaced = bool(obj.metadata.get("namespace"))
    return obj.namespace if namespaced else None
