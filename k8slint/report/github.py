"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per finding."""

from __future__ import annotations

from k8slint.locations import stable_name
from k8slint.report import visible

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(result, options) -> str:
    lines = []
    for finding in visible(result, options):
        if finding.suppressed:
            continue
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
        lines.append(f"::{COMMANDS[finding.severity]} {fields}::{_escape_data(message)}")
    counts = ", ".join(
        f"{result.count(level)} {level}{'s' * (result.count(level) != 1)}" for level in ("error", "warning", "info")
    )
    lines.append(f"k8slint: {counts} in {result.files} file{'s' * (result.files != 1)}")
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
