"""A CRD's ``x-kubernetes-validations`` rules, run against a custom resource as the API server runs them.

apiextensions-apiserver (``pkg/apiserver/schema/cel/validation.go``,
``Validator.Validate``) evaluates each rule at its schema node with ``self``
bound to the value there: once per element under ``items`` and
``additionalProperties``, never for a node the object does not have, on
the object after pruning and defaulting (see ``prepared``). Rules that read ``oldSelf`` are transition rules: they run on updates
only, and linting sees an object as created.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

from k8slint.kube.cel import (
    DEFAULT_COST_LIMIT,
    CelCostExceeded,
    CelError,
    CelEvalError,
    CelUnsupported,
    Program,
    compile_expression,
)
from k8slint.kube.cel_library import UNSUPPORTED

VARIABLES = ("self", "oldSelf")
_NO_OVERLOAD = "No matching overloads"


@dataclass(frozen=True)
class Rule:
    """One entry of ``x-kubernetes-validations``."""

    rule: str
    message: str = ""
    message_expression: str = ""
    field_path: str = ""
    reason: str = ""
    optional_old_self: bool = False

    @property
    def default_message(self) -> str:
        """The message the API server reports: ``message``, else ``failed rule: <rule>`` (ruleMessageOrDefault)."""
        return self.message.strip() or f"failed rule: {self.rule.strip()}"


@dataclass(frozen=True)
class Outcome:
    """What one rule did at one node: ``status`` is failed, error, unsupported, cost or invalid."""

    status: str
    rule: Rule
    parts: tuple
    message: str


def rules_of(schema: dict) -> list[Rule]:
    """The well-formed rules of one schema node."""
    found = []
    entries = schema.get("x-kubernetes-validations")
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("rule"), str):
            found.append(
                Rule(
                    entry["rule"],
                    _text(entry.get("message")),
                    _text(entry.get("messageExpression")),
                    _text(entry.get("fieldPath")),
                    _text(entry.get("reason")),
                    entry.get("optionalOldSelf") is True,
                )
            )
    return found


def _text(value) -> str:
    return value if isinstance(value, str) else ""


_HAS_RULES: dict[int, tuple[object, bool]] = {}  # id(schema) -> (schema, answer): each CRD schema walked once


def has_rules(schema) -> bool:
    """Whether a schema holds any ``x-kubernetes-validations`` (cached per schema object)."""
    cached = _HAS_RULES.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = _HAS_RULES[id(schema)] = (schema, _contains_rules(schema))
    return cached[1]


def _contains_rules(node) -> bool:
    if isinstance(node, dict):
        return "x-kubernetes-validations" in node or any(_contains_rules(value) for value in node.values())
    if isinstance(node, list):
        return any(_contains_rules(value) for value in node)
    return False


_OBJECT_FIELDS = ("apiVersion", "kind", "metadata")  # kept at the root and in embedded resources


def prepared(value, schema, root: bool = True):
    """The value as the CEL rules see it on the API server (a copy where it differs).

    In the order apiextensions-apiserver applies them: unknown fields are
    pruned (``structuralpruning.Prune``), defaults fill missing fields and
    nulls in fields that are not ``nullable`` are replaced by their default or
    dropped (``structuraldefaulting.Default``); a ``number`` is a double even
    when written as an integer (``pkg/apiserver/schema/cel/model``). Fields
    with ``format: date-time`` or ``duration`` stay strings (cel-expr-python
    takes no timestamps inside dynamic values): a rule comparing them with
    ``timestamp()``/``duration()`` finds no overload and is reported as not
    checked.
    """
    if not isinstance(schema, dict):
        return value
    if isinstance(value, dict):
        return _prepared_object(value, schema, root)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [prepared(item, schema["items"], root=False) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and schema.get("type") == "number":
        return float(value)
    return value


def _prepared_object(value: dict, schema: dict, root: bool) -> dict:
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    extra = schema.get("additionalProperties")
    out = dict(value)
    prunes = properties and not isinstance(extra, dict) and extra is not True
    if prunes and schema.get("x-kubernetes-preserve-unknown-fields") is not True:
        kept = _OBJECT_FIELDS if root or schema.get("x-kubernetes-embedded-resource") else ()
        out = {key: item for key, item in out.items() if key in properties or key in kept}
    for name, sub in properties.items():
        if not isinstance(sub, dict):
            continue
        if out.get(name) is None and "default" in sub and not (name in out and sub.get("nullable")):
            out[name] = copy.deepcopy(sub["default"])
        elif name in out and out[name] is None and not sub.get("nullable"):
            del out[name]
    for name in out:
        sub = properties.get(name, extra if isinstance(extra, dict) else None)
        out[name] = prepared(out[name], sub, root=False)
    return out


def nodes(value, schema, parts=()) -> Iterator[tuple[tuple, object, Rule]]:
    """(path parts, value, rule) for every rule whose schema node the value has."""
    if not isinstance(schema, dict):
        return
    for rule in rules_of(schema):
        yield parts, value, rule
    if isinstance(value, dict):
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            sub = properties.get(name, extra if isinstance(extra, dict) else None)
            if sub is not None:
                yield from nodes(item, sub, (*parts, name))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for position, item in enumerate(value):
            yield from nodes(item, schema["items"], (*parts, position))


def compiled(rule: Rule) -> Program:
    """The rule's program; raises CelError (memoised by the engine)."""
    return compile_expression(rule.rule, VARIABLES)


