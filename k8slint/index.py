"""The index: every object of one run, so rules can look across files."""

from __future__ import annotations

import os
from collections import defaultdict

from k8slint.model import K8sObject


class Index:
    """All Kubernetes objects (and Compose projects) of a run, with look-ups by kind and namespace."""

    def __init__(self, objects: list[K8sObject], compose_projects: list | None = None):
        self.objects = objects
        self.compose_projects = compose_projects or []
        self._by_kind: dict[str, list[K8sObject]] = defaultdict(list)
        self._by_key: dict[tuple[str, str, str], K8sObject] = {}
        self._by_place: dict[str, dict[str, list[K8sObject]]] = defaultdict(lambda: defaultdict(list))
        for obj in objects:
            self._by_kind[obj.kind].append(obj)
            self._by_key.setdefault((obj.kind, obj.namespace, obj.name), obj)
            self._by_place[obj.namespace][os.path.dirname(obj.doc.file)].append(obj)
        self._groups: dict[str, dict[str, list[K8sObject]]] = {}

    def of_kind(self, kind: str) -> list[K8sObject]:
        return self._by_kind.get(kind, [])

    def get(self, kind: str, namespace: str, name: str) -> K8sObject | None:
        return self._by_key.get((kind, namespace, name))

    def near(self, obj: K8sObject) -> list[K8sObject]:
        """The objects of ``obj``'s namespace that belong to the same cluster as far as the files tell.

        A repository often keeps several clusters or environments side by side
        (``clusters/prod/shop/`` and ``clusters/staging/shop/``), each defining
        the same objects. Directories of one namespace are therefore grouped so
        that no group defines the same kind and name twice; a directory joins
        the first group it does not conflict with.
        """
        groups = self._groups.get(obj.namespace)
        if groups is None:
            groups = self._groups[obj.namespace] = _group_places(self._by_place.get(obj.namespace, {}))
        return groups[os.path.dirname(obj.doc.file)]


def _group_places(places: dict[str, list[K8sObject]]) -> dict[str, list[K8sObject]]:
    groups: list[tuple[set, list[K8sObject]]] = []
    member_of: dict[str, list[K8sObject]] = {}
    for place in sorted(places):
        keys = {(obj.kind, obj.name) for obj in places[place]}
        group = next((group for group in groups if not group[0] & keys), None)
        if group is None:
            group = (set(), [])
            groups.append(group)
        defined, members = group
        defined |= keys
        members.extend(places[place])
        member_of[place] = members
    return member_of
