"""The text report: ``file:line:col: severity rule-id message``, grouped by file, with a summary."""

from __future__ import annotations

from itertools import groupby

from k8slint.report import visible

COLORS = {
    "error": "\033[1;31m",
    "warning": "\033[1;33m",
    "info": "\033[1;34m",
    "dim": "\033[2m",
    "bold": "\033[1m",
    "green": "\033[1;32m",
}
RESET = "\033[0m"


def render(result, options) -> str:
    paint = _painter(options.color)
    lines: list[str] = []
    findings = visible(result, options)
    if not options.quiet:
        for file, group in groupby(findings, key=lambda f: f.file):
            for finding in group:
                where = paint("bold", f"{file}:{finding.line}:{finding.column}:")
                tag = " (suppressed)" if finding.suppressed else ""
                if finding.versions:
                    tag = f" [Kubernetes {_versions(finding.versions, result.kubernetes_versions)}]{tag}"
                lines.append(
                    f"{where} {paint(finding.severity, finding.severity)} {paint('dim', finding.rule)} {finding.message}{tag}"
                )
                if options.verbose and finding.help:
                    lines.append(f"    {paint('dim', 'help:')} {finding.help}")
            lines.append("")
    lines.append(_summary(result, paint))
    return "\n".join(lines) + "\n"


def _versions(held: tuple, run: list) -> str:
    """``1.33+`` when a finding holds from one target version on, ``up to 1.32`` until one, else the list."""
    held = list(held)
    if len(held) == 1:
        return held[0]
    if held == run[-len(held) :]:
        return f"{held[0]}+"
    if held == run[: len(held)]:
        return f"up to {held[-1]}"
    return ", ".join(held)


def _summary(result, paint) -> str:
    counts = [(result.count(level), level) for level in ("error", "warning", "info")]
    checked = f"{result.files} file{'s' * (result.files != 1)}, {result.documents} document{'s' * (result.documents != 1)} checked"
    extra = f"; {result.suppressed} suppressed" if result.suppressed else ""
    problems = [f"{n} {level}{'s' * (n != 1)}" for n, level in counts if n]
    if not problems:
        return paint("green", "All checks passed") + f" ({checked}{extra})"
    worst = next(level for n, level in counts if n)
    total = sum(n for n, _ in counts)
    return paint(worst, f"Found {total} problem{'s' * (total != 1)}") + f": {', '.join(problems)} ({checked}{extra})"


def _painter(enabled: bool):
    def paint(style: str, text: str) -> str:
        return f"{COLORS[style]}{text}{RESET}" if enabled else text

    return paint
