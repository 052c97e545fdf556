"""Static pods: manifests the kubelet reads from its staticPodPath directory, without the API server."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING

from k8slint.findings import Edit, Hit
from k8slint.kube.workloads import pod_references

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

DEFAULT_DIR = ("etc", "kubernetes", "manifests")
# reference kind -> (what the API server's refusal of the mirror pod names, how to do without it)
REFUSED = {
    "ServiceAccount": ("pods that reference a service account", "remove serviceAccountName"),
    "ServiceAccountToken": ("ServiceAccountToken volume projections", "use a kubeconfig file from the host"),
    "Secret": ("pods that reference secrets", "put the data in a file on the host and mount it with hostPath"),
    "ConfigMap": ("pods that reference configmaps", "put the data in a file on the host and mount it with hostPath"),
    "PersistentVolumeClaim": ("pods that reference persistentvolumeclaims", "mount a hostPath or local directory"),
}


def is_static_pod_file(file: str, extra_dirs=()) -> bool:
    """Whether ``file`` sits directly in a kubelet static pod directory (it does not recurse)."""
    parent = os.path.dirname(os.path.abspath(file))
    if tuple(parent.split(os.sep)[-3:]) == DEFAULT_DIR:
        return True
    return any(PurePath(parent) == PurePath(os.path.abspath(directory)) for directory in extra_dirs)


def _is_static(obj, ctx) -> bool:
    return _static_file(obj.doc.file, tuple(ctx.settings.static_pod_paths))


@lru_cache(maxsize=1024)  # asked for every object: once per file
def _static_file(file: str, extra_dirs: tuple) -> bool:
    return is_static_pod_file(file, extra_dirs)


def static_pod_kind(obj: K8sObject, ctx: Context) -> Hits:
    if obj.kind and obj.kind != "Pod" and _is_static(obj, ctx):
        yield Hit(
            "kind",
            f"the kubelet only runs kind: Pod from its static pod directory and skips this {obj.kind}; "
            "move the file out of the directory and apply it with kubectl, or make it a Pod",
        )


def static_pod_api_reference(obj: K8sObject, ctx: Context) -> Hits:
    if not _is_static(obj, ctx):
        return
    for ref in pod_references(obj):
        if ref.kind not in REFUSED or ref.path.endswith(".key"):
            continue
        refused, instead = REFUSED[ref.kind]
        what = f"{ref.kind} {ref.name}" if ref.name else "a projected ServiceAccount token"
        yield Hit(
            ref.path,
            f"a static pod cannot use {what}: the API server refuses its mirror pod (no "
            f"{refused}) and the kubelet cannot fetch it without one; {instead}",
        )


def static_pod_dry_run_fields(obj: K8sObject, ctx: Context) -> Hits:
    if not _is_static(obj, ctx):
        return
    if "status" in obj.data:
        yield Hit(
            "status",
            "status is written by the kubelet, not read from a manifest (left over from kubectl "
            "--dry-run -o yaml); delete it",
            on_key=True,
            edits=(Edit("delete", "status"),),
        )
    metadata = obj.data.get("metadata")
    if isinstance(metadata, dict) and "creationTimestamp" in metadata and metadata["creationTimestamp"] is None:
        yield Hit(
            "metadata.creationTimestamp",
            "creationTimestamp: null is left over from kubectl --dry-run -o yaml and means nothing here; delete it",
            on_key=True,
            edits=(Edit("delete", "metadata.creationTimestamp"),),
        )
