"""Layout: the part a file plays in its repository, read from the files around it.

Real repositories hold more than objects to apply as they are: Helm charts
(templates rendered by ``helm template``), kustomize patches (fragments merged
into an object of a base), kustomize resources whose missing fields a
transformer fills (``namespace``, ``commonLabels`` …) and templates that a
generator fills in (``${CLUSTER_NAME}`` for clusterctl or envsubst). A
``Role`` says which of these a file is, so rules ask for what the API server
will really receive.

The kustomizations read are those the run can see: under the linted paths,
in the directories above each linted file (pre-commit passes files one by
one), in the whole repository around them (the nearest ``.git`` above), and
every kustomization these refer to.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from k8slint import folders, observed

# marks a cache folder (https://bford.info/cachedir/): k8slint's own writes one; walks do not enter them
CACHE_TAG = "CACHEDIR.TAG"

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# path components that mark a template (cluster-template.yaml, templates/, x.yaml.template, x.yaml.tmpl …)
_TEMPLATE_NAME = re.compile(r"template|\.tmpl$|\.tpl$|\.j2$|\.jinja2?$|\.gotmpl$", re.IGNORECASE)
# kustomize patches by name: kubebuilder scaffolds keep them beside the kustomization, listed in a comment
_PATCH_NAME = re.compile(r"(?<![a-z])(?:patch|override)", re.IGNORECASE)  # not "dispatcher"
_KUTTL_STEP = re.compile(r"^\d+-.*\.ya?ml$")
_KUTTL_ASSERT = re.compile(r"^\d+-(assert|errors)\.ya?ml$")


@dataclass(frozen=True)
class Role:
    """What a file is besides a list of objects.

    ``partial``: a kustomize patch, merged into a full object elsewhere.
    ``filled``: fields a kustomize transformer sets on it (``namespace``, ``selector``, ``labels`` …).
    ``template``: a template a generator fills in; placeholders in it are not literal values.
    ``config``: the tool that reads the file as its own configuration (a kustomize transformer config).
    ``unused``: a partial object no kustomization of the repository uses (a patch kept for later, listed in a
    comment): nothing ever sends it to an API server, so what is wrong in it cannot be refused yet.
    """

    partial: bool = False
    filled: frozenset = frozenset()
    template: bool = False
    config: str | None = None
    unused: bool = False

    def identity(self) -> str:
        """The role as text that is the same in every process (a frozenset's repr follows the string hash seed)."""
        return repr((self.partial, sorted(self.filled), self.template, self.config, self.unused))


PLAIN = Role()


def is_template_path(path: str) -> bool:
    """Whether the file's own name or a directory it sits in says it is a template."""
    directory, name = os.path.split(os.path.normpath(path))
    return _TEMPLATE_NAME.search(name) is not None or _template_directory(directory)


@lru_cache(maxsize=4096)  # the files of one directory share the answer
def _template_directory(directory: str) -> bool:
    return any(_TEMPLATE_NAME.search(part) for part in _parts(directory))


def _parts(path: str) -> list[str]:
    return [part for part in os.path.normpath(path).split(os.sep) if part not in ("", ".", "..")]


@dataclass
class Kustomization:
    """What k8slint needs from one kustomization file."""

    path: str
    resources: list[str] = field(default_factory=list)  # files and directories, absolute
    patches: list[str] = field(default_factory=list)  # files
    configs: list[str] = field(default_factory=list)  # transformer, generator, replacement … configs
    fills: frozenset = frozenset()

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path)


