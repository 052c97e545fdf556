"""Writing files safely: a temp file in the same directory, fsync, then an atomic rename.

A reader (or a crash, or ``kill -9``) sees the old bytes or the new bytes, never a mix; the new file keeps
the old one's mode and owner (refused when the owner cannot be kept). ``write_output`` is the report's ``-o``:
it writes FIFOs and character devices directly, and never replaces a symbolic link or anything else that is
not a regular file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable


class RefusedPath(OSError):
    """A path k8slint will not write; ``strerror`` says why, in a few words."""

    def __init__(self, reason: str):
        super().__init__(errno.EPERM, reason)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str, data: bytes | Iterable[bytes], expect: bytes | None = None) -> None:
    """Replace ``path`` with ``data`` (bytes, or chunks of them) in one step, keeping its mode and owner.

    New files get the umask's mode. With ``expect``, the file is left alone (RefusedPath) when its bytes are
    no longer ``expect`` just before the rename: someone changed it meanwhile.
    """
    directory = os.path.dirname(os.path.abspath(path))
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".k8slint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines([data] if isinstance(data, bytes) else data)
            handle.flush()
            if old is not None and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(handle.fileno(), old.st_uid, old.st_gid)
                except PermissionError:
                    raise RefusedPath(f"owned by uid {old.st_uid} gid {old.st_gid}, which cannot be kept") from None
            os.fchmod(handle.fileno(), stat.S_IMODE(old.st_mode) if old is not None else _default_mode())
            os.fsync(handle.fileno())
        if expect is not None and _current_bytes(path) != expect:
            raise RefusedPath("changed on disk while fixing; not written")
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
    _sync_directory(directory)


def _current_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (where directories can be opened and synced)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_output(path: str, chunks: Iterable[bytes]) -> None:
    """Write a report to ``path``: a new or regular file atomically, a FIFO or character device (a terminal,
    ``/dev/null``, ``/dev/stdout``) directly; RefusedPath for a symlink to anything else, a directory, a socket."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        write_atomic(path, chunks)
        return
    if stat.S_ISLNK(status.st_mode):
        try:
            status = os.stat(path)
        except FileNotFoundError:
            raise RefusedPath("is a dangling symbolic link; not replaced") from None
        if not (stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode)):
            raise RefusedPath(f"is a symbolic link (to {os.path.realpath(path)}); not replaced, name the file itself")
    if stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode):
        with open(path, "wb") as handle:
            handle.writelines(chunks)
        return
    if not stat.S_ISREG(status.st_mode):
        raise RefusedPath("is not a regular file; not replaced")
    write_atomic(path, chunks)
