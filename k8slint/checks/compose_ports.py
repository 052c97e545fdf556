"""Compose checks of ``ports`` and ``expose``: syntax, and host ports two containers would both bind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.compose.model import replicas, run_together
from k8slint.compose.ports import PortError, overlaps, parse_port, parse_short

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.compose.model import ComposeProject
    from k8slint.registry import Context


def _entries(project, key: str):
    """``(service name, path, entry)`` for each resolvable entry of a service list field."""
    for name, service in project.services.items():
        value = service.get(key)
        if not isinstance(value, list):
            continue
        for index, entry in enumerate(value):
            path = ("services", name, key, index)
            if not (
                project.unresolved(path)
                or any(project.unresolved(path + (k,)) for k in (entry if isinstance(entry, dict) else ()))
            ):
                yield name, path, entry


def _fine_but_protocol(entry: dict) -> bool:
    try:
        parse_port({key: value for key, value in entry.items() if key != "protocol"})
    except PortError:
        return False
    return True


def compose_invalid_port(project: ComposeProject, ctx: Context) -> Hits:
    for name, path, entry in _entries(project, "ports"):
        if isinstance(entry, bool) or not isinstance(entry, (str, int, dict)):
            continue  # a wrong type is compose-schema's
        try:
            parse_port(entry)
        except PortError as exc:
            protocol_only = isinstance(entry, dict) and _fine_but_protocol(entry)
            yield project.hit(
                path,
                f"service {name} has an invalid ports entry {entry!r}: {exc}; use [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]",
                severity="warning" if protocol_only else None,  # the loader passes a long entry's protocol unchecked
            )
    for name, path, entry in _entries(project, "expose"):
        if isinstance(entry, bool) or not isinstance(entry, (str, int)):
            continue
        try:
            parse_short(entry)
        except PortError as exc:
            yield project.hit(
                path,
                f"service {name} has an invalid expose entry {entry!r}: {exc}; use PORT, PORT-PORT or PORT/PROTOCOL",
            )
            continue
        if ":" in str(entry):  # the loader accepts it (Compose 2.40.3); it publishes nothing
            yield project.hit(
                path,
                f"service {name} has an invalid expose entry {entry!r}: expose takes container ports only; use ports: to publish on the host",
                severity="warning",
            )


def compose_port_conflict(project: ComposeProject, ctx: Context) -> Hits:
    claims = []  # (service, path, spec) of fixed host ports, in file order
    pooled = []
    for name, path, entry in _entries(project, "ports"):
        try:
            spec = parse_port(entry)
        except PortError:
            continue
        if spec.published is None or (isinstance(entry, dict) and entry.get("mode") == "ingress"):
            continue
        (pooled if spec.pooled else claims).append((name, path, spec))
    services = project.services

    def clash(name, spec, other, other_spec):
        return overlaps(spec, other_spec) and run_together(services[name], services[other])

    for position, (name, path, spec) in enumerate(claims):
        earlier = next(
            ((other, other_spec) for other, _, other_spec in claims[:position] if clash(name, spec, other, other_spec)),
            None,
        )
        if earlier is not None:
            other, other_spec = earlier
            whose = f"service {other}" if other != name else "another entry of the same service"
            yield project.hit(
                path,
                f"service {name} publishes host port {spec.label()}, which {whose} already publishes ({other_spec.label()}); only one container can bind it, so pick another host port",
            )
        elif replicas(services[name]) > 1 and not project.stack:  # Swarm's routing mesh shares it among replicas
            yield project.hit(
                path,
                f"service {name} runs {replicas(services[name])} replicas but publishes the fixed host port {spec.label()}, which only one of them can bind; publish a port range or drop the host port",
            )
    for name, path, spec in pooled:
        taken = set()
        for other_name, _, other in claims:
            if clash(name, spec, other_name, other):
                taken.update(
                    range(max(other.published[0], spec.published[0]), min(other.published[1], spec.published[1]) + 1)
                )
        if len(taken) == spec.published[1] - spec.published[0] + 1:
            yield project.hit(
                path,
                f"service {name} publishes one port of {spec.label()}, but every port of that range is already published by other services; widen or move the range",
            )
