"""The per-file result cache: a file whose bytes, role and settings are unchanged is not parsed or checked again.

An entry is one file's ``FileResult`` (per-object findings, the object
summaries the index needs, compose documents, suppressions), keyed by a hash of
everything the per-file work reads: the file's bytes, its name and role in the
repository, the run's settings and enabled rules, the CRD, admission-policy
and API-resource files they name, and k8slint's own code. Rules that look across files run
again over cached and fresh results alike, unless nothing at all changed: a
``RunMemo`` keyed by every file's entry holds the whole run's result, used while
what its cross-file stage read beside those files (``observed``) is unchanged.

Entries live in the user's cache directory (``K8SLINT_CACHE_DIR``, else the
platform's cache folder), never inside the linted tree: they are pickles, and
a repository must not be able to hand k8slint objects to load. Writes are
atomic (a temporary file renamed into place); an entry that cannot be read is
ignored and written again; the directory is pruned, oldest first, beyond
``MAX_BYTES``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from collections.abc import Callable, MutableSequence
from dataclasses import fields
from functools import cache
from pathlib import Path

from k8slint import __version__, cachedir, observed
from k8slint.layout import CACHE_TAG
from k8slint.sources import SourceError, read_bytes

MAX_BYTES = 512 * 1024 * 1024
PRUNE_AFTER = 256  # entries one run writes that make it scan the cache for its size at once
PRUNE_EVERY = 3600  # seconds; otherwise the cache is scanned at most this often
LAST_PRUNE = "last.prune"  # the entry that holds when it was
MAX_ROWS = 200_000  # rows a ``Table`` keeps (file statuses, say); beyond it, only the last run's
TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n# k8slint's result cache (k8slint cache dir; k8slint cache clean)\n"
)
# settings that shape only the run as a whole (discovery, exit status, workers), never one file's result
RUN_ONLY_SETTINGS = {"jobs", "fail_on", "context", "config_file", "exclude", "cache", "cache_dir"}


def default_dir() -> Path:
    """``K8SLINT_CACHE_DIR``, else the platform's per-user cache folder."""
    return Path(cachedir.default_dir())


