"""Compose checks of settings the loader refuses together, or refuses without a companion setting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.compose.casts import cast_value
from k8slint.compose.sizes import parse_byte_size

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.compose.model import ComposeProject
    from k8slint.registry import Context

# (service key, its counterpart under deploy, how to read both): the loader wants equal values when both are set
_DEPLOY_TWINS = (
    ("scale", ("deploy", "replicas"), "whole"),
    ("cpus", ("deploy", "resources", "limits", "cpus"), "number"),
    ("mem_limit", ("deploy", "resources", "limits", "memory"), "size"),
    ("mem_reservation", ("deploy", "resources", "reservations", "memory"), "size"),
    ("pids_limit", ("deploy", "resources", "limits", "pids"), "whole"),
)
_SOURCES = {"configs": ("file", "environment", "content"), "secrets": ("file", "environment")}
_NON_TARGET_ACTIONS = ("rebuild", "restart")


def _get(mapping, path: tuple):
    for key in path:
        if not isinstance(mapping, dict) or key not in mapping:
            return None
        mapping = mapping[key]
    return mapping


def _read(value, kind: str):
    if kind == "size":
        return parse_byte_size(value)
    number = cast_value(value, kind)
    return round(number, 6) if isinstance(number, float) else number


def compose_conflicting_settings(project: ComposeProject, ctx: Context) -> Hits:
    for name, service in project.services.items():
        here = ("services", name)
        if "network_mode" in service and "networks" in service:
            yield project.hit(
                here + ("networks",),
                f"service {name} sets both network_mode and networks, which docker compose refuses as mutually exclusive; keep one",
                on_key=True,
            )
        for key, twin, kind in _DEPLOY_TWINS:
            first, second = service.get(key), _get(service, twin)
            if first is None or project.unresolved(here + (key,)):
                continue
            if key != "scale" and first in (0, "0"):  # an unset limit: the loader only compares non-zero values
                continue
            implied = second is None and key != "scale" and isinstance(_get(service, twin[:-1]), dict)
            if implied:  # the loader reads the absent twin of a written limits/reservations mapping as 0
                second = 0
            a, b = (None, None) if second is None else (_read(first, kind), _read(second, kind))
            if a is not None and b is not None and a != b:
                yield project.hit(
                    here + (key,),
                    f"service {name} sets {key} {first!r} and {'.'.join(twin)} {second!r}"
                    + (
                        f" (it sets {'.'.join(twin[:-1])} without {twin[-1]}, which the loader reads as 0)"
                        if implied
                        else ""
                    )
                    + f"; docker compose refuses two different values, so set {'.'.join(twin)} alone",
                )
        build = service.get("build")
        if isinstance(build, dict) and "dockerfile" in build and "dockerfile_inline" in build:
            yield project.hit(
                here + ("build", "dockerfile_inline"),
                f"service {name} sets both build.dockerfile and build.dockerfile_inline, which docker compose refuses as mutually exclusive; keep one",
                on_key=True,
            )
    for kind, keys in _SOURCES.items():
        for key, spec in project.section(kind).items():
            given = [source for source in keys if isinstance(spec, dict) and source in spec]
            if len(given) > 1:
                yield project.hit(
                    (kind, key, given[1]),
                    f"{kind[:-1]} {key} sets {' and '.join(given)}, but docker compose takes exactly one of {', '.join(keys)}; keep one",
                    on_key=True,
                )
    for kind in ("networks", "volumes", "configs", "secrets"):
        for key, spec in project.section(kind).items():
            external = spec.get("external") if isinstance(spec, dict) else None
            if (
                isinstance(external, dict)
                and "name" in external
                and "name" in spec
                and external["name"] != spec["name"]
            ):
                yield project.hit(
                    (kind, key, "external", "name"),
                    f"{kind[:-1]} {key} has name {spec['name']!r} and external.name {external['name']!r}, which docker compose refuses as a conflict; write only name: and external: true",
                )


def compose_missing_setting(project: ComposeProject, ctx: Context) -> Hits:
    for kind, keys in _SOURCES.items():
        for key, spec in project.section(kind).items():
            if not isinstance(spec, dict) or spec.get("external") not in (None, False):
                continue
            if not any(source in spec for source in keys):
                yield project.hit(
                    (kind, key),
                    f"{kind[:-1]} {key} has no source, so docker compose refuses it; set one of {', '.join(keys)} (or external: true)",
                    on_key=True,
                )
    for name, service in project.services.items():
        watch = _get(service, ("develop", "watch"))
        for index, rule in enumerate(watch if isinstance(watch, list) else []):
            if isinstance(rule, dict) and not rule.get("target") and rule.get("action") not in _NON_TARGET_ACTIONS:
                yield project.hit(
                    ("services", name, "develop", "watch", index),
                    f"service {name} has a develop.watch rule with action {rule.get('action')!r} but no target, so docker compose refuses it; add target: (the path in the container)",
                )
