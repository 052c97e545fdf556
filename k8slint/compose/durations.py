"""Compose durations (``10s``, ``1m30s``, ``1.5h``): Go ``time.ParseDuration`` syntax.

Healthcheck durations are read by a parser that also knows days and weeks (``1d``, ``2w``).
"""

from __future__ import annotations

import re

_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_UNIT_SECONDS_LONG = {**_UNIT_SECONDS, "d": 86400.0, "w": 604800.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_PART_LONG = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w)")


def parse_duration(text, days: bool = False) -> float | None:
    """Seconds for a Compose duration string, or None when it is not one.

    A bare ``0`` is accepted (Go does); any other number needs a unit. With
    ``days``, ``d`` and ``w`` are units too (healthcheck durations).
    """
    part, units = (_PART_LONG, _UNIT_SECONDS_LONG) if days else (_PART, _UNIT_SECONDS)
    if not isinstance(text, str):
        return None
    body = text.strip()
    sign = -1.0 if body.startswith("-") else 1.0
    body = body.lstrip("+-")
    if body == "0":
        return 0.0
    if not body:
        return None
    total, pos = 0.0, 0
    while pos < len(body):
        match = part.match(body, pos)
        if match is None:
            return None
        total += float(match.group(1)) * units[match.group(2)]
        pos = match.end()
    return sign * total
