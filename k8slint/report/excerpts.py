"""Source line excerpts for reports, read as text (never re-parsed as YAML)."""

from __future__ import annotations

import os

from k8slint.escaping import escape
from k8slint.sources import Source, SourceError

EXCERPT_CHARS = 160  # an excerpt line longer than this is cut around the reported span


class SourceLines:
    """The lines of the files a result names; each file is read once, on first use.

    Files behind the result's objects are read through their ``Source`` (so
    stdin works too); other files (e.g. with a syntax error) by their path.
    """

    def __init__(self, result):
        self._sources = {obj.doc.file: obj.doc.source for obj in result.objects}
        self._lines: dict[str, list[str]] = {}
        self._texts: dict[str, str | None] = {}

    def line(self, file: str, number: int) -> str | None:
        """Line ``number`` (1-based) of ``file``, without its line break, control characters escaped; None if unavailable."""
        if file not in self._lines:
            self._lines[file] = (self.text(file) or "").splitlines()
        lines = self._lines[file]
        return escape(lines[number - 1]) if 0 < number <= len(lines) else None

    def text(self, file: str) -> str | None:
        """The whole text of ``file``; None if unavailable."""
        if file not in self._texts:
            self._texts[file] = self._read(file)
        return self._texts[file]

    def _read(self, file: str) -> str | None:
        source = self._sources.get(file) or (Source(file, file) if os.path.isfile(file) else None)
        if source is None:
            return None
        try:
            return source.read()
        except SourceError:
            return None


def clip(text: str, start: int, end: int, limit: int = EXCERPT_CHARS) -> tuple[str, str, str]:
    """``text`` split into before, ``text[start:end]`` and after, cut with ``…`` to about ``limit`` characters
    around the span when longer (minified or generated lines, a long value an alias repeats)."""
    start = min(max(start, 0), len(text))
    end = max(start, min(end, len(text)))
    before, marked, after = text[:start], text[start:end], text[end:]
    if len(text) > limit:
        marked = cut(marked, limit // 2)
        room = max(0, limit - len(marked)) // 2
        before = cut(before, room, keep_start=False)
        after = cut(after, room)
    return before, marked, after


def cut(text: str, limit: int = EXCERPT_CHARS, keep_start: bool = True) -> str:
    """``text`` shortened to ``limit`` characters and a ``…`` where it was cut."""
    if len(text) <= limit:
        return text
    return text[:limit] + "…" if keep_start else "…" + text[len(text) - limit :]


def span_columns(finding, text: str) -> tuple[int, int]:
    """0-based start and end of a finding's span on its first line ``text`` (to the line's end when it spans lines)."""
    start = min(max(finding.column - 1, 0), len(text))
    same_line = finding.end_line == finding.line and finding.end_column > finding.column
    return start, (min(finding.end_column - 1, len(text)) if same_line else len(text))
