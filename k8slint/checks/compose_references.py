"""Compose checks of names: undefined references, undeclared and unused resources, external ones, missing files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint import observed
from k8slint.compose import refs
from k8slint.compose.extends import extends_target

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.compose.model import ComposeProject
    from k8slint.registry import Context

_SINGULAR = {
    "services": "service",
    "networks": "network",
    "volumes": "volume",
    "configs": "config",
    "secrets": "secret",
}
_WHAT = {
    "depends_on": "depends on",
    "links": "links to",
    "volumes_from": "takes volumes from",
    "network_mode": "shares the network of",
}


def _declared(project, kind: str) -> set[str]:
    return set(project.section(kind)) | ({"default"} if kind == "networks" else set())


def _profiles_missing(service: dict, target: dict) -> bool:
    """Whether ``service`` can be active while ``target`` is not: target is limited to profiles service lacks."""
    wanted = target.get("profiles")
    if not isinstance(wanted, list) or not wanted:
        return False
    own = service.get("profiles")
    return not (isinstance(own, list) and own and set(map(str, own)) <= set(map(str, wanted)))


def compose_undefined_reference(project: ComposeProject, ctx: Context) -> Hits:
    services = project.services
    for name, service in services.items():
        base = ("services", name)
        for ref in refs.service_dependencies(service):
            if project.unresolved(base + ref.path):
                continue
            verb = _WHAT[ref.path[0]]
            if ref.name not in services:
                yield project.hit(
                    base + ref.path,
                    f"service {name} {verb} {ref.name!r}, which is not a service of this project; define it or fix the name",
                )
            elif ref.required and _profiles_missing(service, services[ref.name]):
                profiles = ", ".join(map(str, services[ref.name]["profiles"]))
                yield project.hit(
                    base + ref.path,
                    f'service {name} {verb} {ref.name!r}, which runs only with the profile {profiles}; without --profile docker compose stops ("depends on undefined service"), so give {name} the same profile or activate it',
                    severity="warning",
                )
        for ref in refs.networks(service) + refs.files(service, "configs") + refs.files(service, "secrets"):
            if ref.name not in _declared(project, ref.kind) and not project.unresolved(base + ref.path):
                what = _SINGULAR[ref.kind]
                yield project.hit(
                    base + ref.path,
                    f"service {name} uses undefined {what} {ref.name!r}; declare it under top-level {ref.kind}: or fix the name",
                )
        target, file = extends_target(service)
        if target and file is None and target not in services:
            path = base + (("extends", "service") if isinstance(service.get("extends"), dict) else ("extends",))
            yield project.hit(
                path,
                f"service {name} extends {target!r}, which is not a service of this file; fix the name or add extends.file",
            )
    for ref in project.refs:
        if not ref.exists and ref.kind != "env_file":
            yield project.hit_at(
                (ref.source, ref.path),
                f"{ref.kind} file {ref.written!r} ({ref.resolved}) does not exist or cannot be read; fix the path",
            )
    for where, target, file in project.missing_bases:
        yield project.hit_at(where, f"service {target!r} is not defined in {file}; fix extends.service or extends.file")


def compose_undeclared_volume(project: ComposeProject, ctx: Context) -> Hits:
    declared = set(project.volumes)
    for name, service in project.services.items():
        for ref in refs.named_volumes(service):
            path = ("services", name) + ref.path
            if ref.name not in declared and not project.unresolved(path):
                yield project.hit(
                    path,
                    f"service {name} mounts named volume {ref.name!r}, which is not declared; add it under top-level volumes: (or use ./{ref.name} for a bind mount)",
                )


def compose_unused_resource(project: ComposeProject, ctx: Context) -> Hits:
    used: dict[str, set] = {kind: set() for kind in _SINGULAR if kind != "services"}
    for service in project.services.values():
        for ref in refs.all_resources(service):
            used[ref.kind].add(ref.name)
        if "networks" not in service and "network_mode" not in service:
            used["networks"].add("default")
    for kind, names in used.items():
        for name in project.section(kind):
            if name not in names:
                yield project.hit(
                    (kind, name),
                    f"{_SINGULAR[kind]} {name!r} is declared but no service uses it; remove it or attach it to a service",
                    on_key=True,
                )


def compose_external_resource(project: ComposeProject, ctx: Context) -> Hits:
    for kind in ("networks", "volumes", "configs", "secrets"):
        for key, spec in project.section(kind).items():
            if not isinstance(spec, dict) or spec.get("external") in (None, False):
                continue
            external = spec["external"]
            real = spec.get("name") or (external.get("name") if isinstance(external, dict) else None) or key
            create = {
                "networks": f"docker network create {real}",
                "volumes": f"docker volume create {real}",
                "configs": f"docker config create {real} FILE",
                "secrets": f"docker secret create {real} FILE",
            }[kind]
            yield project.hit(
                (kind, key, "external"),
                f"{_SINGULAR[kind]} {real!r} is external: Compose will not create it, so it must exist before `docker compose up` (`{create}`)",
            )


TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist")


def _template_of(path):
    """A committed template the missing env file is meant to be copied from (``env.example`` …), or None."""
    stem = path.name[1:] if path.name.startswith(".") else path.name
    names = [path.name + suffix for suffix in TEMPLATE_SUFFIXES] + [f"{stem}.example", f"example.{stem}"]
    return next((path.with_name(name) for name in names if observed.is_file(path.with_name(name))), None)


def compose_env_file_missing(project: ComposeProject, ctx: Context) -> Hits:
    for ref in project.refs:
        if ref.kind != "env_file" or ref.exists or not ref.required:
            continue
        template = _template_of(ref.resolved)
        if template is None:
            yield project.hit_at(
                (ref.source, ref.path),
                f"env_file {ref.written!r} ({ref.resolved}) does not exist, so docker compose up fails; create it, fix the path, or mark it required: false",
            )
        else:  # a local file each user creates from the committed template (and keeps out of git)
            yield project.hit_at(
                (ref.source, ref.path),
                f"env_file {ref.written!r} does not exist yet, so docker compose fails until it is created; copy it from {template.name} beside it",
                severity="warning",
            )
