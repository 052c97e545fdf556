"""Where the cache lives: a leaf module, so the start-up path can find it without importing the cache itself."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable

ENV_DIR = "K8SLINT_CACHE_DIR"
FORMAT = 1  # bump when a cached entry's shape changes in a way older entries cannot follow


def default_dir() -> str:
    """``K8SLINT_CACHE_DIR``, else the platform's per-user cache folder."""
    if os.environ.get(ENV_DIR):
        return os.environ[ENV_DIR]
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        return os.path.join(
            os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local"), "k8slint", "Cache"
        )
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "k8slint")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"), "k8slint")


def entries_dir(root: str) -> str:
    """The folder of this format's entries under a cache folder ``root``."""
    return os.path.join(root, f"v{FORMAT}")


def write_entry(path, write) -> bool:
    """Put an entry in place at once: ``write(handle)`` fills a temporary file, renamed to ``path`` (a string or
    Path); False when it could not be written."""
    import tempfile

    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:  # a read-only or full disk makes the run slower, never wrong
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
        return True
    except Exception:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False


def remembered(folder: str, key: Callable[[], str], build: Callable[[], object]):
    """``build()``'s result, kept between runs as a pickle named by ``key()`` (a digest of everything it depends
    on, ``digest``).

    It lives among the result cache's entries, so pruning and ``k8slint cache
    clean`` cover it; an unreadable pickle is built again, and a cache that
    cannot be written is simply not used. When ``key()`` cannot read what it
    digests (OSError), ``build()`` runs uncached and reports the problem its own way.
    """
    import contextlib
    import pickle

    try:
        name = key()
    except OSError:
        return build()
    path = os.path.join(entries_dir(default_dir()), folder, f"{name}.pickle")
    with (
        contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError),
        open(path, "rb") as handle,
    ):
        return pickle.load(handle)
    result = build()
    write_entry(path, lambda handle: pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL))
    return result


def digest(texts: Iterable[str] = (), files: Iterable = ()) -> str:
    """A key for ``remembered``: k8slint's and Python's versions, ``texts``, and the path and bytes of each of
    ``files`` (OSError when one cannot be read)."""
    import hashlib

    from k8slint import __version__

    found = hashlib.blake2b(digest_size=16)
    for text in (__version__, sys.version, *texts):
        found.update(text.encode("utf-8", "surrogateescape") + b"\0")
    for path in files:
        with open(path, "rb") as handle:
            found.update(os.fsencode(path) + b"\0" + handle.read() + b"\0")
    return found.hexdigest()
