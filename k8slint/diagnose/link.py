"""Tie a diagnosis to the manifests that caused it (``diagnose --manifests``).

The findings are real lint findings of the entry's ``related_rules``, kept
only when they mention the values named in ``lint_match`` (the quota's
containers, the kind, ...). Facts of the paste become rule options where a rule
has one: the resources a quota asked for are what ``resources-missing``
requires, so the rejected containers are found even when the quota itself is
not among the manifests.

The lint engine is imported here, inside the function, and nowhere else in
the diagnose package.
"""

from __future__ import annotations

import re


class LinkError(Exception):
    """The manifests could not be linted (missing path, bad config)."""


def _values(value) -> list[str]:
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if str(v)]
    return [str(value)] if value not in (None, "") else []


def _mentions(finding, values: list[str]) -> bool:
    text = f"{finding.message} {finding.object or ''} {finding.path or ''}"
    return any(re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text) for v in values)


def _relevant(finding, diag) -> bool:
    if finding.rule not in diag.entry.related_rules or finding.suppressed:
        return False
    for fact in diag.entry.lint_match:
        values = _values(diag.facts.get(fact))
        if values and not _mentions(finding, values):
            return False
    return True


def attach_findings(diagnoses: list, paths: list[str]) -> None:
    """Lint ``paths`` and give every diagnosis the findings that explain it."""
    from k8slint.config import ConfigError, Settings
    from k8slint.engine import lint_paths
    from k8slint.registry import all_rules

    known = all_rules()
    wanted = sorted({rule for d in diagnoses for rule in d.entry.related_rules if rule in known})
    settings = Settings(select=wanted or ["all"], rules=_options_from_facts(diagnoses))
    try:
        result = lint_paths(paths, settings)
    except ConfigError as exc:
        raise LinkError(f"--manifests: {exc}") from None
    if result.missing:
        raise LinkError(f"--manifests: no such file or directory: {', '.join(result.missing)}")
    for diag in diagnoses:
        found = [f for f in result.findings if wanted and _relevant(f, diag)]
        found.sort(key=lambda f: (f.file, f.line, f.column))
        diag.findings = found


def _options_from_facts(diagnoses: list) -> dict[str, dict]:
    """Rule options the paste decides: the resources a quota demanded are the ones ``resources-missing`` asks for."""
    required = sorted(
        {
            item if "." in item else f"{section}.{item}"
            for diag in diagnoses
            for item in _values(diag.facts.get("missing_resources"))
            for section in (("requests", "limits") if "." not in item else ("",))
        }
    )
    return {"resources-missing": {"required": required}} if required else {}
