"""``k8slint lint``: the rule engine from the command line."""

from __future__ import annotations

import sys

import click

from k8slint.commands.common import fail_usage, load_settings_or_exit, write_output
from k8slint.report import FORMATS, ReportOptions


@click.command()
@click.argument("paths", nargs=-1)
@click.option("-f", "--format", "format_name", type=click.Choice(sorted(FORMATS)), default="text", show_default=True, help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file instead of stdout.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: .k8slint.yaml or pyproject.toml found upward).")
@click.option("--select", multiple=True, help="Only these rules or categories (repeatable, comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules or categories (repeatable, comma-separated).")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error"]), help="Exit 1 when a finding is at or above this severity [default: error].")
@click.option("--kubernetes-version", help="Target Kubernetes version, e.g. 1.30 [default: newest bundled].")
@click.option("-n", "--namespace", help="Namespace of objects that do not name one [default: default].")
@click.option("--stdin-filename", help="Name to report for input read from '-'.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), help="Worker processes (0 = one per CPU, 1 = no pool).")
@click.option("--max-file-size", type=click.IntRange(min=1), help="Skip files larger than this many bytes [default: 10 MB].")
@click.option("--show-suppressed", is_flag=True, help="Also report suppressed findings, marked as such.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary (text) and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show fix hints and skipped documents.")
@click.option("--color/--no-color", default=None, help="Colour the text report [default: when stdout is a terminal].")
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix: also apply the unsafe fixes.")
@click.option("--diff", is_flag=True, help="With --fix: print the changes as a unified diff and write nothing.")
@click.option("--check", is_flag=True, help="With --fix: write nothing; exit 1 if any file would change.")
def lint(paths, format_name, output, config_path, select, ignore, exclude, fail_on, kubernetes_version, namespace,
         stdin_filename, jobs, max_file_size, show_suppressed, quiet, verbose, color, fix, unsafe_fixes, diff, check):
    """Lint Kubernetes and Docker Compose YAML files, directories or globs ('-' reads stdin)."""
    from k8slint.engine import lint_paths

    if not paths:
        fail_usage("no paths given; try `k8slint lint .`")
    settings = load_settings_or_exit(config_path, {
        "select": _split(select), "ignore": _split(ignore), "exclude": exclude, "fail_on": fail_on,
        "kubernetes_version": kubernetes_version, "namespace": namespace, "jobs": jobs, "max_file_size": max_file_size,
    })
    if fix or unsafe_fixes or diff or check:
        from k8slint.commands.fix import run_fixes

        result = run_fixes(list(paths), settings, unsafe=unsafe_fixes, diff=diff, check=check, stdin_filename=stdin_filename)
    else:
        result = lint_paths(list(paths), settings, stdin_filename=stdin_filename)
    for missing in result.missing:
        click.echo(f"k8slint: {missing}: no such file or directory", err=True)
    if not result.files and not result.missing:
        click.echo(f"k8slint: no YAML files found in {', '.join(paths)}", err=True)
    if verbose and result.skipped_documents:
        click.echo(f"k8slint: skipped {result.skipped_documents} document(s) that are neither Kubernetes objects nor Compose files", err=True)
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    options = ReportOptions(color=use_color and format_name == "text", show_suppressed=show_suppressed, verbose=verbose, quiet=quiet)
    from k8slint.report import render

    write_output(render(format_name, result, options), output)
    if result.missing or not result.files:
        sys.exit(2)
    sys.exit(1 if result.failed(settings.fail_on) else 0)


def _split(values) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]
