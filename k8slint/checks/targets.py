"""Selectors that should select the run's pods: Services, PodDisruptionBudgets, NetworkPolicies, StatefulSet Services;
and what the pods a Service sends traffic to need (a readiness probe)."""

from __future__ import annotations

import weakref
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING

from k8slint.findings import Hit
from k8slint.index import place, scope_text
from k8slint.kube.anchors import locate
from k8slint.kube.model import dig, label_text
from k8slint.kube.selectors import describe as _render
from k8slint.kube.selectors import matches
from k8slint.kube.workloads import describe, long_running_containers, pod_labels, port_names, running_containers

if TYPE_CHECKING:
    from collections.abc import Iterator

    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.registry import Context


class _Pods:
    """The pod-running objects a selecting object can see (its scope, ``Index.around``): by namespace and label pair."""

    @classmethod
    def of(cls, index) -> _Pods:
        """The one ``_Pods`` of ``index``: every selector rule of a run reads the same tables."""
        return index.derived(cls)

    def __init__(self, index):
        self.index = weakref.proxy(index)  # the index holds this table: no cycle, so both go when the run ends
        self._scopes: dict[str, tuple[dict, dict]] = {}
        self._values: dict[tuple, dict] = {}  # (place, namespace) -> label key -> label text -> positions in beside()

    def _scope(self, obj) -> tuple[dict, dict]:
        key = place(obj)
        if key not in self._scopes:
            by_namespace, by_label = defaultdict(list), defaultdict(list)
            for other in self.index.around(obj):
                labels = pod_labels(other)
                if labels is None:
                    continue
                entry = (other, labels)
                for namespace in (other.namespace, None):
                    by_namespace[namespace].append(entry)
                    for label, value in labels.items():
                        by_label[(namespace, label, label_text(value))].append(entry)
            self._scopes[key] = (by_namespace, by_label)
        return self._scopes[key]

    def beside(self, obj) -> list:
        """Pod-running objects of ``obj``'s namespace in its scope."""
        return self._scope(obj)[0].get(obj.namespace, [])

    def near(self, wanted: dict, obj) -> list:
        """``beside(obj)``'s entries whose labels share a pair with ``wanted`` or carry a similar value under one
        of its keys (a near miss), in their order.

        Each label value of the namespace is compared once per selector, however many workloads carry it.
        """
        key = (place(obj), obj.namespace)
        values = self._values.get(key)
        if values is None:
            values = self._values[key] = defaultdict(lambda: defaultdict(list))
            for position, (_, labels) in enumerate(self.beside(obj)):
                for label, value in labels.items():
                    values[label][label_text(value)].append(position)
        hits = set()
        for label, value in wanted.items():
            texts = values.get(label, {})
            for have in _close(texts, value):
                hits.update(texts[have])
        beside = self.beside(obj)
        return [beside[position] for position in sorted(hits)]

    def selected(self, selector: dict, obj, anywhere: bool = False) -> list:
        """Objects in ``obj``'s scope whose pods ``selector`` matches: in its namespace, or in any when ``anywhere``."""
        by_namespace, by_label = self._scope(obj)
        namespace = None if anywhere else obj.namespace
        plain = selector.get("matchLabels") if "matchLabels" in selector or "matchExpressions" in selector else selector
        pairs = (plain or {}).items()
        if pairs:  # every selected object carries each pair: filter the fewest that carry one
            pool = min((by_label.get((namespace, str(key), label_text(value)), []) for key, value in pairs), key=len)
        else:
            pool = by_namespace.get(namespace, [])
        return [other for other, labels in pool if matches(selector, labels)]


def _no_match(obj, selector: dict, pods: _Pods, what: str) -> str | None:
    """Why ``selector`` of ``obj`` selects no pods, or None when it selects some (or we cannot tell)."""
    if pods.selected(selector, obj):
        return None
    elsewhere = [
        o
        for o in pods.selected(selector, obj, anywhere=True)
        if o.namespace != obj.namespace and _namespace_known(o) and _namespace_known(obj)
    ]
    rendered = _render(selector)
    if elsewhere:
        found = ", ".join(f"{describe(o)} in namespace {o.namespace}" for o in elsewhere[:3])
        implicit = [o for o in (obj, *elsewhere[:1]) if not o.metadata.get("namespace")]
        hint = (
            f" ({describe(implicit[0])} names no namespace; pass --namespace if you apply with -n)" if implicit else ""
        )
        return (
            f"{what} {rendered} matches no pods in namespace {obj.namespace}, only those of {found}{hint}; "
            "put them in the same namespace"
        )
    wanted = _wanted(selector)
    near = pods.near(wanted, obj)
    if near:  # a workload here almost matches: the selector (or its labels) has a typo or a stale value
        return (
            f"{what} {rendered} matches none of the pods in namespace {obj.namespace}"
            f"{_closest(wanted, near)}; fix the selector or the pod labels"
        )
    return None  # nothing here resembles the selector: its pods are deployed from elsewhere


