"""Selectors that should select the run's pods: Services, PodDisruptionBudgets, NetworkPolicies, StatefulSet Services."""

from __future__ import annotations

from collections import Counter, defaultdict
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING

from k8slint.findings import Hit
from k8slint.model import dig, label_text
from k8slint.selectors import describe as _render
from k8slint.selectors import matches
from k8slint.workloads import describe, pod_labels, port_names, running_containers

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.registry import Context


class _Pods:
    """The run's pod-running objects with their labels: by cluster group of a namespace (``Index.near``) and by label pair."""

    def __init__(self, index):
        self.index = index
        self.by_group, self.by_label = defaultdict(list), defaultdict(list)
        for obj in index.objects:
            labels = pod_labels(obj)
            if labels is None:
                continue
            entry = (obj, labels)
            group = id(index.near(obj))
            self.by_group[group].append(entry)
            self.by_group[None].append(entry)
            for key, value in labels.items():
                self.by_label[(group, key, label_text(value))].append(entry)
                self.by_label[(None, key, label_text(value))].append(entry)

    def beside(self, obj) -> list:
        """Pod-running objects of ``obj``'s namespace, in its cluster."""
        return self.by_group.get(id(self.index.near(obj)), [])

    def selected(self, selector: dict, beside=None) -> list:
        """Objects whose pods ``selector`` matches: in the namespace and cluster of ``beside``, or anywhere."""
        group = id(self.index.near(beside)) if beside is not None else None
        plain = selector.get("matchLabels") if "matchLabels" in selector or "matchExpressions" in selector else selector
        pair = next(iter((plain or {}).items()), None)
        if pair is not None:
            pool = self.by_label.get((group, str(pair[0]), label_text(pair[1])), [])
        else:
            pool = self.by_group.get(group, [])
        return [obj for obj, labels in pool if matches(selector, labels)]


def _no_match(obj, selector: dict, pods: _Pods, what: str) -> str | None:
    """Why ``selector`` of ``obj`` selects no pods, or None when it selects some (or we cannot tell)."""
    if pods.selected(selector, obj):
        return None
    elsewhere = [o for o in pods.selected(selector) if o.namespace != obj.namespace]
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
    near = [entry for entry in pods.beside(obj) if _near_miss(wanted, entry[1])]
    if near:  # a workload here almost matches: the selector (or its labels) has a typo or a stale value
        return (
            f"{what} {rendered} matches none of the pods in namespace {obj.namespace}"
            f"{_closest(wanted, near)}; fix the selector or the pod labels"
        )
    return None  # nothing here resembles the selector: its pods are deployed from elsewhere


def _wanted(selector: dict) -> dict:
    """The key=value pairs a selector requires (matchLabels, or a Service's plain map)."""
    plain = selector.get("matchLabels") if "matchLabels" in selector or "matchExpressions" in selector else selector
    return {str(k): label_text(v) for k, v in (plain or {}).items()}


def _near_miss(wanted: dict, labels: dict) -> bool:
    """Labels that share a pair with the selector, or carry a similar value under one of its keys."""
    for key, value in wanted.items():
        have = label_text(labels.get(key)) if key in labels else None
        if have is not None and (
            have == value or (have and value and (have in value or value in have)) or _similar(have, value)
        ):
            return True
    return False


@lru_cache(maxsize=65536)
def _similar(have: str, value: str) -> bool:
    """difflib ratio >= 0.85; its cheap upper bounds go first (same answer, far fewer full comparisons)."""
    matcher = SequenceMatcher(None, have, value)
    return matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def _closest(wanted: dict, candidates: list) -> str:
    """`` (closest: Deployment web has tier=back)``: the workload that misses the fewest selector labels."""

    def differences(entry):
        return [key for key, value in wanted.items() if label_text(entry[1].get(key)) != value]

    best, labels = min(candidates, key=lambda entry: len(differences(entry)))
    missing = differences((best, labels))
    found = ", ".join(f"{key}={labels[key]}" if key in labels else f"no {key}" for key in missing)
    return f" (closest: {describe(best)} has {found})"


def service_selector_no_match(index: Index, ctx: Context) -> Hits:
    pods = _Pods(index)
    for service in index.of_kind("Service"):
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
    pods = _Pods(index)
    for service in index.of_kind("Service"):
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
                examples = ", ".join(describe(o) for o in selected[:3])
                yield Hit(
                    f"spec.ports[{i}].targetPort",
                    f'targetPort "{target}" names no container port of the pods this Service selects '
                    f"({examples}), so it gets no endpoints for this port; name a container port "
                    f'"{target}" or use the port number',
                    obj=service,
                )


def statefulset_service_name(index: Index, ctx: Context) -> Hits:
    population = Counter(obj.namespace for obj in index.objects)
    for sts in index.of_kind("StatefulSet"):
        name = dig(sts.data, "spec.serviceName")
        if not isinstance(name, str) or not name:
            continue
        service = index.get("Service", sts.namespace, name)
        if service is None:
            if population[sts.namespace] > 1:
                yield Hit(
                    "spec.serviceName",
                    f"serviceName {name} names no Service in namespace {sts.namespace} of this run, so the "
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
        index, "PodDisruptionBudget", "spec.selector", "so it protects nothing during node drains"
    )


def networkpolicy_selector_no_match(index: Index, ctx: Context) -> Hits:
    yield from _selector_rule(index, "NetworkPolicy", "spec.podSelector", "so it isolates nothing")


def _selector_rule(index, kind, path, consequence):
    pods = _Pods(index)
    for obj in index.of_kind(kind):
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
