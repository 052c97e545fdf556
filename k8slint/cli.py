"""Command-line entry point: answers a repeated lint from its record, else runs the click group.

Nothing is imported here but what answering needs (``replay``): click, the
commands and the engine load only when the run cannot be answered from an
earlier one's record.
"""

from __future__ import annotations

import sys


def main():
    from k8slint import replay

    argv = sys.argv[1:]
    recording = argv[:1] == ["lint"]
    if recording:
        name = replay.key(argv)
        replay.answer(name)  # exits when an earlier run with the same arguments saw what this one would see
    from k8slint import stopping
    from k8slint.commands.group import cli

    stopping.install()
    if recording:
        replay.start(name)
    try:
        cli(argv, prog_name="k8slint")
    except SystemExit as done:
        replay.finish(done.code)
        raise
    except stopping.Stopped as stop:  # Ctrl-C, kill, a closed terminal: one line, the shell's exit code
        replay.finish(None)
        stopping.exit(stop)
    finally:
        replay.finish(None)


def __getattr__(name):
    """``k8slint.cli.cli``: the click group, imported when asked for (tests, completion)."""
    if name == "cli":
        from k8slint.commands.group import cli

        return cli
    raise AttributeError(name)