def _namespace_known(obj) -> bool:
    """False when a kustomization's ``namespace:`` sets it: two such objects may well share one namespace."""
    return "namespace" not in obj.role.filled


def _wanted(selector: dict) -> dict:
    """The key=value pairs a selector requires (matchLabels, or a Service's plain map)."""
    plain = selector.get("matchLabels") if "matchLabels" in selector or "matchExpressions" in selector else selector
    return {str(k): label_text(v) for k, v in (plain or {}).items()}


def _close(texts, value: str) -> Iterator[str]:
    """The pod label values of ``texts`` near a selector's ``value``: equal, one inside the other, or similar (a near
    miss). Values too long or too short to be similar (difflib's length bound, a little wider) skip ``_similar``."""
    shortest, longest = len(value) * 0.73, len(value) * 1.36
    for have in texts:
        contained = have == value or (have and value and (have in value or value in have))
        if contained or (shortest <= len(have) <= longest and _similar(have, value)):
            yield have


@lru_cache(maxsize=65536)
def _similar(have: str, value: str) -> bool:
    """difflib ratio >= 0.85; difflib's two cheap upper bounds go first, computed as difflib computes them (same
    answer) but without building a matcher for the many pairs they rule out."""
    total = len(have) + len(value)
    if total and 2.0 * min(len(have), len(value)) / total < 0.85:  # real_quick_ratio
        return False
    if total and max(len(have), len(value)) <= _FIELD and 2.0 * _shared_letters(have, value) / total < 0.85:
        return False  # quick_ratio: the letters both hold, however they are ordered
    return SequenceMatcher(None, have, value).ratio() >= 0.85


_FIELD = 64  # bits per character in a letter code: a text of up to this many characters has a code
_SLOTS: dict[str, int] = {}  # a character -> the first bit of its field in every letter code


def _shared_letters(have: str, value: str) -> int:
    """How many letters the two texts (of at most ``_FIELD`` characters) hold in common, counted with repeats."""
    return (_letters(have) & _letters(value)).bit_count()


@lru_cache(maxsize=65536)
def _letters(text: str) -> int:
    """A text's letters as one integer: each character's count written in unary in that character's field, so the
    AND of two codes holds, per character, the smaller count (the bits two codes share count the common letters)."""
    code = 0
    for char, count in Counter(text).items():
        code |= ((1 << count) - 1) << _SLOTS.setdefault(char, len(_SLOTS) * _FIELD)
    return code


def _closest(wanted: dict, candidates: list) -> str:
    """`` (closest: Deployment web has tier=back)``: the workload that misses the fewest selector labels."""

    def differences(entry):
        return [key for key, value in wanted.items() if label_text(entry[1].get(key)) != value]

    best, labels = min(candidates, key=lambda entry: len(differences(entry)))
    missing = differences((best, labels))
    found = ", ".join(f"{key}={labels[key]}" if key in labels else f"no {key}" for key in missing)
    return f" (closest: {describe(best)} has {found})"


def service_selector_no_match(index: Index, ctx: Context) -> Hits:
    pods = _Pods.of(index)
    for service in index.reported(index.of_kind("Service", "")):
        selector = _service_selector(service)
        if selector:
            reason = _no_match(service, selector, pods, "selector")
            if reason:
                yield Hit("spec.selector", f"{reason}, or the Service gets no endpoints", obj=service)


def _service_selector(service) -> dict | None:
    spec = service.data.get("spec")
    if not isinstance(spec, dict) or spec.get("type") == "ExternalName" or not isinstance(spec.get("selector"), dict):
        return None
    return spec["selector"] or None


def service_target_port_undefined(index: Index, ctx: Context) -> Hits:
    pods = _Pods.of(index)
    for service in index.reported(index.of_kind("Service", "")):
        selector = _service_selector(service)
        if not selector:
            continue
        selected = pods.selected(selector, service)
        if not selected:
            continue
        named = {name for o in selected for c in running_containers(o) for name in port_names(c.data)}
        ports = dig(service.data, "spec.ports")
        for i, port in enumerate(ports if isinstance(ports, list) else []):
            target = port.get("targetPort") if isinstance(port, dict) else None
            if isinstance(target, str) and not target.isdigit() and target not in named:
                owners = ", ".join(describe(o) for o in selected[:3])
                yield Hit(
                    f"spec.ports[{i}].targetPort",
                    f'targetPort "{target}" names no container port of the pods this Service selects '
                    f"({owners}), so it gets no endpoints for this port; name a container port "
                    f'"{target}" or use the port number',
                    obj=service,
                )


