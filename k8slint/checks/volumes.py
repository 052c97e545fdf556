"""What the API server's PersistentVolumeClaim and PersistentVolume validation refuses that the schema cannot say.

``ValidatePersistentVolumeClaimSpec``, ``validateDataSource``,
``validateDataSourceRef`` and ``ValidatePersistentVolumeSpec``
(pkg/apis/core/validation/validation.go).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import mapping
from k8slint.findings import Hit
from k8slint.kube.formats import dns_label_error, dns_subdomain_error, not_positive
from k8slint.placeholders import has_placeholder

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

PV_SOURCES = (
    "gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs", "rbd", "iscsi", "cinder", "cephfs",
    "fc", "flocker", "flexVolume", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
    "portworxVolume", "scaleIO", "local", "storageos", "csi",
)  # fmt: skip


def _text(value) -> bool:
    return isinstance(value, str) and bool(value) and not has_placeholder(value)


def persistent_volume_invalid(obj: K8sObject, ctx: Context) -> Hits:
    spec = obj.data.get("spec")
    if obj.api_version != "v1" or not isinstance(spec, dict):
        return
    if obj.kind == "PersistentVolumeClaim":
        yield from _claim(spec, obj.role.partial)
    elif obj.kind == "PersistentVolume":
        yield from _volume(spec, obj.role.partial)


def _access_modes(spec: dict, partial: bool, function: str) -> Hits:
    modes = spec.get("accessModes")
    if not modes and not partial:
        yield Hit(
            "spec.accessModes" if "accessModes" in spec else "spec",
            f"spec.accessModes: Required value: at least 1 access mode is required ({function}); add e.g. "
            "accessModes: [ReadWriteOnce]",
            on_key=True,
        )
    elif isinstance(modes, list) and "ReadWriteOncePod" in modes and len(set(modes)) > 1:
        yield Hit(
            "spec.accessModes",
            f"spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes ({function})",
        )


def _storage(amounts: dict, where: str, field: str, partial: bool, function: str) -> Hits:
    if "storage" not in amounts:
        if not partial:
            yield Hit(
                where, f"{field}[storage]: Required value ({function}); set {field}.storage, e.g. 10Gi", on_key=True
            )
        return
    value = amounts["storage"]
    if not_positive(value):
        yield Hit(
            f"{where}.storage",
            f"{field}[storage]: Invalid value: {value!r}: must be greater than zero ({function})",
        )


def _claim(spec: dict, partial: bool) -> Hits:
    function = "ValidatePersistentVolumeClaimSpec"
    yield from _access_modes(spec, partial, function)
    requests = mapping(mapping(spec, "resources"), "requests")
    where = "spec.resources.requests" if requests else "spec.resources" if "resources" in spec else "spec"
    yield from _storage(requests, where, "spec.resources.requests", partial, function)
    class_name = spec.get("storageClassName")
    if _text(class_name) and dns_subdomain_error(class_name):
        yield Hit(
            "spec.storageClassName",
            f'spec.storageClassName: Invalid value: "{class_name}": {dns_subdomain_error(class_name)} ({function})',
        )
    source, ref = spec.get("dataSource"), spec.get("dataSourceRef")
    for field, reference in (("dataSource", source), ("dataSourceRef", ref)):
        if isinstance(reference, dict):
            yield from _data_source(reference, f"spec.{field}")
    if isinstance(source, dict) and isinstance(ref, dict):
        if ref.get("namespace"):
            yield Hit(
                "spec.dataSource",
                "spec: Invalid value: spec.dataSource: may not be specified when dataSourceRef.namespace is specified "
                f"({function})",
                on_key=True,
            )
        elif any(source.get(key) != ref.get(key) for key in ("apiGroup", "kind", "name")):
            yield Hit(
                "spec.dataSource",
                f"spec: Invalid value: spec.dataSource: must match dataSourceRef ({function}); keep one of them",
                on_key=True,
            )


def _data_source(reference: dict, base: str) -> Hits:
    """``validateDataSource`` / ``validateDataSourceRef``."""
    function = "validateDataSourceRef" if base.endswith("Ref") else "validateDataSource"
    for field in ("name", "kind"):
        if reference.get(field) in (None, ""):
            yield Hit(base, f"{base}.{field}: Required value ({function})", on_key=True)
    group, kind = reference.get("apiGroup"), reference.get("kind")
    if not group and _text(kind) and kind != "PersistentVolumeClaim":
        hint = "; a VolumeSnapshot is in snapshot.storage.k8s.io" if kind == "VolumeSnapshot" else ""
        yield Hit(
            f"{base}.kind",
            f"{base}: Invalid value: \"{kind}\": must be 'PersistentVolumeClaim' when referencing the default apiGroup "
            f"({function}){hint}",
        )
    elif _text(group) and dns_subdomain_error(group):
        yield Hit(f"{base}.apiGroup", f'{base}.apiGroup: Invalid value: "{group}": {dns_subdomain_error(group)}')
    namespace = reference.get("namespace")
    if _text(namespace) and dns_label_error(namespace):
        yield Hit(f"{base}.namespace", f'{base}.namespace: Invalid value: "{namespace}": {dns_label_error(namespace)}')


def _volume(spec: dict, partial: bool) -> Hits:
    function = "ValidatePersistentVolumeSpec"
    yield from _access_modes(spec, partial, function)
    capacity = mapping(spec, "capacity")
    yield from _storage(capacity, "spec.capacity" if "capacity" in spec else "spec", "spec.capacity", partial, function)
    sources = [field for field in PV_SOURCES if spec.get(field) is not None]
    if not sources and not partial:
        yield Hit("spec", f"spec: Required value: must specify a volume type ({function})", on_key=True)
    for extra in sources[1:]:
        yield Hit(
            f"spec.{extra}",
            f"spec.{extra}: Forbidden: may not specify more than 1 volume type ({function}; {sources[0]} is set)",
            on_key=True,
        )
    if sources == ["local"] and spec.get("nodeAffinity") is None and not partial:
        yield Hit(
            "spec.local",
            f"spec.nodeAffinity: Required value: Local volume requires node affinity ({function})",
            on_key=True,
        )
