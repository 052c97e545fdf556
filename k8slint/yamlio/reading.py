"""Reading YAML: libyaml composition, then plain data built by our own constructor.

``lint`` composes each stream with libyaml (PyYAML's C parser), keeps the node
tree for position look-ups and builds plain data with our own small
constructor, which knows the two scalar dialects k8slint needs: Kubernetes
reads YAML 1.1 (``yes``/``on`` are booleans), Docker Compose reads YAML 1.2
(only ``true``/``false`` are). Neither reads ``1:30`` as base-60, both read
``1e3`` as a number. The constructor also reports duplicate keys, non-string
keys, recursive aliases and alias bombs instead of expanding them.
"""

from __future__ import annotations

import bisect
import operator
import re
import sys
from dataclasses import dataclass, field

import yaml
from yaml.nodes import ScalarNode, SequenceNode

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN = "?plain"  # an untagged plain scalar: typed by _Builder, not by PyYAML's regex resolver


class _Loader(_BaseLoader):
    """libyaml composition with tag resolution deferred to our builder (much cheaper per scalar)."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _TAG + "str"
        return _TAG + ("seq" if kind is SequenceNode else "map")

    # libyaml calls these around every node for path resolvers, which k8slint never registers: C callables
    # that do nothing (PyYAML's return at once too, but each is a Python call, two per node of every file)
    descend_resolver = staticmethod(operator.is_)
    ascend_resolver = staticmethod(tuple)


_TAG = "tag:yaml.org,2002:"
_YAML11_BOOLS = {"yes": True, "on": True, "true": True, "no": False, "off": False, "false": False}
MAX_EXPANDED_NODES = 1_000_000
# Mappings and lists nested deeper than this are refused (the document is skipped with a yaml-syntax finding).
# The deepest of ~5,900 real documents in our corpora (CRD schemas) nests 32 levels; libyaml itself stops at 1000.
# The bound is what lets every later walk over the data (rules, schema validation, compose merging, reporters)
# recurse without ever meeting Python's recursion limit.
MAX_DEPTH = 100
MAX_DOCUMENTS = 100_000  # per file: ten times a large `kubectl get -o yaml` dump, and a few seconds of work


class YamlError(Exception):
    """A stream that cannot be read as YAML; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Issue:
    """A problem found while building data: ``rule`` names the finding it becomes."""

    rule: str
    message: str
    node: yaml.Node


@dataclass
class ParsedDocument:
    """One document of a stream: its node tree, its data and what was odd about it."""

    node: yaml.Node
    data: object
    line_offset: int = 0
    issues: list[Issue] = field(default_factory=list)


def parse_stream(text: str, *, yaml12: bool = False) -> tuple[list[ParsedDocument], YamlError | None]:
    """Parse every document of ``text`` (the first MAX_DOCUMENTS); on a syntax error, keep what parses.

    A broken document does not hide the others: after an error the stream is
    split at ``---`` lines and each part is parsed on its own.
    """
    documents: list[ParsedDocument] = []
    try:
        shared = "&" in text
        for node in yaml.compose_all(text, Loader=_Loader):
            if not _keep(documents, node):
                break
            documents.append(_build(node, yaml12, shared))
        return documents, None
    except yaml.MarkedYAMLError as exc:
        first_error = _as_error(exc)
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        first_error = _as_error(exc)
    documents = []
    for offset, chunk in _split_documents(text):
        try:
            nodes = list(yaml.compose_all(chunk, Loader=_Loader))
        except (yaml.YAMLError, RecursionError, ValueError):
            continue
        for node in nodes:
            if not _keep(documents, node):
                return documents, first_error
            parsed = _build(node, yaml12, "&" in chunk)
            parsed.line_offset = offset
            documents.append(parsed)
    return documents, first_error


def _keep(documents: list[ParsedDocument], node: yaml.Node) -> bool:
    """Whether to read one more document; past MAX_DOCUMENTS, the last kept one says where reading stopped."""
    if len(documents) < MAX_DOCUMENTS:
        return True
    last = documents[-1]
    if not any(issue.message.startswith(_TOO_MANY) for issue in last.issues):
        message = f"{_TOO_MANY} {MAX_DOCUMENTS:,} documents; the rest of the file is not checked"
        last.issues.append(Issue("yaml-syntax", message, node))
    return False


_TOO_MANY = "the stream has more than"


