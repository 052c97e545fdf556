"""What the human-facing reports (HTML, Markdown) show: counts, groups and excerpts of a result."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import groupby

from k8slint.escaping import escape
from k8slint.findings import SEVERITIES
from k8slint.registry import all_rules
from k8slint.report import for_humans
from k8slint.report.excerpts import SourceLines

# most severe first
LEVELS = tuple(reversed(SEVERITIES))


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
class ObjectRow:
    kind: str
    namespace: str
    names: list[str]


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

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def build(result, options) -> Overview:
    findings = for_humans(result, options)
    lines = SourceLines(result)
    shown = [f for f in findings if not f.suppressed]
    rule_counts = Counter(f.rule for f in shown)
    severity_of = {f.rule: f.severity for f in shown}
    known = all_rules()
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
        groups=[
            FileGroup(file, [FindingView(f, _excerpt(f, lines)) for f in group])
            for file, group in groupby(findings, key=lambda f: f.file)
        ],
        rules=[known[rule] for rule in sorted(rule_counts) if rule in known],
        object_rows=_object_rows(result.objects),
    )


def _excerpt(finding, lines: SourceLines) -> Excerpt | None:
    text = lines.line(finding.file, finding.line)
    if text is None:
        return None
    start = min(max(finding.column - 1, 0), len(text))
    end = (
        finding.end_column - 1
        if finding.end_line == finding.line and finding.end_column > finding.column
        else len(text)
    )
    end = max(start, min(end, len(text)))
    return Excerpt(finding.line, text[:start], text[start:end], text[end:])


def _object_rows(objects) -> list[ObjectRow]:
    names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for obj in objects:
        names[(obj.kind or "(no kind)", obj.namespace)].append(escape(obj.name) or "(unnamed)")
    return [ObjectRow(kind, namespace, sorted(found)) for (kind, namespace), found in sorted(names.items())]
