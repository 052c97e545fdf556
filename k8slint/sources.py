"""Sources: find the files to lint and read their text safely."""

from __future__ import annotations

import codecs
import errno
import fnmatch
import glob
import os
import re
import stat
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from k8slint import folders, observed
from k8slint.errors import SourceError
from k8slint.layout import CACHE_TAG, PLAIN, Role

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIX = ".json"
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
    unreadable: SourceError | None = field(default=None, repr=False)  # why stdin could not be read as text

    @property
    def is_compose_name(self) -> bool:
        return self.forced_compose or bool(COMPOSE_NAME.match(os.path.basename(self.display)))

    def read(self, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
        if self.unreadable is not None:
            raise self.unreadable
        if self.text_from_stdin is not None:
            return self.text_from_stdin
        return decode(read_bytes(self.path, max_bytes))

    def node_of(self, start: tuple[int, int]):
        """Re-read this source for the ``(node, line offset)`` of the document starting at ``start`` (positions after a process hop)."""
        from k8slint.parse import reparse_node

        return reparse_node(self, start)


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; SourceError (one line) for anything else.

    Every file k8slint reads from a linted tree goes through here or ``read_head`` (sources, compose side files,
    files to fix, cache keys, sniffing): FIFOs, devices and sockets are refused before they are opened (reading
    one could block or never end), the file is opened non-blocking and checked again (a file swapped for a FIFO
    cannot hang the run), and at most ``max_bytes`` are read (a file growing past the limit is refused too).
    """
    try:
        raw = _read_regular(path, max_bytes)
    except SourceError as exc:
        observed.read(path, max_bytes, None, str(exc))
        raise
    observed.read(path, max_bytes, raw)
    return raw


def _read_regular(path: str, max_bytes: int) -> bytes:
    with _opened(path) as (handle, size):
        if size > max_bytes:
            raise SourceError(_too_big(f"file is {size / 1e6:.1f} MB, over", max_bytes))
        # what its status says, and one byte more to see it grew: a buffer of the limit's size costs more
        raw = handle.read(min(size, max_bytes) + 1)
        if len(raw) > size:  # it grew while being read: the rest, up to the limit
            raw += handle.read(max_bytes + 1 - len(raw))
    if len(raw) > max_bytes:
        raise SourceError(_too_big("file grew while being read, past", max_bytes))
    return raw


def read_head(path: str, size: int) -> bytes:
    """The first ``size`` bytes of the regular file at ``path`` (to sniff what it holds); SourceError as above."""
    with _opened(path) as (handle, _):
        return handle.read(size)


@contextmanager
def _opened(path: str):
    """``(binary handle, size)`` of a regular file, opened without blocking; SourceError for anything else."""
    try:
        _check_regular(os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with open(fd, "rb") as handle:
            status = os.fstat(fd)
            _check_regular(status.st_mode)
            yield handle, status.st_size
    except OSError as exc:
        raise SourceError(_os_reason(exc)) from None


def _check_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise SourceError("is a directory")
    kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "a special file")
    raise SourceError(f"is {kind}, not a regular file; not read")


_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _too_big(subject: str, max_bytes: int) -> str:
    return f"{subject} the {max_bytes / 1e6:.0f} MB limit (raise it with --max-file-size)"


def _os_reason(exc: OSError) -> str:
    reasons = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOENT: "no such file (removed during the run?)",
        errno.ELOOP: "a symlink loop (too many levels of symbolic links)",
        errno.EISDIR: "is a directory",
    }
    return reasons.get(exc.errno) or exc.strerror or str(exc)


# YAML 1.2 section 5.2: a stream starts with a BOM or, without one, with an ASCII character, whose NULs tell the encoding
_ENCODINGS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF8, "utf-8"),
)
_UNMARKED = (
    (re.compile(rb"\x00\x00\x00[^\x00]"), "utf-32-be"),
    (re.compile(rb"[^\x00]\x00\x00\x00"), "utf-32-le"),
    (re.compile(rb"\x00[^\x00]"), "utf-16-be"),
    (re.compile(rb"[^\x00]\x00"), "utf-16-le"),
)


def encoding_of(raw: bytes) -> tuple[bytes, str]:
    """``(BOM, codec)`` of a file's bytes: a BOM wins, else the NULs around the first character, else UTF-8."""
    for bom, codec in _ENCODINGS:
        if raw.startswith(bom):
            return bom, codec
    for pattern, codec in _UNMARKED:
        if pattern.match(raw[:4]):
            return b"", codec
    return b"", "utf-8"


def decode(raw: bytes) -> str:
    """Bytes -> text: UTF-8, UTF-16 or UTF-32 (with or without BOM, as YAML allows); binary is refused."""
    bom, codec = encoding_of(raw)
    if codec != "utf-8":
        try:
            text = raw[len(bom) :].decode(codec)
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"not valid {codec.upper()} (at byte {exc.start + len(bom)}); save the file as UTF-8"
            ) from None
        if "\x00" in text:
            raise SourceError(f"binary file (NUL characters in {codec.upper()} text), not YAML")
        return text
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise SourceError("binary file (contains NUL bytes), not YAML", line)
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
    max_bytes: int = DEFAULT_MAX_BYTES,
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

    def add(display: str, path: str | None = None, text: str | None = None, unreadable: SourceError | None = None):
        key = os.path.normpath(path) if path else display
        if key in seen or (path and _excluded(display, exclude)):
            return
        seen.add(key)
        shown = printable_name(display)
        sources.append(Source(shown, path, text, forced_compose=key in forced, unreadable=unreadable))

    for arg in list(args) + [path for path in compose if path not in args]:
        if arg == "-":
            add(stdin_filename or "<stdin>", None, *_read_stdin(max_bytes))
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


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable_name(name: str) -> str:
    """A file name as reports show it: bytes that are not UTF-8 become U+FFFD, control characters are written
    as escapes (``new\\nline.yaml``), so a name can neither break an output format nor forge a line in it."""
    if name.isascii() and name.isprintable():  # nearly every name: nothing to do
        return name
    if any("\udc80" <= ch <= "\udcff" for ch in name):  # undecodable bytes, as os.fsdecode keeps them
        name = os.fsencode(name).decode("utf-8", errors="replace")
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], name)


