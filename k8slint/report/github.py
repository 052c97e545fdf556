"""GitHub Actions workflow commands: ``::error``/``::warning``/``::notice`` annotations, most severe first.

GitHub shows at most ``PER_LEVEL`` annotations of each level per step and drops
the rest, so errors come first and each level stops at that cap; a closing log
line counts what was left out. The command also writes the Markdown report to
``$GITHUB_STEP_SUMMARY`` when that is set (``commands/linting.py``).
"""

from __future__ import annotations

from k8slint.findings import SEVERITY_RANK
from k8slint.locations import stable_name
from k8slint.report import for_humans
from k8slint.report.bounds import NOTE

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
PER_LEVEL = 10  # GitHub's limit per step for each of error, warning and notice


def render(result, options) -> str:
    findings = [finding for finding in for_humans(result, options) if not finding.suppressed]
    findings.sort(key=lambda finding: -SEVERITY_RANK[finding.severity])  # stable: file order within a level
    lines, shown, annotated = [], dict.fromkeys(COMMANDS, 0), 0
    for finding in findings:
        if shown[finding.severity] >= PER_LEVEL:
            continue
        shown[finding.severity] += 1
        annotated += finding.rule != NOTE
        lines.append(_annotation(finding, options))
    left_out = sum(result.count(level) for level in COMMANDS) - annotated  # also those the report bounds left out
    counts = ", ".join(
        f"{result.count(level)} {level}{'s' * (result.count(level) != 1)}" for level in ("error", "warning", "info")
    )
    lines.append(f"k8slint: {counts} in {result.files} file{'s' * (result.files != 1)}")
    if left_out:
        lines.append(
            f"k8slint: {left_out} more finding{'s' * (left_out != 1)} not annotated (GitHub shows {PER_LEVEL} "
            "of each level per step); the job summary and `k8slint lint` list them all"
        )
    return "\n".join(lines) + "\n"


def _annotation(finding, options) -> str:
    properties = {
        "file": stable_name(finding.file),
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "title": f"k8slint {finding.rule}",
    }
    fields = ",".join(f"{name}={_escape_property(str(value))}" for name, value in properties.items())
    message = finding.message + (f"\n{finding.help}" if options.verbose and finding.help else "")
    return f"::{COMMANDS[finding.severity]} {fields}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
