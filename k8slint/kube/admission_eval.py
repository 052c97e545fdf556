"""A ValidatingAdmissionPolicy's CEL for one CREATE: matchConditions, variables, validations, messages.

As ``validating/validator.go`` (``Validate``) does it: every matchCondition must be true (a false one skips the
policy, else an error follows failurePolicy); a validation that is not true denies with its messageExpression
(a non-empty one-line string), else its message, else ``failed expression: EXPR``; an error follows
failurePolicy. Variables are evaluated in order and read as ``variables.NAME``.

What no file holds is not guessed: ``request.userInfo`` and ``authorizer`` (who sends the request), and
``namespaceObject`` when the namespace is not in the run, make an expression unevaluated, like a CEL feature
the engine does not support.
"""

from __future__ import annotations

import base64
import datetime
import re
from dataclasses import dataclass, field

from k8slint.kube.cel import CelCostExceeded, CelError, CelSyntaxError, CelUnsupported, compile_expression

ROOTS = ("object", "oldObject", "request", "params", "namespaceObject", "variables")
MAX_MESSAGE_BYTES = 5 * 1024  # celconfig.MaxEvaluatedMessageExpressionSizeBytes
UNKNOWN_NAMESPACE = object()  # namespaceObject of a namespace the run does not hold
_WHO = re.compile(r"\brequest\s*\.\s*userInfo\b|\bauthorizer\b")
_NAMESPACE_OBJECT = re.compile(r"\bnamespaceObject\b")
_VARIABLE = re.compile(r"\bvariables\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)")


@dataclass
class Expression:
    """One compiled expression, or why it cannot be evaluated offline."""

    text: str
    program: object = None
    problem: str | None = None  # why it is not evaluated (unsupported feature, who sends the request, syntax)
    syntax: bool = False  # the problem is that it does not compile: the API server refuses the policy
    uses: frozenset = frozenset()  # variables.NAME it reads
    namespace: bool = False  # reads namespaceObject (itself or through a variable)


def compile_one(text, variables: dict[str, Expression]) -> Expression:
    """``text`` compiled; problems of the variables it reads are its own."""
    if not isinstance(text, str) or not text.strip():
        return Expression(str(text or ""), problem="an empty expression")
    uses = frozenset(_VARIABLE.findall(text))
    expression = Expression(text, uses=uses, namespace=bool(_NAMESPACE_OBJECT.search(text)))
    for name in sorted(uses):
        used = variables.get(name)
        if used is not None:
            expression.namespace |= used.namespace
            if used.problem and not used.syntax:
                expression.problem = f"it reads variables.{name}, and {used.problem}"
    if _WHO.search(text):
        expression.problem = "it reads who sends the request (request.userInfo or authorizer), which no file holds"
    if expression.problem:
        return expression
    try:
        expression.program = compile_expression(text, ROOTS)
    except CelSyntaxError as exc:
        expression.problem, expression.syntax = f"it does not compile: {_first_line(exc)}", True
    except CelUnsupported as exc:
        expression.problem = f"it uses what k8slint's CEL engine does not support: {_first_line(exc)}"
    except Exception as exc:  # the engine's own failure must not end the run
        expression.problem = f"the CEL engine failed on it: {type(exc).__name__}: {_first_line(exc)}"
    return expression


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


@dataclass
class Validation:
    index: int
    expression: Expression
    message: str
    message_expression: Expression | None
    reason: str


@dataclass
class CompiledPolicy:
    conditions: list[tuple[str, Expression]] = field(default_factory=list)
    variables: dict[str, Expression] = field(default_factory=dict)
    validations: list[Validation] = field(default_factory=list)

    def expressions(self):
        """(where in the policy, expression) of everything it compiled."""
        for index, (_, expression) in enumerate(self.conditions):
            yield f"spec.matchConditions[{index}].expression", expression
        for index, expression in enumerate(self.variables.values()):
            yield f"spec.variables[{index}].expression", expression
        for validation in self.validations:
            yield f"spec.validations[{validation.index}].expression", validation.expression


def compile_policy(spec: dict) -> CompiledPolicy:
    compiled = CompiledPolicy()
    for item in _items(spec, "variables"):
        if isinstance(item.get("name"), str):
            compiled.variables[item["name"]] = compile_one(item.get("expression"), compiled.variables)
    for item in _items(spec, "matchConditions"):
        compiled.conditions.append(
            (str(item.get("name") or ""), compile_one(item.get("expression"), compiled.variables))
        )
    validations = spec.get("validations")
    for index, item in enumerate(validations if isinstance(validations, list) else []):
        if not isinstance(item, dict):
            continue
        message_expression = item.get("messageExpression")
        compiled.validations.append(
            Validation(
                index,
                compile_one(item.get("expression"), compiled.variables),
                item.get("message") if isinstance(item.get("message"), str) else "",
                compile_one(message_expression, compiled.variables) if message_expression else None,
                item.get("reason") if isinstance(item.get("reason"), str) else "Invalid",
            )
        )
    return compiled


