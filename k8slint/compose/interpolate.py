"""Variable interpolation in Compose values: ``$VAR``, ``${VAR}``, ``${VAR:-default}``,
``${VAR-default}``, ``${VAR:?err}``, ``${VAR?err}``, ``${VAR:+alt}``, ``${VAR+alt}`` and ``$$``.

Only values are interpolated (never keys), as Compose does. A variable may be set to ``UNKNOWN``: it is
set, but its value is not known here (the process environment, which k8slint does not read into findings,
or a value grown past ``MAX_VALUE``). A value that uses one is kept as written: findings then quote the
source text (``${GITHUB_TOKEN}``), never a value from the environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")
MAX_VALUE = 64 * 1024  # characters; a longer interpolated value (values that double, line after line) is UNKNOWN


class _Unknown:
    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = _Unknown()  # a variable that is set to a value k8slint does not know (see the module docstring)


class _TooLong(Exception):
    pass


class TemplateError(ValueError):
    """A malformed ``${...}`` expression; Compose refuses the file."""


@dataclass(frozen=True)
class Missing:
    """A variable that was unset (or empty where the operator cares) without a usable default."""

    name: str
    required: bool = False  # ``?`` forms: Compose stops with the given message
    message: str = ""


@dataclass
class Interpolated:
    """The interpolated text and the variables that had no value; ``known`` is false when the text is not the
    value (a variable was ``UNKNOWN`` or the value grew past ``MAX_VALUE``)."""

    text: str
    missing: list[Missing] = field(default_factory=list)
    known: bool = True


def _closing_brace(text: str, start: int) -> int:
    """Index of the ``}`` matching the ``${`` whose body starts at ``start``."""
    depth = 1
    pos = start
    while pos < len(text):
        if text.startswith("${", pos):
            depth += 1
            pos += 2
            continue
        if text[pos] == "}":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    raise TemplateError(f"unclosed '${{' in {text!r}")


def _braced(body: str, env: dict, missing: list[Missing], whole: str) -> str:
    match = _NAME.match(body)
    if match is None:
        raise TemplateError(f"invalid variable name in '${{{body}}}' of {whole!r}")
    name, rest = match.group(), body[match.end() :]
    value = env.get(name)
    if value is UNKNOWN:
        missing.append(UNKNOWN)
        return ""
    if not rest:
        if value is None:
            missing.append(Missing(name))
        return value or ""
    operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
    if operator is None:
        raise TemplateError(f"invalid operator {rest[:2]!r} after {name} in {whole!r}")
    argument = rest[len(operator) :]
    unusable = value is None or (operator.startswith(":") and value == "")
    if operator.endswith("-"):
        return _substitute(argument, env, missing, whole) if unusable else value
    if operator.endswith("+"):
        return "" if unusable else _substitute(argument, env, missing, whole)
    if unusable:  # ``?`` forms
        missing.append(Missing(name, required=True, message=_substitute(argument, env, [], whole)))
        return ""
    return value


def _substitute(text: str, env: dict, missing: list, whole: str) -> str:
    out, pos, size = [], 0, 0
    while True:
        dollar = text.find("$", pos)
        if dollar < 0:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos:dollar])
        nxt = text[dollar + 1 : dollar + 2]
        if nxt == "$":
            out.append("$")
            pos = dollar + 2
        elif nxt == "{":
            end = _closing_brace(text, dollar + 2)
            out.append(_braced(text[dollar + 2 : end], env, missing, whole))
            pos = end + 1
        else:
            match = _NAME.match(text, dollar + 1)
            if match is None:  # a lone '$' stays as written
                out.append("$")
                pos = dollar + 1
                continue
            value = env.get(match.group())
            if value is None:
                missing.append(Missing(match.group()))
            if value is UNKNOWN:
                missing.append(UNKNOWN)
            out.append(value if isinstance(value, str) else "")
            pos = match.end()
        size += len(out[-1]) + len(out[-2])
        if size > MAX_VALUE:
            raise _TooLong


def interpolate(text: str, env: dict) -> Interpolated:
    """Interpolate one string; raise TemplateError on malformed ``${...}``."""
    found: list = []  # Missing variables, and UNKNOWN once per variable without a known value
    try:
        result = _substitute(text, env, found, text)
    except _TooLong:
        return Interpolated(text, [m for m in found if m is not UNKNOWN], known=False)
    missing = [m for m in found if m is not UNKNOWN]
    return Interpolated(result, missing, known=UNKNOWN not in found)


@dataclass
class Problem:
    """A value that did not interpolate cleanly, at ``path`` (tuple of keys and indexes)."""

    path: tuple
    missing: tuple[Missing, ...] = ()
    error: str | None = None


def interpolate_tree(data, env: dict, path: tuple = ()) -> tuple[object, list[Problem]]:
    """Interpolate every string value of a YAML tree; return the new tree and the problems."""
    problems: list[Problem] = []

    def walk(node, here):
        if isinstance(node, dict):
            return {key: walk(value, here + (key,)) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value, here + (i,)) for i, value in enumerate(node)]
        if isinstance(node, str) and "$" in node:
            try:
                result = interpolate(node, env)
            except TemplateError as exc:
                problems.append(Problem(here, error=str(exc)))
                return node
            if result.missing or not result.known:  # both leave the value unresolved: checks skip it
                problems.append(Problem(here, tuple(result.missing)))
            return result.text if result.known else node
        return node

    return walk(data, path), problems
