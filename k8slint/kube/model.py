"""Model: what a document is (Kubernetes object, Compose file, kustomization, other)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from k8slint.access import integer
from k8slint.documents import Document, child_path
from k8slint.layout import PLAIN, Role
from k8slint.yamlio import path_parts

POD_SPEC_PATHS = {
    "Pod": "spec",
    "PodTemplate": "template.spec",
    "ReplicationController": "spec.template.spec",
    "ReplicaSet": "spec.template.spec",
    "Deployment": "spec.template.spec",
    "StatefulSet": "spec.template.spec",
    "DaemonSet": "spec.template.spec",
    "Job": "spec.template.spec",
    "CronJob": "spec.jobTemplate.spec.template.spec",
}


def dig(data: Any, path: str, default: Any = None) -> Any:
    """The value at a dotted path (``spec.containers[0].image``), or ``default``."""
    for part in path_parts(path):
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return default
        elif not isinstance(data, dict) or part not in data:
            return default
        data = data[part]
    return data


@dataclass
class Container:
    """One container (or init container) of a pod spec."""

    path: str
    data: dict
    name: str
    init: bool


class K8sObject:
    """A Kubernetes object: its document, its data and the facts every rule asks about.

    ``base`` is the object's path inside its document: empty, or ``items[3]``
    for an item of a ``List``. ``role`` is what its file is in the repository
    (a kustomize patch, a template …; see ``layout.Role``). Label and
    annotation maps are computed once (cross-object rules ask for them
    millions of times): never mutate ``data``.
    """

    def __init__(
        self, doc: Document, data: dict, base: str = "", default_namespace: str = "default", role: Role = PLAIN
    ):
        self.doc = doc
        self.data = data
        self.base = base
        self.role = role
        self.api_version = data.get("apiVersion") if isinstance(data.get("apiVersion"), str) else ""
        self.kind = data.get("kind") if isinstance(data.get("kind"), str) else ""
        group, _, version = self.api_version.rpartition("/")
        self.group, self.version = group, version
        metadata = data.get("metadata")
        self.metadata = metadata if isinstance(metadata, dict) else {}
        name = self.metadata.get("name")
        self.name = name if isinstance(name, str) else ""
        namespace = self.metadata.get("namespace")
        self.namespace = namespace if isinstance(namespace, str) and namespace else default_namespace
        self.pod_spec_path = POD_SPEC_PATHS.get(self.kind)
        pod_spec = dig(data, self.pod_spec_path) if self.pod_spec_path else None
        self.pod_spec = pod_spec if isinstance(pod_spec, dict) else None
        self.anchored = None  # spans of the places cross-file rules report, placed before the tree went (anchors)

    @cached_property
    def labels(self) -> dict:
        return _string_map(self.metadata.get("labels"))

    @cached_property
    def annotations(self) -> dict:
        return _string_map(self.metadata.get("annotations"))

    def annotation(self, name: str) -> str | None:
        """``annotations.get(name)`` without building the whole map (the engine asks every object for one)."""
        if "annotations" in self.__dict__:
            return self.annotations.get(name)
        raw = self.metadata.get("annotations")
        return label_text(raw[name]) if isinstance(raw, dict) and name in raw else None

    @property
    def ref(self) -> str:
        return f"{self.api_version}/{self.kind}/{self.namespace}/{self.name}"

    @property
    def template_labels_path(self) -> str | None:
        if not self.pod_spec_path or self.kind == "Pod":
            return None
        return self.pod_spec_path.rsplit(".", 1)[0] + ".metadata.labels"

    @cached_property
    def template_labels(self) -> dict | None:
        path = self.template_labels_path
        if path is None:
            return None
        labels = dig(self.data, path)
        return _string_map(labels) if isinstance(labels, dict) else None

    @property
    def replicas(self) -> int:
        value = dig(self.data, "spec.replicas", 1)
        number = integer(value)
        return 1 if number is None else number

    def containers(self) -> list[Container]:
        """Init containers, then containers (computed once: do not modify the list)."""
        return self._containers

    @cached_property
    def _containers(self) -> list[Container]:
        if self.pod_spec is None:
            return []
        found = []
        for field_name in ("initContainers", "containers"):
            items = self.pod_spec.get(field_name)
            for index, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict):
                    name = item.get("name") if isinstance(item.get("name"), str) else ""
                    path = child_path(child_path(self.pod_spec_path, field_name), index)
                    found.append(Container(path, item, name, field_name == "initContainers"))
        return found

    def full_path(self, path: str) -> str:
        """A path relative to this object, as a path in its document."""
        if not self.base:
            return path
        return f"{self.base}.{path}" if path and not path.startswith("[") else self.base + path

    def settle(self) -> None:
        """Forget what only the run's rules needed (the maps computed on demand, the anchored places)."""
        for name in _DERIVED.intersection(self.__dict__):
            del self.__dict__[name]
        self.anchored = None

    def __getstate__(self):
        """What crosses to another process: not the maps computed on demand (cheaper to compute again than to send)."""
        state = self.__dict__
        if not _DERIVED.isdisjoint(state):
            state = {name: value for name, value in state.items() if name not in _DERIVED}
        return state

    def __repr__(self):
        return f"K8sObject({self.ref})"


