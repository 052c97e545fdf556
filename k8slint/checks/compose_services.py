"""Compose checks of each service's identity: image, build, container_name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from k8slint.compose.model import replicas, run_together

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.compose.model import ComposeProject
    from k8slint.registry import Context


def image_tag(image: str) -> str | None:
    """The tag of an image reference (None when it has none; digests count as pinned, not as tags)."""
    if "@" in image:
        return "@"
    name = image.rsplit("/", 1)[-1]
    return name.rsplit(":", 1)[1] if ":" in name else None


def compose_image_tag(project: ComposeProject, ctx: Context) -> Hits:
    floating = {str(tag).lower() for tag in ctx.options["floating-tags"]}
    for name, service in project.services.items():
        image = service.get("image")
        path = ("services", name, "image")
        if not isinstance(image, str) or not image or "build" in service or project.unresolved(path):
            continue
        tag = image_tag(image)
        if tag is None:
            yield project.hit(
                path,
                f"service {name} uses image {image!r} without a tag, which means :latest and changes under you; pin a version tag or digest",
            )
        elif tag.lower() in floating:
            yield project.hit(
                path, f"service {name} uses image {image!r} with the floating tag {tag!r}; pin a version tag or digest"
            )


def compose_image_or_build(project: ComposeProject, ctx: Context) -> Hits:
    for name, service in project.services.items():
        if not any(
            key in service for key in ("image", "build", "provider", "extends")
        ):  # a broken extends is reported on its own
            profiles = service.get("profiles")
            when = (
                f" (docker compose refuses the project once its profile is active: --profile {profiles[0]})"
                if isinstance(profiles, list) and profiles
                else ""
            )
            yield project.hit(
                ("services", name),
                f"service {name} has neither image nor build, so Compose has nothing to run{when}; add image: or build:",
                on_key=True,
            )


def compose_container_name_scale(project: ComposeProject, ctx: Context) -> Hits:
    for name, service in project.services.items():
        count = replicas(service)
        if "container_name" in service and count > 1:
            yield project.hit(
                ("services", name, "container_name"),
                f"service {name} sets container_name but runs {count} replicas, and container names must be unique; remove container_name or run one replica",
            )


def compose_container_name_duplicate(project: ComposeProject, ctx: Context) -> Hits:
    services = project.services
    owners: dict[str, list[str]] = {}
    for name, service in services.items():
        container = service.get("container_name")
        path = ("services", name, "container_name")
        if not isinstance(container, str) or project.unresolved(path):
            continue
        other = next((owner for owner in owners.get(container, []) if run_together(service, services[owner])), None)
        if other is not None:
            yield project.hit(
                path,
                f"service {name} uses container_name {container!r}, already used by service {other}; container names must be unique",
            )
        owners.setdefault(container, []).append(name)


_CONTAINER_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")


def _string_settings(project: ComposeProject, key: str):
    """``(service name, value, path)`` of each service's ``key`` that is a string with no unresolved variable."""
    for name, service in project.services.items():
        value, path = service.get(key), ("services", name, key)
        if isinstance(value, str) and not project.unresolved(path):
            yield name, value, path


def compose_container_name_invalid(project: ComposeProject, ctx: Context) -> Hits:
    for name, container, path in _string_settings(project, "container_name"):
        if not _CONTAINER_NAME.fullmatch(container):
            yield project.hit(
                path,
                f"service {name} has container_name {container!r}, which Docker refuses; use letters, digits, '_', '.' and '-', starting with a letter or digit",
            )


_RESTART = re.compile(r"no|always|unless-stopped|on-failure(:\d+)?")


def compose_invalid_restart(project: ComposeProject, ctx: Context) -> Hits:
    for name, restart, path in _string_settings(project, "restart"):
        if not _RESTART.fullmatch(restart):
            yield project.hit(
                path,
                f"service {name} has restart {restart!r}; docker compose accepts the file, but `up` fails because Docker knows only no, always, on-failure[:N] and unless-stopped",
            )
