"""What a directory walk leaves out because git ignores it: ``.gitignore`` files and ``.git/info/exclude``.

The patterns follow git's rules (``gitignore``): a file's own
directory's ``.gitignore`` wins over those above it, up to the repository root
(the nearest directory with ``.git``), and ``!pattern`` re-includes. Outside a
repository, the ``.gitignore`` files of the walked tree still apply. Files named
on the command line are never ignored, and a directory named there is walked
even when git ignores it (only the ``.gitignore`` files inside it apply then).
"""

from __future__ import annotations

import os
import stat

from k8slint.gitignore import Patterns


class GitIgnores:
    """The ignore patterns met on the way down one walk; ``ignored`` asks them, deepest first."""

    def __init__(self, top: str):
        self._specs: dict[str, Patterns] = {}  # directory (absolute) -> its patterns; only where a file has some
        top = os.path.abspath(top)
        root = _repository_root(top)
        if root is not None:
            self._load(root, os.path.join(root, ".git", "info", "exclude"))
            directory = top
            above = []
            while directory != root:
                directory = os.path.dirname(directory)
                above.append(directory)
            for directory in reversed(above):
                self.enter(directory)
            below_root = [directory for directory in reversed(above) if directory != root] + [top]
            if any(self.ignored(directory, is_dir=True) for directory in below_root):  # top, or a folder above it:
                self._specs.clear()  # named on the command line, top is walked all the same

    def enter(self, directory: str) -> None:
        """Read ``directory``'s own ``.gitignore`` (call on the way down, before asking about its entries)."""
        directory = os.path.abspath(directory)
        self._load(directory, os.path.join(directory, ".gitignore"))

    def ignored(self, path: str, is_dir: bool) -> bool:
        if not self._specs:  # no pattern met (most trees outside a repository, many inside one)
            return False
        path = os.path.abspath(path)
        directory = os.path.dirname(path)
        while True:
            spec = self._specs.get(directory)
            if spec is not None:
                verdict = spec.verdict(os.path.relpath(path, directory).replace(os.sep, "/"), is_dir)
                if verdict is not None:
                    return verdict
            parent = os.path.dirname(directory)
            if parent == directory:
                return False
            directory = parent

    def _load(self, directory: str, patterns: str) -> None:
        try:
            if not stat.S_ISREG(os.stat(patterns).st_mode):  # a FIFO named .gitignore would block the walk
                return
            with open(patterns, "rb") as handle:
                lines = handle.read(1 << 20).decode("utf-8", errors="replace").splitlines()
        except OSError:
            return
        spec = Patterns(lines)
        if not spec:
            return
        previous = self._specs.get(directory)
        if previous is not None:  # .git/info/exclude and the root .gitignore: the .gitignore wins
            spec = previous + spec
        self._specs[directory] = spec


def _repository_root(directory: str) -> str | None:
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
