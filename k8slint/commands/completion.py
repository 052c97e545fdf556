"""``k8slint completion bash|zsh|fish``: the shell's completion script, and what completes rule ids.

The script calls k8slint back (click's completion protocol, ``_K8SLINT_COMPLETE``),
so completions follow the installed version: file paths wherever a command takes
paths, rule ids and categories after ``--select``/``--ignore`` (each item of a
comma-separated list) and after ``explain``.

    k8slint completion bash > ~/.local/share/bash-completion/completions/k8slint
    k8slint completion zsh > "${fpath[1]}/_k8slint"
    k8slint completion fish > ~/.config/fish/completions/k8slint.fish
"""

from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")
PROGRAM = "k8slint"
VARIABLE = "_K8SLINT_COMPLETE"


def rule_ids(ctx, param, incomplete: str):
    """Rule ids starting with ``incomplete`` (``explain RULE``)."""
    from click.shell_completion import CompletionItem

    from k8slint.registry import all_rules

    return [
        CompletionItem(rule.id, help=rule.summary) for rule in all_rules().values() if rule.id.startswith(incomplete)
    ]


def rules_and_categories(ctx, param, incomplete: str):
    """Rule ids and categories for the last item of a comma-separated ``--select``/``--ignore`` value."""
    from click.shell_completion import CompletionItem

    from k8slint.registry import all_rules

    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    rules = all_rules().values()
    names = sorted({rule.category for rule in rules} | {"all"}) + [rule.id for rule in rules]
    return [CompletionItem(prefix + name) for name in names if name.startswith(last)]


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell):
    """Print the completion script for SHELL (bash, zsh or fish); see `k8slint completion --help`.

    \b
      k8slint completion bash > ~/.local/share/bash-completion/completions/k8slint
      k8slint completion zsh > "${fpath[1]}/_k8slint"     # a directory on $fpath
      k8slint completion fish > ~/.config/fish/completions/k8slint.fish
    """
    from click.shell_completion import get_completion_class

    from k8slint.commands.group import cli

    script = get_completion_class(shell)(cli, {}, PROGRAM, VARIABLE).source()
    click.echo(script, nl=not script.endswith("\n"))
