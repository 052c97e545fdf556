"""Service ``volumes`` entries (short ``SRC:DST[:MODE]`` and long syntax) as typed mounts."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")


@dataclass(frozen=True)
class Mount:
    """A mount: ``type`` is bind, volume, tmpfs … (``volume`` with no source is anonymous)."""

    type: str
    source: str | None
    target: str | None


def is_windows_path(text: str) -> bool:
    """``C:\\data``, ``C:/data`` or a UNC ``\\\\host\\share`` path."""
    return bool(_WINDOWS_PATH.match(text))


class MountError(ValueError):
    """A short-syntax volume the loader cannot read; the message says why."""


def _is_drive(buffer: str, char: str) -> bool:
    return char == ":" and len(buffer) == 1 and buffer.isalpha()


def _is_file_path(source: str) -> bool:
    return bool(source) and (source[0] in "./~" or source.startswith("\\\\") or _is_drive(source[:1], source[1:2]))


def split_volume(spec: str) -> tuple[str, str, str]:
    """``(source, target, options)`` of a short-syntax volume, read as the loader reads it.

    Colons inside ``${...}`` and after a one-letter drive (``C:``) do not separate;
    a lone part is the target (an anonymous volume). Raises MountError for an empty
    spec, an empty part between colons, or more than three parts.
    """
    if not spec:
        raise MountError("the entry is empty")
    if len(spec) <= 2:
        return "", spec, ""
    fields: list[str] = []
    buffer, depth = "", 0
    for index, char in enumerate(spec + "\0"):
        if char == "$" and spec[index + 1 : index + 2] == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif _is_drive(buffer, char):
            pass
        elif char in (":", "\0") and not depth:
            if not buffer:
                raise MountError("it has an empty part between colons")
            if len(fields) == 2 and char == ":":
                raise MountError("it has too many colons (SOURCE:TARGET:OPTIONS at most)")
            fields.append(buffer)
            buffer = ""
            continue
        buffer += char
    if len(fields) == 1:
        return "", fields[0], ""
    return fields[0], fields[1], fields[2] if len(fields) > 2 else ""


def parse_mount(entry) -> Mount | None:
    """A mount for one ``volumes`` entry, or None when it is neither a string nor a mapping."""
    if isinstance(entry, dict):
        kind, source = entry.get("type"), entry.get("source")
        return Mount(
            kind if isinstance(kind, str) else "volume",
            source if isinstance(source, str) and source else None,
            entry.get("target"),
        )
    if not isinstance(entry, str):
        return None
    try:
        source, target, _ = split_volume(entry)
    except MountError:
        return None
    if not source:
        return Mount("volume", None, target)
    return Mount("bind" if _is_file_path(source) else "volume", source, target)
