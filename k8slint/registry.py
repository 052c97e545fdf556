"""The rule registry: rule data from ``rules/*.yaml`` bound to the checks in ``k8slint/checks``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from k8slint import yamlio
from k8slint.access import integer
from k8slint.errors import RuleDataError
from k8slint.paths import rules_dir

SCOPES = ("object", "index", "compose", "engine")
OPTION_TYPES = ("str", "int", "bool", "list[str]")


@dataclass(frozen=True)
class Option:
    """A rule option: its type, its one default and, for strings, the allowed values."""

    name: str
    type: str
    default: Any
    choices: tuple[str, ...] = ()

    def problem(self, value) -> str | None:
        """Why ``value`` does not fit this option (a sentence fragment), or None."""
        if self.type == "list[str]":
            if isinstance(value, str):
                return f"must be a list of strings, not the string {value!r} (write [{value}])"
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                return "must be a list of strings"
            return None
        if self.type == "bool":
            return None if isinstance(value, bool) else "must be true or false"
        if self.type == "int":
            return None if integer(value) is not None else "must be a whole number"
        if not isinstance(value, str):
            return "must be a string"
        if self.choices and value not in self.choices:
            return f"must be one of {', '.join(self.choices)}, not {value!r}"
        return None


@dataclass
class Rule:
    """A rule's metadata and its check.

    Scopes (the check signatures are ``k8slint.checks.types``): ``object``
    checks get ``(obj, ctx)``, ``index`` checks ``(index, ctx)``, ``compose``
    checks ``(project, ctx)``; all yield Hits. ``engine`` rules are reported by
    the engine itself (YAML syntax, unreadable files, suppressions, internal errors).
    """

    id: str
    severity: str
    category: str
    summary: str
    rationale: str = ""
    help: str = ""
    applies_to: frozenset = frozenset({"any"})
    fixable: str = "none"
    options: dict[str, Option] = field(default_factory=dict)
    default: bool = True
    examples: dict = field(default_factory=dict)
    scope: str = "engine"
    check: LazyCheck | None = None

    def applies(self, kind: str) -> bool:
        return "any" in self.applies_to or kind in self.applies_to

    @property
    def defaults(self) -> dict[str, Any]:
        """Every option at its default value."""
        return {name: option.default for name, option in self.options.items()}


_FIELDS = {
    "id",
    "severity",
    "category",
    "check",
    "scope",
    "summary",
    "rationale",
    "help",
    "applies-to",
    "fixable",
    "options",
    "default",
    "examples",
}


class LazyCheck:
    """A rule's check function named ``module:function``, imported with its module on the first call.

    A run imports only the check modules it uses: linting one Deployment does
    not load the Compose machinery, nor a Compose file the Kubernetes schemas.
    """

    def __init__(self, rule_id: str, target: str):
        module, _, name = target.partition(":")
        if not module or not name.isidentifier():
            raise RuleDataError(f"rule {rule_id}: check must be 'module:function', not {target!r}")
        self.rule_id = rule_id
        self.__module__ = module
        self.__name__ = name
        self._fn: Callable | None = None

    def load(self) -> Callable:
        if self._fn is None:
            try:
                fn = getattr(importlib.import_module(self.__module__), self.__name__, None)
            except ImportError as exc:
                raise RuleDataError(
                    f"rule {self.rule_id}: cannot import check module {self.__module__}: {exc}"
                ) from None
            if not callable(fn):
                raise RuleDataError(f"rule {self.rule_id}: {self.__module__} has no check function {self.__name__}")
            self._fn = fn
        return self._fn

    def __call__(self, *args):
        return (self._fn or self.load())(*args)


def _options(path: Path, data) -> dict[str, Option]:
    options = {}
    for name, spec in (data or {}).items():
        if not isinstance(spec, dict) or spec.get("type") not in OPTION_TYPES or "default" not in spec:
            raise RuleDataError(f"{path}: option {name} needs a type (one of {', '.join(OPTION_TYPES)}) and a default")
        option = Option(name, spec["type"], spec["default"], tuple(spec.get("choices") or ()))
        if option.problem(option.default):
            raise RuleDataError(f"{path}: option {name}: the default {option.problem(option.default)}")
        options[name] = option
    return options


def _rule(path: Path) -> Rule:
    data = yamlio.load_data(path.read_text(encoding="utf-8"))
    unknown = set(data) - _FIELDS
    if unknown or data.get("id") != path.stem:
        raise RuleDataError(f"{path}: id must match the file name; unknown fields {sorted(unknown)}")
    scope = data.get("scope")
    if scope not in SCOPES or (scope == "engine") == ("check" in data):
        raise RuleDataError(f"{path}: scope must be one of {', '.join(SCOPES)}, and only engine rules have no check")
    return Rule(
        id=data["id"],
        severity=data["severity"],
        category=data["category"],
        summary=data["summary"].strip(),
        rationale=(data.get("rationale") or "").strip(),
        help=(data.get("help") or "").strip(),
        applies_to=frozenset(data.get("applies-to") or ["any"]),
        fixable=data.get("fixable", "none"),
        options=_options(path, data.get("options")),
        default=data.get("default", True),
        examples=data.get("examples") or {},
        scope=scope,
        check=LazyCheck(path.stem, data["check"]) if "check" in data else None,
    )


@cache
def all_rules() -> dict[str, Rule]:
    """Every rule, by id, with its (lazily imported) check bound."""
    return {path.stem: _rule(path) for path in sorted(rules_dir().glob("*.yaml"))}


class Context:
    """What a check may know besides the object: settings, its options, the API catalog."""

    def __init__(self, settings, rule: Rule | None = None):
        self.settings = settings
        self.rule = rule
        self.options: dict[str, Any] = {}
        self._per_rule: dict[str, Context] = {}

    def for_rule(self, rule: Rule) -> Context:
        """This context for ``rule``: ``options`` holds every option, configured or at its default."""
        ctx = self._per_rule.get(rule.id)
        if ctx is None:
            ctx = Context.__new__(Context)
            ctx.__dict__.update(self.__dict__)
            ctx.rule = rule
            ctx.options = {**rule.defaults, **self.settings.rules.get(rule.id, {})}
            self._per_rule[rule.id] = ctx
        return ctx

    @property
    def kubernetes_version(self) -> tuple[int, int]:
        from k8slint.kube.apis import parse_kubernetes_version

        return parse_kubernetes_version(self.settings.kubernetes_version)

    @property
    def catalog(self):
        """The API catalog of the target version (built once per process by ``apis.catalog_for``)."""
        from k8slint.kube import apis

        return apis.catalog_for(
            self.settings.kubernetes_version, self.settings.api_resources, tuple(self.settings.crds)
        )
