"""Can the API server map the object? Kind, apiVersion, removed and deprecated APIs, CRDs, scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.findings import Edit, Hit
from k8slint.kube.conversions import convert
from k8slint.kube.crds import custom_kind
from k8slint.spelling import closest

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context


def _verdict(obj, ctx):
    return ctx.catalog.classify(obj.data.get("apiVersion"), obj.data.get("kind"))


def _set_api_version(candidates, unsafe=False):
    if len(candidates) == 1 and "*" not in candidates[0]:
        return {"edits": (Edit("set", "apiVersion", candidates[0]),), "unsafe": unsafe}
    return {}


def unknown_kind(obj: K8sObject, ctx: Context) -> Hits:
    verdict = _verdict(obj, ctx)
    if verdict.status != "unknown-kind":
        return
    kind = obj.kind
    hint = ""
    extra = {}
    suggestions = ctx.catalog.suggest_kinds(kind)
    if suggestions:
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions[:3])}?"
        if len(suggestions) == 1:
            extra = {"edits": (Edit("set", "kind", suggestions[0]),)}
    yield Hit(
        "kind",
        f"kind {kind!r} is not served by {ctx.catalog.source} in any API group{hint} "
        f"(the cluster equivalent: kubectl api-resources | grep -i {kind.lower()})",
        **extra,
    )


def apiversion_mismatch(obj: K8sObject, ctx: Context) -> Hits:
    verdict = _verdict(obj, ctx)
    api_version = obj.data.get("apiVersion")
    if verdict.status == "bad-apiversion" and api_version not in (None, ""):
        if not isinstance(api_version, str):
            return  # missing-kind-or-apiversion reports non-strings
        candidates = ctx.catalog.api_versions_for(obj.kind) if obj.kind else []
        use = f"; {obj.kind} is served as {', '.join(candidates)}" if candidates else ""
        yield Hit(
            "apiVersion",
            f"apiVersion {api_version!r} is malformed: write GROUP/VERSION (apps/v1) or, "
            f"for the core group, VERSION (v1){use}",
            **_set_api_version(candidates),
        )
    elif verdict.status == "mismatch":
        candidates = list(verdict.candidates)
        use = candidates[0] if len(candidates) == 1 else "one of " + ", ".join(candidates)
        yield Hit(
            "apiVersion",
            f"{obj.kind} is not served as {api_version!r} by {ctx.catalog.source}; use {use}",
            **_set_api_version(candidates),
        )


def _move(obj, replacement):
    """Edits to the replacement apiVersion: a mechanical conversion where one exists (safe when exact), else the bare change (unsafe)."""
    if not replacement:
        return {}
    conversion = convert(obj.data, obj.kind, obj.api_version, replacement)
    if conversion is None:
        return _set_api_version([replacement], unsafe=True)
    return {"edits": conversion.edits, "unsafe": not conversion.safe}


def _replacement_text(removal):
    if removal.replacement:
        return f"use {removal.replacement}"
    return removal.note or "it has no replacement"


def api_removed(obj: K8sObject, ctx: Context) -> Hits:
    verdict = _verdict(obj, ctx)
    if verdict.status != "removed" or obj.role.partial:  # a patch's apiVersion only picks its target
        return
    removal = verdict.removal
    since = f"deprecated in 1.{removal.deprecated[1]}, " if removal.deprecated else ""
    if ctx.catalog.from_cluster:
        where = f"it is not served by {ctx.catalog.source}"
    else:
        where = f"the target is 1.{ctx.catalog.minor}"
    extra = _move(obj, removal.replacement)
    yield Hit(
        "apiVersion",
        f"{removal.api_version} {removal.kind} was removed in Kubernetes "
        f"1.{removal.removed[1]} ({since}{where}); {_replacement_text(removal)}",
        **extra,
    )


def api_deprecated(obj: K8sObject, ctx: Context) -> Hits:
    verdict = _verdict(obj, ctx)
    if verdict.status != "deprecated":
        return
    removal = verdict.removal
    extra = _move(obj, removal.replacement)
    yield Hit(
        "apiVersion",
        f"{removal.api_version} {removal.kind} is deprecated since Kubernetes "
        f"1.{removal.deprecated[1]} and removed in 1.{removal.removed[1]}; "
        f"{_replacement_text(removal)}",
        **extra,
    )


def custom_kinds(index, ctx):
    """CustomKinds by group: CRDs in this run first, then --crd-dir / config crds."""
    by_group = {}
    for obj in index.of_kind("CustomResourceDefinition"):
        if obj.group == "apiextensions.k8s.io":
            defined = custom_kind(obj.data, obj.doc.file)
            if defined is not None:
                by_group.setdefault(defined.group, {}).setdefault(defined.kind, defined)
    for defined in ctx.catalog.crds:
        by_group.setdefault(defined.group, {}).setdefault(defined.kind, defined)
    return by_group


def unknown_custom_resource(index: Index, ctx: Context) -> Hits:
    by_group = None
    undefined = {}  # (group, kind) -> its objects, in run order: one summary finding per kind
    for obj in index.objects:
        if _verdict(obj, ctx).status != "custom":
            continue
        if by_group is None:
            by_group = custom_kinds(index, ctx)
        kinds = by_group.get(obj.group)
        if not kinds:
            undefined.setdefault((obj.group, obj.kind), []).append(obj)
        elif obj.kind not in kinds:
            guesses = closest(obj.kind, kinds)
            hint = f"; did you mean {guesses[0]!r}?" if guesses else f"; it defines {', '.join(sorted(kinds))}"
            extra = {"edits": (Edit("set", "kind", guesses[0]),)} if len(guesses) == 1 else {}
            yield Hit("kind", f"the CRDs of group {obj.group} define no kind {obj.kind!r}{hint}", **extra, obj=obj)
        elif obj.version not in kinds[obj.kind].versions:
            served = sorted(kinds[obj.kind].versions)
            extra = {"edits": (Edit("set", "apiVersion", f"{obj.group}/{served[0]}"),)} if len(served) == 1 else {}
            yield Hit(
                "apiVersion",
                f"{obj.api_version} is not a served version of {obj.kind}; its CRD "
                f"serves {', '.join(served) or 'no version'}",
                **extra,
                obj=obj,
            )
    for (group, kind), objects in undefined.items():
        yield Hit("kind", _undefined_kind_summary(group, kind, objects, ctx), obj=objects[0])


def _undefined_kind_summary(group: str, kind: str, objects: list, ctx) -> str:
    """One line for every object of a kind that no CRD defines: how many, where, and how to let k8slint check them."""
    files = len({obj.doc.file for obj in objects})
    if len(objects) == 1:
        what = "this object is"
    else:
        what = f"its {len(objects)} objects in {files} file{'s' if files > 1 else ''} (this is the first) are"
    return (
        f"no CRD given to k8slint defines {kind} of group {group}, and {ctx.catalog.source} does not serve it, "
        f"so {what} not checked; pass the CRD with --crd-dir PATH, or the cluster's kinds with "
        f"--api-resources FILE (kubectl api-resources > FILE; check: kubectl api-resources --api-group={group})"
    )


class KindScopes:
    """Whether a kind is namespaced, asked once per kind: the API catalog's answer, else the CRDs' (``custom_kinds``),
    else None (no API defines it)."""

    def __init__(self, index, ctx):
        self.index, self.ctx, self._custom = index, ctx, None
        self._kinds: dict[tuple[str, str], bool | None] = {}

    def namespaced(self, group: str, kind: str) -> bool | None:
        if (group, kind) not in self._kinds:
            namespaced = self.ctx.catalog.namespaced(group, kind)
            if namespaced is None:
                if self._custom is None:
                    self._custom = custom_kinds(self.index, self.ctx)
                defined = self._custom.get(group, {}).get(kind)
                namespaced = defined.namespaced if defined else None
            self._kinds[(group, kind)] = namespaced
        return self._kinds[(group, kind)]


def cluster_scoped_namespace(index: Index, ctx: Context) -> Hits:
    scopes = KindScopes(index, ctx)
    for obj in index.checked:
        namespace = obj.metadata.get("namespace")
        if not namespace or not isinstance(namespace, str):
            continue
        if scopes.namespaced(obj.group, obj.kind) is False:
            yield Hit(
                "metadata.namespace",
                f"{obj.kind} is cluster-scoped, so metadata.namespace {namespace!r} means nothing; remove it",
                edits=(Edit("delete", "metadata.namespace"),),
                obj=obj,
            )
