"""Documents -> ComposeProjects: grouping ``-f`` files and override pairs, ``.env``, interpolation,
``include``, ``extends``, and the files a project refers to."""

from __future__ import annotations

import os
import re
from pathlib import Path

from k8slint import observed, yamlio
from k8slint.compose import addons
from k8slint.compose.dotenv import parse_dotenv
from k8slint.compose.environ import Concealer, process_variables, readable_env_file
from k8slint.compose.extends import apply_extends
from k8slint.compose.interpolate import interpolate_tree
from k8slint.compose.merge import Merger, Saved
from k8slint.compose.model import RESOURCE_KINDS, ComposeDocument, ComposeProject, FileRef
from k8slint.sources import SourceError, decode, read_bytes

BASE_NAMES = re.compile(r"^((?:docker-)?compose)\.ya?ml$")
VARIANT_NAMES = re.compile(r"^((?:docker-)?compose)\.([\w-]+)\.ya?ml$")  # compose.override.yaml, compose.prod.yaml
MERGE_TAGS = ("!reset", "!override")
MAX_DEPTH = 8  # include/extends nesting; deeper chains are almost certainly loops


def _file_of(doc) -> Path | None:
    path = getattr(doc.source, "path", None)
    return Path(path).resolve() if path else None


def _overrides(base: Path) -> list[Path]:
    """The default override partners of a base compose file (none for other names)."""
    match = BASE_NAMES.match(base.name)
    if not match:
        return []
    return [base.with_name(f"{match.group(1)}.override{ext}") for ext in (".yaml", ".yml")]


def _bases(variant: Path, override_only: bool = False) -> list[Path]:
    """The base files a variant (``compose.override.yaml``, ``compose.prod.yaml`` …) is laid over."""
    match = VARIANT_NAMES.match(variant.name)
    if not match or (override_only and match.group(2) != "override"):
        return []
    return [variant.with_name(f"{match.group(1)}{ext}") for ext in (".yaml", ".yml")]


def _service_names(documents) -> set:
    return {
        name
        for doc in documents
        if isinstance(doc.data, dict) and isinstance(doc.data.get("services"), dict)
        for name in doc.data["services"]
    }


def group_documents(documents, compose_files=()) -> list[tuple[list, bool]]:
    """Documents grouped into projects, in merge order, each with whether it was given by ``--compose-file``.

    ``compose_files`` (``--compose-file``) form one project in the given order;
    a default base file (``compose.yaml``, ``docker-compose.yml`` …) takes its
    ``*.override.*`` partner along; every other file is a project of its own.
    """
    by_file: dict = {}
    for doc in documents:
        by_file.setdefault(_file_of(doc) or doc.file, []).append(doc)
    groups: list[tuple[list, bool]] = []
    explicit = [Path(name).resolve() for name in compose_files]
    if explicit:
        groups.append(([doc for key in explicit for doc in by_file.pop(key, [])], True))
    for key in list(by_file):
        if key not in by_file:
            continue
        group = by_file.pop(key)
        if isinstance(key, Path):
            for partner in _overrides(key):
                group += by_file.pop(partner, [])
            for partner in _bases(key, override_only=True):
                group = by_file.pop(partner, []) + group
        groups.append((group, False))
    return [(group, given) for group, given in groups if group]


