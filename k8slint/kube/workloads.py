"""Facts about pod-owning objects that several workload rules share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from k8slint.access import integer
from k8slint.documents import child_path
from k8slint.kube.model import dig

# kinds whose pods are meant to keep running (probes matter, restartPolicy must be Always)
LONG_RUNNING = frozenset({"Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet"})
RUN_TO_COMPLETION = frozenset({"Job", "CronJob"})
# the API groups of the built-in pod-owning kinds (a custom kind may share a built-in kind's name)
WORKLOAD_GROUPS = frozenset({"", "apps", "batch", "extensions"})
_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


def is_sidecar(container) -> bool:
    """A native sidecar: an init container with ``restartPolicy: Always`` (Kubernetes 1.29+)."""
    return container.init and container.data.get("restartPolicy") == "Always"


def running_containers(obj) -> list:
    """Containers that run alongside each other: regular containers and native sidecars."""
    return [c for c in obj.containers() if not c.init or is_sidecar(c)]


def long_running_containers(obj) -> list:
    """The regular containers of pods meant to keep running: controllers of LONG_RUNNING kinds, Pods restarted Always."""
    if obj.kind == "Pod":
        if obj.pod_spec is None or obj.pod_spec.get("restartPolicy", "Always") != "Always":
            return []
    elif obj.kind not in LONG_RUNNING:
        return []
    return [c for c in obj.containers() if not c.init]


def port_names(container: dict) -> set:
    """The names of a container's ports."""
    ports = container.get("ports")
    return (
        {p["name"] for p in ports if isinstance(p, dict) and isinstance(p.get("name"), str)}
        if isinstance(ports, list)
        else set()
    )


def port_name_error(name: str) -> str | None:
    """Why the API server rejects ``name`` as a port name (an IANA service name), or None."""
    if len(name) > 15:
        return "must be no more than 15 characters"
    if not _PORT_NAME.match(name):
        return "must contain only lowercase letters, digits and '-', and start and end with a letter or digit"
    if "--" in name:
        return "must not contain consecutive hyphens"
    if not any(ch.isalpha() for ch in name):
        return "must contain at least one letter"
    return None


def pod_labels(obj) -> dict | None:
    """The labels the object's pods carry (a Pod's own, else its template's), or None without pods."""
    if obj.pod_spec is None:
        return None
    if obj.kind == "Pod":
        return obj.labels
    return obj.template_labels or {}


def pods_per_object(obj) -> int:
    """How many pods the object runs at once, as a lower bound (a DaemonSet counts one node)."""
    if obj.kind in ("Job", "CronJob"):
        spec_path = "spec" if obj.kind == "Job" else "spec.jobTemplate.spec"
        parallelism = dig(obj.data, spec_path + ".parallelism", 1)
        completions = dig(obj.data, spec_path + ".completions")
        count = parallelism if integer(parallelism) is not None else 1
        return min(count, completions) if integer(completions) is not None else count
    if obj.kind in ("Pod", "DaemonSet"):
        return 1
    return obj.replicas


def describe(obj) -> str:
    """``Deployment web`` — how messages name an object."""
    return f"{obj.kind} {obj.name}" if obj.name else obj.kind


@dataclass(frozen=True)
class Reference:
    """A pod spec's reference to another API object: its kind, name, the key it reads, and where it is."""

    kind: str
    name: str
    path: str
    key: str | None = None


def pod_references(obj):
    """Every API object a pod spec refers to, except ``optional: true`` ones.

    Kinds: ServiceAccount, Secret, ConfigMap, PersistentVolumeClaim, and
    ServiceAccountToken (a projected token, which has no name).
    """
    spec, base = obj.pod_spec, obj.pod_spec_path
    if spec is None:
        return
    for field in ("serviceAccountName", "serviceAccount"):
        if isinstance(spec.get(field), str) and spec[field]:
            yield Reference("ServiceAccount", spec[field], child_path(base, field))
            break
    for index, item in _items(spec, "imagePullSecrets"):
        if isinstance(item.get("name"), str):
            yield Reference("Secret", item["name"], f"{base}.imagePullSecrets[{index}].name")
    for index, volume in _items(spec, "volumes"):
        yield from _volume_references(volume, f"{base}.volumes[{index}]")
    for container in obj.containers():
        for index, item in _items(container.data, "envFrom"):
            for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = item.get(field)
                if _required(ref):
                    yield Reference(kind, ref["name"], f"{container.path}.envFrom[{index}].{field}.name")
        for index, item in _items(container.data, "env"):
            for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = dig(item, f"valueFrom.{field}")
                if _required(ref):
                    yield Reference(
                        kind,
                        ref["name"],
                        f"{container.path}.env[{index}].valueFrom.{field}.name",
                        ref.get("key") if isinstance(ref.get("key"), str) else None,
                    )


def _volume_references(volume: dict, path: str):
    sources = [(volume, path)]
    for index, source in _items(dig(volume, "projected") or {}, "sources"):
        sources.append((source, f"{path}.projected.sources[{index}]"))
        if isinstance(source.get("serviceAccountToken"), dict):
            yield Reference("ServiceAccountToken", "", f"{path}.projected.sources[{index}].serviceAccountToken")
    for source, where in sources:
        for field, kind, name_key in (
            ("configMap", "ConfigMap", "name"),
            ("secret", "Secret", "secretName"),
            ("secret", "Secret", "name"),
        ):
            ref = source.get(field)
            if isinstance(ref, dict) and isinstance(ref.get(name_key), str) and ref.get("optional") is not True:
                keys = [(i, item.get("key")) for i, item in _items(ref, "items")]
                yield Reference(kind, ref[name_key], f"{where}.{field}.{name_key}")
                for i, key in keys:
                    if isinstance(key, str):
                        yield Reference(kind, ref[name_key], f"{where}.{field}.items[{i}].key", key)
    claim = dig(volume, "persistentVolumeClaim.claimName")
    if isinstance(claim, str) and claim:
        yield Reference("PersistentVolumeClaim", claim, f"{path}.persistentVolumeClaim.claimName")


def _required(ref) -> bool:
    return (
        isinstance(ref, dict)
        and isinstance(ref.get("name"), str)
        and bool(ref["name"])
        and ref.get("optional") is not True
    )


def _items(data, field):
    items = data.get(field) if isinstance(data, dict) else None
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)] if isinstance(items, list) else []
