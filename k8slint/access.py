"""Small accessors for raw manifest data, which may hold any YAML shape where a mapping or list belongs.

A check reads ``mapping(spec, "template")`` instead of repeating
``x if isinstance(x, dict) else {}``; a wrong shape reads as empty (the schema
rule reports it), never as an exception.
"""

from __future__ import annotations


def mapping(data, key) -> dict:
    """``data[key]`` when ``data`` is a mapping and that value is one too, else an empty dict."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def sequence(data, key) -> list:
    """``data[key]`` when ``data`` is a mapping and that value is a list, else an empty list."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def integer(value) -> int | None:
    """``value`` when it is a whole number (YAML's true and false are not), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
