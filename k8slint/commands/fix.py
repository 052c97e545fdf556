"""``k8slint fix`` (same as ``lint --fix``): apply fixes, then report what remains."""

from __future__ import annotations

import difflib
import functools
import sys

import click

from k8slint.commands.common import tell_discovery
from k8slint.commands.lint import lint


def run_fixes(
    paths: list[str],
    settings,
    stdin_filename: str | None = None,
    compose_files=(),
    *,
    unsafe: bool,
    diff: bool,
    check: bool,
):
    """Fix (or, with ``diff``/``check``, preview) and return the lint result of what remains.

    With ``diff`` or ``check`` nothing is written and the process exits here:
    1 if any file would change, else 0 (2 if a path is missing).
    """
    from k8slint.fixing import fix_paths

    report = fix_paths(
        paths,
        settings,
        unsafe=unsafe,
        write=not (diff or check),
        stdin_filename=stdin_filename,
        compose_files=compose_files,
    )
    tell_discovery(report.result, paths)
    for outcome in report.files:
        for finding, reason in outcome.refused:
            click.echo(
                f"k8slint: {outcome.display}:{finding.line}:{finding.column}: {finding.rule} not fixed: {reason}",
                err=True,
            )
        if outcome.problem:
            click.echo(f"k8slint: {outcome.display}: {outcome.problem}", err=True)
    if not unsafe:
        hidden = sum(
            1 for finding in report.result.findings if finding.edits and finding.unsafe and not finding.suppressed
        )
        if hidden:
            click.echo(f"k8slint: {hidden} more fix{'es' * (hidden != 1)} available with --unsafe-fixes", err=True)
    if not (diff or check):
        click.echo(_summary(report, "Fixed"), err=True)
        return report.result
    if diff:
        click.echo("".join(_unified_diff(outcome) for outcome in report.changed), nl=False)
    else:
        for outcome in report.changed:
            click.echo(f"would fix {outcome.display}: {', '.join(sorted({f.rule for f in outcome.fixed}))}")
    click.echo(_summary(report, "Would fix"), err=True)
    sys.exit(2 if report.result.missing or report.result.crashed else 1 if report.changed else 0)


def _summary(report, verb: str) -> str:
    files = len(report.changed)
    unsafe = sum(1 for outcome in report.files for finding in outcome.fixed if finding.unsafe and outcome.changed)
    extra = f" ({unsafe} unsafe)" if unsafe else ""
    return (
        f"k8slint: {verb} {report.fixed} problem{'s' * (report.fixed != 1)}{extra} in {files} file{'s' * (files != 1)}"
    )


def _unified_diff(outcome) -> str:
    lines = difflib.unified_diff(
        outcome.original.text.splitlines(keepends=True),
        outcome.text.splitlines(keepends=True),
        fromfile=outcome.display,
        tofile=outcome.display,
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


fix = click.Command(
    "fix",
    params=[param for param in lint.params if param.name != "fix"],
    callback=functools.partial(lint.callback, fix=True),
    help="Apply the safe fixes (--unsafe-fixes for the rest) to files, directories or globs, then report what remains.",
)
