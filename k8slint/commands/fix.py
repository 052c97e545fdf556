"""``k8slint fix`` (same as ``lint --fix``): apply fixes, then report what remains."""

from __future__ import annotations

import click

from k8slint.commands.options import lint_options


@click.command(
    "fix",
    help="Apply the safe fixes (--unsafe-fixes for the rest) to files, directories or globs, then report what remains.",
)
@lint_options(with_fix_flag=False)
def fix(**options):
    from k8slint.commands.linting import run

    run(fix=True, **options)
