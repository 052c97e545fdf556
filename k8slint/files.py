"""Writing files safely: a temp file in the same directory, then an atomic rename."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable


def write_atomic(path: str, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` (bytes, or chunks of them) in one step, keeping its mode (new files get the umask's)."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".k8slint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines([data] if isinstance(data, bytes) else data)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
