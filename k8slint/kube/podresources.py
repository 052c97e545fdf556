"""What a container requests and is limited to once Kubernetes has applied its defaults.

Two defaults apply before a ResourceQuota sees a pod: a container that sets a
limit but no request gets a request equal to the limit, and the namespace's
LimitRanges of type Container fill in ``defaultRequest``/``default`` for what
is still unset. A LimitRange item itself is defaulted on creation: ``default``
falls back to ``max`` and ``defaultRequest`` to ``default``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from k8slint.access import mapping
from k8slint.kube.quantity import parse_quantity


def quantity_or_none(value) -> Decimal | None:
    """A quantity as a number, or None for a missing or invalid value (other rules report those)."""
    try:
        return parse_quantity(value)
    except ValueError:
        return None


@dataclass
class LimitDefaults:
    """Per-resource defaults the namespace's Container LimitRanges supply, with their source object."""

    requests: dict = field(default_factory=dict)  # resource -> (value, LimitRange name)
    limits: dict = field(default_factory=dict)


def limit_defaults(limit_ranges) -> LimitDefaults:
    """Merge the Container defaults of some LimitRange objects (the first one to define a resource wins)."""
    found = LimitDefaults()
    for obj in limit_ranges:
        spec = obj.data.get("spec")
        items = spec.get("limits") if isinstance(spec, dict) else None
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or item.get("type") != "Container":
                continue
            default = {**_map(item.get("max")), **_map(item.get("default"))}
            default_request = {**default, **_map(item.get("defaultRequest"))}
            for resource, value in default.items():
                found.limits.setdefault(resource, (value, obj.name))
            for resource, value in default_request.items():
                found.requests.setdefault(resource, (value, obj.name))
    return found


def declared(container: dict) -> tuple[dict, dict]:
    """The container's own ``(requests, limits)`` maps; requests default to limits as the API server does."""
    resources = mapping(container, "resources")
    limits = _map(resources.get("limits"))
    requests = {**limits, **_map(resources.get("requests"))}
    return requests, limits


def effective(container: dict, defaults: LimitDefaults | None = None) -> tuple[dict, dict]:
    """``declared`` plus whatever the LimitRange ``defaults`` fill in."""
    requests, limits = declared(container)
    if defaults is not None:
        for resource, (value, _) in defaults.limits.items():
            limits.setdefault(resource, value)
        for resource, (value, _) in defaults.requests.items():
            requests.setdefault(resource, value)
    return requests, limits


def _map(value) -> dict:
    return {str(key): item for key, item in value.items()} if isinstance(value, dict) else {}
