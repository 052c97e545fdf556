"""Compose checks of resource settings: missing limits and memory values that are not byte sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.compose.sizes import parse_byte_size

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.compose.model import ComposeProject
    from k8slint.registry import Context

SERVICE_SIZE_KEYS = ("mem_limit", "mem_reservation", "memswap_limit", "shm_size")


def _sizes(service: dict):
    """``(relative path, value)`` of every byte-size setting of a service."""
    for key in SERVICE_SIZE_KEYS:
        if key in service:
            yield (key,), service[key]
    resources = (service.get("deploy") or {}).get("resources") if isinstance(service.get("deploy"), dict) else None
    for part in ("limits", "reservations"):
        section = resources.get(part) if isinstance(resources, dict) else None
        if isinstance(section, dict) and "memory" in section:
            yield ("deploy", "resources", part, "memory"), section["memory"]
    build = service.get("build")
    if isinstance(build, dict) and "shm_size" in build:
        yield ("build", "shm_size"), build["shm_size"]
    volumes = service.get("volumes")
    for index, entry in enumerate(volumes if isinstance(volumes, list) else []):
        tmpfs = entry.get("tmpfs") if isinstance(entry, dict) else None
        if isinstance(tmpfs, dict) and "size" in tmpfs:
            yield ("volumes", index, "tmpfs", "size"), tmpfs["size"]


def compose_invalid_byte_size(project: ComposeProject, ctx: Context) -> Hits:
    for name, service in project.services.items():
        for rel, value in _sizes(service):
            path = ("services", name) + rel
            if project.unresolved(path):
                continue
            if parse_byte_size(value) is None:
                yield project.hit(
                    path,
                    f"service {name} {'.'.join(map(str, rel))} {value!r} is not a byte size; write a number with an optional unit b, k, m or g, such as 512m or 1g",
                )


def _has_limits(service: dict) -> bool:
    if any(key in service for key in ("mem_limit", "cpus")):
        return True
    deploy = service.get("deploy")
    resources = deploy.get("resources") if isinstance(deploy, dict) else None
    limits = resources.get("limits") if isinstance(resources, dict) else None
    return isinstance(limits, dict) and bool(limits)


def compose_resources_limits(project: ComposeProject, ctx: Context) -> Hits:
    for name, service in project.services.items():
        if not _has_limits(service):
            yield project.hit(
                ("services", name),
                f"service {name} sets no memory or CPU limit, so one runaway container can starve the others; add deploy.resources.limits (memory, cpus)",
                on_key=True,
            )