def _read_stdin(max_bytes: int) -> tuple[str, SourceError | None]:
    """The text of standard input, read up to the size limit, or why it is not text."""
    raw = sys.stdin.buffer.read(max_bytes + 1)
    try:
        if len(raw) > max_bytes:
            raise SourceError(_too_big("standard input goes past", max_bytes))
        return decode(raw), None
    except SourceError as exc:
        return "", exc


def _walk(top: str, exclude, charts: list[str], gitignore: bool) -> list[str]:
    """Manifest files under ``top`` (``folders.walk``); chart directories are not entered but appended to ``charts``."""
    from k8slint.ignores import GitIgnores

    ignores = GitIgnores(top) if gitignore else None
    found = []

    def visit(root: str, listing: tuple) -> list[str]:
        names = folders.files(listing)
        if CACHE_TAG in names:
            return []
        if CHART_FILE in names:
            charts.append(root)
            return []
        for name in names:
            path = os.path.join(root, name)
            if name.startswith(".") or not (
                name.endswith(YAML_SUFFIXES) or (name.endswith(JSON_SUFFIX) and is_json_manifest(path))
            ):
                continue
            if ignores is None or not ignores.ignored(path, is_dir=False):
                found.append(path)
        return folders.subfolders(root, listing, lambda path: not _excluded(path, exclude))

    folders.walk(top, visit, ignores)
    return found


def is_json_manifest(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bool:
    """A JSON file holding a Kubernetes object or list (string ``apiVersion`` and ``kind`` at the top).

    Walks meet many other JSON files (package.json, tsconfig.json, dashboards,
    JSON schemas of CRDs): only manifests are linted; a file named on the
    command line is read whatever it holds.
    """
    try:
        raw = read_bytes(path, max_bytes)
    except SourceError:
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
    if not patterns:
        return False
    posix = Path(path).as_posix()
    name = os.path.basename(posix)
    return any(
        fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(name, pattern) or posix.startswith(pattern.rstrip("/") + "/")
        for pattern in patterns
    )


def is_excluded(path: str, patterns) -> bool:
    """Whether an ``exclude`` pattern (a glob on the path or the file name, or a directory prefix) covers ``path``."""
    return _excluded(path, patterns)