def is_transition(rule: Rule) -> bool:
    """A rule that reads ``oldSelf`` and so runs only on updates (unless optionalOldSelf)."""
    try:
        return "oldSelf" in compiled(rule).identifiers
    except CelError:
        return "oldSelf" in rule.rule


def evaluate(rule: Rule, parts: tuple, value, cost_limit: int = DEFAULT_COST_LIMIT) -> Outcome | None:
    """The outcome of one rule at one node, or None when it holds (or only runs on updates)."""
    try:
        program = compiled(rule)
        if "oldSelf" in program.identifiers:
            return None
        result = program.evaluate({"self": value}, cost_limit)
    except CelUnsupported as err:
        return Outcome("unsupported", rule, parts, str(err))
    except CelCostExceeded as err:
        return Outcome("cost", rule, parts, str(err))
    except CelEvalError as err:
        if _NO_OVERLOAD in str(err):  # the API server types self from the schema, we do not: not a verdict
            detail = f"{err} (k8slint evaluates without the schema's types)"
            return Outcome("unsupported", rule, parts, detail)
        if UNSUPPORTED in str(err):
            return Outcome("unsupported", rule, parts, str(err))
        return Outcome("error", rule, parts, str(err))
    except CelError as err:  # does not compile: the API server refuses the CRD itself
        return Outcome("invalid", rule, parts, str(err))
    if result is True:
        return None
    if result is not False:
        return Outcome("error", rule, parts, f"the rule evaluated to {result!r}, not a bool")
    return Outcome("failed", rule, parts, _message(rule, value, cost_limit))


def _message(rule: Rule, value, cost_limit: int) -> str:
    """messageExpression's result when it evaluates to a one-line, non-empty string; else the rule's message."""
    if rule.message_expression:
        try:
            text = compile_expression(rule.message_expression, VARIABLES).evaluate({"self": value}, cost_limit)
        except CelError:
            text = None
        if isinstance(text, str) and text.strip() and "\n" not in text:
            return text
    return rule.default_message


def field_path_parts(field_path: str) -> tuple:
    """``.spec.foo['bar.baz']`` -> ``("spec", "foo", "bar.baz")`` (a rule's ``fieldPath``, relative to its node)."""
    parts = []
    rest = field_path.strip()
    while rest:
        if rest.startswith("."):
            name = rest[1:].split(".", 1)[0].split("[", 1)[0]
            parts.append(name)
            rest = rest[1 + len(name) :]
        elif rest.startswith("['") and "']" in rest:
            name, _, rest = rest[2:].partition("']")
            parts.append(name)
        elif rest.startswith("[") and "]" in rest:
            index, _, rest = rest[1:].partition("]")
            parts.append(int(index) if index.isdigit() else index)
        else:
            break
    return tuple(parts)
