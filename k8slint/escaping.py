"""Text from files, names and pastes, made safe to show: control characters never reach a terminal or CI log.

An ESC sequence in a YAML value could recolour or retitle a terminal (or hide the lines above it), a
carriage return could overwrite a line, and a newline followed by ``::error file=…`` would forge a GitHub
annotation. Every human-facing format passes such text through ``escape``: each control character is shown
as an escape (``\\x1b``, ``\\r``, ``\\n``), as is a bidirectional override that could reorder what is seen.
"""

from __future__ import annotations

import dataclasses
import re

_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\x1b"}
EXCERPT = 60  # characters of a file's text an error message may quote


def _shown(match: re.Match) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def escape(text):
    """``text`` with every control character (tabs excepted) written as an escape; non-strings pass through."""
    if not isinstance(text, str) or _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_shown, text)


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """A short, quoted, escaped excerpt of a file's text for an error message (``'apiVersion: v1 …'``)."""
    short = text[:limit] + (" …" if len(text) > limit else "")
    return repr(short)


def escaped_finding(finding):
    """A copy of a finding whose texts (file, message, help, object, path) are safe to show."""
    texts = {name: escape(getattr(finding, name)) for name in ("file", "message", "help", "object", "path")}
    if all(texts[name] is getattr(finding, name) for name in texts):
        return finding
    return dataclasses.replace(finding, **texts)