def _as_error(exc: BaseException) -> YamlError:
    if isinstance(exc, RecursionError):
        return YamlError("document is nested too deeply to read")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context and problem else str(problem or exc)
    if mark is None:
        return YamlError(message)
    return YamlError(message, mark.line + 1, mark.column + 1)


def _split_documents(text: str):
    """Yield ``(line_offset, chunk)`` for each ``---``-separated part of ``text``."""
    lines = text.splitlines(keepends=True)
    start = 0
    for number, line in enumerate(lines):
        if number > start and re.match(r"---(\s|$)", line):
            yield start, "".join(lines[start:number])
            start = number
    yield start, "".join(lines[start:])


class Stream:
    """A stream's text, whose documents are composed one at a time by where their root starts.

    libyaml ends a document at every line that starts with ``---`` or ``...``
    followed by a blank (inside a scalar too), so one document is composed from
    its first line to the next such line: the cost of a look-up is the size of
    its document, not of the file. A document that does not compose alone (a
    directive before it, a syntax error near it) is looked up in the whole
    stream, composed once.
    """

    _MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|\Z)", re.M)

    def __init__(self, text: str):
        self.text = text
        self._lines: list[int] | None = None  # offset of every line's first character
        self._markers: list[int] = []  # offsets of the lines that start with a document marker
        self._whole: dict | None = None  # every document, when one had to be looked up in the whole stream

    def node(self, start: tuple[int, int]) -> tuple[yaml.Node | None, int]:
        """The node tree of the document whose root starts at 0-based ``start`` (line, column), and its line offset."""
        line, column = start
        if self._lines is None:
            # other line breaks (which libyaml counts too) would move lines: such a text is composed whole
            self._lines = (
                [0, *(m.end() for m in re.finditer("\n", self.text))] if _only_newline_breaks(self.text) else []
            )
            self._markers = [m.start() for m in self._MARKER.finditer(self.text)] if self._lines else []
        if line < len(self._lines):
            head = self._lines[line]
            after = bisect.bisect_right(self._markers, head)
            end = self._markers[after] if after < len(self._markers) else len(self.text)
            node = _first_node(self.text[head:end])
            if node is not None and node.start_mark.line == 0 and node.start_mark.column == column:
                return node, line
        if self._whole is None:
            self._whole = document_nodes(self.text)
        return self._whole.get(start, (None, 0))


def _first_node(text: str) -> yaml.Node | None:
    stream = yaml.compose_all(text, Loader=_Loader)
    try:
        return next(stream, None)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    finally:
        stream.close()


def document_nodes(text: str) -> dict[tuple[int, int], tuple[yaml.Node, int]]:
    """Every document's ``(node tree, line offset)`` by the 0-based (line, column) where its root starts.

    One pass over the stream (split at ``---`` after a syntax error, as ``parse_stream`` does).
    """
    try:
        parts = [(0, list(yaml.compose_all(text, Loader=_Loader)))]
    except (yaml.YAMLError, RecursionError, ValueError):
        parts = []
        for offset, chunk in _split_documents(text):
            try:
                parts.append((offset, list(yaml.compose_all(chunk, Loader=_Loader))))
            except (yaml.YAMLError, RecursionError, ValueError):
                continue
    return {
        (node.start_mark.line + offset, node.start_mark.column): (node, offset)
        for offset, nodes in parts
        for node in nodes
        if node is not None
    }


def _only_newline_breaks(text: str) -> bool:
    """Whether every line break is ``\n`` or ``\r\n`` (libyaml also breaks lines at these others)."""
    return text.count("\r") == text.count("\r\n") and not any(ch in text for ch in "\x85\u2028\u2029")


def rebuild(node: yaml.Node, yaml12: bool):
    """Data of an already parsed document, read again in the other scalar dialect."""
    return _Builder(yaml12, shared=True).build(node)