class Layout:
    """Roles of files, by absolute path."""

    def __init__(self, roles: dict[str, Role] | None = None, used: frozenset = frozenset()):
        self.roles = roles or {}
        self.used = used  # every file a kustomization of the repository builds or patches
        self._cwd = os.getcwd()  # relative names are asked about thousands of times in one run
        self._places: dict[str, _Place] = {}  # by directory as named
        self._identity: str | None = None

    def identity(self) -> str:
        """The layout as text that is the same in every process: where it is the same, so is the role of every
        ``settled`` path (the working directory is part of it, as relative names are resolved against it)."""
        if self._identity is None:
            digest = hashlib.blake2b(self._cwd.encode("utf-8", "surrogateescape"), digest_size=16)
            for path in sorted(self.roles):
                digest.update(f"\0{path}\0{self.roles[path].identity()}".encode("utf-8", "surrogateescape"))
            digest.update(b"\1")
            for path in sorted(self.used):
                digest.update(f"\0{path}".encode("utf-8", "surrogateescape"))
            self._identity = digest.hexdigest()
        return self._identity

    @staticmethod
    def settled(path: str) -> bool:
        """Whether the role of ``path`` follows from the layout and the path alone: it does, but for a kuttl
        step or assert file, whose role depends on the names of the files beside it."""
        return _KUTTL_STEP.match(os.path.basename(path)) is None

    def role(self, path: str | None) -> Role:
        """What the file at ``path`` is: the kustomizations' say, and what its name and directory say.

        A name or directory with ``template`` (``templates/``, ``x.yaml.tmpl`` …) makes a template; one with
        ``patch``/``override`` (the file or its own directory) a kustomize patch. In a kuttl test case (a
        directory holding ``NN-assert.yaml``), a step ``NN-*.yaml`` is partial (kuttl merges its objects into
        those in the cluster, https://kuttl.dev/docs/testing/steps.html) and an assert or errors file is no
        manifest at all (kuttl compares the cluster's objects with the fields it lists,
        https://kuttl.dev/docs/testing/asserts-errors.html): no API server validates either.
        """
        if path is None:
            return PLAIN
        directory, name = os.path.split(path)
        place = self._places.get(directory)
        if place is None:
            place = self._places[directory] = _Place.of(directory, self._cwd)
        absolute = os.path.join(place.absolute, name)
        role = self.roles.get(absolute, PLAIN)
        kuttl_step = _KUTTL_STEP.match(name) is not None and _is_kuttl_case(place.absolute)
        if not role.template and (place.template or _TEMPLATE_NAME.search(name) is not None):
            role = replace(role, template=True)
        if not role.partial and (place.patch or _PATCH_NAME.search(name) is not None or kuttl_step):
            role = replace(role, partial=True)
        if role.partial and not kuttl_step and absolute not in self.used:
            role = replace(role, unused=True)
        if role.config is None and _KUTTL_ASSERT.match(name) is not None and _is_kuttl_case(place.absolute):
            role = replace(role, config="kuttl assertion")
        return role


@dataclass(frozen=True)
class _Place:
    """What a directory, as a run names it, says of every file in it (the files of a directory share it)."""

    absolute: str
    template: bool  # a directory on the way is a template's (``templates/``)
    patch: bool  # the directory itself holds patches (``patches/``)

    @classmethod
    def of(cls, directory: str, cwd: str) -> _Place:
        parts = _parts(directory)
        return cls(
            os.path.normpath(os.path.join(cwd, directory)),
            _template_directory(os.path.normpath(directory)),
            bool(parts) and _PATCH_NAME.search(parts[-1]) is not None,
        )


@lru_cache(maxsize=4096)
def _is_kuttl_case(directory: str) -> bool:
    try:
        return any(_KUTTL_ASSERT.match(name) for name in os.listdir(directory))
    except OSError:
        return False


def read_layout(paths: list[str], files: Iterable[str] = (), known=None, gitignore: bool = True) -> Layout:
    """The roles of the files of a run that lints ``paths`` (files or directories) and ``files`` (known to be files).

    ``known`` (``get``/``set`` by path, as ``cache.Table``) remembers each kustomization read, with the file's
    status (``observed.status``): one whose status is unchanged is not read again. With ``gitignore``, the
    repository's walk for kustomizations passes over what git ignores, as discovery does.
    """
    for cached in (_kustomization_in, _isdir, _walk_kustomizations, _is_kuttl_case):
        cached.cache_clear()  # the file system may have changed since the last run of this process (server)
    found: dict[str, Kustomization | None] = {}
    pending = _kustomizations_around(paths, files, gitignore)
    now = time.time_ns()
    while pending:
        path = pending.pop()
        if path in found:
            continue
        found[path] = kustomization = _remembered(path, known, now)
        if kustomization is not None:
            pending.extend(sub for sub in map(_kustomization_in, _directories(kustomization.resources)) if sub)
    kustomizations = {path: k for path, k in found.items() if k is not None}
    roles: dict[str, Role] = {}
    used: set[str] = set()

    def update(path: str, **changes):
        role = roles.get(path, PLAIN)
        if "filled" in changes:
            changes["filled"] = role.filled | changes["filled"]
        roles[path] = replace(role, **changes)

    for kustomization in kustomizations.values():
        for path in kustomization.patches:
            update(path, partial=True)
        for path in kustomization.configs:
            update(path, config="kustomize input")
        included: set[str] = set()
        members = _members(kustomization, kustomizations, included)
        # kustomize vars are global to a build: $(VAR) anywhere in it is replaced
        has_vars = any("vars" in kustomizations[path].fills for path in included if path in kustomizations)
        template = is_template_path(kustomization.directory) or has_vars
        used |= members
        for path in members:
            if kustomization.fills:
                update(path, filled=kustomization.fills)
            if template:
                update(path, template=True)
    for path in _unlisted(kustomizations.values()):
        update(path, partial=True)
    return Layout(roles, frozenset(used))


