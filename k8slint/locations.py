"""Where findings live relative to the project: the root directory and root-relative paths."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


def project_root(start: str | None = None) -> Path:
    """The nearest directory upward from ``start`` (default: the working directory) holding ``.git``; else ``start``."""
    return _root(Path(start or os.getcwd()).resolve())


@cache
def _root(here: Path) -> Path:
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return here


def root_relative(file: str, root: Path | None = None) -> str | None:
    """``file`` as a POSIX path relative to the project root, or None (stdin, or outside the root)."""
    if not os.path.exists(file):
        return None
    root = root or project_root()
    try:
        return Path(file).resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def stable_name(file: str) -> str:
    """A name for ``file`` that does not depend on the working directory, when it can."""
    return root_relative(file) or Path(file).as_posix()
