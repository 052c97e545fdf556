"""Moving an object to a newer apiVersion as edits, where the move is mechanical.

``convert(data, kind, old, new)`` gives the edits and whether they are safe:
safe means the object keeps its meaning (fields the old API defaulted are
written out, shapes that changed are rewritten); a bare apiVersion change whose
meaning may differ is unsafe; ``None`` means there is no known mechanical move
(the caller may still offer the bare apiVersion change, unsafe).

Paths are relative to the object, as checks produce them.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8slint.access import integer
from k8slint.documents import child_path
from k8slint.findings import Edit


@dataclass(frozen=True)
class Conversion:
    edits: tuple[Edit, ...]
    safe: bool


# Same schema in both versions: only the apiVersion changes.
_SAME_SHAPE = {
    ("batch/v1beta1", "CronJob"): "batch/v1",
    ("batch/v2alpha1", "CronJob"): "batch/v1",
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): "autoscaling/v2",
    ("extensions/v1beta1", "NetworkPolicy"): "networking.k8s.io/v1",
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): "scheduling.k8s.io/v1",
    ("coordination.k8s.io/v1beta1", "Lease"): "coordination.k8s.io/v1",
    **{
        ("rbac.authorization.k8s.io/v1beta1", kind): "rbac.authorization.k8s.io/v1"
        for kind in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
    },
}
# Workload APIs that filled spec.selector in from the template labels (apps/v1 requires it).
_DEFAULTED_SELECTOR = {"extensions/v1beta1", "apps/v1beta1"}
# Old workload APIs whose updateStrategy defaulted to OnDelete (apps/v1 defaults to RollingUpdate).
_ON_DELETE_DEFAULT = {("extensions/v1beta1", "DaemonSet"), ("apps/v1beta1", "StatefulSet")}
_WORKLOADS = {
    "extensions/v1beta1": {"Deployment", "DaemonSet", "ReplicaSet"},
    "apps/v1beta1": {"Deployment", "StatefulSet"},
    "apps/v1beta2": {"Deployment", "DaemonSet", "ReplicaSet", "StatefulSet"},
}
_INGRESS_APIS = {"extensions/v1beta1", "networking.k8s.io/v1beta1"}


def convert(data: dict, kind: str, old: str, new: str) -> Conversion | None:
    """The edits that move ``data`` (a ``kind`` at apiVersion ``old``) to ``new``, or None."""
    if not isinstance(data, dict):
        return None
    if _SAME_SHAPE.get((old, kind)) == new:
        return Conversion((Edit("set", "apiVersion", new),), True)
    if new == "apps/v1" and kind in _WORKLOADS.get(old, ()):
        return _workload(data, kind, old)
    if (old, kind, new) == ("policy/v1beta1", "PodDisruptionBudget", "policy/v1"):
        return _pdb(data)
    if kind == "Ingress" and old in _INGRESS_APIS and new == "networking.k8s.io/v1":
        return _ingress(data)
    return None


def _spec(data: dict) -> dict | None:
    spec = data.get("spec")
    return spec if isinstance(spec, dict) else None


def _workload(data: dict, kind: str, old: str) -> Conversion | None:
    spec = _spec(data)
    if spec is None or "rollbackTo" in spec:
        return None  # rollbackTo is a one-shot command apps/v1 dropped: a person must decide
    edits = [Edit("set", "apiVersion", "apps/v1")]
    if "selector" not in spec:
        labels = (
            (spec.get("template") or {}).get("metadata", {}).get("labels")
            if isinstance(spec.get("template"), dict)
            else None
        )
        if old not in _DEFAULTED_SELECTOR or not isinstance(labels, dict) or not labels:
            return None
        edits.append(Edit("set", "spec.selector", {"matchLabels": dict(labels)}))
    if (old, kind) in _ON_DELETE_DEFAULT and "updateStrategy" not in spec:
        edits.append(Edit("set", "spec.updateStrategy", {"type": "OnDelete"}))
    return Conversion(tuple(edits), True)


def _pdb(data: dict) -> Conversion:
    """policy/v1 reads an empty selector as every pod of the namespace, policy/v1beta1 as none."""
    selector = (_spec(data) or {}).get("selector")
    selects = isinstance(selector, dict) and bool(selector.get("matchLabels") or selector.get("matchExpressions"))
    return Conversion((Edit("set", "apiVersion", "policy/v1"),), selects)


def _ingress(data: dict) -> Conversion | None:
    spec = _spec(data) or {}
    edits = [Edit("set", "apiVersion", "networking.k8s.io/v1")]
    if "backend" in spec:
        if "defaultBackend" in spec:
            return None
        edits.append(Edit("rename", "spec.backend", "defaultBackend"))
        backend = _backend_edits(spec["backend"], "spec.defaultBackend")
        if backend is None:
            return None
        edits.extend(backend)
    for rule_index, rule in enumerate(spec.get("rules") or []):
        paths = ((rule or {}).get("http") or {}).get("paths") if isinstance(rule, dict) else None
        for path_index, item in enumerate(paths if isinstance(paths, list) else []):
            if not isinstance(item, dict):
                return None
            base = f"spec.rules[{rule_index}].http.paths[{path_index}]"
            backend = _backend_edits(item.get("backend"), base + ".backend")
            if backend is None:
                return None
            edits.extend(backend)
            if "pathType" not in item:
                edits.append(Edit("set", base + ".pathType", "ImplementationSpecific"))
    return Conversion(tuple(edits), True)


def _backend_edits(backend, path: str) -> list[Edit] | None:
    """serviceName/servicePort -> service.name/port.number|name; a resource backend is unchanged."""
    if not isinstance(backend, dict):
        return None
    if "serviceName" not in backend:
        return [] if "resource" in backend else None
    name, port = backend.get("serviceName"), backend.get("servicePort")
    if not isinstance(name, str) or "service" in backend:
        return None
    if integer(port) is not None:
        port_field = {"number": port}
    elif isinstance(port, str) and port and not port.isdigit():
        port_field = {"name": port}
    else:
        return None  # no port, or a quoted number: v1beta1 read it as a port name no service can have
    return [
        Edit("set", child_path(path, "service"), {"name": name, "port": port_field}),
        Edit("delete", child_path(path, "serviceName")),
        Edit("delete", child_path(path, "servicePort")),
    ]
