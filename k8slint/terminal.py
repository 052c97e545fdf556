"""What a terminal gets: whether to colour (and the colours), and a progress line on stderr for long runs.

Colour follows ``--color auto|always|never``; ``auto`` honours ``NO_COLOR``
(https://no-color.org) and ``FORCE_COLOR`` (https://force-color.org), then
colours only a terminal. Progress is drawn only when stderr is a terminal and
no CI is detected, only once a run has taken ``PROGRESS_AFTER`` seconds, and it
is erased when the run ends: pipes, files and CI logs never see it.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager

COLOR_CHOICES = ("auto", "always", "never")
COLORS = {
    "error": "\033[1;31m",
    "warning": "\033[1;33m",
    "info": "\033[1;34m",
    "dim": "\033[2m",
    "bold": "\033[1m",
    "green": "\033[1;32m",
    "cyan": "\033[36m",
    "added": "\033[32m",
    "removed": "\033[31m",
}
RESET = "\033[0m"
PROGRESS_AFTER = 1.0  # seconds before the first progress line (K8SLINT_PROGRESS_AFTER overrides, for tests)
REDRAW_EVERY = 0.1


def use_color(choice: str | None, to_stdout: bool = True) -> bool:
    """Whether to colour output under ``--color choice`` (``auto`` when None), going to stdout or to a file."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return to_stdout and _is_tty(sys.stdout)


def painter(enabled: bool):
    """``paint(style, text)``: ``text`` in a ``COLORS`` style, or as it is when colour is off."""

    def paint(style: str, text: str) -> str:
        return f"{COLORS[style]}{text}{RESET}" if enabled else text

    return paint


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """``k8slint: 1234/10000 files`` redrawn in place on a terminal's stderr, erased at the end."""

    def __init__(self, stream, after: float):
        self.stream = stream
        self.after = after
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.done = 0
        self.total = 0
        self.visible = False

    def files(self, total: int) -> None:
        """A batch of ``total`` more files is about to be linted."""
        self.total += total

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.started >= self.after and (now - self.drawn_at >= REDRAW_EVERY or self.done == self.total):
            self.drawn_at = now
            self._write(f"\r\033[Kk8slint: {self.done}/{self.total} files")
            self.visible = True

    def close(self) -> None:
        if self.visible:
            self._write("\r\033[K")
            self.visible = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed terminal must not cost the run
            self.visible = False


class _Silent:
    def files(self, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


_current: Progress | _Silent = _Silent()


def progress():
    """The progress line of the running command (one that draws nothing unless ``showing_progress`` is active)."""
    return _current


def wants_progress(stream=None) -> bool:
    """A terminal on stderr and no CI: the only place a progress line belongs."""
    stream = sys.stderr if stream is None else stream
    return _is_tty(stream) and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


@contextmanager
def showing_progress(enabled: bool):
    """Draw progress on stderr while the block runs (when ``enabled`` and stderr is a terminal outside CI)."""
    global _current
    if not (enabled and wants_progress()):
        yield
        return
    after = float(os.environ.get("K8SLINT_PROGRESS_AFTER", PROGRESS_AFTER))
    _current = Progress(sys.stderr, after)
    try:
        yield
    finally:
        _current.close()
        _current = _Silent()
