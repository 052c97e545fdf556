"""Suppressions: ``# k8slint: disable=…`` comments and the ``k8slint.io/ignore`` annotation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from k8slint.findings import Finding

_COMMENT = re.compile(r"#\s*k8slint:\s*(disable|disable-file)\s*=\s*([\w,\s-]+?)\s*(?:#|$)", re.MULTILINE)
ANNOTATION = "k8slint.io/ignore"


@dataclass
class Suppressions:
    """The suppression comments of one file: by comment line, and file-wide."""

    lines: dict[int, tuple[int, set[str]]] = field(default_factory=dict)
    file: dict[str, int] = field(default_factory=dict)


def scan(text: str) -> Suppressions:
    """Find suppression comments; a comment covers its own line and the next one."""
    found = Suppressions()
    if "k8slint:" not in text:
        return found
    for match in _COMMENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - text.rfind("\n", 0, match.start())
        rules = {name.strip() for name in match.group(2).split(",") if name.strip()}
        if match.group(1) == "disable-file":
            for name in rules:
                found.file.setdefault(name, line)
        else:
            found.lines[line] = (column, rules)
    return found


def comment(rules, indent: str = "") -> str:
    """The comment line that disables ``rules`` on the line below it."""
    return f"{indent}# k8slint: disable={','.join(rules)}"


def split_names(value) -> set[str]:
    return {name.strip() for name in str(value).split(",") if name.strip()} if value else set()


def apply(findings: list[Finding], by_file: dict[str, Suppressions]) -> list[tuple[str, int, int, str]]:
    """Mark suppressed findings; return the unused comments as (file, line, column, rule)."""
    used: set[tuple[str, int, str]] = set()
    for finding in findings:
        marks = by_file.get(finding.file)
        if marks is None:
            continue
        for rule in (finding.rule, "all"):
            if rule in marks.file:
                finding.suppressed = True
                used.add((finding.file, marks.file[rule], rule))
            for line in (finding.line, finding.line - 1):
                entry = marks.lines.get(line)
                if entry and rule in entry[1]:
                    finding.suppressed = True
                    used.add((finding.file, line, rule))
    unused = []
    for file, marks in by_file.items():
        for rule, line in marks.file.items():
            if (file, line, rule) not in used:
                unused.append((file, line, 1, rule))
        for line, (column, rules) in marks.lines.items():
            unused.extend((file, line, column, rule) for rule in sorted(rules) if (file, line, rule) not in used)
    return unused
