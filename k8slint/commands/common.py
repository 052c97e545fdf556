"""Helpers shared by the commands: settings, usage errors, output files."""

from __future__ import annotations

import sys

import click

from k8slint.config import Settings
from k8slint.configfile import load_settings
from k8slint.errors import ConfigError


def fail_usage(message: str):
    click.echo(f"k8slint: error: {message}", err=True)
    sys.exit(2)


def load_settings_or_exit(config_path: str | None, overrides: dict) -> Settings:
    try:
        return load_settings(config_path, overrides)
    except ConfigError as exc:
        fail_usage(str(exc))


def write_output(text: str, output: str | None) -> None:
    """Print the report, or write it to ``output`` (see ``files.write_output``: never through a symlink)."""
    if output is None or output == "-":
        click.echo(text, nl=False, color=True)  # colour codes are only there when asked for
        return
    from k8slint import files, replay

    try:
        with replay.writing_report(output, text):
            files.write_output(output, _encoded(text))
    except OSError as exc:
        fail_usage(f"{output}: cannot write report: {exc.strerror}")


def _encoded(text: str, size: int = 1 << 20):
    """UTF-8 of ``text``, a million characters at a time (a report of 100k findings is 80 MB: no second copy)."""
    return (text[start : start + size].encode("utf-8") for start in range(0, len(text), size))


def split_values(values) -> list[str]:
    """Repeatable, comma-separated option values as one flat list."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def run_lint(
    paths: list[str], settings: Settings, stdin_filename: str | None = None, compose_files=(), verbose: bool = False
):
    """Run the engine and tell the user about paths that matched nothing."""
    from k8slint.engine import lint_paths

    result = lint_paths(paths, settings, stdin_filename=stdin_filename, compose_files=compose_files)
    tell_discovery(result, paths, verbose)
    return result


def tell_discovery(result, paths: list[str], verbose: bool = False) -> None:
    """Say which paths matched nothing, and (once) that Helm charts are linted from what they render."""
    for notice in result.notices:
        click.echo(f"k8slint: {notice}", err=True)
    for missing in result.missing:
        click.echo(f"k8slint: {missing}: no such file or directory", err=True)
    if result.empty and not result.missing and not result.notices:
        click.echo(f"k8slint: no YAML files found in {', '.join(paths)}", err=True)
    if result.helm and (verbose or not result.files):
        click.echo(
            f"k8slint: passed over {len(result.helm)} Helm chart path(s) ({result.helm[0]}"
            f"{' …' if len(result.helm) > 1 else ''}): templates are linted as rendered, "
            "`helm template CHART | k8slint lint -`",
            err=True,
        )
