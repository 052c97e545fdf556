"""References by name across the objects of one run: ConfigMaps, Secrets, PVCs, ServiceAccounts, backends, scale targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import mapping
from k8slint.findings import Hit
from k8slint.index import scope_text
from k8slint.kube.model import dig
from k8slint.kube.workloads import pod_references

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.registry import Context

KEY_FIELDS = {"ConfigMap": ("data", "binaryData"), "Secret": ("data", "stringData")}


def reference_missing(index: Index, ctx: Context) -> Hits:
    checked = set(ctx.options["kinds"])
    whole_namespace = ctx.options["when"] == "namespace"
    for obj in index.checked:
        if len(index.near(obj)) < 2:
            continue  # nothing else of this namespace in its scope: the targets live in the cluster
        for option, (group, kind), path, message in _references(obj, index):
            if option in checked and (whole_namespace or index.manages(obj, kind, group)):
                yield Hit(path, message, obj=obj)


def _references(obj, index):
    """``(option, (group, kind), path, message)`` for each reference of ``obj`` its scope cannot satisfy.

    ``option`` is the name in the rule's ``kinds`` option, ``group``/``kind`` that of the object referred to.
    The scope (``Index.find``) is ``obj``'s namespace in its directory and below; variants there may define
    the target several times, and one that satisfies the reference is enough. A kustomize patch shows that
    its object exists, not what it holds: its keys and ports are not checked.
    """
    for ref in pod_references(obj):
        if ref.kind not in KEY_FIELDS and ref.kind not in ("PersistentVolumeClaim", "ServiceAccount"):
            continue
        if ref.kind == "ServiceAccount" and ref.name == "default":
            continue
        targets = index.find(obj, ref.kind, ref.name)
        if not targets:
            if ref.path.endswith(".key"):
                continue  # a volume item: the volume's own reference reports the missing object
            yield (
                ref.kind,
                ("", ref.kind),
                ref.path,
                (
                    f"{ref.kind} {ref.name} is not defined in namespace {obj.namespace} {scope_text(obj)}, so the "
                    "pods stay pending or fail to start unless it already exists in the cluster; add it or fix the name"
                ),
            )
        elif ref.key is not None and not any(t.role.partial or _has_key(t, ref.key) for t in targets):
            yield (
                ref.kind,
                ("", ref.kind),
                ref.path.rsplit(".", 1)[0] + ".key",
                (
                    f"{ref.kind} {ref.name} has no key {ref.key}, so the container fails with "
                    f"CreateContainerConfigError; add the key or mark the reference optional"
                ),
            )
    if obj.kind == "Ingress" and obj.group in ("networking.k8s.io", "extensions"):
        yield from _ingress_references(obj, index)
    if obj.kind == "HorizontalPodAutoscaler" and obj.group == "autoscaling":
        target = dig(obj.data, "spec.scaleTargetRef")
        if isinstance(target, dict) and isinstance(target.get("kind"), str) and isinstance(target.get("name"), str):
            api_version = target.get("apiVersion")
            group = api_version.rpartition("/")[0] if isinstance(api_version, str) else None
            if not index.find(obj, target["kind"], target["name"], group):
                yield (
                    "ScaleTarget",
                    (group, target["kind"]),
                    "spec.scaleTargetRef.name",
                    (
                        f"scaleTargetRef {target['kind']} {target['name']} is not defined in namespace {obj.namespace} "
                        f"{scope_text(obj)}, so the autoscaler has nothing to scale; fix the name or kind"
                    ),
                )


def _has_key(target, key: str) -> bool:
    return any(
        isinstance(target.data.get(field), dict) and key in target.data[field] for field in KEY_FIELDS[target.kind]
    )


def _ingress_references(obj, index):
    legacy = obj.version.startswith("v1beta1")  # extensions/v1beta1 and networking.k8s.io/v1beta1
    for path, backend in _ingress_backends(obj.data):
        if not legacy:
            name, port = dig(backend, "service.name"), dig(backend, "service.port")
            port = (
                (port.get("number") if port.get("number") is not None else port.get("name"))
                if isinstance(port, dict)
                else None
            )
            name_path, port_path = f"{path}.service.name", f"{path}.service.port"
        else:
            name, port = backend.get("serviceName"), backend.get("servicePort")
            name_path, port_path = f"{path}.serviceName", f"{path}.servicePort"
        if not isinstance(name, str):
            continue
        services = index.find(obj, "Service", name)
        if not services:
            yield (
                "Service",
                ("", "Service"),
                name_path,
                (
                    f"backend Service {name} is not defined in namespace {obj.namespace} {scope_text(obj)}, so requests "
                    "to this path fail (503); fix the name or add the Service"
                ),
            )
        elif port is not None and not any(s.role.partial or _service_has_port(s, port) for s in services):
            yield (
                "Service",
                ("", "Service"),
                port_path,
                (
                    f"backend port {port} is not a port of Service {name}, so requests to this path fail (503); use one "
                    "of its ports (by number or name)"
                ),
            )


def _ingress_backends(data):
    spec = mapping(data, "spec")
    for field in ("defaultBackend", "backend"):
        if isinstance(spec.get(field), dict):
            yield f"spec.{field}", spec[field]
    rules = spec.get("rules")
    for i, item in enumerate(rules if isinstance(rules, list) else []):
        paths = dig(item, "http.paths")
        for j, entry in enumerate(paths if isinstance(paths, list) else []):
            if isinstance(entry, dict) and isinstance(entry.get("backend"), dict):
                yield f"spec.rules[{i}].http.paths[{j}].backend", entry["backend"]


def _service_has_port(service, port) -> bool:
    ports = dig(service.data, "spec.ports")
    ports = [p for p in ports if isinstance(p, dict)] if isinstance(ports, list) else []
    if isinstance(port, int):
        return any(p.get("port") == port for p in ports)
    return any(p.get("name") == port or str(p.get("port")) == str(port) for p in ports)
