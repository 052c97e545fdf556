"""Sources: find the files to lint and read their text safely."""

from __future__ import annotations

import codecs
import fnmatch
import glob
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from k8slint.errors import SourceError
from k8slint.layout import PLAIN, Role

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIX = ".json"
SKIPPED_DIRS = {"node_modules", "vendor", "venv", "__pycache__", "site-packages"}
CHART_FILE = "Chart.yaml"
COMPOSE_NAME = re.compile(r"^(docker-)?compose(\.[\w-]+)*\.ya?ml$")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(eq=False)
class Source:
    """A file (or stdin) to lint. ``display`` is the name shown to the user."""

    display: str
    path: str | None = None
    text_from_stdin: str | None = field(default=None, repr=False)
    forced_compose: bool = False
    role: Role = PLAIN  # what the file is in its repository, set by the engine from ``layout.read_layout``

    @property
    def is_compose_name(self) -> bool:
        return self.forced_compose or bool(COMPOSE_NAME.match(os.path.basename(self.display)))

    def read(self, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
        if self.text_from_stdin is not None:
            return self.text_from_stdin
        try:
            size = os.path.getsize(self.path)
            if size > max_bytes:
                raise SourceError(
                    f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (raise it with --max-file-size)"
                )
            with open(self.path, "rb") as handle:
                raw = handle.read()
        except PermissionError:
            raise SourceError("permission denied") from None
        except IsADirectoryError:
            raise SourceError("is a directory") from None
        except OSError as exc:
            raise SourceError(exc.strerror or str(exc)) from None
        return decode(raw)

    def node_of(self, start: tuple[int, int]):
        """Re-read this source for the ``(node, line offset)`` of the document starting at ``start`` (positions after a process hop)."""
        from k8slint.parse import reparse_node

        return reparse_node(self, start)


def decode(raw: bytes) -> str:
    """Bytes -> text: UTF-8 (with or without BOM) or UTF-16 with a BOM; binary is refused."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if b"\x00" in raw[:8192]:
        raise SourceError("binary file (contains NUL bytes), not YAML")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); save the file as UTF-8", line
        ) from None


@dataclass
class Discovery:
    """What ``discover`` found: the sources, the arguments that matched nothing, the Helm chart files passed over."""

    sources: list[Source]
    missing: list[str]
    helm: list[str] = field(default_factory=list)


def chart_root(path: str) -> str | None:
    """The directory of the Helm chart that holds ``path`` (a ``Chart.yaml`` in it or above), else None."""
    absolute = os.path.abspath(path)
    return _chart_root(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))


@lru_cache(maxsize=4096)
def _chart_root(directory: str) -> str | None:
    if os.path.isfile(os.path.join(directory, CHART_FILE)):
        return directory
    parent = os.path.dirname(directory)
    return None if parent == directory else _chart_root(parent)


def is_helm_file(path: str) -> bool:
    """A template helper (``*.tpl``) or any file of a Helm chart: ``helm template`` renders them, nothing applies them as they are."""
    return path.endswith(".tpl") or chart_root(path) is not None


def discover(
    args: list[str],
    exclude: list[str] = (),
    stdin_filename: str | None = None,
    compose: list[str] = (),
    charts: bool = False,
    gitignore: bool = True,
) -> Discovery:
    """Expand files, directories and globs into sources, in a stable order.

    Directories are walked recursively for ``*.yaml``/``*.yml`` and for
    ``*.json`` files that hold a Kubernetes object (``is_json_manifest``),
    skipping hidden and vendor directories and, with ``gitignore``, what git
    ignores (``ignores.GitIgnores``). Files named explicitly are read whatever
    their suffix. Helm charts are passed over either way, whether walked or
    named file by file (pre-commit): a directory with a ``Chart.yaml``, and
    everything below it, holds templates and values, not manifests (pipe
    ``helm template`` in); ``Discovery.helm`` lists what was passed over.
    ``charts=True`` reads the chart files named explicitly (``--crd-dir chart/crds``).
    """
    seen: set[str] = set()
    sources: list[Source] = []
    missing: list[str] = []
    helm: list[str] = []
    _chart_root.cache_clear()  # charts may have come or gone since the last run of this process
    forced = {os.path.normpath(path) for path in compose}

    def add(display: str, path: str | None = None, text: str | None = None):
        key = os.path.normpath(path) if path else display
        if key in seen or (path and _excluded(display, exclude)):
            return
        seen.add(key)
        sources.append(Source(display, path, text, forced_compose=key in forced))

    for arg in list(args) + [path for path in compose if path not in args]:
        if arg == "-":
            add(stdin_filename or "<stdin>", None, decode(sys.stdin.buffer.read()))
        elif os.path.isdir(arg):
            if not charts and chart_root(arg):
                helm.append(arg)
                continue
            for path in _walk(arg, exclude, helm, gitignore):
                add(path, path)
        elif os.path.exists(arg) or os.path.islink(arg):
            if not charts and is_helm_file(arg) and os.path.normpath(arg) not in forced:
                helm.append(arg)
            else:
                add(arg, arg)
        elif any(ch in arg for ch in "*?["):
            matches = sorted(glob.glob(arg, recursive=True))
            files = [path for path in matches if os.path.isfile(path)]
            if not files:
                missing.append(arg)
            for path in files:
                if not charts and is_helm_file(path):
                    helm.append(path)
                else:
                    add(path, path)
        else:
            missing.append(arg)
    return Discovery(sources, missing, helm)


def _walk(top: str, exclude, charts: list[str], gitignore: bool) -> list[str]:
    """Manifest files under ``top``; chart directories are not entered but appended to ``charts``."""
    from k8slint.ignores import GitIgnores

    ignores = GitIgnores(top) if gitignore else None
    found = []
    for root, dirs, files in os.walk(top):
        if CHART_FILE in files:
            charts.append(root)
            dirs[:] = []
            continue
        if ignores is not None:
            ignores.enter(root)
        dirs[:] = sorted(
            name
            for name in dirs
            if not name.startswith(".")
            and name not in SKIPPED_DIRS
            and not _excluded(os.path.join(root, name), exclude)
            and not (ignores is not None and ignores.ignored(os.path.join(root, name), is_dir=True))
        )
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.startswith(".") or not (
                name.endswith(YAML_SUFFIXES) or (name.endswith(JSON_SUFFIX) and is_json_manifest(path))
            ):
                continue
            if ignores is None or not ignores.ignored(path, is_dir=False):
                found.append(path)
    return found


def is_json_manifest(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bool:
    """A JSON file holding a Kubernetes object or list (string ``apiVersion`` and ``kind`` at the top).

    Walks meet many other JSON files (package.json, tsconfig.json, dashboards,
    JSON schemas of CRDs): only manifests are linted; a file named on the
    command line is read whatever it holds.
    """
    try:
        if os.path.getsize(path) > max_bytes:
            return False
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return False
    if b'"apiVersion"' not in raw or b'"kind"' not in raw:
        return False
    import json

    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and isinstance(data.get("apiVersion"), str) and isinstance(data.get("kind"), str)


def _excluded(path: str, patterns) -> bool:
    posix = Path(path).as_posix()
    name = os.path.basename(posix)
    return any(
        fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(name, pattern) or posix.startswith(pattern.rstrip("/") + "/")
        for pattern in patterns
    )


def is_excluded(path: str, patterns) -> bool:
    """Whether an ``exclude`` pattern (a glob on the path or the file name, or a directory prefix) covers ``path``."""
    return _excluded(path, patterns)