_DERIVED = frozenset(
    name for name, value in vars(K8sObject).items() if isinstance(value, cached_property)
)  # labels, annotations, template_labels, _containers


def label_text(value) -> str:
    """A label value as text (``true`` -> ``"true"``), the way it is compared."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _string_map(value) -> dict:
    if not isinstance(value, dict):
        return {}
    return {str(key): label_text(item) for key, item in value.items()}


def classify(doc: Document, role: Role = PLAIN) -> str:
    """``kubernetes`` | ``compose`` | ``config`` (a tool's own config, see ``tool_of``) | ``other`` for one document."""
    data = doc.data
    if not isinstance(data, dict):
        return "other"
    if role.config or tool_of(doc) is not None:
        return "config"
    if doc.source.is_compose_name or _looks_like_compose(data):
        return "compose"
    metadata = data.get("metadata")
    if "apiVersion" in data or (isinstance(metadata, dict) and "name" in metadata):
        return "kubernetes"
    if "kind" in data and (isinstance(metadata, dict) or set(data) <= _OBJECT_KEYS):
        return "kubernetes"  # an object that forgot its apiVersion (not another format that has a `kind` key)
    return "other"


# top-level keys an API object may carry besides apiVersion/kind/metadata
_OBJECT_KEYS = {
    "kind", "spec", "data", "stringData", "binaryData", "type", "immutable", "rules", "subjects", "roleRef",
    "webhooks", "items", "status", "secrets", "imagePullSecrets", "provisioner", "parameters",
}  # fmt: skip


def tool_of(doc: Document) -> str | None:
    """The tool whose config this document is (kubeadm, kind, skaffold …), or None."""
    from k8slint.toolconfigs import tool_of as lookup

    return lookup(doc.data, doc.source.display) if isinstance(doc.data, dict) else None


# Top-level keys of the Compose Specification; other tools' files with a ``services`` map (the Azure Developer
# CLI's azure.yaml has ``metadata``, ``hooks``, ``infra``) are not Compose files unless their name says so.
COMPOSE_TOP_LEVEL = frozenset(
    ("version", "name", "include", "services", "networks", "volumes", "configs", "secrets", "models")
)


def _looks_like_compose(data: dict) -> bool:
    services = data.get("services")
    return (
        isinstance(services, dict)
        and bool(services)
        and all(isinstance(service, dict) or service is None for service in services.values())
        and all(str(key) in COMPOSE_TOP_LEVEL or str(key).startswith("x-") for key in data)
    )


def expand_objects(doc: Document, default_namespace: str = "default", role: Role = PLAIN) -> list[K8sObject]:
    """A Kubernetes document as objects: ``List`` kinds expand into their items."""
    data = doc.data
    kind = data.get("kind")
    items = data.get("items")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
        return [
            K8sObject(doc, item, f"items[{index}]", default_namespace, role)
            for index, item in enumerate(items)
            if isinstance(item, dict)
        ]
    return [K8sObject(doc, data, "", default_namespace, role)]
