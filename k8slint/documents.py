"""Documents: one YAML document of a source file, with lazy position look-ups."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from k8slint import yamlio


@dataclass(frozen=True)
class Span:
    """1-based start and end of a node in its file."""

    line: int
    column: int
    end_line: int
    end_column: int


class Document:
    """One document: its data, the file it came from and its place in the stream.

    The node tree is kept only while the file is being linted (it is dropped
    when a document crosses to another process); ``locate`` re-reads the
    source when asked for a position after that.
    """

    __slots__ = ("source", "index", "data", "line_offset", "_node", "yaml12", "start")

    def __init__(self, source, index: int, data: Any, node=None, line_offset: int = 0, yaml12: bool = False):
        self.source = source
        self.index = index
        self.data = data
        self.line_offset = line_offset
        self.yaml12 = yaml12
        self._node = node
        # where the root node starts (0-based line, column): enough to re-read this one document later
        self.start = (node.start_mark.line + line_offset, node.start_mark.column) if node is not None else (0, 0)

    @property
    def file(self) -> str:
        return self.source.display

    @property
    def has_tree(self) -> bool:
        """Whether the node tree is still in memory (else positions re-read the source)."""
        return self._node is not None

    def node(self):
        """The node tree (re-read from the source when it was dropped), or None when unreadable."""
        return self._node if self._node is not None else self.source.node_of(self.start)[0]

    def locate(self, path: str = "", on_key: bool = False) -> Span:
        if self._node is None:
            return relocate(self.source, self.start, path, on_key)
        return _span(self._node, self.line_offset, path, on_key)

    def drop_node(self) -> None:
        """Free the node tree; later positions come from re-reading the source."""
        self._node = None

    def __getstate__(self):
        return (self.source, self.index, self.data, self.line_offset, self.yaml12, self.start)

    def __setstate__(self, state):
        self.source, self.index, self.data, self.line_offset, self.yaml12, self.start = state
        self._node = None

    def __repr__(self):
        return f"Document({self.file!r}, {self.index})"


def relocate(source, start: tuple[int, int], path: str = "", on_key: bool = False) -> Span:
    """A position in the document of ``source`` whose root starts at ``start``, re-reading that document."""
    node, offset = source.node_of(start)
    return _span(node, offset, path, on_key)


def _span(node, line_offset: int, path: str, on_key: bool) -> Span:
    if node is None:
        return Span(1, 1, 1, 1)
    return Span(*yamlio.node_span(yamlio.find_node(node, path, on_key), line_offset))


_QUOTED = re.compile(r'[.\[\]"]')  # a key holding one of these is written ["key"]


def child_path(base: str, key: str | int) -> str:
    """Extend a dotted path by a key or list index, quoting keys that contain dots."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    if _QUOTED.search(key) or not key:
        key = "[" + json.dumps(key) + "]"
        return base + key
    return f"{base}.{key}" if base else key