class Builder:
    """Builds projects; reads the extra files a project needs (overrides, extends, include, .env)."""

    def __init__(self, environ: dict, env_file: str | None = None, load=None, env_from_process: bool = False):
        self.environ = process_variables(environ, env_from_process)  # see ``environ``: names only by default
        self.concealer = Concealer(environ, env_from_process)
        self.env_file = env_file
        self.load = load  # (path, display name) -> list of Documents, or None when unreadable
        self.refs: list[FileRef] = []  # what the project being built refers to …
        self.missing_bases: list[tuple] = []  # … extends whose service is missing …
        self.extra: list[ComposeDocument] = []  # … and the documents extends and include pulled in
        self.cache: dict[Path, list] = {}  # documents of files read from disk, by path
        self.directory = Path.cwd()  # the directory of the project being built
        self.reused: dict[tuple, Merger] = {}  # merged include/extends files of the project being built

    # --- environment -----------------------------------------------------

    def environment(self, env_files: list[Path]) -> dict:
        """Variables for interpolation: the env files' values, overridden by the process environment."""
        explicit = self.env_file is not None  # --env-file is read wherever it is; others stay in the project
        return {**_read_env_files(env_files, self.environ, None if explicit else self.directory), **self.environ}

    # --- sources ---------------------------------------------------------

    def source(self, doc, env: dict, base_dir: Path) -> ComposeDocument:
        data, problems = interpolate_tree(doc.data, env)
        return ComposeDocument(doc, doc.data, data, base_dir, problems, _merge_tags(doc))

    def load_beside(self, doc, path: Path, written: str) -> list | None:
        """Documents of ``path``, displayed relative to the document that leads to it."""
        if self.load is None or not observed.is_file(path):
            return None
        return self.load(path, os.path.normpath(os.path.join(os.path.dirname(doc.file), written)))

    def read(self, kind: str, written: str, path: Path, where: tuple[ComposeDocument, tuple]) -> list | None:
        """Documents of another compose file, or None (recording a missing reference) when unreadable."""
        documents = self.load_beside(where[0].doc, path, written)
        if documents is None:
            self.refs.append(FileRef(kind, *where, written, path, exists=False))
        return documents

    # --- projects --------------------------------------------------------

    def loaded(self, doc, path: Path) -> list:
        """Documents of a compose file found on disk (read once per run), displayed relative to ``doc``."""
        if path not in self.cache:
            written = os.path.relpath(path, Path(doc.file).resolve().parent) if doc.file else str(path)
            self.cache[path] = self.load_beside(doc, path, written) or []
        return self.cache[path]

    def with_default_pair(self, documents: list) -> list:
        """A lone file gains the files ``docker compose`` or the project combines it with, found on disk.

        A base file gains its ``*.override.*``; an override is laid over its base;
        another variant (``compose.prod.yaml``) is laid over its base when it
        overrides a service of the base. An add-on file that uses services,
        networks or volumes it does not define (see ``addons``) is laid over the
        nearest default compose file that defines some of them, plus the files
        beside it that define the rest; a complete file is linted alone.
        """
        first = _file_of(documents[0])
        if first is None or len({_file_of(doc) for doc in documents}) > 1:
            return documents
        for partner in _overrides(first):
            if observed.is_file(partner):
                return documents + (self.load_beside(documents[0], partner, partner.name) or [])
        if BASE_NAMES.match(first.name):
            return documents
        for partner in _bases(first):
            base = self.loaded(documents[0], partner) if observed.is_file(partner) else []
            if base and (_bases(first, override_only=True) or _service_names(base) & _service_names(documents)):
                return self.completed(base + documents, first)
        return self.completed(documents, first)

    def completed(self, documents: list, first: Path) -> list:
        """``documents`` laid over the files on disk that define what they use but lack (none when complete).

        Candidates are the default compose files of the add-on's directory and a few
        parents (nearest first), then the YAML files beside them; a candidate is taken
        when it defines something still missing, until nothing is or no candidate helps.
        """
        gaps = addons.needed([doc.data for doc in documents])
        if not gaps:
            return documents
        bases = addons.base_candidates(first)
        directories = list(dict.fromkeys([first.parent] + [base.parent for base in bases]))
        taken = {_file_of(doc) for doc in documents}
        candidates = [path for path in bases if path not in taken]
        candidates += addons.sibling_candidates(directories, taken | set(candidates))
        chosen: list[Path] = []
        while gaps:
            found = next(
                (
                    path
                    for path in candidates
                    if path not in chosen
                    and gaps & addons.provided([doc.data for doc in self.loaded(documents[0], path)])
                ),
                None,
            )
            if found is None:
                break
            chosen.append(found)
            layers = [doc for path in candidates if path in chosen for doc in self.loaded(documents[0], path)]
            gaps = addons.needed([doc.data for doc in layers + documents])
        layers = [doc for path in candidates if path in chosen for doc in self.loaded(documents[0], path)]
        return layers + documents

    def project(self, documents: list, default_pair: bool = True) -> ComposeProject:
        """One project from its documents (in merge order); see ``with_default_pair``."""
        documents = self.with_default_pair(documents) if default_pair else list(documents)
        first = _file_of(documents[0])
        directory = first.parent if first else Path.cwd()
        self.refs, self.missing_bases, self.extra, self.reused = [], [], [], {}
        self.directory = directory
        env_files = [Path(self.env_file)] if self.env_file else [directory / ".env"]
        env = self.environment(env_files)
        sources = [self.source(doc, env, directory) for doc in documents]
        merger = self.merged(sources, env, depth=0)
        name = merger.data.get("name") if isinstance(merger.data.get("name"), str) else directory.name.lower()
        project = ComposeProject(
            name, directory, sources + self.extra, merger.data, merger.origins, self.refs, self.missing_bases
        )
        project.refs += self.env_file_refs(project)
        project.conceal = self.concealer.hit
        return project

    def merged(self, sources: list[ComposeDocument], env: dict, depth: int) -> Merger:
        merger = Merger()
        for source in sources:
            merger.add(source)
        self.include(merger, env, depth)
        self.missing_bases += apply_extends(
            merger, lambda origin, file: self.other_file(merger, origin, file, env, depth)
        )
        return merger

    def other_file(self, merger: Merger, origin: tuple, file: str, env: dict, depth: int) -> Merger | None:
        """A Merger for the file an ``extends.file`` names (relative to the document that names it)."""
        if depth >= MAX_DEPTH:
            return None
        where = Saved(merger.origins, origin).at()
        path = (where[0].base_dir / file).resolve()
        key = ("extends", path, id(env))
        if key in self.reused:  # fan-out: every service that extends a service of one file reads it once
            return self.reused[key]
        documents = self.read("extends", file, path, where)
        if documents is None:
            return None
        sources = [self.source(doc, env, path.parent) for doc in documents]
        self.extra += sources
        self.reused[key] = self.merged(sources, env, depth + 1)
        return self.reused[key]

    def include(self, merger: Merger, env: dict, depth: int) -> None:
        """Add the resources of ``include``d files that the including files do not define themselves."""
        entries = merger.data.get("include")
        if not isinstance(entries, list) or depth >= MAX_DEPTH:
            return
        for index, entry in enumerate(entries):
            key = ("include", index, Saved(merger.origins, ("include", index)).at()[0].base_dir, repr(entry), id(env))
            if key not in self.reused:  # an entry repeated (or reached again) is read and merged once
                included = self.included_sources(merger, ("include", index), entry, env)
                self.extra += included
                self.reused[key] = self.merged(included, env, depth + 1)
            _adopt(merger, self.reused[key])

    def included_sources(self, merger: Merger, origin: tuple, entry, env: dict) -> list[ComposeDocument]:
        """Sources of one include entry: a path, or a mapping with ``path`` (one or a list) and ``project_directory``."""
        spec = entry if isinstance(entry, dict) else {"path": entry}
        listed = isinstance(spec.get("path"), list)
        source, _ = Saved(merger.origins, origin).at()
        sources: list[ComposeDocument] = []
        for position, name in enumerate(spec["path"] if listed else [spec.get("path")]):
            if not isinstance(name, str):
                continue
            here = origin + ((("path", position) if listed else ("path",)) if isinstance(entry, dict) else ())
            path = (source.base_dir / name).resolve()
            directory = spec.get("project_directory")
            base_dir = (source.base_dir / directory).resolve() if isinstance(directory, str) else path.parent
            env_files = spec.get("env_file")
            env_files = [env_files] if isinstance(env_files, str) else env_files if isinstance(env_files, list) else []
            env_paths = [source.base_dir / item for item in env_files if isinstance(item, str)] or [base_dir / ".env"]
            own_env = {
                **env,
                **_read_env_files(env_paths, env, self.directory),
            }  # an included project's env file adds to the includer's
            documents = self.read("include", name, path, Saved(merger.origins, here).at()) or []
            sources += [self.source(doc, own_env, base_dir) for doc in documents]
        return sources

    def env_file_refs(self, project: ComposeProject) -> list[FileRef]:
        """Every service ``env_file`` entry, resolved against the document that names it."""
        refs = []
        for name, service in project.services.items():
            entries = service.get("env_file")
            entries = entries if isinstance(entries, list) else [entries] if entries is not None else []
            for index, entry in enumerate(entries):
                spec = entry if isinstance(entry, dict) else {"path": entry}
                if not isinstance(spec.get("path"), str) or not spec["path"]:
                    continue
                path = ("services", name, "env_file") + ((index,) if isinstance(service.get("env_file"), list) else ())
                if project.unresolved(path) or project.unresolved(path + ("path",)):
                    continue
                source, source_path = project.origin(path)
                resolved = (source.base_dir / spec["path"]).resolve()
                required = spec.get("required", True) is not False
                refs.append(
                    FileRef(
                        "env_file", source, source_path, spec["path"], resolved, observed.is_file(resolved), required
                    )
                )
        return refs


