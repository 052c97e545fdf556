"""What the human-facing reports (HTML, Markdown) show: counts, groups and excerpts of a result."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import groupby

from k8slint.escaping import escape
from k8slint.findings import SEVERITIES
from k8slint.registry import all_rules
from k8slint.report import for_humans
from k8slint.report.excerpts import SourceLines, clip, span_columns

# most severe first
LEVELS = tuple(reversed(SEVERITIES))
CLUSTER = "(cluster)"
EXCERPTS = 1000  # source lines shown per report, most severe rules first; then EXCERPTS_PER_FILE per rule and file
EXCERPTS_PER_FILE = 3


@dataclass
class Excerpt:
    """A source line split around the reported span."""

    number: int
    before: str
    marked: str
    after: str


@dataclass
class FindingView:
    finding: object
    excerpt: Excerpt | None


@dataclass
class FileGroup:
    file: str
    findings: list[FindingView]

    @property
    def worst(self) -> str:
        return max((view.finding.severity for view in self.findings), key=SEVERITIES.index)


@dataclass
class RuleGroup:
    """The findings of one rule, by file: how the HTML report groups a big run."""

    rule: str
    severity: str
    files: list[FileGroup]

    @property
    def count(self) -> int:
        return sum(len(group.findings) for group in self.files)


@dataclass
class ObjectRow:
    kind: str
    namespace: str  # CLUSTER for cluster-scoped kinds
    count: int
    names: list[str]  # each name once, "name ×3" when several objects share it


@dataclass
class Overview:
    files: int
    objects: int
    counts: dict[str, int]
    suppressed: int
    by_severity: list[tuple[str, str, int]]  # (label, severity, count), like by_rule
    by_rule: list[tuple[str, str, int]]
    groups: list[FileGroup]
    rules: list
    object_rows: list[ObjectRow]
    rule_groups: list[RuleGroup]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def build(result, options) -> Overview:
    findings = for_humans(result, options)
    lines = SourceLines(result)
    counted = [f for f in result.findings if not f.suppressed]  # all of them: the report shows a bounded number
    rule_counts = Counter(f.rule for f in counted)
    severity_of = {f.rule: f.severity for f in counted}
    known = all_rules()
    views = [FindingView(f, None) for f in findings]
    rule_groups = _rule_groups(views)
    _add_excerpts(rule_groups, lines)
    return Overview(
        files=result.files,
        objects=len(result.objects),
        counts={level: result.count(level) for level in LEVELS},
        suppressed=result.suppressed,
        by_severity=[(level, level, result.count(level)) for level in LEVELS],
        by_rule=[
            (rule, severity_of[rule], n)
            for rule, n in sorted(rule_counts.items(), key=lambda item: (-item[1], item[0]))
        ],
        groups=[FileGroup(file, list(group)) for file, group in groupby(views, key=lambda v: v.finding.file)],
        rules=[known[rule] for rule in sorted(rule_counts) if rule in known],
        object_rows=_object_rows(result.objects),
        rule_groups=rule_groups,
    )


def _add_excerpts(rule_groups: list[RuleGroup], lines: SourceLines) -> None:
    """Source lines for the first findings of each rule and file, most severe rules first, up to ``EXCERPTS``."""
    budget = EXCERPTS
    for group in rule_groups:
        for file in group.files:
            for view in file.findings[:EXCERPTS_PER_FILE]:
                if budget <= 0:
                    return
                view.excerpt = _excerpt(view.finding, lines)
                budget -= view.excerpt is not None


def _rule_groups(views: list[FindingView]) -> list[RuleGroup]:
    """Most severe rule first, then the rule with most findings; files in path order inside."""
    by_rule: dict[str, list[FindingView]] = defaultdict(list)
    for view in views:
        by_rule[view.finding.rule].append(view)
    groups = [
        RuleGroup(
            rule,
            max((v.finding.severity for v in found), key=SEVERITIES.index),
            [FileGroup(file, list(group)) for file, group in groupby(found, key=lambda v: v.finding.file)],
        )
        for rule, found in by_rule.items()
    ]
    return sorted(groups, key=lambda g: (-SEVERITIES.index(g.severity), -g.count, g.rule))


def _excerpt(finding, lines: SourceLines) -> Excerpt | None:
    text = lines.line(finding.file, finding.line)
    if text is None:
        return None
    return Excerpt(finding.line, *clip(text, *span_columns(finding, text)))


def _object_rows(objects) -> list[ObjectRow]:
    from k8slint.kube.apis import catalog_for

    catalog = catalog_for()
    names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for obj in objects:
        namespace = CLUSTER if catalog.namespaced(obj.group, obj.kind) is False else obj.namespace
        names[(obj.kind or "(no kind)", namespace)].append(escape(obj.name) or "(unnamed)")
    return [
        ObjectRow(kind, namespace, len(found), [_times(name, n) for name, n in sorted(Counter(found).items())])
        for (kind, namespace), found in sorted(names.items())
    ]


def _times(name: str, count: int) -> str:
    return f"{name} ×{count}" if count > 1 else name
