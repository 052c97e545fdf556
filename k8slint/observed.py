"""What a run looked at on disk and in its environment beyond the files it lints, so a cached run can check it.

The cross-file stage reads more than the linted files: compose projects read
``.env`` and ``env_file`` files, the files they extend or include, Dockerfiles,
and look for base and override files beside them; they see the process
environment. While ``recording()`` is active, every such look is noted with
what it saw; ``unchanged`` later tells whether looking again would see the
same. Reads go through ``sources.read_bytes`` (which notes them); existence
checks and listings go through ``is_file`` and ``glob`` here.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from k8slint.replay import RACY_NS  # a file written less than this before it was looked at may change within its times

# (kind, subject) -> what was seen; None when nothing records
_seen: dict[tuple[str, str], object] | None = None


@contextmanager
def recording() -> Iterator[dict[tuple[str, str], object]]:
    """Note every look made inside the block (nested blocks share the outermost record)."""
    global _seen
    if _seen is not None:
        yield _seen
        return
    _seen = {}
    try:
        yield _seen
    finally:
        _seen = None


def note(kind: str, subject: str, seen) -> None:
    """Record one look (the first one of a subject counts), when recording."""
    if _seen is not None:
        _seen.setdefault((kind, subject), seen)


def looks() -> dict[tuple[str, str], object]:
    """A copy of the record so far (empty when nothing records)."""
    return dict(_seen or {})


def add(looks: dict[tuple[str, str], object]) -> None:
    """Record looks another process made (``looks()`` there), when recording."""
    for (kind, subject), seen in looks.items():
        note(kind, subject, seen)


def read(path: str, max_bytes: int, raw: bytes | None, problem: str = "") -> None:
    """Record a read of ``path``: its bytes, or why it could not be read, and its status (``status``)."""
    if _seen is not None:
        steady = status(path, time.time_ns())
        note("read", path, (digest(raw) if raw is not None else problem, max_bytes, steady))


def status(path: str, now: int) -> tuple | None:
    """What tells a regular file is unchanged without reading it (size, modification and change times, inode), or
    None: not a regular file, or written so shortly before ``now`` that a later write could keep its times (as
    git's racy index entries)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode) or max(found.st_mtime_ns, found.st_ctime_ns) >= now - RACY_NS:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev)


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def is_file(path: Path) -> bool:
    found = path.is_file()
    note("is_file", str(path), found)
    return found


def glob(directory: Path, pattern: str) -> list[Path]:
    """``directory.glob(pattern)``, sorted."""
    found = sorted(directory.glob(pattern))
    note("glob", f"{directory}\0{pattern}", [str(path) for path in found])
    return found


def environ() -> None:
    """Record the process environment (names and values) as seen now."""
    note("environ", "", _environ_digest())


def _environ_digest() -> bytes:
    return digest(repr(sorted(os.environ.items())).encode("utf-8", "surrogateescape"))


def unchanged(seen: dict[tuple[str, str], object], read: Callable[[str, int], bytes | str]) -> bool:
    """Whether every look in ``seen`` would see the same now; ``read(path, max_bytes)`` gives bytes or a problem."""
    for (kind, subject), value in seen.items():
        if kind == "read":
            if value[2] is not None and status(subject, time.time_ns()) == value[2]:
                continue
            now = read(subject, value[1])
            if (digest(now) if isinstance(now, bytes) else now) != value[0]:
                return False
        elif kind == "is_file":
            if Path(subject).is_file() != value:
                return False
        elif kind == "glob":
            directory, pattern = subject.split("\0")
            if [str(path) for path in sorted(Path(directory).glob(pattern))] != value:
                return False
        elif kind == "environ":
            if _environ_digest() != value:
                return False
        else:  # a record from another version of this module
            return False
    return True
