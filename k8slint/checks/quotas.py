"""ResourceQuota rules: containers the quota admission rejects, and namespaces that need more than their quota."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from k8slint.access import mapping, sequence
from k8slint.documents import child_path
from k8slint.findings import Hit
from k8slint.index import place
from k8slint.kube.anchors import locate
from k8slint.kube.model import dig
from k8slint.kube.podresources import effective, limit_defaults, quantity_or_none
from k8slint.kube.workloads import describe, is_sidecar, pods_per_object

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.registry import Context

# quota resource -> (section, resource) a container must specify (the API server's validation set)
MUST_SPECIFY = {
    "cpu": ("requests", "cpu"),
    "requests.cpu": ("requests", "cpu"),
    "limits.cpu": ("limits", "cpu"),
    "memory": ("requests", "memory"),
    "requests.memory": ("requests", "memory"),
    "limits.memory": ("limits", "memory"),
}
# quota resource -> (section, resource) summed over pods
SUMMED = {
    **MUST_SPECIFY,
    "ephemeral-storage": ("requests", "ephemeral-storage"),
    "requests.ephemeral-storage": ("requests", "ephemeral-storage"),
    "limits.ephemeral-storage": ("limits", "ephemeral-storage"),
}
_SUMMED_PAIRS = tuple(dict.fromkeys(SUMMED.values()))


def _quotas(quotas):
    for quota in quotas:
        hard = dig(quota.data, "spec.hard")
        if isinstance(hard, dict) and hard:
            yield quota, hard


def _namespace_pods(index, quota, cache):
    """Pod-owning objects the quota governs (its namespace, same cluster), with the LimitRange defaults."""
    key = (quota.namespace, place(quota))
    if key not in cache:
        near = index.near(quota)
        members = [o for o in near if o.pod_spec is not None]
        ranges = [o for o in near if o.kind == "LimitRange"]
        cache[key] = (members, limit_defaults(ranges))
    members, defaults = cache[key]
    if not _scoped(quota):
        return members, defaults  # the same list for every unscoped quota of the group: sums are shared
    return [o for o in members if in_scope(quota, o, defaults)], defaults


def _scoped(quota) -> bool:
    spec = quota.data.get("spec")
    return isinstance(spec, dict) and bool(spec.get("scopes") or spec.get("scopeSelector"))


def quota_requires_resources(index: Index, ctx: Context) -> Hits:
    cache, specified, lacking = {}, {}, {}
    for quota, hard in _quotas(index.of_kind("ResourceQuota")):
        required = tuple(sorted(key for key in hard if key in MUST_SPECIFY))
        if not required:
            continue
        members, defaults = _namespace_pods(index, quota, cache)
        # unscoped quotas of one namespace group share one member list: what it lacks is found once per requirement
        group = None if _scoped(quota) else (quota.namespace, place(quota), required)
        found = lacking.get(group)
        if found is None:
            found = list(_lacking(members, defaults, required, specified))
            if group is not None:
                lacking[group] = found
        for obj, container, missing in found:
            yield _must_specify(quota, obj, container, missing)


def _lacking(members, defaults, required: tuple, specified: dict):
    """``(object, container, missing quota resources)`` of the containers that do not specify all of ``required``."""
    for obj in members:
        for container in obj.containers():
            memo = (id(container.data), id(defaults))  # quotas at different places may see different LimitRanges
            if memo not in specified:
                specified[memo] = dict(zip(("requests", "limits"), effective(container.data, defaults), strict=False))
            given = specified[memo]
            missing = [key for key in required if given[MUST_SPECIFY[key][0]].get(MUST_SPECIFY[key][1]) in (None, "")]
            if missing:
                yield obj, container, missing


def _must_specify(quota, obj, container, missing):
    """On the container when the quota is in its directory, else on the quota: a directory's findings depend only
    on what is in it and below (see ``Index``), and a quota above governs the directories below it."""
    detail = "; ".join(f"{key} for: {container.name}" for key in missing)
    fields = ", ".join(sorted({".".join(MUST_SPECIFY[key]) for key in missing}))
    beside = place(quota) == place(obj)
    where = "" if beside else f" ({obj.doc.file}:{locate(obj, container.path).line})"
    return Hit(
        container.path if beside else child_path("spec.hard", missing[0]),
        f"failed quota: {quota.name}: must specify {detail} — the API server refuses the pods of {describe(obj)}"
        f"{where} in namespace {quota.namespace}; set resources {fields} on container {container.name}, or add a "
        "LimitRange of type Container with default/defaultRequest to the namespace",
        obj=obj if beside else quota,
    )


def quota_exceeded(index: Index, ctx: Context) -> Hits:
    cache, usages, sums, largest = {}, {}, {}, {}
    for quota, hard in _quotas(index.reported(index.of_kind("ResourceQuota"))):  # its findings fall on the quota
        members, defaults = _namespace_pods(index, quota, cache)
        if not members:
            continue
        for key, allowed_text in hard.items():
            allowed = quantity_or_none(allowed_text)
            if allowed is None or (key not in SUMMED and key != "pods"):
                continue
            if _scoped(quota):
                group = None
                shares, total = _shares(members, key, defaults, usages)
            else:  # unscoped quotas of one namespace group share one member list, so one sum per key
                group = (quota.namespace, place(quota), key)
                if group not in sums:
                    sums[group] = _shares(members, key, defaults, usages)
                shares, total = sums[group]
            if total > allowed:
                if group is not None and group not in largest:  # one text per group, however many quotas
                    largest[group] = _largest(shares, key)
                consumers = largest[group] if group is not None else _largest(shares, key)
                yield Hit(
                    child_path("spec.hard", key),
                    f"the workloads in namespace {quota.namespace} need {key} {_format(total, key)} at full scale "
                    f"({consumers}) but ResourceQuota {quota.name} allows {allowed_text}, so pods beyond "
                    "it are refused; raise the quota or lower replicas or resources",
                    obj=quota,
                )


def _shares(members, key: str, defaults, usages) -> tuple[list, Decimal]:
    """Each member's part of ``key`` at full scale, and their total."""
    shares = []
    for obj in members:
        memo = (id(obj), id(defaults))  # one namespace's quotas at different places may see different LimitRanges
        if memo not in usages:
            usages[memo] = (pods_per_object(obj), pod_usage(obj, defaults))
        count, usage = usages[memo]
        amount = Decimal(1) if key == "pods" else usage[SUMMED[key]]
        if amount:
            shares.append((count * amount, count, amount, obj))
    return shares, sum(share[0] for share in shares)


