"""One ``.gitignore`` file's patterns, matched as git matches them (``dir.c`` and ``wildmatch.c``).

A line is a pattern unless it is blank or starts with ``#``; trailing spaces
go unless escaped with ``\\``; ``!`` negates; a trailing ``/`` matches
directories only; a pattern without any other ``/`` matches a name at any
depth, one with a ``/`` matches the path from the file's directory. ``*``,
``?`` and ``[...]`` never match ``/``; ``**`` between slashes (or at either
end) matches across directories, elsewhere it is a ``*``. The last pattern
that matches decides. Git never looks inside a directory it ignores; neither
do the walks that ask (``ignores``), so a path is matched as it is, not
through its parents.
"""

from __future__ import annotations

import re

_POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9a-fA-F",
}


class _Invalid(ValueError):
    """A pattern git's wildmatch gives up on (an unclosed ``[``, a trailing ``\\``): it matches nothing."""


class Patterns:
    """The patterns of one ignore file (or of several read in order), asked about paths below its directory."""

    def __init__(self, lines: list[str]):
        self._rules: list[tuple[re.Pattern | None, bool, bool, bool]] = []  # (regex, negated, dirs only, by name)
        for line in lines:
            rule = _rule(line)
            if rule is not None:
                self._rules.append(rule)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def __add__(self, later: Patterns) -> Patterns:
        """These patterns, then ``later``'s (which win where both match)."""
        both = Patterns([])
        both._rules = self._rules + later._rules
        return both

    def verdict(self, relative: str, is_dir: bool) -> bool | None:
        """Whether the last pattern matching ``relative`` (``/``-separated, from the file's directory) ignores
        it (True) or re-includes it (False); None when no pattern matches."""
        name = relative.rpartition("/")[2]
        for regex, negated, dirs_only, by_name in reversed(self._rules):
            if regex is None or (dirs_only and not is_dir):
                continue
            if regex.fullmatch(name if by_name else relative):
                return not negated
        return None


def _rule(line: str) -> tuple[re.Pattern | None, bool, bool, bool] | None:
    if not line or line.startswith("#"):
        return None
    pattern = _trimmed(line)
    negated = pattern.startswith("!")
    if negated:
        pattern = pattern[1:]
    dirs_only = pattern.endswith("/")
    if dirs_only:
        pattern = pattern[:-1]
    if not pattern and not dirs_only and not negated:
        return None  # a line of spaces
    by_name = "/" not in pattern
    if pattern.startswith("/"):
        pattern = pattern[1:]
    try:
        regex = re.compile(_translate(pattern), re.DOTALL)
    except (_Invalid, re.error):
        regex = None
    return regex, negated, dirs_only, by_name


def _trimmed(line: str) -> str:
    """``line`` without its trailing spaces, except an escaped one (git's ``trim_trailing_spaces``)."""
    last_space = None
    index = 0
    while index < len(line):
        char = line[index]
        if char == " ":
            if last_space is None:
                last_space = index
        elif char == "\\":
            index += 1
            if index >= len(line):
                return line
            last_space = None
        else:
            last_space = None
        index += 1
    return line if last_space is None else line[:last_space]


def _translate(pattern: str) -> str:
    """A regular expression matching what wildmatch (with ``WM_PATHNAME``) matches for ``pattern``."""
    out = []
    index, size = 0, len(pattern)
    while index < size:
        char = pattern[index]
        if char == "*":
            start = index
            while index < size and pattern[index] == "*":
                index += 1
            before = pattern[start - 1] if start else "/"
            after = pattern[index] if index < size else ""
            if index - start >= 2 and before == "/" and after in ("/", ""):
                if after == "/":  # "**/": no directory, or any number of them
                    out.append("(?:.*/)?")
                    index += 1
                else:  # a trailing "**": everything (below the "/" before it)
                    out.append(".*")
            else:
                out.append("[^/]*")
            continue
        if char == "?":
            out.append("[^/]")
        elif char == "[":
            klass, index = _class(pattern, index + 1)
            out.append(klass)
            continue
        elif char == "\\":
            index += 1
            if index >= size:
                raise _Invalid(pattern)
            out.append(re.escape(pattern[index]))
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def _class(pattern: str, index: int) -> tuple[str, int]:
    """The regex of the bracket expression starting at ``index`` (just past ``[``), and the index past its ``]``."""
    size = len(pattern)
    negated = index < size and pattern[index] in "!^"
    if negated:
        index += 1
    parts: list[str] = []
    first = True
    previous: str | None = None  # the last single character, which a "-" may extend to a range
    while True:
        if index >= size:
            raise _Invalid(pattern)
        char = pattern[index]
        if char == "]" and not first:
            index += 1
            break
        first = False
        if char == "\\":
            index += 1
            if index >= size:
                raise _Invalid(pattern)
            char = pattern[index]
        elif char == "-" and previous is not None and index + 1 < size and pattern[index + 1] != "]":
            end = pattern[index + 1]
            index += 2
            if end == "\\":
                if index >= size:
                    raise _Invalid(pattern)
                end = pattern[index]
                index += 1
            if previous <= end:  # a reversed range adds nothing (its first character was taken on its own)
                parts.append(f"{re.escape(previous)}-{re.escape(end)}")
            previous = None
            continue
        elif char == "[" and pattern.startswith(":", index + 1):
            close = pattern.find(":]", index + 2)
            if close < 0:  # no ":]": the "[" is a character of the set
                parts.append(re.escape(char))
                previous = char
                index += 1
                continue
            name = pattern[index + 2 : close]
            if name not in _POSIX_CLASSES:
                raise _Invalid(pattern)
            parts.append(_POSIX_CLASSES[name])
            previous = None
            index = close + 2
            continue
        parts.append(re.escape(char))
        previous = char
        index += 1
    if negated:
        return f"[^/{''.join(parts)}]", index
    if not parts:
        return "(?!)", index
    return f"(?!/)[{''.join(parts)}]", index
