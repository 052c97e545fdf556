"""Helpers shared by the commands: settings, usage errors, output files."""

from __future__ import annotations

import os
import sys
import tempfile

import click

from k8slint.config import ConfigError, Settings, load_settings


def fail_usage(message: str):
    click.echo(f"k8slint: error: {message}", err=True)
    sys.exit(2)


def load_settings_or_exit(config_path: str | None, overrides: dict) -> Settings:
    try:
        return load_settings(config_path, overrides)
    except ConfigError as exc:
        fail_usage(str(exc))


def write_output(text: str, output: str | None) -> None:
    """Print the report, or write it to ``output`` atomically."""
    if output is None or output == "-":
        click.echo(text, nl=False, color=True)  # colour codes are only there when asked for
        return
    directory = os.path.dirname(os.path.abspath(output))
    try:
        if output == os.devnull:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            return
        fd, temp = tempfile.mkstemp(dir=directory, prefix=".k8slint-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, output)
    except OSError as exc:
        fail_usage(f"{output}: cannot write report: {exc.strerror}")
