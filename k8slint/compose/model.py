"""ComposeProject: the merged, interpolated Compose model, remembering where every value came from."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from k8slint.access import integer, mapping
from k8slint.findings import Hit

DataPath = tuple  # a path into YAML data: keys and list indexes
RESOURCE_KINDS = ("networks", "volumes", "configs", "secrets")


def dotted(path: DataPath) -> str:
    """``("services", "web", "ports", 0)`` -> ``services.web.ports[0]`` (keys with dots are quoted)."""
    from k8slint.documents import child_path

    text = ""
    for part in path:
        text = child_path(text, part)
    return text


def replicas(service: dict) -> int:
    """How many containers a service runs (deploy.replicas, else scale, else 1)."""
    deploy = mapping(service, "deploy")
    for value in (deploy.get("replicas"), service.get("scale")):
        if integer(value) is not None:
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
    return 1


SWARM_DEPLOY_KEYS = ("mode", "placement", "update_config", "rollback_config", "restart_policy", "endpoint_mode")


def is_stack_file(data, file_name: str = "") -> bool:
    """Whether a compose file is written for ``docker stack deploy``: named as a stack, or using Swarm-only deploy keys."""
    if "stack" in file_name.lower():
        return True
    services = data.get("services") if isinstance(data, dict) else None
    return isinstance(services, dict) and any(
        isinstance(service, dict)
        and isinstance(service.get("deploy"), dict)
        and any(key in service["deploy"] for key in SWARM_DEPLOY_KEYS)
        for service in services.values()
    )


def run_together(a: dict, b: dict) -> bool:
    """Whether two services can be up at once: not when both are limited to profiles that share none."""
    first, second = a.get("profiles"), b.get("profiles")
    if not (isinstance(first, list) and first and isinstance(second, list) and second):
        return True
    return bool(set(map(str, first)) & set(map(str, second)))


@dataclass
class ComposeDocument:
    """One compose document that contributes to a project.

    ``raw`` is the YAML-1.2 data as written, ``data`` the same after
    interpolation; ``problems`` are the interpolation problems (paths in this
    document); ``base_dir`` resolves the document's relative paths; ``tags``
    maps paths to the merge tags written there (``!reset``, ``!override``).
    """

    doc: Any
    raw: Any
    data: Any
    base_dir: Path
    problems: list = field(default_factory=list)
    tags: dict = field(default_factory=dict)

    def __post_init__(self):
        self.unresolved = {problem.path for problem in self.problems}

    def validated_data(self):
        """``data`` as Compose validates it: values tagged ``!reset`` are dropped first."""
        resets = sorted((path for path, tag in self.tags.items() if tag == "!reset"), key=len, reverse=True)
        if not resets:
            return self.data
        data = copy.deepcopy(self.data)
        for path in resets:
            parent = data
            for part in path[:-1]:
                if isinstance(parent, dict):
                    parent = parent.get(part)
                else:
                    parent = (
                        parent[part]
                        if isinstance(parent, list) and isinstance(part, int) and part < len(parent)
                        else None
                    )
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
        return data


@dataclass
class FileRef:
    """A file the project refers to (env_file, extends.file, include), checked when the project was built."""

    kind: str  # env_file | extends | include
    source: ComposeDocument  # the document that refers to it …
    path: DataPath  # … and where in that document
    written: str  # the path as written
    resolved: Path
    exists: bool
    required: bool = True


class ComposeProject:
    """A Compose project after ``-f`` merging, ``include``, ``extends`` and interpolation.

    ``origins`` maps a path of the merged data to ``(ComposeDocument, path in that
    document)``; ``hit`` turns a merged path into a Hit on the right document.
    """

    def __init__(
        self,
        name: str,
        directory: Path,
        sources: list[ComposeDocument],
        data: dict,
        origins: dict,
        refs: list[FileRef] = (),
        missing_bases: list = (),
    ):
        self.name = name
        self.directory = directory
        self.sources = sources
        self.data = data if isinstance(data, dict) else {}
        self.origins = origins
        self.refs = list(refs)
        self.missing_bases = list(missing_bases)  # (path, service, file) of extends whose service is not in that file
        self.memo: dict = {}  # results several rules share (schema errors)
        self.conceal = lambda hit: hit  # hides process-environment values in a hit (see ``compose.environ``)

    def section(self, key: str) -> dict:
        """A top-level mapping (``services``, ``networks`` …), empty when absent or malformed."""
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}

    @property
    def services(self) -> dict:
        return {name: svc for name, svc in self.section("services").items() if isinstance(svc, dict)}

    @property
    def networks(self) -> dict:
        return self.section("networks")

    @property
    def volumes(self) -> dict:
        return self.section("volumes")

    def origin(self, path: DataPath) -> tuple[ComposeDocument, DataPath]:
        """The source document and its own path for a merged path (nearest recorded ancestor)."""
        path = tuple(path)
        for cut in range(len(path), -1, -1):
            found = self.origins.get(path[:cut])
            if found is not None:
                source, source_path = found
                return source, source_path + path[cut:]
        return self.sources[0], path

    def unresolved(self, path: DataPath) -> bool:
        """Whether the value at ``path`` used a variable that has no value (its real value is unknown)."""
        source, source_path = self.origin(path)
        return source_path in source.unresolved

    @property
    def stack(self) -> bool:
        """Whether the project is a Swarm stack (see ``is_stack_file``)."""
        return any(is_stack_file(source.raw, source.doc.file or "") for source in self.sources)

    @property
    def doc(self):
        """The first document of the project (where project-wide findings point)."""
        return self.sources[0].doc

    def hit(self, path: DataPath, message: str, **options) -> Hit:
        """A Hit at a merged path, pointing into the document that set the value (options: see ``Hit``)."""
        return self.hit_at(self.origin(path), message, **options)

    @staticmethod
    def hit_at(where: tuple[ComposeDocument, DataPath], message: str, **options) -> Hit:
        """A Hit at ``(source, path in that document)``; ``options`` are Hit's (fix_title, on_key, severity)."""
        source, path = where
        return Hit(dotted(path), message, doc=source.doc, **options)

    def __repr__(self):
        return f"ComposeProject({self.name!r}, {len(self.sources)} documents)"
