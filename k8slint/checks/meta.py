"""Object identity: kind and apiVersion present, valid names, no object defined twice."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from k8slint.findings import Hit

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.model import K8sObject
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
            yield Hit("", f"the document has no {key}; every Kubernetes object needs both apiVersion and kind")
        elif not isinstance(value, str):
            yield Hit(key, f"{key} must be a string, not {value!r}")


def invalid_object_name(obj: K8sObject, ctx: Context) -> Hits:
    if not isinstance(obj.data.get("metadata", {}), dict):
        return  # the schema rule reports a metadata that is not a mapping
    name = obj.metadata.get("name")
    if name is None:
        if not obj.metadata.get("generateName"):
            yield Hit(
                "metadata",
                f"{obj.kind or 'object'} has no metadata.name (or generateName); the API server requires one",
            )
        return
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


def duplicate_object(index: Index, ctx: Context) -> Hits:
    """Objects of one directory are applied together; other directories are often other clusters or overlays."""
    first_seen = {}
    for obj in index.objects:
        if not obj.kind or not obj.name:
            continue
        key = (os.path.dirname(obj.doc.file), obj.group, obj.kind, obj.namespace, obj.name)
        first = first_seen.setdefault(key, obj)
        if first is not obj:
            where = f"{first.doc.file}:{first.doc.locate(first.full_path('metadata.name')).line}"
            yield Hit(
                "metadata.name",
                f"{obj.kind} {obj.namespace}/{obj.name} is already defined at {where}; the later one overwrites it when applied",
                obj=obj,
            )
