"""The ``k8slint`` click group: sub-commands are imported only when invoked, so ``k8slint lint one.yaml``
never pays for diagnose, reports or schemas."""

from __future__ import annotations

import importlib

import click

from k8slint import __version__

# command name -> "module:attribute" of a click command
COMMANDS = {
    "lint": "k8slint.commands.lint:lint",
    "cache": "k8slint.commands.cache:cache_command",
    "rules": "k8slint.commands.rules:rules_command",
    "explain": "k8slint.commands.rules:explain",
    "fix": "k8slint.commands.fix:fix",
    "report": "k8slint.commands.report:report",
    "diagnose": "k8slint.diagnose.commands:diagnose",
    "doctor": "k8slint.diagnose.commands:doctor",
    "server": "k8slint.commands.server:server",
    "completion": "k8slint.commands.completion:completion",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="k8slint")
def cli():
    """Lint Kubernetes and Docker Compose manifests; explain the errors they cause."""
