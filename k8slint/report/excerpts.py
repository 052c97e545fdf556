"""Source line excerpts for reports, read as text (never re-parsed as YAML)."""

from __future__ import annotations

import os

from k8slint.escaping import escape
from k8slint.sources import Source, SourceError


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
