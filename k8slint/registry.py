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
    """Every rule, by id, with its (lazily imported) check bound.

    Parsed once and kept in the cache (``cachedir.remembered``), keyed by the
    bytes of every rule file and of this module: a start-up reads them, it does
    not parse them.
    """
    from k8slint import cachedir

    paths = sorted(rules_dir().glob("*.yaml"))
    return cachedir.remembered("rules", lambda: _catalogue_key(paths), lambda: _parse(paths))


def _parse(paths: list[Path]) -> dict[str, Rule]:
    return {path.stem: _rule(path) for path in paths}


def _catalogue_key(paths: list[Path]) -> str:
    from k8slint import cachedir

    return "catalogue-" + cachedir.digest(files=[Path(__file__), *paths])


_LAST_CONTEXT: list = []  # [settings, its Context]: the settings a process lints with, and their context


class Context:
    """What a check may know besides the object: settings, its options, the API catalog of one target version.

    A run may target several Kubernetes versions; a context stands for one of
    them (``version``). In such a run it notes what the check asked that
    depends on the version: the version itself (``read_number``) or the
    catalog (``asked``: each question and its answer), so the engine runs a
    check again for another version only when that version answers differently.
    """

    def __init__(self, settings, rule: Rule | None = None, version: str | None = None):
        self.settings = settings
        self.rule = rule
        self.versions = settings.kubernetes_versions()
        self.version = version or self.versions[0]
        self.read_number = False
        self.asked: list[tuple] = []
        self.options: dict[str, Any] = {}
        self._per_rule: dict[tuple[str, str], Context] = {}
        self._known_catalog: tuple = (None, None)  # (version, its catalog), looked up once per context

    @classmethod
    def of(cls, settings) -> Context:
        """The context of ``settings``, made once for the run (file after file), not once per file."""
        if _LAST_CONTEXT and _LAST_CONTEXT[0] is settings:
            return _LAST_CONTEXT[1]
        _LAST_CONTEXT[:] = [settings, cls(settings)]
        return _LAST_CONTEXT[1]

    def for_rule(self, rule: Rule, version: str | None = None) -> Context:
        """This context for ``rule`` (at ``version``): ``options`` holds every option, configured or at its default."""
        key = (rule.id, version or self.version)
        ctx = self._per_rule.get(key)
        if ctx is None:
            ctx = Context.__new__(Context)
            ctx.__dict__.update(self.__dict__)
            ctx.rule = rule
            ctx.version = key[1]
            ctx.options = {**rule.defaults, **self.settings.rules.get(rule.id, {})}
            self._per_rule[key] = ctx
        ctx.read_number, ctx.asked = False, []
        return ctx

    @property
    def read_version(self) -> bool:
        """Whether the check asked anything that depends on the target version."""
        return self.read_number or bool(self.asked)

    def answers_alike(self, other: Context) -> bool:
        """Whether ``other``'s version answers every catalog question this context's check asked the same way."""
        if self.read_number:
            return False
        questions = tuple((name, args, tuple(sorted((kwargs or {}).items()))) for name, args, kwargs, _ in self.asked)
        settings = self.settings
        key = (self.version, other.version, settings.api_resources, tuple(settings.crds), questions)
        try:  # objects ask the same few questions: remember the verdicts (per process)
            known = _ALIKE.get(key)
        except TypeError:  # an unhashable question
            return self._replay(other)
        if known is None:
            if len(_ALIKE) > 100_000:
                _ALIKE.clear()
            known = _ALIKE[key] = self._replay(other)
        return known

    def _replay(self, other: Context) -> bool:
        catalog = other._catalog()
        for name, args, kwargs, answer in self.asked:
            value = getattr(other, name) if name == "version_at_least" else getattr(catalog, name)
            if (value if args is None else value(*args, **kwargs)) != answer:
                return False
        return True

    def version_at_least(self, release: tuple[int, int]) -> bool:
        """Whether the target version is ``release`` or later (a question another version can answer alike)."""
        from k8slint.kube.apis import parse_kubernetes_version

        answer = parse_kubernetes_version(self.version) >= release
        if len(self.versions) > 1:
            self.asked.append(("version_at_least", (release,), {}, answer))
        return answer

    @property
    def kubernetes_version(self) -> tuple[int, int]:
        from k8slint.kube.apis import parse_kubernetes_version

        self.read_number = True
        return parse_kubernetes_version(self.version)

    @property
    def catalog(self):
        """The API catalog of the target version (built once per process by ``apis.catalog_for``)."""
        catalog = self._catalog()
        return catalog if len(self.versions) == 1 else _Asked(catalog, self.asked)

    def _catalog(self):
        version, catalog = self._known_catalog
        if version != self.version:
            from k8slint.kube import apis

            catalog = apis.catalog_for(self.version, self.settings.api_resources, tuple(self.settings.crds))
            self._known_catalog = (self.version, catalog)
        return catalog


# (version, other version, api-resources file, CRD paths, questions) -> whether both versions answer alike
_ALIKE: dict[tuple, bool] = {}


class _Asked:
    """A catalog that notes each question put to it and the answer (``(name, args or None, kwargs, answer)``)."""

    def __init__(self, catalog, asked: list):
        self._catalog = catalog
        self._asked = asked

    def __getattr__(self, name):
        value = getattr(self._catalog, name)
        if not callable(value):
            self._asked.append((name, None, None, value))
            return value

        def ask(*args, **kwargs):
            answer = value(*args, **kwargs)
            self._asked.append((name, args, kwargs, answer))
            return answer

        return ask
