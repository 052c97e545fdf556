"""Container resources: missing requests/limits, requests above limits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import mapping
from k8slint.documents import child_path
from k8slint.findings import Edit, Hit
from k8slint.kube.podresources import limit_defaults, quantity_or_none

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context


def resources_missing(index: Index, ctx: Context) -> Hits:
    required = [key for key in ctx.options["required"] if key.partition(".")[2]]
    defaults = {}  # by the id of the objects' scope (Index.near): LimitRanges there supply defaults
    for obj in index.checked:
        if obj.pod_spec is None or isinstance(obj.pod_spec.get("resources"), dict):
            continue  # pod-level resources cover the containers
        near = index.near(obj)
        if id(near) not in defaults:
            defaults[id(near)] = limit_defaults(o for o in near if o.kind == "LimitRange" and o.group == "")
        for container in obj.containers():
            hit = _missing(obj, container, required, defaults[id(near)])
            if hit:
                yield hit


def _missing(obj, container, required, defaults) -> Hit | None:
    resources = container.data.get("resources")
    sections = resources if isinstance(resources, dict) else {}
    missing = [key for key in required if not _has(sections, *key.split(".", 1))]
    if not missing:
        return None
    message = f"container {container.name} sets no {', '.join(missing)}"
    limits = mapping(sections, "limits")
    if all(key.startswith("requests.") and key.split(".", 1)[1] in limits for key in missing):
        message += " (requests then default to the limits, reserving the maximum)"
    message += "; set them so the scheduler can place the pod and the node can cap it"
    edits, sources = [], set()
    for key in missing:
        section, resource = key.split(".", 1)
        default = getattr(defaults, section).get(resource)
        if default:
            edits.append(
                Edit(
                    "set",
                    child_path(child_path(child_path(container.path, "resources"), section), resource),
                    default[0],
                )
            )
            sources.add(default[1])
    if edits:
        message += f" (LimitRange {', '.join(sorted(sources))} supplies defaults; the unsafe fix writes them out)"
    path = child_path(container.path, "resources") if "resources" in container.data else container.path
    return Hit(path, message, edits=tuple(edits), unsafe=bool(edits), obj=obj)


def _has(resources: dict, section: str, resource: str) -> bool:
    values = resources.get(section)
    return isinstance(values, dict) and values.get(resource) not in (None, "")


def resources_request_exceeds_limit(obj: K8sObject, ctx: Context) -> Hits:
    for container in obj.containers():
        resources = container.data.get("resources")
        if not isinstance(resources, dict):
            continue
        requests, limits = resources.get("requests"), resources.get("limits")
        if not isinstance(requests, dict) or not isinstance(limits, dict):
            continue
        for resource, request in requests.items():
            if resource not in limits:
                continue
            wanted, cap = quantity_or_none(request), quantity_or_none(limits[resource])
            if wanted is not None and cap is not None and wanted > cap:
                yield Hit(
                    f"{container.path}.resources.requests.{resource}",
                    f"container {container.name} requests {resource} {request} but is limited to "
                    f"{limits[resource]} (the API server rejects it: must be less than or equal to {resource} "
                    f"limit of {limits[resource]}); lower the request or raise the limit",
                )
