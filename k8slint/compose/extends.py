"""``extends``: a service starts from another service (same file or another file) and overrides it."""

from __future__ import annotations

import copy

from k8slint.compose.merge import Merger


def extends_target(service) -> tuple[str | None, str | None]:
    """``(service, file)`` named by a service's ``extends`` (either may be None)."""
    ext = service.get("extends") if isinstance(service, dict) else None
    if isinstance(ext, str):
        return ext, None
    if isinstance(ext, dict):
        name, file = ext.get("service"), ext.get("file")
        return (name if isinstance(name, str) else None), (file if isinstance(file, str) else None)
    return None, None


def apply_extends(merger: Merger, load_other) -> list[tuple]:
    """Resolve every ``extends`` of the merged services in place.

    ``load_other(origin_path, file)`` returns a Merger for another compose
    file (its own extends resolved) or None when it cannot be read. Returns
    ``(origin, service, file)`` for each extends whose service that file lacks.
    """
    missing: list[tuple] = []
    services = merger.data.get("services")
    if not isinstance(services, dict):
        return missing
    done: set[str] = set()

    def resolve(name: str) -> None:
        """Resolve ``name`` after the chain of same-file services it extends (a loop, not recursion: chains can be long)."""
        chain = [name]
        while True:  # follow same-file extends to the first service that is resolved, missing, or in a cycle
            base_name, file = extends_target(services.get(chain[-1]))
            if base_name is None or file is not None or base_name in done or base_name in chain:
                break
            chain.append(base_name)
        for member in reversed(chain):
            resolve_one(member)

    def resolve_one(name: str) -> None:
        service = services.get(name)
        if name in done or not isinstance(service, dict):
            return
        done.add(name)
        base_name, file = extends_target(service)
        if base_name is None:
            return
        if file is not None:
            other = load_other(("services", name, "extends", "file"), file)
            if other is None:
                return
            base_services = other.data.get("services")
            base_origin_from = other
        else:
            base_services, base_origin_from = services, merger
        base = base_services.get(base_name) if isinstance(base_services, dict) else None
        if file is not None and not isinstance(base, dict):
            where = ("extends", "service") if isinstance(service.get("extends"), dict) else ("extends",)
            missing.append((merger.origins.get(("services", name) + where), base_name, file))
        if not isinstance(base, dict) or (file is None and base_name == name):
            return
        path = ("services", name)
        own = merger.subtree(path)
        base_origin = base_origin_from.subtree(("services", base_name))
        merger.forget(path)
        result = copy.deepcopy(base)
        merger.record(path, base_origin, result)
        services[name] = merger.merge(path, result, service, own)
        merger.origins[path] = own.at()

    for name in list(services):
        resolve(name)
    return missing
