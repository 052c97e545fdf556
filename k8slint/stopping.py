"""Stopping on a signal: SIGINT, SIGTERM and SIGHUP end a run with exit 128+N, one line and no traceback.

The main process turns each signal into ``Stopped`` (not a KeyboardInterrupt, so click lets it through to
``cli.main``); pool workers leave stopping to the main process, which terminates them on the way out.
A signal the caller ignores (``nohup``, a background job) stays ignored.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(BaseException):
    """A stop signal reached the main process; ``exit_code`` is the shell's 128 + signal number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _stop(signum, frame):
    raise Stopped(signum)


def install() -> None:
    """In the main process: each stop signal raises ``Stopped`` where the run is."""
    for sig in STOP_SIGNALS:
        if signal.getsignal(sig) is not signal.SIG_IGN:
            signal.signal(sig, _stop)


def in_worker() -> None:
    """In a pool worker: Ctrl-C (sent to the whole process group) is the main process's to handle; SIGTERM and
    SIGHUP end the worker at once, as the main process terminates its workers with SIGTERM."""
    for sig in STOP_SIGNALS:
        if signal.getsignal(sig) is not signal.SIG_IGN:
            signal.signal(sig, signal.SIG_IGN if sig == signal.SIGINT else signal.SIG_DFL)


def exit(stop: Stopped) -> None:
    """Say what stopped the run and exit at once: nothing is left to wait for (workers were terminated, a file
    being fixed was either replaced or left as it was)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    try:
        sys.stderr.write(f"k8slint: stopped by {stop.name}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(stop.exit_code)
