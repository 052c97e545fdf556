"""The loader's type casts: string values at known paths are read as numbers or booleans before validation.

docker compose interpolates every string and then converts the strings at these
paths (compose-go ``loader/interpolate.go``, ``interpolateTypeCastMapping``):
``replicas: "3"`` becomes 3, while ``replicas: "two"`` stops the loader with
"failed to cast to expected type". The schema is then checked on the converted
values, so the casts run before validation here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANY = "*"  # any key of a mapping
ITEM = "[]"  # any item of a list

_INTEGER = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)", re.IGNORECASE)
_BOOLEANS = {"true": True, "y": True, "yes": True, "on": True, "false": False, "n": False, "no": False, "off": False}
GO_INT = 2**63  # Go's int is 64 bits on the platforms docker compose ships for
FLOAT32_MAX = 3.4028234663852886e38


def _integer(text: str):
    if _INTEGER.fullmatch(text) and -GO_INT <= int(text) < GO_INT:
        return int(text)
    return None


def _float(text: str, limit: float = float("inf")):
    if not _FLOAT.fullmatch(text):
        return None
    value = float(text)
    return value if abs(value) <= limit or value != value or abs(value) == float("inf") else None


def _boolean(text: str):
    return _BOOLEANS.get(text.lower())


@dataclass(frozen=True)
class Cast:
    """A conversion: its reader and how a message names the type it wants."""

    read: object
    wanted: str


WHOLE = Cast(_integer, "a whole number")
NUMBER = Cast(_float, "a number")
NUMBER32 = Cast(lambda text: _float(text, FLOAT32_MAX), "a number")
BOOLEAN = Cast(_boolean, "true or false")
# decoded straight into a Go uint16 with no cast: any string is refused, even "300" ("unconvertible type 'string'")
UNQUOTED = Cast(lambda text: None, "a whole number without quotes (docker compose converts no text here)")

_SERVICE = {
    ("blkio_config", "weight"): UNQUOTED,
    ("blkio_config", "weight_device", ITEM, "weight"): UNQUOTED,
    ("cpu_count",): WHOLE,
    ("cpu_percent",): NUMBER,
    ("cpu_period",): WHOLE,
    ("cpu_quota",): WHOLE,
    ("cpu_rt_period",): WHOLE,
    ("cpu_rt_runtime",): WHOLE,
    ("cpus",): NUMBER32,
    ("cpu_shares",): WHOLE,
    ("init",): BOOLEAN,
    ("depends_on", ANY, "required"): BOOLEAN,
    ("depends_on", ANY, "restart"): BOOLEAN,
    ("deploy", "replicas"): WHOLE,
    ("deploy", "update_config", "parallelism"): WHOLE,
    ("deploy", "update_config", "max_failure_ratio"): NUMBER,
    ("deploy", "rollback_config", "parallelism"): WHOLE,
    ("deploy", "rollback_config", "max_failure_ratio"): NUMBER,
    ("deploy", "restart_policy", "max_attempts"): WHOLE,
    ("deploy", "placement", "max_replicas_per_node"): WHOLE,
    ("healthcheck", "retries"): WHOLE,
    ("healthcheck", "disable"): BOOLEAN,
    ("oom_kill_disable",): BOOLEAN,
    ("oom_score_adj",): WHOLE,
    ("pids_limit",): WHOLE,
    ("ports", ITEM, "target"): WHOLE,
    ("privileged",): BOOLEAN,
    ("read_only",): BOOLEAN,
    ("scale",): WHOLE,
    ("stdin_open",): BOOLEAN,
    ("tty",): BOOLEAN,
    ("ulimits", ANY): WHOLE,
    ("ulimits", ANY, "hard"): WHOLE,
    ("ulimits", ANY, "soft"): WHOLE,
    ("deploy", "resources", "limits", "cpus"): NUMBER,  # decoded, not cast, but refused the same way
    ("deploy", "resources", "limits", "pids"): WHOLE,
    ("deploy", "resources", "reservations", "cpus"): NUMBER,
    ("volumes", ITEM, "read_only"): BOOLEAN,
    ("volumes", ITEM, "volume", "nocopy"): BOOLEAN,
}
CASTS = {("services", ANY) + path: cast for path, cast in _SERVICE.items()} | {
    (kind, ANY, flag): BOOLEAN
    for kind, flags in (
        ("networks", ("external", "internal", "attachable", "enable_ipv4", "enable_ipv6")),
        ("volumes", ("external",)),
        ("secrets", ("external",)),
        ("configs", ("external",)),
    )
    for flag in flags
}


@dataclass(frozen=True)
class CastError:
    """A string at ``path`` the loader cannot convert to the type it wants there."""

    path: tuple
    value: str
    wanted: str


def _matches(pattern: tuple, path: tuple) -> bool:
    if len(pattern) != len(path):
        return False
    for want, part in zip(pattern, path, strict=True):
        if want == ITEM:
            if not isinstance(part, int):
                return False
        elif want == ANY:
            if isinstance(part, int):
                return False
        elif want != part:
            return False
    return True


def _by_end(casts: dict) -> dict:
    """The patterns of ``casts`` in their order, by (length, last key); a wildcard last key files under None."""
    found: dict[tuple, list] = {}
    for pattern, cast in casts.items():
        end = None if pattern[-1] in (ANY, ITEM) else pattern[-1]
        found.setdefault((len(pattern), end), []).append((pattern, cast))
    return found


_BY_END = _by_end(CASTS)
_ORDER = {pattern: order for order, pattern in enumerate(CASTS)}


def _cast_for(path: tuple) -> Cast | None:
    """The first pattern of CASTS that ``path`` matches (only those that can match are tried)."""
    if not path:
        return None
    named = _BY_END.get((len(path), path[-1]), []) if isinstance(path[-1], str) else []
    wild = _BY_END.get((len(path), None), [])
    candidates = sorted(named + wild, key=lambda item: _ORDER[item[0]]) if named and wild else named or wild
    return next((cast for pattern, cast in candidates if _matches(pattern, path)), None)


def cast_tree(data) -> tuple[object, list[CastError]]:
    """``data`` with the loader's casts applied (a new tree only where something changed) and the failures."""
    failures: list[CastError] = []

    def walk(node, path: tuple):
        if isinstance(node, dict):
            return {key: walk(value, path + (key,)) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value, path + (index,)) for index, value in enumerate(node)]
        if isinstance(node, str) and len(path) <= 6:
            cast = _cast_for(path)
            if cast is not None:
                value = cast.read(node)
                if value is None:
                    failures.append(CastError(path, node, cast.wanted))
                    return node
                return value
        return node

    return walk(data, ()), failures


_KINDS = {"whole": WHOLE, "number": NUMBER}


def cast_value(value, kind: str):
    """A number as the loader reads it (``kind`` is whole or number), or None when it cannot."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    return _KINDS[kind].read(value) if isinstance(value, str) else None
