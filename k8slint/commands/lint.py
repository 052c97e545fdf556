"""``k8slint lint``: the rule engine from the command line."""

from __future__ import annotations

import sys

import click

from k8slint.commands.common import fail_usage, load_settings_or_exit, run_lint, split_values, write_output
from k8slint.report import FORMATS, ReportOptions


@click.command()
@click.argument("paths", nargs=-1)
@click.option(
    "-f",
    "--format",
    "format_name",
    type=click.Choice(sorted(FORMATS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the report to this file instead of stdout.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: .k8slint.yaml or pyproject.toml found upward).",
)
@click.option("--select", multiple=True, help="Only these rules or categories (repeatable, comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules or categories (repeatable, comma-separated).")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option(
    "--fail-on",
    type=click.Choice(["info", "warning", "error"]),
    help="Exit 1 when a finding is at or above this severity [default: error].",
)
@click.option("--kubernetes-version", help="Target Kubernetes version, e.g. 1.30 [default: newest bundled].")
@click.option(
    "--api-resources",
    type=click.Path(dir_okay=False),
    help="A cluster's `kubectl api-resources` output to check kinds against, instead of the bundled tables.",
)
@click.option(
    "--crd-dir",
    multiple=True,
    type=click.Path(),
    help="File or directory of CustomResourceDefinitions that define kinds used (repeatable).",
)
@click.option("-n", "--namespace", help="Namespace of objects that do not name one [default: default].")
@click.option(
    "--static-pod-path",
    "static_pod_paths",
    multiple=True,
    help="Directory the kubelet reads static pods from (repeatable) [default: any .../etc/kubernetes/manifests].",
)
@click.option("--stdin-filename", help="Name to report for input read from '-'.")
@click.option(
    "--compose",
    "compose",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Lint this file as a Docker Compose file whatever its name (repeatable).",
)
@click.option(
    "--compose-file",
    "compose_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Compose files merged into one project, in order, like `docker compose -f A -f B` (repeatable).",
)
@click.option(
    "--env-file",
    type=click.Path(exists=True, dir_okay=False),
    help="Variables for Compose interpolation instead of the .env file beside the compose file.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=0), help="Worker processes (0 = one per CPU, 1 = no pool).")
@click.option(
    "--max-file-size", type=click.IntRange(min=1), help="Skip files larger than this many bytes [default: 10 MB]."
)
@click.option("--show-suppressed", is_flag=True, help="Also report suppressed findings, marked as such.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary (text) and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show fix hints and skipped documents.")
@click.option("--color/--no-color", default=None, help="Colour the text report [default: when stdout is a terminal].")
@click.option("--max-warnings", type=click.IntRange(min=0), help="Also exit 1 when there are more than N warnings.")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False),
    help="Hide findings recorded in this baseline file; report only new ones.",
)
@click.option("--update-baseline", is_flag=True, help="Record the current findings in the --baseline file and exit 0.")
@click.option(
    "--context",
    "context",
    multiple=True,
    help="Also index the manifests under this directory so cross-file rules resolve; report only PATHS (repeatable).",
)
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply the unsafe fixes (implies --fix).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (implies --fix).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change (implies --fix).")
def lint(
    paths,
    format_name,
    output,
    config_path,
    select,
    ignore,
    exclude,
    fail_on,
    kubernetes_version,
    api_resources,
    crd_dir,
    namespace,
    static_pod_paths,
    stdin_filename,
    compose,
    compose_files,
    env_file,
    jobs,
    max_file_size,
    show_suppressed,
    quiet,
    verbose,
    color,
    max_warnings,
    baseline_path,
    update_baseline,
    context,
    fix,
    unsafe_fixes,
    diff,
    check,
):
    """Lint Kubernetes and Docker Compose YAML files, directories or globs ('-' reads stdin)."""
    if not paths and not compose and not compose_files:
        fail_usage("no paths given; try `k8slint lint .`")
    if update_baseline and not baseline_path:
        fail_usage("--update-baseline needs --baseline FILE")
    settings = load_settings_or_exit(
        config_path,
        {
            "select": split_values(select),
            "ignore": split_values(ignore),
            "exclude": exclude,
            "fail_on": fail_on,
            "kubernetes_version": kubernetes_version,
            "api_resources": api_resources,
            "crds": crd_dir,
            "namespace": namespace,
            "jobs": jobs,
            "max_file_size": max_file_size,
            "compose_files": compose_files,
            "env_file": env_file,
            "context": context,
            "static_pod_paths": static_pod_paths,
        },
    )
    if fix or unsafe_fixes or diff or check:
        from k8slint.commands.fix import run_fixes

        result = run_fixes(
            list(paths),
            settings,
            stdin_filename,
            compose_files=list(compose) + list(compose_files),
            unsafe=unsafe_fixes,
            diff=diff,
            check=check,
        )
    else:
        result = run_lint(
            list(paths), settings, stdin_filename, compose_files=list(compose) + list(compose_files), verbose=verbose
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
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    options = ReportOptions(
        color=use_color and format_name == "text", show_suppressed=show_suppressed, verbose=verbose, quiet=quiet
    )
    from k8slint.engine import few_collections
    from k8slint.report import render

    with few_collections():  # default thresholds rescan every object of the run, again and again
        write_output(render(format_name, result, options), output)
    if result.missing or result.empty or result.crashed:
        sys.exit(2)
    too_many_warnings = max_warnings is not None and result.count("warning") > max_warnings
    if too_many_warnings:
        click.echo(f"k8slint: {result.count('warning')} warnings, more than --max-warnings {max_warnings}", err=True)
    sys.exit(1 if result.failed(settings.fail_on) or too_many_warnings else 0)


def _update_baseline(result, path: str):
    import os

    from k8slint import baseline

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