def _largest(shares, key: str, shown: int = 3) -> str:
    """The biggest consumers, largest first: ``Deployment web 3×500m, ... and 4 more``."""
    shares = sorted(shares, key=lambda share: -share[0])
    text = ", ".join(f"{describe(obj)} {count}×{_format(usage, key)}" for _, count, usage, obj in shares[:shown])
    return text + (f" and {len(shares) - shown} more" if len(shares) > shown else "")


def pod_usage(obj, defaults) -> dict[tuple[str, str], Decimal]:
    """A pod's effective request or limit of each summed resource, by ``(section, resource)``: the larger of its init
    phase and its running containers."""
    sidecars, regular, init_peak = (dict.fromkeys(_SUMMED_PAIRS, Decimal(0)) for _ in range(3))
    for container in obj.containers():
        sections = dict(zip(("requests", "limits"), effective(container.data, defaults), strict=False))
        for pair in _SUMMED_PAIRS:
            section, resource = pair
            amount = quantity_or_none(sections[section].get(resource)) or Decimal(0)
            if is_sidecar(container):
                sidecars[pair] += amount
            elif container.init:
                init_peak[pair] = max(init_peak[pair], amount + sidecars[pair])
            else:
                regular[pair] += amount
    return {pair: max(init_peak[pair], regular[pair] + sidecars[pair]) for pair in _SUMMED_PAIRS}


def _format(value: Decimal, key: str) -> str:
    if key == "pods":
        return str(int(value))
    if "cpu" in key:
        if value < 1:
            return f"{int(value * 1000)}m"
        return f"{value.normalize():f}" if value == round(value, 3) else f"{value:.3f}"
    for unit, size in (("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)):
        if value >= size:
            shown = value / size
            return f"{shown:.0f}{unit}" if shown == shown.to_integral_value() else f"{shown:.2f}{unit}"
    return f"{value:f}"


def in_scope(quota, obj, defaults) -> bool:
    """Whether the quota's scopes and scopeSelector select the object's pods."""
    spec = mapping(quota.data, "spec")
    scopes = sequence(spec, "scopes")
    tests = [(scope, "Exists", []) for scope in scopes]
    expressions = dig(spec, "scopeSelector.matchExpressions")
    for item in expressions if isinstance(expressions, list) else []:
        if isinstance(item, dict):
            tests.append((item.get("scopeName"), item.get("operator"), item.get("values") or []))
    return all(_scope_matches(name, operator, values, obj, defaults) for name, operator, values in tests)


def _scope_matches(name, operator, values, obj, defaults) -> bool:
    pod = obj.pod_spec
    if name == "PriorityClass":
        priority = pod.get("priorityClassName") or ""
        return {
            "Exists": bool(priority),
            "DoesNotExist": not priority,
            "In": priority in values,
            "NotIn": priority not in values,
        }.get(operator, False)
    if name in ("Terminating", "NotTerminating"):
        deadline = pod.get("activeDeadlineSeconds")
        matched = (isinstance(deadline, int) and deadline >= 0) == (name == "Terminating")
    elif name in ("BestEffort", "NotBestEffort"):
        best_effort = not any(
            any(r in section for section in effective(c.data, defaults) for r in ("cpu", "memory"))
            for c in obj.containers()
        )
        matched = best_effort == (name == "BestEffort")
    elif name == "CrossNamespacePodAffinity":
        matched = _cross_namespace_affinity(pod)
    else:
        return False
    return matched if operator == "Exists" else (not matched if operator == "DoesNotExist" else False)


def _cross_namespace_affinity(pod: dict) -> bool:
    for kind in ("podAffinity", "podAntiAffinity"):
        affinity = dig(pod, f"affinity.{kind}")
        if not isinstance(affinity, dict):
            continue
        terms = list(affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or [])
        terms += [
            t.get("podAffinityTerm")
            for t in affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []
            if isinstance(t, dict)
        ]
        if any(isinstance(t, dict) and (t.get("namespaces") or "namespaceSelector" in t) for t in terms):
            return True
    return False
