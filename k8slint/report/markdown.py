"""The Markdown report, sized for a pull-request comment: a summary, then a collapsible section per file.

The output stays under ``MAX_CHARS`` (GitHub caps comments at 65 536); file
sections that do not fit are counted in a closing note instead.
"""

from __future__ import annotations

from k8slint.report import overview

MAX_CHARS = 60_000
ICONS = {"error": "🔴", "warning": "🟠", "info": "🔵"}


def render(result, options) -> str:
    view = overview.build(result, options)
    head = [f"## {options.title or 'k8slint report'}", "", _verdict(view), ""]
    if view.by_rule:
        head += ["| Rule | Severity | Findings |", "|---|---|---|"]
        head += [f"| `{rule}` | {ICONS[severity]} {severity} | {count} |" for rule, severity, count in view.by_rule]
        head.append("")
    tail = _rules(view)
    budget = MAX_CHARS - len("\n".join(head + tail)) - 200
    sections, left_out = [], 0
    for group in view.groups:
        section = _file_section(group)
        if len(section) + 1 > budget:
            left_out += len(group.findings)
            continue
        budget -= len(section) + 1
        sections.append(section)
    if left_out:
        sections.append(
            f"_{left_out} more finding{'s' * (left_out != 1)} not shown to keep this comment short; "
            "run `k8slint report` for the full HTML report._\n"
        )
    return "\n".join(head + sections + tail).rstrip("\n") + "\n"


def _verdict(view) -> str:
    checked = f"{view.files} file{'s' * (view.files != 1)}, {view.objects} object{'s' * (view.objects != 1)} checked"
    if not view.total:
        return f"✅ **All checks passed** ({checked})"
    counts = ", ".join(
        f"{view.counts[level]} {level}{'s' * (view.counts[level] != 1)}" for level in ("error", "warning", "info")
    )
    suppressed = f", {view.suppressed} suppressed" if view.suppressed else ""
    return f"**{counts}** ({checked}{suppressed})"


def _file_section(group) -> str:
    count = len(group.findings)
    lines = [
        f"<details><summary>{ICONS[group.worst]} <code>{_html(group.file)}</code> — {count} finding{'s' * (count != 1)}</summary>",
        "",
        "| Line | Severity | Rule | Message |",
        "|---|---|---|---|",
    ]
    for view in group.findings:
        f = view.finding
        note = " _(suppressed)_" if f.suppressed else ""
        lines.append(
            f"| {f.line}:{f.column} | {ICONS[f.severity]} {f.severity} | `{f.rule}` | {_cell(f.message)}{note} |"
        )
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def _rules(view) -> list[str]:
    if not view.rules:
        return []
    lines = ["<details><summary>Rules and fixes</summary>", ""]
    for rule in view.rules:
        fix = _cell(rule.help) if rule.help else f"see `k8slint explain {rule.id}`"
        lines.append(f"- **`{rule.id}`** ({rule.severity}): {_cell(rule.summary)} **Fix:** {fix}")
    return lines + ["", "</details>", ""]


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipes, no line breaks, no raw HTML."""
    return _html(" ".join(text.split())).replace("|", "\\|")
