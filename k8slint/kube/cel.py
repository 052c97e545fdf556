"""TEMPORARY STUB of the cel helper's engine API (removed before landing; the real module comes from main)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

DEFAULT_COST_LIMIT = 1_000_000


class CelError(Exception):
    pass


class CelSyntaxError(CelError):
    pass


class CelUnsupported(CelError):
    pass


class CelCostExceeded(CelError):
    pass


class CelEvalError(CelError):
    pass


class Program:
    def __init__(self, program):
        self._program = program

    def evaluate(self, activation: Mapping[str, object], cost_limit: int = DEFAULT_COST_LIMIT) -> object:
        if "costly" in self._program.source if hasattr(self._program, "source") else False:
            raise CelCostExceeded("cost limit exceeded")
        try:
            return self._program.execute(dict(activation))
        except Exception as exc:
            raise CelEvalError(str(exc)) from None


def compile_expression(expression: str, variables: Iterable[str]) -> Program:
    import cel

    if "unsupportedFn(" in expression:
        raise CelUnsupported("function unsupportedFn is not supported")
    try:
        return Program(cel.compile(expression))
    except Exception as exc:
        raise CelSyntaxError(str(exc)) from None
