"""The terminal reports, in ruff's two shapes, grouped by file, with a summary.

``concise`` (also called ``text``): one short line per finding,
``file:line:col: severity rule-id [*] problem``: a message says what is wrong,
why it matters (``, so …``) and, after its last top-level ``;``, what to do;
the line keeps the first part, ``-v`` the whole message. ``full``: the whole
message, then the source lines around the finding with a caret under the
reported range, the help, and the fix as a diff when the finding has one.
``[*]`` marks findings ``k8slint fix`` fixes. ``--statistics`` prints a count
per rule instead.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from itertools import groupby

from k8slint.escaping import escape
from k8slint.report import for_humans, visible
from k8slint.report.excerpts import clip, cut, span_columns
from k8slint.terminal import painter

FIXABLE = "[*]"
OPENERS = {"(": ")", "[": "]", "{": "}"}
QUOTES = '"`'
CONSEQUENCE = (", so ", " — ")


def render(result, options) -> str:
    """The concise report (the default ``text`` format)."""
    return _report(result, options, full=False)


def render_full(result, options) -> str:
    return _report(result, options, full=True)


def _report(result, options, full: bool) -> str:
    paint = painter(options.color)
    if options.statistics:
        return statistics(result, options, paint)
    lines: list[str] = []
    findings = for_humans(result, options)
    sources = None
    if full:
        from k8slint.report.excerpts import SourceLines

        sources = SourceLines(result)
    for file, group in groupby(findings, key=lambda f: f.file):
        for finding in group:
            message = headline(finding.message)
            if full:  # the hint follows as help
                message = split_hint(finding.message)[0]
            elif options.verbose:
                message = finding.message
            lines.append(_headline(file, finding, message, paint, result.kubernetes_versions))
            if full:
                lines += _details(finding, sources, paint)
            elif options.verbose and not split_hint(finding.message)[1] and finding.help:
                lines.append(f"    {paint('dim', 'help:')} {finding.help}")
        if not full:  # a full finding ends with its own blank line
            lines.append("")
    if options.quiet:
        while lines and not lines[-1]:
            lines.pop()
    else:
        lines += summary(result, paint)
    return "\n".join(lines) + "\n" if lines else ""


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


def _headline(file: str, finding, message: str, paint, run_versions=()) -> str:
    where = paint("bold", f"{file}:{finding.line}:{finding.column}:")
    tag = " (suppressed)" if finding.suppressed else ""
    if finding.versions:  # a run over several Kubernetes versions, and not all of them
        tag = f" [Kubernetes {_versions(finding.versions, list(run_versions))}]{tag}"
    marker = f" {paint('cyan', FIXABLE)}" if is_fixable(finding) else ""
    return f"{where} {paint(finding.severity, finding.severity)} {paint('dim', finding.rule)}{marker} {message}{tag}"


def is_fixable(finding) -> bool:
    """What plain ``k8slint fix`` fixes (unsafe fixes need ``--unsafe-fixes``, as in ruff)."""
    return bool(finding.edits) and not finding.unsafe and not finding.suppressed


def help_text(finding) -> str | None:
    """What to do: the hint the message ends with, else the rule's help."""
    return split_hint(finding.message)[1] or finding.help


def split_hint(message: str) -> tuple[str, str | None]:
    """``(problem, hint)``: a message says what is wrong, then after its last top-level ``;`` what to do."""
    cuts = [at for at in _top_level(message) if message.startswith("; ", at)]
    if not cuts:
        return message, None
    return message[: cuts[-1]], message[cuts[-1] + 2 :]


def headline(message: str) -> str:
    """The problem alone, for a short line: without the hint, and without the consequence (``, so …``, `` — …``)."""
    problem, _ = split_hint(message)
    cuts = [at for at in _top_level(problem) if problem.startswith(CONSEQUENCE, at)]
    return problem[: cuts[0]] if cuts else problem


def _top_level(message: str) -> list[int]:
    """Offsets in ``message`` outside brackets and quotes (none when they do not balance: keep such a message whole)."""
    closing: list[str] = []
    found = []
    for at, char in enumerate(message):
        if closing and char == closing[-1]:
            closing.pop()
        elif char in QUOTES or (char == "'" and (at == 0 or not message[at - 1].isalnum())):
            closing.append(char)
        elif char in OPENERS and (not closing or closing[-1] not in QUOTES + "'"):
            closing.append(OPENERS[char])
        elif not closing:
            found.append(at)
    return [] if closing else found


