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


def is_host_path(text: str) -> bool:
    """Whether a short-syntax source names a host path (a bind mount) rather than a named volume."""
    return text.startswith(("/", ".", "~")) or is_windows_path(text)


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
    drive = 2 if is_windows_path(entry) and entry[1] == ":" else 0
    parts = entry[drive:].split(":")
    parts[0] = entry[:drive] + parts[0]
    if len(parts) == 1:
        return Mount("volume", None, parts[0])
    source, target = parts[0], parts[1]
    return Mount("bind" if is_host_path(source) else "volume", source, target)
