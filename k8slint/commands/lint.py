"""``k8slint lint``: the rule engine from the command line."""

from __future__ import annotations

import click

from k8slint.commands.options import lint_options


@click.command()
@lint_options(with_fix_flag=True)
def lint(**options):
    """Lint Kubernetes and Docker Compose YAML files, directories or globs ('-' reads stdin)."""
    from k8slint.commands.linting import run

    run(**options)