def _unlisted(kustomizations) -> set[str]:
    """YAML files beside a kustomization that no kustomization uses: dormant patches (kubebuilder lists them in comments).

    ``kubectl apply -k`` never reads them, and ``kubectl apply -f`` of the
    directory stops at the kustomization file, so they are not applied as they are.
    """
    kustomizations = list(kustomizations)
    listed = {path for k in kustomizations for path in k.resources + k.patches + k.configs}
    unlisted = set()
    for directory in {k.directory for k in kustomizations}:
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        unlisted |= {
            os.path.join(directory, name)
            for name in names
            if name.endswith((".yaml", ".yml")) and name not in KUSTOMIZATION_NAMES
        }
    return unlisted - listed


def _members(kustomization: Kustomization, kustomizations: dict, seen: set) -> set[str]:
    """Every file whose objects the kustomization builds: its resources and patches, and those of the kustomizations it includes."""
    if kustomization.path in seen:
        return set()
    seen.add(kustomization.path)
    members = set(kustomization.patches)
    for resource in kustomization.resources:
        sub = _kustomization_in(resource) if _isdir(resource) else None
        if sub is None:
            members.add(resource)
        elif sub in kustomizations:
            members |= _members(kustomizations[sub], kustomizations, seen)
    return members


def _kustomizations_around(paths: list[str], files: Iterable[str] = (), gitignore: bool = True) -> list[str]:
    """Kustomization files under the paths, in the directories above them and above ``files``, and in the
    repository they belong to."""
    found = []
    roots, starts = set(), {}  # the directories named, and where to climb from (in order: each once)
    for path in paths:
        if os.path.isdir(path):
            roots.add(os.path.abspath(path))
            starts.setdefault(path)
        else:
            starts.setdefault(os.path.dirname(path) or ".")
    for path in files:
        starts.setdefault(os.path.dirname(path) or ".")
    climbed: set[str] = set()
    for start in starts:
        directory = os.path.abspath(start)
        while directory not in climbed:
            climbed.add(directory)
            kustomization = _kustomization_in(directory)
            if kustomization:
                found.append(kustomization)
            if os.path.exists(os.path.join(directory, ".git")):
                roots.add(directory)
                break
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
    for root in sorted(roots):
        found.extend(_walk_kustomizations(root, gitignore))
    return found


@lru_cache(maxsize=64)
def _walk_kustomizations(root: str, gitignore: bool) -> tuple[str, ...]:
    """The kustomization files under ``root`` (``folders.walk``); cache folders hold none."""
    from k8slint.ignores import GitIgnores

    ignores = GitIgnores(root) if gitignore else None
    found = []

    def visit(directory: str, listing: tuple) -> list[str]:
        names = set(folders.files(listing))
        if CACHE_TAG in names:  # a cache folder (ours, a build tool's) holds no manifests
            return []
        for name in KUSTOMIZATION_NAMES:
            path = os.path.join(directory, name)
            if name in names and (ignores is None or not ignores.ignored(path, is_dir=False)):
                found.append(path)
        return folders.subfolders(directory, listing)

    folders.walk(root, visit, ignores)
    return tuple(found)


