"""Compose checks of start-up order: dependency cycles and ``depends_on`` conditions that cannot be met."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from k8slint.compose import images, refs
from k8slint.compose.extends import extends_target

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.compose.model import ComposeProject
    from k8slint.registry import Context


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One cycle (as a closed walk of names) per strongly connected group that loops.

    Tarjan's algorithm with an explicit stack: a chain of thousands of services cannot exhaust Python's.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph.get(root, ())))]
        while work:
            node, successors = work[-1]
            nxt = next(successors, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    item = stack.pop()
                    on_stack.discard(item)
                    group.append(item)
                    if item == node:
                        break
                if len(group) > 1 or node in graph.get(node, ()):
                    groups.append(group)
    return [_walk(graph, set(group)) for group in groups]


def _walk(graph: dict[str, list[str]], members: set[str]) -> list[str]:
    """The shortest loop through a looping group, from its first name alphabetically back to it."""
    start = min(members)
    previous: dict[str, str] = {}
    queue = [start]
    for node in queue:
        for nxt in graph[node]:
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if nxt in members and nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    raise ValueError("group without a loop")


def compose_depends_on_cycle(project: ComposeProject, ctx: Context) -> Hits:
    services = project.services
    edges = {
        name: [ref for ref in refs.service_dependencies(service) if ref.name in services]
        for name, service in services.items()
    }
    graph = {name: [ref.name for ref in found] for name, found in edges.items()}
    for cycle in _cycles(graph):
        first, second = cycle[0], cycle[1]
        ref = next(ref for ref in edges[first] if ref.name == second)
        yield project.hit(
            ("services", first) + ref.path,
            f"services depend on each other in a cycle ({' -> '.join(cycle)}), so Compose cannot start them; remove one of these dependencies",
        )


def _waiting_on(project, condition: str):
    """(service name, dependency ref, dependency's definition) for every depends_on with ``condition``."""
    services = project.services
    for name, service in services.items():
        for ref in refs.depends_on(service):
            target = services.get(ref.name)
            if ref.condition == condition and target is not None:
                yield name, ref, target


def _disabled(check) -> bool:
    return isinstance(check, dict) and (check.get("disable") is True or check.get("test") in (["NONE"], "NONE"))


def compose_healthy_without_healthcheck(project: ComposeProject, ctx: Context) -> Hits:
    for name, ref, target in _waiting_on(project, "service_healthy"):
        check = target.get("healthcheck")
        if isinstance(check, dict) and not _disabled(check):
            continue
        path = ("services", name) + ref.path + ("condition",)
        waits = f"service {name} waits for {ref.name} to be healthy"
        if _disabled(check):
            yield project.hit(
                path,
                f"{waits}, but the healthcheck of {ref.name} is disabled, so it never becomes healthy; enable it or use condition: service_started",
            )
            continue
        dockerfile = images.local_dockerfile(project, ("services", ref.name))
        if dockerfile is not None and images.has_healthcheck(dockerfile):
            continue
        if dockerfile is not None:
            yield project.hit(
                path,
                f"{waits}, but {ref.name} defines no healthcheck and its Dockerfile ({dockerfile.name}) has no HEALTHCHECK, so it never becomes healthy; add a healthcheck to {ref.name} or use condition: service_started",
            )
        else:
            yield project.hit(
                path,
                f"{waits}, but {ref.name} defines no healthcheck, so this only works if its image declares a HEALTHCHECK; declare the healthcheck here to make it explicit",
                severity="warning",
            )


def compose_completed_with_restart_always(project: ComposeProject, ctx: Context) -> Hits:
    for name, ref, target in _waiting_on(project, "service_completed_successfully"):
        restart = target.get("restart")
        if restart in ("always", "unless-stopped"):
            yield project.hit(
                ("services", name) + ref.path + ("condition",),
                f'service {name} waits for {ref.name} to complete, but {ref.name} has restart: {restart} and is restarted each time it exits; use restart: "no" or on-failure for {ref.name}',
            )


def _file(source) -> Path | None:
    path = getattr(source.doc.source, "path", None)
    return Path(path).resolve() if path else None


def _file_graph(project, edges_of) -> tuple[dict, dict]:
    """A graph over ``project.sources`` (each document once) and, per edge, where it is written."""
    graph: dict = {}
    where: dict = {}
    for source in project.sources:
        here = _file(source)
        if here is None or not isinstance(source.raw, dict):
            continue
        for node, target, path in edges_of(source, here):
            targets = graph.setdefault(node, [])
            if target not in targets:
                targets.append(target)
                where.setdefault((node, target), (source, path))
            graph.setdefault(target, [])
    return graph, where


def _extends_edges(source, here: Path):
    services = source.raw.get("services")
    for name, service in services.items() if isinstance(services, dict) else ():
        target, file = extends_target(service)
        if target is None:
            continue
        there = (source.base_dir / file).resolve() if file else here
        key = ("extends", "service") if isinstance(service.get("extends"), dict) else ("extends",)
        yield (str(here), name), (str(there), target), ("services", name) + key


def _include_edges(source, here: Path):
    entries = source.raw.get("include")
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        paths = entry.get("path") if isinstance(entry, dict) else entry
        for position, name in enumerate(paths if isinstance(paths, list) else [paths]):
            if isinstance(name, str):
                detail = (
                    (("path", position) if isinstance(paths, list) else ("path",)) if isinstance(entry, dict) else ()
                )
                yield str(here), str((source.base_dir / name).resolve()), ("include", index) + detail


def _file_cycles(project, edges_of):
    graph, where = _file_graph(project, edges_of)
    for cycle in _cycles(graph):
        source, path = where[(cycle[0], cycle[1])]
        yield cycle, source, path


def _short(project, file: str) -> str:
    return os.path.relpath(file, project.directory)


def compose_extends_cycle(project: ComposeProject, ctx: Context) -> Hits:
    for cycle, source, path in _file_cycles(project, _extends_edges):
        names = " -> ".join(
            service if file == cycle[0][0] else f"{service} ({_short(project, file)})" for file, service in cycle
        )
        yield project.hit_at(
            (source, path),
            f"services extend each other in a cycle ({names}), so docker compose cannot build them; make one of them stand alone",
        )


def compose_include_cycle(project: ComposeProject, ctx: Context) -> Hits:
    for cycle, source, path in _file_cycles(project, _include_edges):
        names = " -> ".join(_short(project, file) for file in cycle)
        yield project.hit_at(
            (source, path),
            f"compose files include each other in a cycle ({names}), so docker compose refuses the project; remove one include",
        )
