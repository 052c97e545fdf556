"""``k8slint cache``: where the result cache lives, and emptying it."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("cache")
def cache_command():
    """The per-user cache of unchanged files' results."""


@cache_command.command("dir")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="The cache directory to show.")
def cache_dir(cache_dir):
    """Print the cache directory."""
    from k8slint import cache

    click.echo(cache_dir or cache.default_dir())


@cache_command.command("clean")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="The cache directory to empty.")
def cache_clean(cache_dir):
    """Delete every cached result."""
    from k8slint import cache

    directory = Path(cache_dir) if cache_dir else cache.default_dir()
    removed = cache.clean(directory)
    click.echo(f"k8slint: removed {removed} cached file(s) from {directory}")
