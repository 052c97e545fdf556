"""The filter stage, between the rules and the reporters: which findings a run reports, and how.

In order: the rules the config selects (``select``/``ignore``), its severity
overrides, the ``k8slint.io/ignore`` annotation, ``# k8slint: disable=…``
comments (and unused ones reported), then, when asked for, a baseline.
``internal-error`` findings (a check that crashed) pass every filter but the baseline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from k8slint import suppress
from k8slint.config import Settings
from k8slint.findings import Finding
from k8slint.registry import Rule, all_rules

INTERNAL_ERROR = "internal-error"


def enabled_rules(settings: Settings) -> dict[str, Rule]:
    """The rules this run reports: ``select`` (ids or categories; default: every default rule) minus ``ignore``."""
    rules = all_rules()

    def matches(rule: Rule, names) -> bool:
        return "all" in names or rule.id in names or rule.category in names

    chosen = {
        rid: rule
        for rid, rule in rules.items()
        if (matches(rule, settings.select) if settings.select else rule.default)
    }
    return {rid: rule for rid, rule in chosen.items() if not matches(rule, settings.ignore)}


def apply(
    findings: list[Finding],
    rules: dict[str, Rule],
    settings: Settings,
    suppressions: dict[str, suppress.Suppressions],
    objects: Iterable = (),
) -> list[Finding]:
    """Drop findings of disabled rules, apply severity overrides, mark suppressed ones, report unused comments.

    ``suppressions`` holds each file's comments; ``objects`` are the run's
    objects, whose ``k8slint.io/ignore`` annotations suppress their findings.
    """
    findings = [finding for finding in findings if finding.rule in rules or finding.rule == INTERNAL_ERROR]
    _annotations(findings, objects)
    unused = suppress.apply(findings, suppressions)
    if "unused-suppression" in rules:
        known = all_rules()
        for file, line, column, rule_id in unused:
            if rule_id in known and rule_id not in rules:
                continue
            message = f"suppression of {rule_id!r} matches no finding; remove it"
            if rule_id not in known and rule_id != "all":
                message = f"suppression names unknown rule {rule_id!r}; remove or correct it"
            findings.append(engine_finding("unused-suppression", file, line, column, message))
    for finding in findings:
        if finding.rule in settings.severity:
            finding.severity = settings.severity[finding.rule]
    return findings


def _annotations(findings: list[Finding], objects: Iterable) -> None:
    """Mark findings of objects whose ``k8slint.io/ignore`` annotation names their rule."""
    ignored: dict[tuple[str, int, str], set[str]] = {}
    for obj in objects:
        names = suppress.split_names(obj.annotation(suppress.ANNOTATION))
        if names:
            ignored.setdefault((obj.doc.file, obj.doc.index, obj.ref), set()).update(names)
    if not ignored:
        return
    for finding in findings:
        if finding.object is not None and finding.rule in ignored.get(
            (finding.file, finding.document, finding.object), ()
        ):
            finding.suppressed = True


def engine_finding(rule_id: str, file: str, line: int, column: int, message: str) -> Finding:
    """A finding the engine itself reports at a line and column (YAML syntax, suppression comments)."""
    rule = all_rules()[rule_id]
    return Finding(rule_id, rule.severity, message, file, line, column, line, column, help=rule.help or None)


@dataclass
class BaselineOutcome:
    """How many findings a baseline hid, and how many of its entries no longer match (fixed)."""

    hidden: int = 0
    stale: int = 0


def apply_baseline(result, path: str):
    """``(result without the findings the baseline at path records, BaselineOutcome)``.

    Raises ``baseline.BaselineError`` when the file cannot be read.
    """
    from k8slint import baseline

    filtered = baseline.apply(result.findings, baseline.load(path), baseline.run_files(result))
    return replace(result, findings=filtered.findings), BaselineOutcome(filtered.hidden, filtered.stale)
