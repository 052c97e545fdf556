"""Add-on compose files: what a partial file leaves to other files, and which files on disk provide it.

Projects keep optional parts in files meant for ``docker compose -f base -f addon``
(``overrides/compose.https.yaml``, ``etherpad.yml`` beside ``docker-compose.yml``,
``compose-override.yaml``). Such a file names services, networks or volumes it does
not define, and gives some services neither ``image`` nor ``build`` because the
base file does. These helpers say what a file needs and what another file provides,
so the builder can lay an add-on over the files that complete it.
"""

from __future__ import annotations

from pathlib import Path

from k8slint import observed
from k8slint.compose import refs
from k8slint.compose.extends import extends_target

RUNNABLE_KEYS = ("image", "build", "provider", "extends")
SEARCH_UP = 3  # how many parent directories may hold the base of an add-on (``overrides/``, ``rtcstats/localstack/``)
BASE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
RESOURCE_REFS = {
    "networks": refs.networks,
    "volumes": refs.named_volumes,
    "configs": lambda service: refs.files(service, "configs"),
    "secrets": lambda service: refs.files(service, "secrets"),
}


def _services(data) -> dict:
    services = data.get("services") if isinstance(data, dict) else None
    return {name: svc for name, svc in services.items() if isinstance(svc, dict)} if isinstance(services, dict) else {}


def _section(data, kind: str) -> set:
    value = data.get(kind) if isinstance(data, dict) else None
    return set(value) if isinstance(value, dict) else set()


def provided(datas: list) -> set[tuple[str, str]]:
    """``(kind, name)`` the documents define: runnable services and top-level resources."""
    names: set[tuple[str, str]] = set()
    for data in datas:
        for name, service in _services(data).items():
            if any(key in service for key in RUNNABLE_KEYS):
                names.add(("services", name))
        for kind in RESOURCE_REFS:
            names |= {(kind, name) for name in _section(data, kind)}
    return names


def needed(datas: list) -> set[tuple[str, str]]:
    """``(kind, name)`` the documents use without defining: their gaps, which other files must fill."""
    services: dict = {}
    for data in datas:
        services.update(_services(data))
    wanted: set[tuple[str, str]] = set()
    for name, service in services.items():
        if not any(key in service for key in RUNNABLE_KEYS):
            wanted.add(("services", name))  # defined in the file this one is laid over
        wanted |= {("services", ref.name) for ref in refs.service_dependencies(service) if ref.name not in services}
        target, file = extends_target(service)
        if target and file is None and target not in services:
            wanted.add(("services", target))
        for kind, find in RESOURCE_REFS.items():
            wanted |= {(kind, ref.name) for ref in find(service)}
    wanted.discard(("networks", "default"))
    return wanted - provided(datas)


def base_candidates(addon: Path) -> list[Path]:
    """Default compose files in the add-on's directory and a few parents, nearest first (never the add-on)."""
    found = []
    directory = addon.parent
    for _ in range(SEARCH_UP + 1):
        found += [path for name in BASE_FILES if observed.is_file(path := directory / name) and path != addon]
        if directory.parent == directory:
            break
        directory = directory.parent
    return found


def sibling_candidates(directories: list[Path], exclude: set[Path]) -> list[Path]:
    """YAML files beside the add-on and its base that may be further add-ons, in name order."""
    seen, found = set(exclude), []
    for directory in directories:
        for path in observed.glob(directory, "*.y*ml"):
            if path.suffix in (".yaml", ".yml") and path not in seen and observed.is_file(path):
                seen.add(path)
                found.append(path)
    return found