def _merge_tags(doc) -> dict:
    """Paths of ``!reset``/``!override`` values in a document (its source is only re-read when it uses them)."""
    try:
        text = doc.source.read()
    except SourceError:
        return {}
    if not any(tag in text for tag in MERGE_TAGS):
        return {}
    node = doc.node()
    return yamlio.tagged_paths(node, MERGE_TAGS) if node is not None else {}


def _read_env_files(paths: list[Path], base: dict, project_directory: Path | None = None) -> dict:
    """Variables of the env files that exist, later files winning; values may refer to ``base``.

    With a ``project_directory``, files outside it (and outside the working directory) are not read.
    """
    values: dict = {}
    for path in paths:
        if project_directory is not None and not readable_env_file(path, project_directory):
            continue
        try:
            values.update(parse_dotenv(decode(read_bytes(str(path))), {**values, **base}))
        except SourceError:  # missing, not a regular file (a FIFO, /dev/zero), too big, not text
            continue
    return values


def _adopt(merger: Merger, sub: Merger) -> None:
    """Copy an included project's services and resources that ``merger`` lacks, with their origins."""
    for kind in ("services", *RESOURCE_KINDS):
        section = sub.data.get(kind)
        target = merger.data.setdefault(kind, {}) if isinstance(section, dict) else None
        if not isinstance(target, dict):
            continue
        for key, value in section.items():
            if key not in target:
                target[key] = value
                merger.record((kind, key), sub.subtree((kind, key)), value)
