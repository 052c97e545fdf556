"""Edits applied to data at a path: plain dicts and lists, or ruamel's round-trip containers.

The same code gives the data a fix is expected to produce (plain) and
changes the round-trip tree that is written back (ruamel), so the two can
be compared after every fix.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from k8slint.findings import EDIT_OPS
from k8slint.yamlio import split_path

# Where a new key goes in its mapping when a sibling is there: Kubernetes' usual order.
PLACEMENT = {
    "selector": ("before", "template"),
    "pathType": ("after", "path"),
    "resources": ("after", "image"),
}


class EditError(Exception):
    """An edit that does not apply to the data (its parent is missing or of the wrong kind)."""


def apply_edit(root: Any, op: str, path: str, value: Any = None, make: Callable[[Any], Any] = copy.deepcopy) -> None:
    """Apply one edit in place; ``make`` turns an edit value into the container's kind of data."""
    if op not in EDIT_OPS:
        raise EditError(f"unknown edit operation {op!r}")
    parts = split_path(path)
    if not parts:
        raise EditError("an edit cannot replace a whole document")
    parent = _walk(root, parts[:-1], create=(op == "set"), make=make)
    last = parts[-1]
    if op == "set":
        _set(parent, last, make(value))
    elif op == "delete":
        _require(parent, last, path)
        del parent[last]
    else:
        _rename(parent, last, value, path)


def _walk(node, parts, create: bool, make):
    for part in parts:
        if isinstance(node, dict) and isinstance(part, str):
            if part not in node:
                if not create:
                    raise EditError(f"{part!r} does not exist")
                _set(node, part, make({}))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            raise EditError(f"cannot reach {part!r} inside a {type(node).__name__}")
    return node


def _require(parent, last, path: str) -> None:
    if isinstance(parent, dict) and isinstance(last, str) and last in parent:
        return
    if isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        return
    raise EditError(f"{path} does not exist")


def _set(parent, key, value) -> None:
    if isinstance(parent, list) and isinstance(key, int) and key < len(parent):
        parent[key] = value
    elif isinstance(parent, dict) and isinstance(key, str):
        if key in parent or not hasattr(parent, "insert"):
            parent[key] = value
        else:
            parent.insert(_position(parent, key), key, value)
    else:
        raise EditError(f"cannot set {key!r} inside a {type(parent).__name__}")


def _position(mapping: dict, key: str) -> int:
    keys = list(mapping)
    side, sibling = PLACEMENT.get(key, (None, None))
    if sibling in mapping:
        return keys.index(sibling) + (side == "after")
    return len(keys)


def _rename(parent, old, new, path: str) -> None:
    _require(parent, old, path)
    if not isinstance(parent, dict) or not isinstance(new, str) or not new:
        raise EditError(f"cannot rename {path} to {new!r}")
    if new in parent:
        raise EditError(f"cannot rename {path}: {new!r} already exists")
    position = list(parent).index(old)
    value = parent.pop(old)
    if hasattr(parent, "insert"):
        comments = getattr(getattr(parent, "ca", None), "items", {})
        if old in comments:
            comments[new] = comments.pop(old)
        parent.insert(position, new, value)
    else:
        parent[new] = value
