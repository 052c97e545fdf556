"""Compose checks of bind mounts: host paths that do not travel, and paths outside the project."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from k8slint.compose.mounts import MountError, is_windows_path, parse_mount, split_volume

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.compose.model import ComposeProject
    from k8slint.registry import Context


def _binds(project):
    """``(service, path of the source, source)`` for each bind mount with a resolvable source."""
    for name, service in project.services.items():
        volumes = service.get("volumes")
        if not isinstance(volumes, list):
            continue
        for index, entry in enumerate(volumes):
            mount = parse_mount(entry)
            path = ("services", name, "volumes", index) + (("source",) if isinstance(entry, dict) else ())
            if mount and mount.type == "bind" and mount.source and not project.unresolved(path):
                yield name, path, mount.source


def _written(project, path) -> str:
    """The value at a merged path as written in its file, before interpolation."""
    source, source_path = project.origin(path)
    value = source.raw
    for part in source_path:
        value = value[part] if isinstance(value, (dict, list)) and _has(value, part) else None
    return value if isinstance(value, str) else ""


def _has(container, part) -> bool:
    return part in container if isinstance(container, dict) else isinstance(part, int) and part < len(container)


def compose_bind_mount_absolute(project: ComposeProject, ctx: Context) -> Hits:
    allowed = set(ctx.options["allowed-paths"])
    for name, path, source in _binds(project):
        if "$" in _written(project, path):  # ${DATA_DIR:-/srv/data}: the user already made it configurable
            continue
        if source.startswith(("/", "~")) and source.rstrip("/") not in allowed:
            yield project.hit(
                path,
                f"service {name} bind-mounts the host path {source!r}, which exists only on machines laid out like this one; use a named volume or a path relative to the compose file",
            )


def compose_bind_mount_windows_path(project: ComposeProject, ctx: Context) -> Hits:
    for name, path, source in _binds(project):
        if is_windows_path(source):
            yield project.hit(
                path,
                f"service {name} bind-mounts the Windows path '{source}', which does not exist on Linux or macOS hosts; use a path relative to the compose file or a named volume",
            )


def compose_bind_mount_outside_project(project: ComposeProject, ctx: Context) -> Hits:
    root = os.path.normpath(str(project.directory))
    for name, path, source in _binds(project):
        if not source.startswith("."):
            continue
        origin, _ = project.origin(path)
        resolved = os.path.normpath(os.path.join(str(origin.base_dir), source))
        if resolved != root and not resolved.startswith(root.rstrip(os.sep) + os.sep):
            yield project.hit(
                path,
                f"service {name} bind-mounts {source!r}, which is outside the project directory, so the project does not work when copied alone; move the data into the project or use a named volume",
            )


def _short_volume_problem(entry: str) -> str | None:
    try:
        split_volume(entry)
    except MountError as exc:
        return str(exc)
    return None


def _long_volume_problem(entry: dict) -> str | None:
    if not entry.get("target"):
        return "it has no target (the path in the container)"
    if entry.get("type") == "bind" and not entry.get("source"):
        return "a bind mount needs a source (the host path)"
    return None


def _device_problem(entry) -> str | None:
    if isinstance(entry, str) and len(entry.split(":")) > 3:
        return "it has more than three parts (HOST:CONTAINER:PERMISSIONS); use the long syntax"
    return None


def compose_invalid_mount(project: ComposeProject, ctx: Context) -> Hits:
    for name, service in project.services.items():
        here = ("services", name)
        targets: dict[str, tuple] = {}
        tmpfs = service.get("tmpfs")
        for index, entry in enumerate(tmpfs if isinstance(tmpfs, list) else [tmpfs] if isinstance(tmpfs, str) else []):
            if isinstance(entry, str):
                targets.setdefault(entry.split(":")[0], ("tmpfs", index))
        volumes = service.get("volumes")
        for index, entry in enumerate(volumes if isinstance(volumes, list) else []):
            path = here + ("volumes", index)
            if project.unresolved(path) or not isinstance(entry, (str, dict)):
                continue
            problem = _short_volume_problem(entry) if isinstance(entry, str) else _long_volume_problem(entry)
            if problem:
                yield project.hit(path, f"service {name} has a volumes entry docker compose refuses: {problem}")
                continue
            mount = parse_mount(entry)
            if mount is None or not isinstance(mount.target, str):
                continue
            if mount.target in targets:
                other = ".".join(map(str, targets[mount.target]))
                yield project.hit(
                    path,
                    f"service {name} mounts {mount.target} twice (also {other}), which docker compose refuses; keep one mount per target",
                )
            targets.setdefault(mount.target, ("volumes", index))
        devices = service.get("devices")
        for index, entry in enumerate(devices if isinstance(devices, list) else []):
            path = here + ("devices", index)
            problem = None if project.unresolved(path) else _device_problem(entry)
            if problem:
                yield project.hit(path, f"service {name} has a devices entry docker compose refuses: {problem}")
