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

from collections.abc import Callable
from pathlib import Path

from k8slint import cachedir

FORMAT = 1  # bump when KnowledgeBase's shape changes in a way old pickles cannot follow
# the code whose behaviour a parsed entry depends on
PARSERS = ("knowledge.py", "needles.py", "facts.py")


def _key(dirs: tuple[str, ...]) -> str:
    here = Path(__file__).resolve().parent
    entries = [path for directory in dirs for path in sorted(Path(directory).glob("*.yaml"))]
    return cachedir.digest([str(FORMAT), *dirs], [*(here / name for name in PARSERS), *entries])


def cached(dirs: tuple[str, ...], build: Callable[[], object]):
    """The knowledge base of ``dirs`` from the cache, else ``build()`` (and keep it for next time)."""
    return cachedir.remembered("diagnose", lambda: f"kb-{_key(dirs)}", build)