class Store:
    """One run's view of the cache: the run-wide part of every key is computed once."""

    def __init__(self, directory: Path, settings, checked: bool):
        self.directory = Path(cachedir.entries_dir(str(directory)))
        self.max_file_size = settings.max_file_size
        run = hashlib.blake2b(digest_size=16)
        # the rules a run enables follow from its settings (select, ignore) and our code: no need to load them
        from k8slint.kube import cel

        engines = "CEL" if cel.available() else "no CEL"  # installed or not, it decides what CEL rules report
        for part in (_code_identity(), _settings_identity(settings), "checked" if checked else "indexed only", engines):
            run.update(part.encode() + b"\0")
        for path in [*settings.crds, *settings.policies, *([settings.api_resources] if settings.api_resources else [])]:
            run.update(_tree_digest(path))
        self.run_key = run.digest()
        self.written = 0
        self.tagged = False
        self.keys: dict[str, str] = {}  # display name -> entry of the files this run took from or put in the cache

    def key(self, source) -> str | None:
        """The entry name for ``source`` now, or None when it cannot be cached (stdin, unreadable, too big)."""
        if source.text_from_stdin is not None or not source.path:
            return None
        try:
            raw = read_bytes(source.path, self.max_file_size)  # never opens a FIFO or a device, never past the limit
        except SourceError:
            return None
        digest = hashlib.blake2b(self.run_key, digest_size=20)
        for part in (source.display, source.path, source.role.identity(), str(source.forced_compose)):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key

    def get(self, key: str):
        try:
            with open(self._path(key), "rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # a truncated or foreign entry: ignored, and written again after this run lints the file
            return None

    def put(self, key: str, result) -> None:
        if not self.tagged:
            with contextlib.suppress(OSError):
                self.directory.mkdir(parents=True, exist_ok=True)
                self.tagged = _tag(self.directory.parent)
        if cachedir.write_entry(
            self._path(key), lambda handle: pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
        ):
            self.written += 1

    def prune(self, max_bytes: int = MAX_BYTES, always: bool = False) -> None:
        """Delete the least recently written entries until this format's entries are under ``max_bytes``.

        Scanning the whole cache costs a run of a few changed files more than
        linting them: it is done when this run wrote many entries, or when the
        last scan is ``PRUNE_EVERY`` seconds old (or ``always``).
        """
        last = self.get(LAST_PRUNE)
        if (
            not always
            and self.written < PRUNE_AFTER
            and isinstance(last, float)
            and 0 <= time.time() - last < PRUNE_EVERY
        ):
            return
        entries = []
        with contextlib.suppress(OSError):
            for folder in os.scandir(self.directory):
                for entry in os.scandir(folder.path) if folder.is_dir(follow_symlinks=False) else ():
                    stat = entry.stat(follow_symlinks=False)
                    entries.append((stat.st_mtime, stat.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= max_bytes:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
                total -= size
        self.put(LAST_PRUNE, time.time())


def _tag(directory: Path) -> bool:
    """Mark the cache folder as one, so backups and k8slint's own walks (``layout.CACHE_TAG``) pass it over."""
    tag = directory / CACHE_TAG
    with contextlib.suppress(OSError):
        if not tag.exists():
            tag.write_text(TAG_TEXT, encoding="ascii")
    return True


def open_store(settings, checked: bool = True) -> Store | None:
    """The cache for this run's files (``checked``: by the enabled rules; else only indexed), or None when off."""
    if not settings.cache:
        return None
    directory = Path(settings.cache_dir) if settings.cache_dir else default_dir()
    return Store(directory, settings, checked)


class Table:
    """A small table kept beside a store's entries, read once per run and written back when it grew.

    Without a store it knows nothing and keeps nothing.
    """

    def __init__(self, store: Store | None, name: str):
        self.store = store
        self.name = f"{store.run_key.hex()}.{name}" if store is not None else ""
        found = store.get(self.name) if store is not None else None
        self.known: dict = found if isinstance(found, dict) else {}
        self.added: dict = {}

    def get(self, key):
        return self.known.get(key)

    def set(self, key, value) -> None:
        if self.store is not None and key is not None and self.known.get(key, self) != value:
            self.added[key] = value

    def save(self) -> None:
        if self.added:
            self.store.put(self.name, {**(self.known if len(self.known) < MAX_ROWS else {}), **self.added})


def keys_of(store: Store | None, sources: list, layout) -> list[str | None]:
    """Each source's entry name now (None where it cannot be cached, or everywhere without a store).

    A file whose status (size, times, inode) is what it was when an earlier run
    named it keeps that name without being read again, as git's index does, unless
    it was written so shortly before that a later write could share its times.
    Its role comes from ``layout`` (``layout.Layout``) and is worked out only
    when needed: a file whose status and layout are those an earlier run saw
    keeps its name as it is; the others get their role (``source.role``) first.
    """
    if store is None:
        return [None] * len(sources)
    statuses = Table(store, "statuses")
    shape = layout.identity()
    now, keys = time.time_ns(), []
    for source in sources:
        subject = (source.display, source.path, source.forced_compose)
        status = observed.status(source.path, now) if source.text_from_stdin is None and source.path else None
        entry = statuses.get(subject) if status is not None else None
        if entry is not None and entry[0] == status and entry[1] == shape and layout.settled(source.path):
            keys.append(entry[3])
            continue
        source.role = layout.role(source.path)
        role = source.role.identity()
        key = entry[3] if entry is not None and entry[0] == status and entry[2] == role else store.key(source)
        if key is not None and status is not None:
            statuses.set(subject, (status, shape, role, key))
        keys.append(key)
    statuses.save()
    return keys


def map_files(store: Store | None, sources: list, lint: Callable[[list], list], keys: list) -> list:
    """``lint(sources)``'s results, taking unchanged files from ``store`` and storing the rest.

    ``keys`` are the sources' entry names (``keys_of``); ``lint`` is given sources whose roles are set.
    """
    if store is None or not sources:
        return lint(sources)
    keys = list(keys)
    results = [store.get(key) if key else None for key in keys]
    stale = [i for i, result in enumerate(results) if result is None]
    for i, result in zip(stale, lint([sources[i] for i in stale]), strict=True):
        results[i] = result
        # kept unless the file changed while it was linted, or a check crashed (a bug, not a verdict on the file)
        if keys[i] and not _crashed(result) and store.key(sources[i]) == keys[i]:
            store.put(keys[i], result)
        else:
            keys[i] = None
    store.keys.update((source.display, key) for source, key in zip(sources, keys, strict=True) if key)
    if store.written:
        store.prune()
    return results


class RunMemo:
    """The whole outcome of a run whose files, settings and surroundings are all unchanged.

    Its key covers every file's entry name (so their bytes, names, roles and the
    settings) in the order the run indexes them; its entry holds the run's result
    and what its cross-file stage looked at beyond those files (``observed``):
    the entry is used only while all of that still looks the same.
    """

    def __init__(self, store: Store, key: str):
        self.store, self.key = store, key

    @classmethod
    def of(cls, store: Store | None, parts: list[tuple[Store | None, list]]) -> RunMemo | None:
        """The memo of a run over ``parts`` (each a store and its files' keys), or None when one cannot be cached."""
        if store is None or any(key is None for _, keys in parts for key in keys):
            return None
        digest = hashlib.blake2b(os.getcwd().encode("utf-8", "surrogateescape"), digest_size=20)
        for part_store, keys in parts:
            digest.update(b"\1" + (part_store.run_key if part_store is not None else b""))
            for key in keys:
                digest.update(key.encode())
        return cls(store, digest.hexdigest() + ".run")

    def load(self):
        """The stored result, or None (absent, unreadable, or something it looked at has changed)."""
        entry = self.store.get(self.key)
        if not isinstance(entry, tuple) or len(entry) != 2:
            return None
        result, seen = entry
        return result if observed.unchanged(seen, _bytes_or_problem) else None

    def save(self, result, seen: dict) -> None:
        self.store.put(self.key, (result, seen))


def _bytes_or_problem(path: str, max_bytes: int) -> bytes | str:
    try:
        return read_bytes(path, max_bytes)
    except SourceError as exc:
        return str(exc)


class Deferred(MutableSequence):
    """A list computed on first use (a cached run's objects: only some reporters list them)."""

    def __init__(self, compute: Callable[[], list]):
        self._compute, self._items = compute, None

    @property
    def items(self) -> list:
        if self._items is None:
            self._items = list(self._compute())
        return self._items

    def __getitem__(self, index):
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __setitem__(self, index, value):
        self.items[index] = value

    def __delitem__(self, index):
        del self.items[index]

    def insert(self, index, value):
        self.items.insert(index, value)


def _crashed(result) -> bool:
    from k8slint.filters import INTERNAL_ERROR

    return any(finding.rule == INTERNAL_ERROR for finding in result.findings)


def place(store: Store | None, requests: list, locate: Callable[[list], list]) -> list:
    """Spans of ``(document, path, on_key)`` requests: those placed in an earlier run from the cache, the rest by ``locate``.

    Cross-file findings are placed by re-reading their documents; a file whose
    bytes are unchanged has its spans remembered beside its entry.
    """
    if store is None:
        return locate(requests)
    memos: dict[str, dict] = {}
    for doc, _, _ in requests:
        key = store.keys.get(doc.file)
        if key and doc.file not in memos:
            memos[doc.file] = store.get(key + ".spans") or {}
    wanted = [(doc.file, doc.index, path, on_key) for doc, path, on_key in requests]
    spans = [memos.get(file, {}).get((index, path, on_key)) for file, index, path, on_key in wanted]
    missing = [i for i, span in enumerate(spans) if span is None]
    if not missing:
        return spans
    grown = set()
    for i, span in zip(missing, locate([requests[i] for i in missing]), strict=True):
        spans[i] = span
        file, index, path, on_key = wanted[i]
        if file in memos:
            memos[file][(index, path, on_key)] = span
            grown.add(file)
    for file in grown:
        store.put(store.keys[file] + ".spans", memos[file])
    return spans


def clean(directory: Path | None = None) -> int:
    """Delete every cache entry (only our ``v<N>`` folders, whatever else the directory holds); files removed."""
    import re
    import shutil

    root = directory or default_dir()
    count = 0
    for folder in root.iterdir() if root.is_dir() else ():
        if folder.is_dir() and not folder.is_symlink() and re.fullmatch(r"v\d+", folder.name):
            count += sum(len(files) for _, _, files in os.walk(folder))
            shutil.rmtree(folder, ignore_errors=True)
    if count:
        with contextlib.suppress(OSError):
            (root / CACHE_TAG).unlink()
    return count


@cache
def _code_identity() -> str:
    """k8slint's version and the names, sizes and times of its code and rule files (a source checkout changes)."""
    from k8slint.paths import rules_dir

    package = Path(__file__).resolve().parent
    parts = [__version__]
    for top in (package, rules_dir()):
        for root, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                if name.endswith((".py", ".yaml", ".json")):
                    stat = os.stat(os.path.join(root, name))
                    parts.append(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def _settings_identity(settings) -> str:
    return repr(
        sorted((f.name, repr(getattr(settings, f.name))) for f in fields(settings) if f.name not in RUN_ONLY_SETTINGS)
    )


def _tree_digest(path: str) -> bytes:
    """A digest of a file, or of every file under a directory (names and bytes); missing paths digest as such."""
    digest = hashlib.blake2b(digest_size=16)
    targets = [path]
    if os.path.isdir(path):
        targets = sorted(os.path.join(root, name) for root, _, names in os.walk(path) for name in names)
    for target in targets:
        digest.update(target.encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(read_bytes(target))
        except SourceError as exc:
            digest.update(str(exc).encode())
    return digest.digest()
