"""The rule registry: rule data from ``rules/*.yaml`` bound to the checks in ``k8slint/checks``."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Callable

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


_FIELDS = {"id", "severity", "category", "summary", "rationale", "fix", "applies-to", "fixable", "options", "default", "examples"}


@cache
def all_rules() -> dict[str, Rule]:
    """Every rule, by id, with its check bound."""
    import k8slint.checks as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    rules = {}
    for path in sorted(rules_dir().glob("*.yaml")):
        data = yamlio.load_data(path.read_text(encoding="utf-8"))
        unknown = set(data) - _FIELDS
        if unknown or data.get("id") != path.stem:
            raise RuleDataError(f"{path}: id must match the file name; unknown fields {sorted(unknown)}")
        scope, check = _CHECKS.get(path.stem, ("engine", None))
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
            check=check,
        )
    orphans = set(_CHECKS) - set(rules)
    if orphans:
        raise RuleDataError(f"checks without a rule file: {sorted(orphans)}")
    return rules


class Context:
    """What a check may know besides the object: settings, its options, the API catalog."""

    def __init__(self, settings, rule: Rule | None = None):
        self.settings = settings
        self.rule = rule
        self.options: dict[str, Any] = {}
        self._shared: dict[str, Any] = {}

    def for_rule(self, rule: Rule) -> "Context":
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
        """The API catalog of the target version, loaded once per run on first use."""
        if "catalog" not in self._shared:
            from k8slint import apis

            self._shared["catalog"] = apis.catalog_for(
                self.settings.kubernetes_version, self.settings.api_resources, tuple(self.settings.crds)
            )
        return self._shared["catalog"]
