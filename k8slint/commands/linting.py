"""What ``lint`` and ``fix`` do with their options: load settings, lint or fix, apply a baseline, report, exit."""

from __future__ import annotations

import difflib
import os
import sys

import click

from k8slint.commands.common import (
    fail_usage,
    load_settings_or_exit,
    run_lint,
    split_values,
    tell_discovery,
    write_output,
)
from k8slint.commands.options import AUTO
from k8slint.report import TERMINAL_FORMATS, ReportOptions
from k8slint.terminal import use_color


def run(
    paths,
    format_name,
    output,
    config_path,
    select,
    ignore,
    exclude,
    no_ignore,
    fail_on,
    kubernetes_version,
    api_resources,
    crd_dir,
    policy_dir,
    namespace,
    static_pod_paths,
    stdin_filename,
    compose,
    compose_files,
    env_file,
    env_from_process,
    jobs,
    max_file_size,
    show_suppressed,
    quiet,
    silent,
    verbose,
    statistics,
    exit_zero,
    color,
    no_color,
    max_warnings,
    baseline_path,
    update_baseline,
    context,
    kustomize,
    helm_chart,
    helm_values,
    no_cache,
    cache_dir,
    fix,
    unsafe_fixes,
    diff,
    check,
    force=False,
):
    """Lint (and with ``fix``, first fix) what the options say; exits with the run's status."""
    if not paths and not compose and not compose_files and not helm_chart:
        fail_usage("no paths given; try `k8slint lint .`")
    if (kustomize or helm_chart) and (fix or unsafe_fixes or diff or check):
        fail_usage("--fix edits files as written; it does not apply to rendered output (--kustomize, --helm)")
    if helm_values and not helm_chart:
        fail_usage("--values needs --helm CHART")
    if update_baseline and not baseline_path:
        fail_usage("--update-baseline needs --baseline FILE")
    settings = load_settings_or_exit(
        config_path,
        {
            "select": split_values(select),
            "ignore": split_values(ignore),
            "exclude": exclude,
            "respect_gitignore": False if no_ignore else None,
            "fail_on": fail_on,
            "kubernetes_version": kubernetes_version,
            "api_resources": api_resources,
            "crds": crd_dir,
            "policies": policy_dir,
            "namespace": namespace,
            "jobs": jobs,
            "max_file_size": max_file_size,
            "compose_files": compose_files,
            "env_file": env_file,
            "env_from_process": env_from_process,
            "context": context,
            "static_pod_paths": static_pod_paths,
            "kustomize": kustomize,
            "helm": helm_chart,
            "helm_values": helm_values,
            "cache": False if no_cache else None,
            "cache_dir": cache_dir,
        },
    )
    from k8slint import replay
    from k8slint.terminal import showing_progress

    replay.permit(bool(settings.cache) and not settings.cache_dir)  # its record lives in the default cache folder

    with showing_progress(not silent):
        result = _lint_or_fix(
            paths,
            settings,
            stdin_filename,
            compose_files=list(compose) + list(compose_files),
            verbose=verbose,
            fix=fix,
            unsafe_fixes=unsafe_fixes,
            diff=diff,
            check=check,
            force=force,
        )
    if verbose and result.skipped_documents:
        click.echo(
            f"k8slint: skipped {result.skipped_documents} document(s) that are neither Kubernetes objects nor Compose files",
            err=True,
        )
    if verbose and result.tool_configs:
        tools = ", ".join(f"{tool} ({count})" for tool, count in sorted(result.tool_configs.items()))
        click.echo(f"k8slint: skipped tool configs, which no API server receives: {tools}", err=True)
    if update_baseline:
        _update_baseline(result, baseline_path)
    if baseline_path:
        result = _apply_baseline(result, baseline_path)
    format_name = chosen_format(format_name)
    options = ReportOptions(
        color=format_name in TERMINAL_FORMATS and use_color("never" if no_color else color, to_stdout=output is None),
        show_suppressed=show_suppressed,
        verbose=verbose,
        quiet=quiet,
        statistics=statistics,
        fail_on=settings.fail_on,
    )
    from k8slint.engine import few_collections
    from k8slint.report import render

    if not silent or output not in (None, "-"):
        with few_collections():  # default thresholds rescan every object of the run, again and again
            write_output(render(format_name, result, options), output)
            if format_name == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
                _append_step_summary(render("markdown", result, options), os.environ["GITHUB_STEP_SUMMARY"])
    if result.missing or result.empty or result.crashed:
        sys.exit(2)
    too_many_warnings = max_warnings is not None and result.count("warning") > max_warnings
    if too_many_warnings and not silent:
        click.echo(f"k8slint: {result.count('warning')} warnings, more than --max-warnings {max_warnings}", err=True)
    failed = result.failed(settings.fail_on) or too_many_warnings
    sys.exit(1 if failed and not exit_zero else 0)


def _append_step_summary(markdown: str, path: str) -> None:
    """GitHub renders the Markdown appended to ``$GITHUB_STEP_SUMMARY`` on the run's page."""
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(markdown)
    except OSError as exc:
        click.echo(f"k8slint: {path}: cannot write the job summary: {exc.strerror}", err=True)


def chosen_format(format_name: str) -> str:
    """``auto``: ``github`` inside GitHub Actions (annotations), else ``concise``."""
    if format_name != AUTO:
        return format_name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "concise"


def _lint_or_fix(paths, settings, stdin_filename, compose_files, *, verbose, fix, unsafe_fixes, diff, check, force):
    if fix or unsafe_fixes or diff or check:
        return run_fixes(
            list(paths),
            settings,
            stdin_filename,
            compose_files=compose_files,
            unsafe=unsafe_fixes,
            diff=diff,
            check=check,
            force=force,
        )
    return run_lint(list(paths), settings, stdin_filename, compose_files=compose_files, verbose=verbose)


def _update_baseline(result, path: str):
    import os

    from k8slint import baseline, replay

    replay.refuse("rewrites its baseline")  # the next run reads what this one writes

    try:
        previous = baseline.load(path) if os.path.exists(path) else []
    except baseline.BaselineError:
        previous = []  # being replaced anyway
    write_output(baseline.dump(result.findings, baseline.run_files(result), previous), path)
    recorded = sum(1 for finding in result.findings if not finding.suppressed)
    click.echo(f"k8slint: recorded {recorded} finding(s) in baseline {path}", err=True)
    sys.exit(2 if result.missing or result.empty or result.crashed else 0)


def _apply_baseline(result, path: str):
    from k8slint import baseline, filters

    try:
        result, filtered = filters.apply_baseline(result, path)
    except baseline.BaselineError as exc:
        fail_usage(str(exc))
    if filtered.hidden:
        click.echo(f"k8slint: {filtered.hidden} finding(s) hidden by baseline {path}", err=True)
    if filtered.stale:
        click.echo(
            f"k8slint: {filtered.stale} baseline entr{'y is' if filtered.stale == 1 else 'ies are'} fixed; "
            "shrink the baseline with --update-baseline",
            err=True,
        )
    return result


def run_fixes(
    paths: list[str],
    settings,
    stdin_filename: str | None = None,
    compose_files=(),
    *,
    unsafe: bool,
    diff: bool,
    check: bool,
    force: bool = False,
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
        force=force,
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
