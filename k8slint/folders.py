"""Walking a tree's folders as discovery does: depth first in name order, each folder listed once (``replay.scan``)."""

from __future__ import annotations

import os
from collections.abc import Callable

from k8slint.replay import scan

# folders no walk enters (hidden ones neither): installed or vendored dependencies, bytecode
SKIPPED = frozenset({"node_modules", "vendor", "venv", "__pycache__", "site-packages"})
_FOLDER_KINDS = ("d", "ld")  # ``replay.scan``'s kinds of a folder and of a symbolic link to one


def walk(top: str, visit: Callable[[str, tuple], list[str]], ignores=None) -> None:
    """``visit(folder, listing)`` for ``top`` and for each folder a visit returns, depth first, as ``os.walk``
    goes; ``listing`` holds ``replay.scan``'s ``(name, kind)`` pairs in name order. A folder that cannot be
    listed is passed over. With ``ignores`` (``ignores.GitIgnores``), a folder's ``.gitignore`` is read before
    its visit, and the folders git ignores are not entered."""
    pending = [top]
    while pending:
        folder = pending.pop()
        listing = scan(folder)
        if isinstance(listing, int):
            continue
        if ignores is not None and any(name == ".gitignore" and kind not in _FOLDER_KINDS for name, kind in listing):
            ignores.enter(folder)
        found = visit(folder, listing)
        if ignores is not None:
            found = [path for path in found if not ignores.ignored(path, is_dir=True)]
        pending.extend(reversed(found))


def files(listing: tuple) -> list[str]:
    """The names of a listing's entries that are not folders (files, links to files, anything else)."""
    return [name for name, kind in listing if kind not in _FOLDER_KINDS]


def subfolders(folder: str, listing: tuple, keep: Callable[[str], bool] = lambda path: True) -> list[str]:
    """The folders a walk enters from ``folder``: neither hidden nor ``SKIPPED`` nor a symbolic link, and kept."""
    return [
        path
        for name, kind in listing
        if kind == "d" and not name.startswith(".") and name not in SKIPPED and keep(path := os.path.join(folder, name))
    ]
