"""The names a service refers to, each with its path relative to the service."""

from __future__ import annotations

from dataclasses import dataclass

from k8slint.compose.mounts import parse_mount


@dataclass(frozen=True)
class Ref:
    """A reference from a service: ``name`` of a ``kind`` (services, networks …) at ``path``."""

    kind: str
    name: str
    path: tuple
    condition: str = "service_started"
    required: bool = True


def _names(value, key: str, kind: str) -> list[Ref]:
    """Entries of a list-or-mapping reference field (``networks``, ``depends_on``)."""
    if isinstance(value, list):
        return [Ref(kind, str(item), (key, index)) for index, item in enumerate(value) if isinstance(item, (str, int))]
    if isinstance(value, dict):
        return [Ref(kind, str(name), (key, name)) for name in value]
    return []


def networks(service: dict) -> list[Ref]:
    return _names(service.get("networks"), "networks", "networks")


def depends_on(service: dict) -> list[Ref]:
    value = service.get("depends_on")
    refs = _names(value, "depends_on", "services")
    if not isinstance(value, dict):
        return refs
    result = []
    for ref in refs:
        spec = value[ref.name] if isinstance(value[ref.name], dict) else {}
        condition = spec.get("condition") if isinstance(spec.get("condition"), str) else "service_started"
        result.append(Ref("services", ref.name, ref.path, condition, spec.get("required", True) is not False))
    return result


def links(service: dict) -> list[Ref]:
    value = service.get("links")
    if not isinstance(value, list):
        return []
    return [Ref("services", item.split(":")[0], ("links", i)) for i, item in enumerate(value) if isinstance(item, str)]


def volumes_from(service: dict) -> list[Ref]:
    value = service.get("volumes_from")
    if not isinstance(value, list):
        return []
    return [
        Ref("services", item.split(":")[0], ("volumes_from", i))
        for i, item in enumerate(value)
        if isinstance(item, str) and not item.startswith("container:")
    ]


def network_mode_service(service: dict) -> list[Ref]:
    mode = service.get("network_mode")
    if isinstance(mode, str) and mode.startswith("service:"):
        return [Ref("services", mode[len("service:") :], ("network_mode",))]
    return []


def service_dependencies(service: dict) -> list[Ref]:
    """Every reference that makes Compose start another service first."""
    return depends_on(service) + links(service) + volumes_from(service) + network_mode_service(service)


def files(service: dict, kind: str) -> list[Ref]:
    """``configs`` or ``secrets`` a service uses (short name or long ``source``)."""
    value = service.get(kind)
    if not isinstance(value, list):
        return []
    refs = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            refs.append(Ref(kind, item, (kind, index)))
        elif isinstance(item, dict) and isinstance(item.get("source"), str):
            refs.append(Ref(kind, item["source"], (kind, index, "source")))
    return refs


def named_volumes(service: dict) -> list[Ref]:
    """Named volumes a service mounts (not host paths, not anonymous volumes)."""
    value = service.get("volumes")
    if not isinstance(value, list):
        return []
    refs = []
    for index, item in enumerate(value):
        mount = parse_mount(item)
        if mount and mount.type == "volume" and mount.source:
            refs.append(
                Ref(
                    "volumes",
                    mount.source,
                    ("volumes", index, "source") if isinstance(item, dict) else ("volumes", index),
                )
            )
    return refs


def all_resources(service: dict) -> list[Ref]:
    """Every top-level resource (network, volume, config, secret) a service uses."""
    return networks(service) + named_volumes(service) + files(service, "configs") + files(service, "secrets")