def _build(node: yaml.Node, yaml12: bool, shared: bool) -> ParsedDocument:
    builder = _Builder(yaml12, shared)
    try:
        size = _expanded_size(node) if shared else 0
        if size > MAX_EXPANDED_NODES:
            issue = Issue(
                "yaml-syntax", "aliases expand to more than a million nodes (an alias bomb); document skipped", node
            )
            return ParsedDocument(node, None, issues=[issue])
        data = builder.build(node)
    except _RecursiveAlias as exc:
        message = "an alias refers to a mapping or list that contains it (a recursive alias); document skipped"
        return ParsedDocument(node, None, issues=[Issue("yaml-syntax", message, exc.node)])
    except _TooDeep as exc:
        message = f"mappings and lists nest more than {MAX_DEPTH} levels deep (k8slint reads at most {MAX_DEPTH}); document skipped"
        return ParsedDocument(node, None, issues=[Issue("yaml-syntax", message, exc.node)])
    return ParsedDocument(node, data, issues=builder.issues)


class _TooDeep(Exception):
    """Collections nest more than MAX_DEPTH levels (counting aliases as expanded); ``node`` is where the limit is passed."""

    def __init__(self, node: yaml.Node):
        super().__init__()
        self.node = node


class _RecursiveAlias(Exception):
    """An alias points back into a collection that contains it: the tree has no finite expansion."""

    def __init__(self, node: yaml.Node):
        super().__init__()
        self.node = node  # the anchored collection


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the tree has once aliases are expanded (each shared subtree sized once).

    Iterative, so no depth of nesting can exhaust the Python stack; _RecursiveAlias for a cycle,
    _TooDeep when the expansion nests deeper than MAX_DEPTH (aliases can stack shallow anchors deep).
    """
    if type(root) is ScalarNode:
        return 1
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}  # collection levels of each expanded subtree
    open_nodes: set[int] = set()  # collections whose children are still being sized: the current path
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_sized = stack.pop()
        key = id(node)
        if children_sized:
            open_nodes.discard(key)
            collections = [id(child) for child in _children(node) if type(child) is not ScalarNode]
            sizes[key] = 1 + sum(sizes[child] for child in collections) + len(_children(node)) - len(collections)
            heights[key] = height = 1 + max((heights[child] for child in collections), default=0)
            if height > MAX_DEPTH:
                raise _TooDeep(node)
        elif key in open_nodes:
            raise _RecursiveAlias(node)
        elif key not in sizes:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if type(child) is not ScalarNode)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    return node.value if type(node) is SequenceNode else [child for pair in node.value for child in pair]


def is_merge_key(node: yaml.Node) -> bool:
    return node.value == "<<" and node.tag in (_PLAIN, _TAG + "merge")


class _Builder:
    """Turns a composed node tree into plain Python data.

    ``shared`` says the stream uses anchors, so one node may appear in several
    places; its data is then built once and shared, as YAML intends.
    """

    def __init__(self, yaml12: bool, shared: bool):
        self.yaml12 = yaml12
        self.shared = shared
        self.issues: list[Issue] = []
        self.built: dict[int, object] = {}

    def build(self, node: yaml.Node, depth: int = 1):
        """The data of ``node``, a collection ``depth`` levels deep (_TooDeep past MAX_DEPTH: the recursion is bounded)."""
        kind = type(node)
        if kind is ScalarNode:
            if node.tag == _PLAIN:
                return self.plain(node.value)
            return self.tagged(node)
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        if self.shared:
            known = self.built.get(id(node))
            if known is not None:
                return known
        if kind is SequenceNode:
            result = []
            if self.shared:
                self.built[id(node)] = result
            build, inner = self.build, depth + 1
            result.extend([build(child, inner) for child in node.value])
            return result
        mapping: dict = {}
        if self.shared:
            self.built[id(node)] = mapping
        merged = None
        build, plain, tagged = self.build, self.plain, self.tagged
        for key_node, value_node in node.value:
            if type(key_node) is ScalarNode and (
                key_node.tag == _STR or (key_node.tag == _PLAIN and key_node.value[:1] not in _TYPED_START)
            ):  # a string key (most are): what ``key`` would give, without building it
                name = sys.intern(key_node.value)
            elif type(key_node) is ScalarNode and is_merge_key(key_node):
                merged = merged if merged is not None else {}
                self.merge_into(merged, value_node, depth)
                continue
            else:
                name = self.key(key_node, depth)
            if name in mapping:
                self.issues.append(
                    Issue(
                        "yaml-duplicate-key",
                        f"key {name!r} is defined twice in this mapping; the last value silently wins",
                        key_node,
                    )
                )
            if type(value_node) is ScalarNode:  # as ``build`` does, one call fewer per scalar
                mapping[name] = plain(value_node.value) if value_node.tag == _PLAIN else tagged(value_node)
            else:
                mapping[name] = build(value_node, depth + 1)
        if merged:
            for name, value in merged.items():
                mapping.setdefault(name, value)
        return mapping

    def merge_into(self, merged: dict, node: yaml.Node, depth: int) -> None:
        sources = node.value if type(node) is SequenceNode else [node]
        for source in sources:
            value = self.build(source, depth)
            if isinstance(value, dict):
                for name, item in value.items():
                    merged.setdefault(name, item)

    def key(self, node: yaml.Node, depth: int):
        value = self.build(node, depth + 1)
        if isinstance(value, str):
            return sys.intern(value)
        if type(node) is ScalarNode:
            self.issues.append(
                Issue(
                    "yaml-non-string-key",
                    f"key {node.value!r} is read as a {_kind(value)}, not a string; quote it",
                    node,
                )
            )
            return node.value
        self.issues.append(
            Issue("yaml-non-string-key", "a mapping or list is used as a key; keys must be strings", node)
        )
        return yaml.dump(value, default_flow_style=True).strip()

    def plain(self, value: str):
        """Type an untagged plain scalar: YAML 1.1 core types (1.2 booleans for Compose), no base-60."""
        if not value:
            return None
        first = value[0]
        if first in _NUMBER_START:
            return _number(value)
        if first in _WORD_START:
            lowered = value.lower()
            if lowered in _NULLS:
                return None
            if lowered in _YAML11_BOOLS and (not self.yaml12 or lowered in ("true", "false")):
                return _YAML11_BOOLS[lowered]
        return sys.intern(value) if len(value) <= 64 else value  # shared: smaller to send between processes

    def tagged(self, node: ScalarNode):
        tag, value = node.tag, node.value
        if tag == _TAG + "str" or not tag.startswith(_TAG):
            return value
        kind = tag[len(_TAG) :]
        if kind == "null":
            return None
        if kind == "bool":
            return _YAML11_BOOLS.get(value.lower(), value)
        if kind in ("int", "float"):
            number = _number(value)
            return float(number) if kind == "float" and isinstance(number, int) else number
        return value


_NUMBER_START = frozenset("0123456789+-.")
_WORD_START = frozenset("nNtTfFyYoO~")
# how a plain scalar that may not read as a string starts (a number, a boolean, null, a merge key, empty)
_TYPED_START = _NUMBER_START | _WORD_START | {"<", ""}
_STR = _TAG + "str"
_NULLS = {"null", "~"}
_INT = re.compile(r"[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*)$")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|[-+]?\.(inf|Inf|INF)$|\.(nan|NaN|NAN)$"
)


def _number(text: str):
    """An int or float if ``text`` is one (YAML 1.1 forms, ``1e3`` included), else the text."""
    if _INT.match(text):
        digits = text.replace("_", "")
        sign = -1 if digits[0] == "-" else 1
        digits = digits.lstrip("+-")
        if digits[:2] in ("0b", "0x", "0o"):
            return sign * int(digits, 0)
        if len(digits) > 1 and digits[0] == "0":
            return sign * int(digits, 8)
        return sign * int(digits)
    if _FLOAT.match(text):
        lowered = text.replace("_", "").lower()
        if lowered.endswith("inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered == ".nan":
            return float("nan")
        return float(lowered)
    return text


def _kind(value) -> str:
    return {bool: "boolean", int: "number", float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def load_data(text: str):
    """Plain data of a single small document (rule files, config, kubeconfig); YamlError when it is not YAML."""
    try:
        return yaml.load(text, Loader=_BaseLoader)
    except (yaml.YAMLError, RecursionError) as exc:
        raise _as_error(exc) from None


def document_roots(text: str) -> list[yaml.Node]:
    """The node tree of every document of a stream that parses cleanly (YamlError otherwise)."""
    try:
        return list(yaml.compose_all(text, Loader=_Loader))
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise _as_error(exc) from None


def read_scalar(text: str, yaml12: bool):
    """The value a plain-or-quoted scalar written as ``text`` reads as, or YamlError."""
    documents, error = parse_stream("k: " + text + "\n", yaml12=yaml12)
    if (
        error is not None
        or len(documents) != 1
        or not isinstance(documents[0].data, dict)
        or len(documents[0].data) != 1
    ):
        raise YamlError(f"{text!r} is not a single scalar")
    return documents[0].data["k"]
