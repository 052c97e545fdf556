"""A parsed knowledge base kept between runs, so `k8slint diagnose` starts fast.

Parsing ~200 YAML entries, checking their templates and walking every regex
for needles and backtracking costs far more than the diagnosis of a short
paste. The parsed entries (regexes as text: they are compiled only when a line
holds one of their needles) are pickled in the user's cache directory, keyed by
the bytes of every entry file, the code that parses them, k8slint's and
Python's versions. Any change gives a new key; an unreadable entry is rebuilt;
a cache that cannot be written is simply not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

from k8slint import __version__, cachedir

FORMAT = 1  # bump when KnowledgeBase's shape changes in a way old pickles cannot follow
# the code whose behaviour a parsed entry depends on
PARSERS = ("knowledge.py", "needles.py", "facts.py")


def _key(dirs: tuple[str, ...]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
    here = Path(__file__).resolve().parent
    for name in PARSERS:
        digest.update((here / name).read_bytes())
    for directory in dirs:
        digest.update(directory.encode("utf-8", "surrogateescape") + b"\0")
        for path in sorted(Path(directory).glob("*.yaml")):
            digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(dirs: tuple[str, ...], build: Callable[[], object]):
    """The knowledge base of ``dirs`` from the cache, else ``build()`` (and keep it for next time)."""
    try:  # among the result cache's entries, so its pruning and `k8slint cache clean` cover it
        path = os.path.join(cachedir.entries_dir(cachedir.default_dir()), "diagnose", f"kb-{_key(dirs)}.pickle")
    except OSError:  # a directory vanished or cannot be read: let build() report it
        return build()
    with (
        contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError),
        open(path, "rb") as handle,
    ):
        return pickle.load(handle)
    result = build()
    cachedir.write_entry(path, lambda handle: pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL))
    return result
