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
        _exit_now(done.code)
    except stopping.Stopped as stop:  # Ctrl-C, kill, a closed terminal: one line, the shell's exit code
        replay.finish(None)
        stopping.exit(stop)
    finally:
        replay.finish(None)


def _exit_now(code) -> None:
    """End the process as ``sys.exit(code)`` would, without taking the interpreter apart first.

    The run is over: reports and cache entries are written and closed, workers joined. Freeing a large
    run's objects one by one at exit costs more than a small run's own work (as mypy, k8slint skips it);
    the streams are flushed, and a closed pipe is no error at this point.
    """
    import contextlib
    import os

    if code is None or isinstance(code, int):
        status = code or 0
    else:  # a message, as sys.exit prints it
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def __getattr__(name):
    """``k8slint.cli.cli``: the click group, imported when asked for (tests, completion)."""
    if name == "cli":
        from k8slint.commands.group import cli

        return cli
    raise AttributeError(name)
