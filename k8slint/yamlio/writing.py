"""Writing YAML for ``fix``: one-line scalars, the file's own indentation, and ruamel.yaml's round trip.

ruamel.yaml is imported only when a fix needs it.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, SequenceNode

from k8slint.yamlio.reading import YamlError, read_scalar


def scalar_text(value, style: str, yaml12: bool) -> str | None:
    """``value`` written as one line in ``style`` ('' plain, "'" or '"'), falling back to quoting; None if impossible."""
    if isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        candidates = ["true" if value else "false"]
    elif value is None:
        candidates = ["null"]
    elif isinstance(value, (int, float)):
        candidates = [repr(value)]
    else:
        single = "'" + value.replace("'", "''") + "'"
        double = (
            yaml.safe_dump(value, default_style='"', width=1 << 30, allow_unicode=True)
            .strip()
            .removesuffix("...")
            .strip()
        )
        order = {"": [value, single, double], "'": [single, double], '"': [double, single]}.get(
            style, [value, single, double]
        )
        candidates = order
    for candidate in candidates:
        if "\n" in candidate or "\r" in candidate:
            continue
        try:
            read = read_scalar(candidate, yaml12)
        except YamlError:
            continue
        if read == value and type(read) is type(value):
            return candidate
    return None


@dataclass(frozen=True)
class Indent:
    """Block indentation of a file, in ruamel's terms: mapping indent, sequence indent, dash offset."""

    mapping: int = 2
    sequence: int = 2
    offset: int = 0


def detect_indent(roots: list[yaml.Node]) -> Indent:
    """The most common block indentation of the documents (defaults: 2, 2, 0)."""
    from collections import Counter

    mappings: Counter = Counter()
    sequences: Counter = Counter()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(value_node, MappingNode) and not value_node.flow_style and value_node.value:
                    if value_node.start_mark.line > key_node.start_mark.line:
                        mappings[value_node.value[0][0].start_mark.column - key_node.start_mark.column] += 1
                elif isinstance(value_node, SequenceNode) and not value_node.flow_style and value_node.value:
                    if value_node.start_mark.line > key_node.start_mark.line:
                        dash = value_node.start_mark.column - key_node.start_mark.column
                        item = value_node.value[0].start_mark.column - key_node.start_mark.column
                        sequences[(item, dash)] += 1
                stack.append(value_node)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    mapping = next((size for size, _ in mappings.most_common() if size > 0), 2)
    sequence, offset = next(
        ((item, dash) for (item, dash), _ in sequences.most_common() if item > dash >= 0), (mapping, 0)
    )
    return Indent(mapping, max(sequence, offset + 2), offset)


def _round_tripper(indent: Indent | None = None, explicit_start: bool = False):
    from ruamel.yaml import YAML

    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = 1 << 16
    handler.allow_duplicate_keys = False
    if indent is not None:
        handler.indent(mapping=indent.mapping, sequence=indent.sequence, offset=indent.offset)
    handler.explicit_start = explicit_start
    return handler


def load_round_trip(text: str) -> list:
    """Every document of ``text`` with its comments and layout (ruamel round-trip); YamlError if it cannot."""
    from ruamel.yaml.error import YAMLError as RuamelError

    try:
        return list(_round_tripper().load_all(text))
    except (RuamelError, RecursionError, ValueError) as exc:
        raise YamlError(
            f"cannot load for fixing: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from None


def dump_round_trip(documents: list, indent: Indent, explicit_start: bool = False) -> str:
    """Write documents loaded by ``load_round_trip`` back as text."""
    import io

    from ruamel.yaml.error import YAMLError as RuamelError

    out = io.StringIO()
    try:
        _round_tripper(indent, explicit_start).dump_all(documents, out)
    except (RuamelError, RecursionError, ValueError, TypeError) as exc:
        raise YamlError(f"cannot write for fixing: {type(exc).__name__}") from None
    return out.getvalue()


def round_trip_value(value, yaml12: bool):
    """Plain data as ruamel nodes to insert: block collections, strings quoted when they would read as another type."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = round_trip_value(item, yaml12)
        return mapping
    if isinstance(value, list):
        return CommentedSeq(round_trip_value(item, yaml12) for item in value)
    if isinstance(value, str) and scalar_text(value, "", yaml12) != value:
        return DoubleQuotedScalarString(value)
    return value
