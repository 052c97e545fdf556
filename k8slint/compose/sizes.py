"""Compose byte sizes (``256m``, ``1gb``, ``512MiB``, plain integers), as Docker's units parser reads them."""

from __future__ import annotations

import re

_SIZE = re.compile(r"(\d+(?:\.\d+)?) ?([kmgtp])?(i)?(b)?", re.IGNORECASE)
_POWERS = {None: 0, "k": 1, "m": 2, "g": 3, "t": 4, "p": 5}


def parse_byte_size(value) -> int | None:
    """Bytes for a Compose byte-size value, or None when it is not one.

    Suffixes are binary multiples (``k`` = 1024) whatever their case, with an
    optional ``i`` and ``b`` (``512m``, ``512MB``, ``512MiB``).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):  # a YAML number is taken as it is (-1, 1e3 and 512.5 pass the loader)
        return int(value)
    if not isinstance(value, str):
        return None
    match = _SIZE.fullmatch(value.strip())
    if match is None:
        return None
    number, unit, binary, byte = match.groups()
    if binary and not unit:
        return None
    power = _POWERS[unit.lower() if unit else None]
    return int(float(number) * 1024**power)
