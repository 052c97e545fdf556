"""What a container requests and is limited to once Kubernetes has applied its defaults.

Two defaults apply before a ResourceQuota sees a pod: a container that sets a
limit but no request gets a request equal to the limit, and the namespace's
LimitRanges of type Container fill in ``defaultRequest``/``default`` for what
is still unset. A LimitRange item itself is defaulted on creation: ``default``
falls back to ``max`` and ``defaultRequest`` to ``default``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

COMPUTE = ("cpu", "memory")

_SUFFIX = {
    "": 1, "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"),
    "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
}
_QUANTITY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))(?:([numkMGTPE]|[KMGTPE]i)?|[eE]([+-]?\d+))$")


def _parse_quantity(value) -> Decimal:
    """A Kubernetes quantity (``500m``, ``1Gi``, ``2``, ``1e3``) as a number; ValueError if invalid."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"invalid quantity {value!r}")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    match = _QUANTITY.match(str(value).strip())
    if not match:
        raise ValueError(f"invalid quantity {value!r}")
    number, suffix, exponent = match.groups()
    try:
        base = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"invalid quantity {value!r}") from exc
    if exponent is not None:
        return base.scaleb(int(exponent))
    return base * _SUFFIX[suffix or ""]


def quantity_or_none(value) -> Decimal | None:
    """A quantity as a number, or None for a missing or invalid value (other rules report those)."""
    try:
        return _parse_quantity(value)
    except ValueError:
        return None


@dataclass
class LimitDefaults:
    """Per-resource defaults the namespace's Container LimitRanges supply, with their source object."""

    requests: dict = field(default_factory=dict)   # resource -> (value, LimitRange name)
    limits: dict = field(default_factory=dict)


def limit_defaults(limit_ranges) -> LimitDefaults:
    """Merge the Container defaults of some LimitRange objects (the first one to define a resource wins)."""
    found = LimitDefaults()
    for obj in limit_ranges:
        items = (obj.data.get("spec") or {}).get("limits") if isinstance(obj.data.get("spec"), dict) else None
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
    resources = container.get("resources")
    resources = resources if isinstance(resources, dict) else {}
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
