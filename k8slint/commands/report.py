"""``k8slint report``: an HTML page or a Markdown summary of a lint run, for people."""

from __future__ import annotations

import sys

import click

from k8slint.commands.common import fail_usage, load_settings_or_exit, run_lint, split_values, write_output
from k8slint.commands.completion import rules_and_categories

FORMAT_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the report to this file [default: stdout].",
)
@click.option(
    "-f",
    "--format",
    "format_name",
    type=click.Choice(["html", "markdown"]),
    help="Report format [default: from the --output suffix (.md = markdown), else html].",
)
@click.option("--title", help="Heading of the report [default: k8slint report].")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: .k8slint.yaml or pyproject.toml found upward).",
)
@click.option(
    "--select",
    multiple=True,
    shell_complete=rules_and_categories,
    help="Only these rules or categories (repeatable, comma-separated).",
)
@click.option(
    "--ignore",
    multiple=True,
    shell_complete=rules_and_categories,
    help="Skip these rules or categories (repeatable, comma-separated).",
)
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option("--kubernetes-version", help="Target Kubernetes version, e.g. 1.30 [default: newest bundled].")
@click.option("-n", "--namespace", help="Namespace of objects that do not name one [default: default].")
@click.option(
    "--context", multiple=True, help="Also index the manifests under this directory; report only PATHS (repeatable)."
)
@click.option("--show-suppressed", is_flag=True, help="Also list suppressed findings, marked as such.")
def report(
    paths,
    output,
    format_name,
    title,
    config_path,
    select,
    ignore,
    exclude,
    kubernetes_version,
    namespace,
    context,
    show_suppressed,
):
    """Lint PATHS and write a report for people: a self-contained HTML page or a Markdown PR comment.

    Exits 0 once the report is written, whatever it found (use `k8slint lint` as the gate).
    """
    from k8slint.report import ReportOptions, render

    if not paths:
        fail_usage("no paths given; try `k8slint report . -o report.html`")
    if format_name is None:
        suffix = "." + output.rsplit(".", 1)[-1].lower() if output and "." in output else ""
        format_name = FORMAT_BY_SUFFIX.get(suffix, "html")
    settings = load_settings_or_exit(
        config_path,
        {
            "select": split_values(select),
            "ignore": split_values(ignore),
            "exclude": exclude,
            "kubernetes_version": kubernetes_version,
            "namespace": namespace,
            "context": context,
        },
    )
    result = run_lint(list(paths), settings)
    write_output(render(format_name, result, ReportOptions(show_suppressed=show_suppressed, title=title)), output)
    if output:
        click.echo(f"k8slint: wrote {format_name} report of {result.files} file(s) to {output}", err=True)
    sys.exit(2 if result.missing or result.empty or result.crashed else 0)