def kustomization_in(directory: str) -> str | None:
    """The kustomization file of a directory (``kustomization.yaml``, ``.yml`` or ``Kustomization``), else None."""
    return _kustomization_in(os.path.abspath(directory))


@lru_cache(maxsize=4096)
def _kustomization_in(directory: str) -> str | None:
    for name in KUSTOMIZATION_NAMES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


def _directories(paths: list[str]) -> list[str]:
    return [path for path in paths if _isdir(path)]


@lru_cache(maxsize=8192)
def _isdir(path: str) -> bool:
    return os.path.isdir(path)


def _remembered(path: str, known, now: int) -> Kustomization | None:
    if known is None:
        return read_kustomization(path)
    status = observed.status(path, now)
    entry = known.get(path)
    if status is not None and entry is not None and entry[0] == status:
        return entry[1]
    kustomization = read_kustomization(path)
    if status is not None:
        known.set(path, (status, kustomization))
    return kustomization


def read_kustomization(path: str) -> Kustomization | None:
    """The files a kustomization names (absolute paths), or None when it cannot be read as a mapping."""
    from k8slint import yamlio
    from k8slint.sources import Source, SourceError

    try:
        data = yamlio.load_data(Source(path, path).read())  # scalars stay text: `true` is "true"
    except (SourceError, yamlio.YamlError):
        return None
    if not isinstance(data, dict):
        return None
    here = os.path.dirname(path)

    def local(entry) -> str | None:
        """A file or directory an entry names, relative to the kustomization (not a URL nor inline YAML)."""
        if not isinstance(entry, str) or "\n" in entry or "://" in entry or entry.startswith(("git@", "github.com/")):
            return None
        return os.path.normpath(os.path.join(here, entry))

    def listed(key: str) -> list:
        value = data.get(key)
        return value if isinstance(value, list) else []

    def paths_of(key: str) -> list[str]:
        entries = (entry.get("path") if isinstance(entry, dict) else entry for entry in listed(key))
        return [path for path in map(local, entries) if path]

    return Kustomization(
        path=path,
        resources=[p for p in map(local, listed("resources") + listed("bases") + listed("components")) if p],
        patches=paths_of("patches") + paths_of("patchesStrategicMerge") + paths_of("patchesJson6902"),
        configs=paths_of("transformers")
        + paths_of("generators")
        + paths_of("validators")
        + paths_of("configurations")
        + paths_of("replacements")
        + [path for path in map(local, _generator_inputs(data)) if path],
        fills=_fills(data),
    )


def _generator_inputs(data: dict) -> list[str]:
    """Files a configMapGenerator or secretGenerator reads as data (``files: [key=path]``, ``envs``)."""
    inputs = []
    for key in ("configMapGenerator", "secretGenerator"):
        for generator in data.get(key) if isinstance(data.get(key), list) else []:
            if not isinstance(generator, dict):
                continue
            files = generator.get("files") if isinstance(generator.get("files"), list) else []
            envs = generator.get("envs") if isinstance(generator.get("envs"), list) else []
            inputs += [entry.rpartition("=")[2] for entry in files if isinstance(entry, str)]
            inputs += [entry for entry in envs + [generator.get("env")] if isinstance(entry, str)]
    return inputs


def _fills(data: dict) -> frozenset:
    """The fields of every object built that this kustomization's transformers set."""
    fills = set()
    if isinstance(data.get("namespace"), str) and data["namespace"]:
        fills.add("namespace")
    if isinstance(data.get("commonLabels"), dict) and data["commonLabels"]:
        fills |= {"labels", "selector", "template-labels"}
    for entry in data.get("labels") if isinstance(data.get("labels"), list) else []:
        if isinstance(entry, dict) and entry.get("pairs"):
            fills.add("labels")
            if str(entry.get("includeSelectors")).lower() == "true":
                fills |= {"selector", "template-labels"}
            if str(entry.get("includeTemplates")).lower() == "true":
                fills.add("template-labels")
    if data.get("namePrefix") or data.get("nameSuffix"):
        fills.add("name-affix")
    if data.get("images"):
        fills.add("image")
    if data.get("replicas"):
        fills.add("replicas")
    if data.get("vars"):
        fills.add("vars")  # $(VAR) references in the resources are replaced
    return frozenset(fills)
