"""CEL expressions as the Kubernetes API server evaluates them, offline.

The engine is cel-expr-python (the Python binding of cel-cpp, Google's CEL
implementation; chosen by measurement, see pyproject.toml) with the optional
syntax (``self.?field.orValue(x)``) and the Kubernetes libraries of
k8slint.kube.cel_library. ``compile_expression`` type-checks with every
variable dynamic, as the API server does for a schemaless value; compiled
programs are memoised. ``Program.evaluate`` takes plain YAML values and
returns plain values.

Cost: the API server stops a rule whose runtime cost passes
``celconfig.PerCallLimit`` (k8s.io/apiserver/pkg/apis/cel/config.go), 1,000,000
for CRD rules and admission policies. cel-cpp has no cost tracker, so we
bound the cost before evaluating (k8slint.kube.cel_ast.cost_bound) and
refuse to run an expression whose bound passes the limit: a pathological
expression never runs, let alone hangs.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from k8slint.kube import cel_ast

DEFAULT_COST_LIMIT = 1_000_000  # celconfig.PerCallLimit
RUNTIME_COST_BUDGET = 10_000_000  # celconfig.RuntimeCELCostBudget: all rules of one object together


class CelError(Exception):
    """A CEL expression that could not be compiled or evaluated."""


class CelSyntaxError(CelError):
    """The expression does not compile (bad syntax, an unknown variable)."""


class CelUnsupported(CelError):
    """The expression uses a function or feature k8slint does not implement; the message names it."""


class CelCostExceeded(CelError):
    """The expression would pass the cost limit; it was not run to the end."""


class CelEvalError(CelError):
    """A runtime error: no such key, no matching overload, division by zero, a library function's refusal."""


def available() -> bool:
    """Whether the CEL engine is installed (cel-expr-python has wheels for Python 3.11 and later)."""
    try:
        import cel_expr_python  # noqa: F401
    except ImportError:
        return False
    return True


class Program:
    """A compiled expression; evaluate it against many activations."""

    def __init__(self, expression: str, compiled, tree: cel_ast.Node):
        self.expression = expression
        self._compiled = compiled
        self._tree = tree
        self._literal = _longest_literal(tree)
        self.functions = frozenset(cel_ast.functions(tree))
        self.identifiers = frozenset(cel_ast.identifiers(tree))

    def cost(self, activation: Mapping[str, object]) -> int:
        """The cost bound of evaluating against ``activation`` (see k8slint.kube.cel_ast.cost_bound)."""
        from k8slint.kube.cel_library import PRICED

        size = max(self._literal, max((_longest(value) for value in activation.values()), default=0))
        return cel_ast.cost_bound(self._tree, size, PRICED)

    def evaluate(self, activation: Mapping[str, object], cost_limit: int = DEFAULT_COST_LIMIT) -> object:
        cost = self.cost(activation)
        if cost > cost_limit:
            raise CelCostExceeded(f"estimated cost {cost:,} exceeds the limit of {cost_limit:,}")
        data = {name: _to_cel(value) for name, value in activation.items()}
        try:
            result = self._compiled.eval(data=data)
        except (RuntimeError, TypeError, ValueError, OverflowError) as err:
            raise CelEvalError(_clean(str(err))) from None
        if result.type() == _types().ERROR:
            raise CelEvalError(_clean(str(result.plain_value())))
        return result.plain_value()


def compile_expression(expression: str, variables: Iterable[str]) -> Program:
    """Compile ``expression`` with the given variables (all dynamic); raises CelSyntaxError or CelUnsupported."""
    return _compile(expression, tuple(sorted(set(variables))))


@lru_cache(maxsize=4096)
def _compile(expression: str, variables: tuple[str, ...]) -> Program:
    if not isinstance(expression, str):
        raise CelSyntaxError(f"an expression must be a string, not {type(expression).__name__}")
    environment = _environment(variables)
    try:
        compiled = environment.compile(expression)
    except RuntimeError as err:
        if not _MIXED_NUMBERS.search(str(err)):
            raise _compile_error(str(err), expression) from None
        # cel-go as Kubernetes configures it compares int, uint and double with each other
        # (CrossTypeNumericComparisons); cel-cpp's checker does not, its runtime does
        try:
            compiled = environment.compile(expression, disable_check=True)
        except RuntimeError as again:
            raise _compile_error(str(again), expression) from None
    return Program(expression, compiled, cel_ast.parse_serialized(compiled.serialize()))


