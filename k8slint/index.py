"""The index: every object of one run, so rules can look across files."""

from __future__ import annotations

import os
from bisect import bisect_left
from collections import defaultdict
from functools import lru_cache

from k8slint.kube.model import K8sObject

# kinds whose objects every object of a run knows about, whatever its directory: the kinds CRDs register,
# the resources mutating webhooks rewrite, the admission policies that judge every object and the namespaces
# their selectors read (cluster-wide knowledge, not references; see ``of_kind`` in the checks, ``focus``)
RUN_WIDE_KINDS = frozenset(
    {
        "CustomResourceDefinition",
        "MutatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "Namespace",
    }
)


class Index:
    """All Kubernetes objects (and Compose projects) of a run, with look-ups by kind and by scope.

    Cross-file rules resolve an object's references within its *scope*: the
    objects of its own directory and the directories below it. A repository
    keeps clusters, environments and variants side by side (``clusters/prod/``
    and ``clusters/staging/``, ``overlays/dev`` and ``overlays/prod``); none of
    them sees the others, and what an object's findings depend on is exactly
    what linting its directory alone would read. So linting a parent directory
    gives the same findings for a subdirectory's files as linting that
    subdirectory, and ``--context DIR`` lets files passed one by one see their
    directory.
    """

    def __init__(self, objects: list[K8sObject], compose_projects: list | None = None, hidden: frozenset = frozenset()):
        self.objects = objects
        self._hidden = hidden
        # the objects whose findings are reported (not those of ``hidden``, context-only files): a rule whose
        # every finding falls on the object it checks need check no other
        self.checked = self.reported(objects)
        self.compose_projects = compose_projects or []
        self._by_kind: dict[str, list[K8sObject]] = defaultdict(list)
        self._places: dict[str, list[K8sObject]] = defaultdict(list)
        for obj in objects:
            self._by_kind[obj.kind].append(obj)
            self._places[place(obj)].append(obj)
        self._sorted_places = sorted(self._places)  # a directory's subdirectories follow it, side by side
        self._place_order = {where: i for i, where in enumerate(self._places)}
        self._around: dict[str, list[K8sObject]] = {}
        self._near: dict[tuple[str, str], list[K8sObject]] = {}
        self._named: dict[tuple[str, str], tuple[dict, set]] = {}
        self._derived: dict = {}

    def reported(self, objects: list[K8sObject]) -> list[K8sObject]:
        """Those of ``objects`` whose findings are reported (see ``checked``)."""
        return [obj for obj in objects if obj.doc.file not in self._hidden] if self._hidden else objects

    def derived(self, make):
        """``make(index)``, built once per index: tables that several rules of a run read (they go with it)."""
        if make not in self._derived:
            self._derived[make] = make(self)
        return self._derived[make]

    def of_kind(self, kind: str, group: str | None = None) -> list[K8sObject]:
        """Objects of ``kind`` in API ``group`` (``""`` is the core group; ``None`` any group)."""
        found = self._by_kind.get(kind, [])
        return found if group is None else [obj for obj in found if obj.group == group]

    def around(self, obj: K8sObject) -> list[K8sObject]:
        """The objects of every namespace in ``obj``'s directory and the directories below it."""
        top = place(obj)
        if top not in self._around:
            below = top.rstrip(os.sep) + os.sep  # the places under ``top``: one run of the sorted places
            first = bisect_left(self._sorted_places, below)
            last = bisect_left(self._sorted_places, below[:-1] + chr(ord(os.sep) + 1), first)
            wheres = {*self._sorted_places[first:last], *([top] if top in self._places else [])}
            self._around[top] = [o for where in sorted(wheres, key=self._place_order.get) for o in self._places[where]]
        return self._around[top]

    def near(self, obj: K8sObject) -> list[K8sObject]:
        """The objects of ``obj``'s namespace in its scope (see the class): the same list for one place and namespace."""
        key = (place(obj), obj.namespace)
        if key not in self._near:
            self._near[key] = [o for o in self.around(obj) if o.namespace == obj.namespace]
        return self._near[key]

    def find(self, obj: K8sObject, kind: str, name: str, group: str | None = "") -> list[K8sObject]:
        """The objects ``group``/``kind`` named ``name`` in ``obj``'s namespace and scope (variants may give several).

        ``group`` ``""`` is the core group, ``None`` any group.
        """
        return self._catalogue(obj)[0].get((group, kind, name), [])

    def manages(self, obj: K8sObject, kind: str, group: str = "") -> bool:
        """Whether ``obj``'s scope defines any object of ``group``/``kind`` in its namespace."""
        return (group, kind) in self._catalogue(obj)[1]

    def _catalogue(self, obj: K8sObject) -> tuple[dict, set]:
        key = (place(obj), obj.namespace)
        if key not in self._named:
            named = defaultdict(list)
            for other in self.near(obj):
                named[(other.group, other.kind, other.name)].append(other)
                named[(None, other.kind, other.name)].append(other)
            self._named[key] = (named, {(group, kind) for group, kind, _ in named})
        return self._named[key]


def scope_text(obj: K8sObject) -> str:
    """Where ``obj``'s references were looked for, for messages: ``under k8s/app/``."""
    if obj.doc.file == "-":
        return "in the input"
    directory = os.path.dirname(obj.doc.file)
    return f"under {directory}/" if directory else "in this directory"


def place(obj: K8sObject) -> str:
    """The absolute directory of the file ``obj`` comes from (the working directory for stdin)."""
    return _directory(obj.doc.file)


@lru_cache(maxsize=1 << 17)  # every file of a large run: rules ask for places millions of times
def _directory(file: str) -> str:
    return os.path.dirname(os.path.abspath(file))