def _details(finding, sources, paint) -> list[str]:
    """The excerpt with a caret under the range, the help and the fix of one finding (``full``)."""
    out = []
    numbers = [n for n in range(finding.line - 1, finding.line + 2) if sources.line(finding.file, n) is not None]
    width = len(str(max(numbers, default=finding.line)))
    gutter = paint("cyan", f"{'':>{width}} |")
    if numbers:
        out.append(gutter)
        for number in numbers:
            text = sources.line(finding.file, number)
            if number != finding.line:
                out.append(f"{paint('cyan', f'{number:>{width}} |')} {cut(text)}")
                continue
            before, marked, after = clip(text, *span_columns(finding, text))
            out.append(f"{paint('cyan', f'{number:>{width}} |')} {before}{marked}{after}")
            carets = "^" * max(1, len(marked))
            out.append(f"{gutter} {' ' * len(before)}{paint(finding.severity, carets)}")
        out.append(gutter)
    pad = " " * width
    if help_text(finding):
        out.append(f"{pad} {paint('cyan', '=')} {paint('bold', 'help:')} {help_text(finding)}")
    diff = _fix_diff(finding, sources)
    if diff:
        kind = "unsafe fix (`k8slint fix --unsafe-fixes`)" if finding.unsafe else "fix (`k8slint fix`)"
        out.append(f"{pad} {paint('cyan', '=')} {paint('bold', kind + ':')}")
        for line in diff:
            style = "added" if line.startswith("+") else "removed" if line.startswith("-") else "dim"
            out.append(f"{pad}   {paint(style, line)}")
    out.append("")
    return out


def _fix_diff(finding, sources) -> list[str]:
    """The finding's edits as unified diff lines (without file headers); none when they cannot be applied."""
    if not finding.edits:
        return []
    from k8slint.fixing.textedit import apply_finding_edits
    from k8slint.sources import COMPOSE_NAME

    text = sources.text(finding.file)
    if text is None:
        return []
    yaml12 = bool(COMPOSE_NAME.match(os.path.basename(finding.file)))
    try:
        fixed = apply_finding_edits(text, finding.document, finding.edits, yaml12)
    except Exception:  # FixRefused, or a bug: a preview must never cost the report
        return []
    diff = difflib.unified_diff(text.splitlines(), fixed.splitlines(), n=1, lineterm="")
    return [cut(escape(line)) for line in diff if not line.startswith(("---", "+++"))]


def summary(result, paint) -> list[str]:
    """The closing lines: the verdict, and how many findings ``k8slint fix`` would fix."""
    counts = [(result.count(level), level) for level in ("error", "warning", "info")]
    checked = f"{result.files} file{'s' * (result.files != 1)}, {result.documents} document{'s' * (result.documents != 1)} checked"
    extra = f"; {result.suppressed} suppressed" if result.suppressed else ""
    problems = [f"{n} {level}{'s' * (n != 1)}" for n, level in counts if n]
    trouble = _trouble(result)
    if not problems:
        if trouble and not result.files:  # never a green "All checks passed" on a run that exits 2
            return [f"Nothing checked: {trouble}"]
        if trouble:
            return [f"No problems found in what was checked ({checked}{extra}); {trouble}"]
        return [paint("green", "All checks passed") + f" ({checked}{extra})"]
    worst = next(level for n, level in counts if n)
    total = sum(n for n, _ in counts)
    lines = [
        paint(worst, f"Found {total} problem{'s' * (total != 1)}")
        + f": {', '.join(problems)} ({checked}{extra}{'; ' + trouble if trouble else ''})"
    ]
    shown = [f for f in result.findings if not f.suppressed]
    safe = sum(1 for f in shown if is_fixable(f))
    unsafe = sum(1 for f in shown if f.edits and f.unsafe)
    if safe or unsafe:
        more = f" ({unsafe} more with `k8slint fix --unsafe-fixes`)" if unsafe else ""
        lines.append(f"{paint('cyan', FIXABLE)} {safe} fixable with `k8slint fix`{more}")
    return lines


def _trouble(result) -> str:
    parts = []
    if result.missing:
        parts.append(f"{len(result.missing)} path{'s' * (len(result.missing) != 1)} not found")
    elif result.empty:
        parts.append("no YAML files found")
    if result.crashed:
        parts.append("internal errors")
    return ", ".join(parts)


def statistics(result, options, paint) -> str:
    """``--statistics``: findings per rule, most frequent first, ``[*]`` where ``k8slint fix`` fixes them."""
    shown = [f for f in visible(result, options, bounded=False) if not f.suppressed]
    counts = Counter(f.rule for f in shown)
    severity = {f.rule: f.severity for f in shown}
    fixable = {f.rule for f in shown if is_fixable(f)}
    width = len(str(max(counts.values(), default=0)))
    rule_width = max((len(rule) for rule in counts), default=0)
    lines = [
        f"{count:>{width}}  {rule:<{rule_width}}  {FIXABLE if rule in fixable else '   '}  "
        f"{paint(severity[rule], severity[rule])}"
        for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    if not options.quiet:
        lines += ([""] if lines else []) + summary(result, paint)
    return "\n".join(lines) + "\n" if lines else ""