def _items(spec: dict, key: str) -> list[dict]:
    items = spec.get(key)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


@dataclass
class Outcome:
    """What one validation (``index``; -1 for the matchConditions) decided, when not admitted.

    ``status``: ``deny`` (false: ``message``), ``error`` (a runtime error; failurePolicy decides), ``cost``
    (its cost bound passes the limit: not run, and the bound is an upper one), ``unevaluated`` (``message``
    says why).
    """

    status: str
    index: int
    message: str
    reason: str = "Invalid"


def evaluate(compiled: CompiledPolicy, activation: dict) -> list[Outcome]:
    """The outcomes of the policy for one request and param (``activation``: ROOTS but ``variables``)."""
    known_namespace = activation.get("namespaceObject") is not UNKNOWN_NAMESPACE
    activation = {**activation, "namespaceObject": activation["namespaceObject"] if known_namespace else None}
    gate = _conditions(compiled, activation, known_namespace)
    if gate is not True:
        return gate or []
    values, failures = {}, {}
    activation["variables"] = values
    for name, expression in compiled.variables.items():
        if expression.problem or (expression.namespace and not known_namespace):
            continue
        result = _run(expression, activation)
        if isinstance(result, Outcome):
            failures[name] = result
        else:
            values[name] = result
    outcomes = []
    for validation in compiled.validations:
        expression = validation.expression
        problem = expression.problem or (
            "it reads namespaceObject, and the object's namespace is not in the run"
            if expression.namespace and not known_namespace
            else None
        )
        if problem:
            outcomes.append(Outcome("unevaluated", validation.index, problem))
            continue
        failed = next((failures[name] for name in sorted(expression.uses) if name in failures), None)
        result = failed or _run(expression, activation)
        if isinstance(result, Outcome):
            outcomes.append(Outcome(result.status, validation.index, result.message))
        elif result is not True:
            outcomes.append(Outcome("deny", validation.index, _message(validation, activation), validation.reason))
    return outcomes


def _conditions(compiled: CompiledPolicy, activation: dict, known_namespace: bool):
    """True when every matchCondition holds; [] when one is false; else the outcome that stands for them."""
    trouble = None
    for name, expression in compiled.conditions:
        if expression.problem or (expression.namespace and not known_namespace):
            why = expression.problem or "it reads namespaceObject, and the object's namespace is not in the run"
            trouble = trouble or Outcome("unevaluated", -1, f"matchCondition {name!r}: {why}")
            continue
        result = _run(expression, activation)
        if isinstance(result, Outcome):
            trouble = trouble or Outcome(result.status, -1, f"matchCondition {name!r}: {result.message}")
        elif result is False:
            return []  # a false condition skips the policy, whatever the others do
    return [trouble] if trouble else True


def _run(expression: Expression, activation: dict):
    """The expression's value, or an Outcome for an error or a spent budget."""
    program = expression.program
    used = {
        name: value for name, value in activation.items() if name in program.identifiers
    }  # the cost bound reads all
    try:
        return program.evaluate(used)
    except CelCostExceeded as exc:
        return Outcome("cost", 0, f"its cost bound passes the API server's per-call limit ({_first_line(exc)})")
    except CelError as exc:
        return Outcome("error", 0, f"expression '{expression.text.strip()}' resulted in error: {_first_line(exc)}")
    except Exception as exc:  # the engine's own failure: said once, never reported as the API server's answer
        return Outcome("unevaluated", 0, f"the CEL engine failed on it: {type(exc).__name__}: {_first_line(exc)}")


def _message(validation: Validation, activation: dict) -> str:
    message = ""
    expression = validation.message_expression
    if expression is not None and expression.program is not None:
        value = _run(expression, activation)
        if isinstance(value, str):
            message = value.strip()
            if len(message.encode()) > MAX_MESSAGE_BYTES or "\n" in message:
                message = ""
    if not message and validation.message:
        message = validation.message.strip()
    return message or f"failed expression: {validation.expression.text.strip()}"


def plain(value):
    """YAML data as the JSON the API server sees: timestamps as RFC 3339 text, binary as base64, string keys."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return f"{value.isoformat()}T00:00:00Z"
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value
