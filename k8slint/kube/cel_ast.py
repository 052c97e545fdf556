"""The syntax tree of a checked CEL expression, read from its serialized form, and a cost bound over it.

cel-expr-python gives no tree, only ``Expression.serialize()``: a
``google.protobuf.Any`` holding a ``cel.expr.CheckedExpr``. A few dozen lines
of protobuf wire decoding read the ``cel.expr.Expr`` in it (field numbers from
cel-spec's ``proto/cel/expr/syntax.proto``), so we need no protobuf runtime.

The cost bound stands in for cel-go's runtime cost tracking (the API server
stops a CRD rule at ``celconfig.PerCallLimit``): every node costs 1, a call
on strings or lists costs as much as the longest string or collection of the
activation, and the body of a comprehension (``all``, ``exists``, ``map`` …)
runs once per element of the largest collection. The bound is computed before
evaluating, so a pathological rule is stopped without being run.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Node:
    """One ``cel.expr.Expr``: ``kind`` is ident, select, call, list, struct, comprehension or const."""

    kind: str
    name: str = ""  # identifier, selected field or function name
    children: list = field(default_factory=list)
    loop: list = field(default_factory=list)  # a comprehension's condition and step (run per element)


def _varint(data: bytes, at: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, at
        shift += 7


def _fields(data: bytes):
    """(field number, wire type, value) of a message; value is bytes for length-delimited fields."""
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            size, at = _varint(data, at)
            value, at = data[at : at + size], at + size
        elif wire == 1:
            value, at = data[at : at + 8], at + 8
        elif wire == 5:
            value, at = data[at : at + 4], at + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def _sub(data: bytes, number: int) -> list[bytes]:
    return [value for field_number, wire, value in _fields(data) if field_number == number and wire == 2]


_KINDS = {3: "const", 4: "ident", 5: "select", 6: "call", 7: "list", 8: "struct", 9: "comprehension"}


def _expr(data: bytes) -> Node:
    for number, wire, value in _fields(data):
        if wire == 2 and number in _KINDS:
            return _node(_KINDS[number], value)
    return Node("const")


def _node(kind: str, data: bytes) -> Node:
    if kind == "ident":
        return Node(kind, _text(data, 1))
    if kind == "select":
        return Node(kind, _text(data, 2), [_expr(part) for part in _sub(data, 1)])
    if kind == "call":  # target = 1, function = 2, args = 3
        return Node(kind, _text(data, 2), [_expr(part) for part in _sub(data, 1) + _sub(data, 3)])
    if kind == "list":
        return Node(kind, children=[_expr(part) for part in _sub(data, 1)])
    if kind == "struct":  # entries = 2: map_key = 3, value = 4
        return Node(kind, children=[_expr(part) for entry in _sub(data, 2) for part in _sub(entry, 3) + _sub(entry, 4)])
    if kind == "comprehension":  # iter_range 2, accu_init 4, loop_condition 5, loop_step 6, result 7
        once = [_expr(part) for number in (2, 4, 7) for part in _sub(data, number)]
        loop = [_expr(part) for number in (5, 6) for part in _sub(data, number)]
        return Node(kind, _text(data, 1), once, loop)
    return Node(kind)


def _text(data: bytes, number: int) -> str:
    parts = _sub(data, number)
    return parts[0].decode("utf-8", "replace") if parts else ""


def parse_serialized(serialized: bytes) -> Node:
    """The root ``Expr`` of a serialized ``Any(CheckedExpr)`` or ``Any(ParsedExpr)``."""
    payload = _sub(serialized, 2)
    message = payload[0] if payload and serialized.startswith(b"\n") else serialized
    parsed = b"cel.expr.ParsedExpr" in serialized[:64]  # compiled without type-checking: expr = 2, not 4
    roots = _sub(message, 2 if parsed else 4)
    return _expr(roots[0]) if roots else Node("const")


def functions(node: Node) -> set[str]:
    """The functions and operators an expression calls."""
    found = {node.name} if node.kind == "call" else set()
    for child in node.children + node.loop:
        found |= functions(child)
    return found


def identifiers(node: Node) -> set[str]:
    """The variable names an expression reads (comprehension variables included)."""
    found = {node.name} if node.kind == "ident" else set()
    for child in node.children + node.loop:
        found |= identifiers(child)
    return found


def cost_bound(node: Node, size: int, priced: frozenset) -> int:
    """An upper bound of the evaluation cost when no collection or string is longer than ``size``.

    ``priced`` names the functions whose cost grows with their arguments'
    length (string search, regular expressions, list scans).
    """
    cost = 1 + sum(cost_bound(child, size, priced) for child in node.children)
    if node.kind == "call" and node.name in priced:
        cost += size
    if node.kind == "comprehension":
        cost += max(size, 1) * (1 + sum(cost_bound(child, size, priced) for child in node.loop))
    return cost