def statefulset_service_name(index: Index, ctx: Context) -> Hits:
    for sts in index.reported(index.of_kind("StatefulSet", "apps")):
        name = dig(sts.data, "spec.serviceName")
        if not isinstance(name, str) or not name:
            continue
        services = index.find(sts, "Service", name)
        service = next(
            (s for s in services if dig(s.data, "spec.clusterIP") == "None"), services[0] if services else None
        )
        if service is None:
            if len(index.near(sts)) > 1:
                yield Hit(
                    "spec.serviceName",
                    f"serviceName {name} names no Service in namespace {sts.namespace} {scope_text(sts)}, so the "
                    f"pods get no stable DNS names; add a headless Service {name} (clusterIP: None)",
                    obj=sts,
                )
            continue
        if dig(service.data, "spec.clusterIP") != "None":
            yield Hit(
                "spec.serviceName",
                f"serviceName {name} names a Service that is not headless, so the pods get no stable DNS "
                "names; set clusterIP: None on that Service (or point serviceName at a headless one)",
                obj=sts,
            )
            continue
        selector = _service_selector(service)
        if selector and pod_labels(sts) is not None and not matches(selector, pod_labels(sts)):
            yield Hit(
                "spec.serviceName",
                f"headless Service {name} selects {_render(selector)}, which the pod "
                "template labels do not carry, so the pods get no DNS records; align the Service "
                "selector with the template labels",
                obj=sts,
            )


def pdb_selector_no_match(index: Index, ctx: Context) -> Hits:
    yield from _selector_rule(
        index, ("policy", "PodDisruptionBudget"), "spec.selector", "so it protects nothing during node drains"
    )


def networkpolicy_selector_no_match(index: Index, ctx: Context) -> Hits:
    yield from _selector_rule(
        index, ("networking.k8s.io", "NetworkPolicy"), "spec.podSelector", "so it isolates nothing"
    )


def _selector_rule(index, group_kind, path, consequence):
    pods = _Pods.of(index)
    group, kind = group_kind
    for obj in index.reported(index.of_kind(kind, group)):
        selector = dig(obj.data, path)
        if not _well_formed(selector) or not (selector.get("matchLabels") or selector.get("matchExpressions")):
            continue  # an empty selector selects every pod of the namespace; a malformed one is a schema error
        reason = _no_match(obj, selector, pods, path.rsplit(".", 1)[1])
        if reason:
            yield Hit(path, f"{reason}, {consequence}", on_key=True, obj=obj)


def _well_formed(selector) -> bool:
    """A LabelSelector shaped as the API expects (anything else is the schema rule's to report)."""
    if not isinstance(selector, dict) or not isinstance(selector.get("matchLabels") or {}, dict):
        return False
    expressions = selector.get("matchExpressions") or []
    return isinstance(expressions, list) and all(
        isinstance(e, dict)
        and isinstance(e.get("key"), str)
        and isinstance(e.get("operator"), str)
        and isinstance(e.get("values") or [], list)
        for e in expressions
    )


def probe_missing_readiness(index: Index, ctx: Context) -> Hits:
    """Pods that a Service of the run selects, with no readinessProbe on any container (kube-score's rule)."""
    pods = _Pods.of(index)
    traffic = {}  # id(workload) -> (workload, the Services that select it)
    for service in index.of_kind("Service"):
        selector = _service_selector(service)
        for obj in pods.selected(selector, service) if selector else ():
            traffic.setdefault(id(obj), (obj, []))[1].append(service)
    for obj, services in traffic.values():
        containers = long_running_containers(obj)
        if not containers or any(isinstance(c.data.get("readinessProbe"), dict) for c in containers):
            continue  # a pod is ready only when every container is: one probe gates the whole pod
        missing = f"container {containers[0].name} has no readinessProbe"
        if len(containers) > 1:
            names = ", ".join(c.name for c in containers)
            missing = f"none of the containers of {describe(obj)} ({names}) has a readinessProbe"
        consequence = (
            "so requests reach it as soon as it starts and rollouts move on before it can serve; add a "
            "readinessProbe that answers only when the container can serve"
        )
        beside = [service for service in services if place(service) == place(obj)]
        if beside:
            yield Hit(
                containers[0].path, f"{missing}, but Service {beside[0].name} sends it traffic, {consequence}", obj=obj
            )
            continue
        # only Services of directories above select it: each reports, so every directory's findings stand alone
        where = f"{obj.doc.file}:{locate(obj, containers[0].path).line}"
        for service in services:
            yield Hit(
                "spec.selector",
                f"this Service sends traffic to {describe(obj)} ({where}), but {missing}, {consequence}",
                on_key=True,
                obj=service,
            )
