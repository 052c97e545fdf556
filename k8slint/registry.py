"""The rule registry: rule data from ``rules/*.yaml`` bound to the checks in ``k8slint/checks``."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from k8slint import yamlio
from k8slint.paths import rules_dir

SCOPES = ("object", "index", "compose", "engine")
_CHECKS: dict[str, tuple[str, Callable]] = {}


def rule(rule_id: str, scope: str = "object"):
    """Register ``fn`` as the check of ``rule_id`` (see ``Rule.scope`` for the signatures)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def register(fn):
        if rule_id in _CHECKS:
            raise ValueError(f"rule {rule_id!r} has two checks")
        _CHECKS[rule_id] = (scope, fn)
        return fn

    return register


@dataclass
class Rule:
    """A rule's metadata and its check.

    Scopes: ``object`` checks get ``(obj, ctx)`` and yield Hits; ``index``
    checks get ``(index, ctx)`` and yield ``(obj, Hit)``; ``compose`` checks get
    ``(project, ctx)`` and yield Hits; ``engine`` rules are reported by the
    engine itself (YAML syntax, unreadable files, suppressions).
    """

    id: str
    severity: str
    category: str
    summary: str
    rationale: str = ""
    fix: str = ""
    applies_to: frozenset = frozenset({"any"})
    fixable: str = "none"
    options: dict = field(default_factory=dict)
    default: bool = True
    examples: dict = field(default_factory=dict)
    scope: str = "engine"
    check: Callable | None = None

    def applies(self, kind: str) -> bool:
        return "any" in self.applies_to or kind in self.applies_to


class RuleDataError(Exception):
    """A rule file that is malformed: a bug in k8slint's own data."""


_FIELDS = {
    "id",
    "severity",
    "category",
    "summary",
    "rationale",
    "fix",
    "applies-to",
    "fixable",
    "options",
    "default",
    "examples",
}


class LazyCheck:
    """A rule's check function, imported with its module on the first call.

    A run imports only the check modules it uses: linting one Deployment does
    not load the Compose machinery, nor a Compose file the Kubernetes schemas.
    """

    def __init__(self, rule_id: str, module: str):
        self.rule_id = rule_id
        self.__module__ = module
        self._fn: Callable | None = None

    def load(self) -> Callable:
        if self._fn is None:
            importlib.import_module(self.__module__)
            self._fn = _CHECKS[self.rule_id][1]
        return self._fn

    def __call__(self, *args):
        return (self._fn or self.load())(*args)


_DECORATOR = re.compile(r'^@rule\(\s*"([^"]+)"\s*(?:,\s*scope\s*=\s*"(\w+)"\s*)?\)', re.MULTILINE)


def declared_checks() -> dict[str, tuple[str, str]]:
    """Rule id -> (check module, scope), read from the ``@rule(...)`` lines of ``k8slint/checks`` without importing it.

    A module whose source cannot be read (a frozen install) is imported instead.
    """
    import k8slint.checks as package

    declared = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = f"{package.__name__}.{info.name}"
        try:
            source = (Path(info.module_finder.path) / f"{info.name}.py").read_text(encoding="utf-8")
        except (OSError, AttributeError):
            importlib.import_module(module)
            declared.update(
                {rid: (fn.__module__, scope) for rid, (scope, fn) in _CHECKS.items() if fn.__module__ == module}
            )
            continue
        declared.update({rid: (module, scope or "object") for rid, scope in _DECORATOR.findall(source)})
    return declared


@cache
def all_rules() -> dict[str, Rule]:
    """Every rule, by id, with its (lazily imported) check bound."""
    checks = declared_checks()
    rules = {}
    for path in sorted(rules_dir().glob("*.yaml")):
        data = yamlio.load_data(path.read_text(encoding="utf-8"))
        unknown = set(data) - _FIELDS
        if unknown or data.get("id") != path.stem:
            raise RuleDataError(f"{path}: id must match the file name; unknown fields {sorted(unknown)}")
        module, scope = checks.get(path.stem, (None, "engine"))
        rules[path.stem] = Rule(
            id=data["id"],
            severity=data["severity"],
            category=data["category"],
            summary=data["summary"].strip(),
            rationale=(data.get("rationale") or "").strip(),
            fix=(data.get("fix") or "").strip(),
            applies_to=frozenset(data.get("applies-to") or ["any"]),
            fixable=data.get("fixable", "none"),
            options=data.get("options") or {},
            default=data.get("default", True),
            examples=data.get("examples") or {},
            scope=scope,
            check=LazyCheck(path.stem, module) if module else None,
        )
    orphans = set(checks) - set(rules)
    if orphans:
        raise RuleDataError(f"checks without a rule file: {sorted(orphans)}")
    return rules


class Context:
    """What a check may know besides the object: settings, its options, the API catalog."""

    def __init__(self, settings, rule: Rule | None = None):
        self.settings = settings
        self.rule = rule
        self.options: dict[str, Any] = {}

    def for_rule(self, rule: Rule) -> Context:
        ctx = Context.__new__(Context)
        ctx.__dict__.update(self.__dict__)
        ctx.rule = rule
        ctx.options = {**rule.options, **self.settings.rules.get(rule.id, {})}
        return ctx

    @property
    def kubernetes_version(self) -> tuple[int, int]:
        return self.settings.kubernetes_version_tuple

    @property
    def catalog(self):
        """The API catalog of the target version (built once per process by ``apis.catalog_for``)."""
        from k8slint import apis

        return apis.catalog_for(
            self.settings.kubernetes_version, self.settings.api_resources, tuple(self.settings.crds)
        )
