"""The index: every object of one run, so rules can look across files."""

from __future__ import annotations

from collections import defaultdict

from k8slint.model import K8sObject


class Index:
    """All Kubernetes objects (and Compose projects) of a run, with look-ups by kind and namespace."""

    def __init__(self, objects: list[K8sObject], compose_projects: list | None = None):
        self.objects = objects
        self.compose_projects = compose_projects or []
        self._by_kind: dict[str, list[K8sObject]] = defaultdict(list)
        self._by_namespace: dict[str, list[K8sObject]] = defaultdict(list)
        self._by_key: dict[tuple[str, str, str], K8sObject] = {}
        for obj in objects:
            self._by_kind[obj.kind].append(obj)
            self._by_namespace[obj.namespace].append(obj)
            self._by_key.setdefault((obj.kind, obj.namespace, obj.name), obj)

    @property
    def namespaces(self) -> set[str]:
        return set(self._by_namespace)

    def of_kind(self, kind: str) -> list[K8sObject]:
        return self._by_kind.get(kind, [])

    def in_namespace(self, namespace: str) -> list[K8sObject]:
        return self._by_namespace.get(namespace, [])

    def get(self, kind: str, namespace: str, name: str) -> K8sObject | None:
        return self._by_key.get((kind, namespace, name))