_MIXED_NUMBERS = re.compile(
    r"no matching overload for '_[<>=!]+_' applied to '\((int|uint|double), (int|uint|double)\)'"
)
_UNDECLARED = re.compile(r"undeclared reference to '([^']+)'")
_NO_OVERLOAD = re.compile(r"found no matching overload for '([^']+)'")


def _compile_error(message: str, expression: str) -> CelError:
    text = _clean(message)
    undeclared = _UNDECLARED.search(message)
    if undeclared:
        name = undeclared.group(1)
        call = re.search(rf"\b{re.escape(name)}((?:\s*\.\s*\w+)*)\s*\(", expression)
        if call:  # a function (or a library namespace such as format.…), not a variable
            called = name + re.sub(r"\s+", "", call.group(1))
            return CelUnsupported(f"function {called}() is not supported by k8slint")
        return CelSyntaxError(text)
    overload = _NO_OVERLOAD.search(message)
    if overload:
        return CelUnsupported(f"function {overload.group(1)}() with these argument types is not supported by k8slint")
    return CelSyntaxError(text)


def _clean(message: str) -> str:
    """cel-cpp's message without the status code prefix and the source excerpt."""
    text = re.sub(r"^[A-Z_]+: ", "", message.strip())
    text = re.sub(r"^ERROR: <input>:", "", text)
    text = re.sub(r" \[[A-Z_]+\]$", "", text)
    return text.split("\n", 1)[0].strip()


@lru_cache(maxsize=1)
def _types():
    from cel_expr_python import cel

    return cel.Type


@lru_cache(maxsize=16)
def _environment(variables: tuple[str, ...]):
    from cel_expr_python import cel
    from cel_expr_python.ext import ext_optional

    from k8slint.kube.cel_library import OVERLOADS

    kinds = {
        "string": cel.Type.STRING,
        "int": cel.Type.INT,
        "double": cel.Type.DOUBLE,
        "bool": cel.Type.BOOL,
        "dyn": cel.Type.DYN,
        "list": cel.Type.List(cel.Type.DYN),
        "map": cel.Type.Map(cel.Type.STRING, cel.Type.DYN),
        "obj": cel.Type.Map(cel.Type.STRING, cel.Type.DYN),
    }
    by_name = {}
    for name, overload_id, params, result, impl, member in OVERLOADS:
        overload = cel.Overload(
            overload_id, kinds[result], [kinds[param] for param in params], is_member=member, impl=_guarded(impl)
        )
        by_name.setdefault(name, []).append(overload)
    declarations = [cel.FunctionDecl(name, overloads) for name, overloads in by_name.items()]
    return cel.NewEnv(
        variables=dict.fromkeys(variables, cel.Type.DYN),
        extensions=[ext_optional.ExtOptional()],
        functions=declarations,
    )


def _guarded(impl):
    """The implementation with every Python failure turned into an error cel-cpp reports as a CEL error."""

    def call(*args):
        try:
            return impl(*args)
        except (ValueError, TypeError, IndexError, KeyError, ArithmeticError) as err:
            raise ValueError(str(err) or type(err).__name__) from None

    return call


def _to_cel(value):
    """A YAML value as CEL data: timestamps YAML resolved become the strings the API server sees."""
    if isinstance(value, dict):
        return {str(key) if not isinstance(key, str) else key: _to_cel(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_to_cel(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()  # what YAML made of a string the API server receives as it is
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        return float(value)
    return value


def _longest(value) -> int:
    """The length of the longest string, list or map in a value."""
    if isinstance(value, dict):
        return max(len(value), max((_longest(item) for item in value.values()), default=0))
    if isinstance(value, list):
        return max(len(value), max((_longest(item) for item in value), default=0))
    if isinstance(value, str):
        return len(value)
    return 0


def _longest_literal(node: cel_ast.Node) -> int:
    own = len(node.children) if node.kind == "list" else 0
    return max(own, max((_longest_literal(child) for child in node.children + node.loop), default=0))
