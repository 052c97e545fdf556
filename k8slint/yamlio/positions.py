"""Positions in a composed node tree: dotted paths, node spans, and the exact extents ``fix`` edits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from k8slint.yamlio.reading import MAX_DEPTH, is_merge_key

_PATH_TOKEN = re.compile(r'\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.\[\]]+)')


def split_path(path: str) -> list[str | int]:
    """``a.b[0]["x.y"]`` -> ``["a", "b", 0, "x.y"]``."""
    return list(path_parts(path))


@lru_cache(maxsize=8192)  # rules dig the same few paths in every object
def path_parts(path: str) -> tuple[str | int, ...]:
    """``split_path`` as a tuple, remembered."""
    parts: list[str | int] = []
    for index, quoted, plain in _PATH_TOKEN.findall(path):
        if index:
            parts.append(int(index))
        elif plain:
            parts.append(plain)
        else:
            parts.append(quoted.replace('\\"', '"'))
    return tuple(parts)


def find_node(root: yaml.Node, path: str, on_key: bool = False) -> yaml.Node:
    """The node at ``path`` (its key node when ``on_key``), else the nearest existing parent's."""
    node, key_node = root, None
    for part in path_parts(path):
        found = _child(node, part)
        if found is None:
            break
        key_node, node = found
    if on_key and key_node is not None:
        return key_node
    return node if key_node is None or not _is_collection(node) else key_node


def _is_collection(node: yaml.Node) -> bool:
    return isinstance(node, (MappingNode, SequenceNode))


def _child(node: yaml.Node, part):
    """``(key node, value node)`` of ``part`` in ``node``, looking through merge keys (each merged mapping once)."""
    if isinstance(node, SequenceNode) and isinstance(part, int):
        return (node.value[part], node.value[part]) if part < len(node.value) else None
    text = str(part)
    if type(node) is MappingNode:  # the usual case first: one pass over the mapping, merge keys only noted
        merges = False
        for key_node, value_node in reversed(node.value):
            if type(key_node) is ScalarNode:
                if is_merge_key(key_node):
                    merges = True
                elif key_node.value == text:
                    return key_node, value_node
        if not merges:
            return None
    pending, seen = [node], set()
    while pending:  # the mapping, then what it merges, depth first in order: a loop, since merges can nest or cycle
        mapping = pending.pop()
        if not isinstance(mapping, MappingNode) or id(mapping) in seen:
            continue
        seen.add(id(mapping))
        for key_node, value_node in reversed(mapping.value):
            if isinstance(key_node, ScalarNode) and key_node.value == text and not is_merge_key(key_node):
                return key_node, value_node
        merged = [
            source
            for key_node, value_node in mapping.value
            if isinstance(key_node, ScalarNode) and is_merge_key(key_node)
            for source in (value_node.value if isinstance(value_node, SequenceNode) else [value_node])
        ]
        pending.extend(reversed(merged))
    return None


def tagged_paths(root: yaml.Node, tags) -> dict[tuple, str]:
    """``{path: tag}`` of the values carrying one of ``tags`` (Compose's ``!reset``, ``!override``); paths are key/index tuples."""
    found: dict[tuple, str] = {}
    pending: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while pending:  # a loop, not recursion: the tree may be as deep as libyaml allows
        node, path = pending.pop()
        if node.tag in tags and path:
            found[path] = node.tag
        if len(path) > MAX_DEPTH:  # only an alias cycle gets here: its document was refused already
            continue
        if isinstance(node, MappingNode):
            pending.extend(
                (value_node, path + (key_node.value,))
                for key_node, value_node in node.value
                if isinstance(key_node, ScalarNode) and not is_merge_key(key_node)
            )
        elif isinstance(node, SequenceNode):
            pending.extend((item, path + (index,)) for index, item in enumerate(node.value))
    return found


def node_span(node: yaml.Node, line_offset: int = 0) -> tuple[int, int, int, int]:
    """1-based ``(line, column, end_line, end_column)`` of a node."""
    start, end = node.start_mark, node.end_mark
    return start.line + 1 + line_offset, start.column + 1, end.line + 1 + line_offset, end.column + 1


# --- round trip (k8slint fix) ----------------------------------------------
#
# ``fix`` changes files in place, so it needs to know exactly where each node
# sits in the text (to splice a scalar or drop an entry's lines) and, for
# structural changes, a loader/dumper that keeps comments and layout: ruamel's
# round-trip mode. ruamel is imported only here and only when a fix needs it.


@dataclass(frozen=True)
class Extent:
    """Where a node sits in the text: character offsets, 0-based lines, its kind and style."""

    start: int
    end: int
    line: int
    end_line: int
    column: int
    kind: str  # "scalar" | "mapping" | "sequence" | "alias"
    style: str | None = None  # a scalar's quote style ('', "'", '"', '|', '>'); None for collections
    flow: bool = False  # a collection written as {...} or [...]
    size: int = 0  # entries of a collection
    end_column: int = 0
    last_line: int = 0  # the last line with the node's own content


@dataclass(frozen=True)
class NodeEntry:
    """The key and value at a path, or, when the path does not exist, its nearest existing ancestor."""

    key: Extent | None
    value: Extent | None
    parent: Extent
    found: bool
    depth: int = 0  # how many parts of the path exist
    siblings: tuple = ()  # (key text, key Extent, value Extent) of the mapping the path ends in or stops at


def locate_entry(root: yaml.Node, parts: list) -> NodeEntry:
    """The extents at ``parts`` of a composed document (merge keys are not followed)."""
    node, key_node, parent = root, None, root
    for depth, part in enumerate(parts):
        found = _own_child(node, part)
        if found is None:
            return NodeEntry(
                _extent(key_node) if key_node is not None else None, None, _extent(node), False, depth, _entries(node)
            )
        parent = node
        key_node, node = found
    return NodeEntry(
        _extent(key_node) if key_node is not None else None,
        _extent(node),
        _extent(parent),
        True,
        len(parts),
        _entries(parent),
    )


def _entries(node: yaml.Node) -> tuple:
    if not isinstance(node, MappingNode):
        return ()
    return tuple(
        (key.value if isinstance(key, ScalarNode) else None, _extent(key), _extent(value)) for key, value in node.value
    )


def _own_child(node: yaml.Node, part):
    if isinstance(node, SequenceNode) and isinstance(part, int):
        return (None, node.value[part]) if part < len(node.value) else None
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key_node, value_node in reversed(node.value):
            if isinstance(key_node, ScalarNode) and key_node.value == part and not is_merge_key(key_node):
                return key_node, value_node
    return None


def _extent(node: yaml.Node) -> Extent:
    start, end = node.start_mark, node.end_mark
    if isinstance(node, ScalarNode):
        kind, style, flow, size = "scalar", node.style or "", False, 0
    else:
        kind = "mapping" if isinstance(node, MappingNode) else "sequence"
        style, flow, size = None, bool(node.flow_style), len(node.value)
    return Extent(
        start.index,
        end.index,
        start.line,
        end.line,
        start.column,
        kind,
        style,
        flow,
        size,
        end.column,
        _last_line(node),
    )


def _last_line(node: yaml.Node) -> int:
    """A block collection ends where the next token starts; its content ends with its last child's."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
