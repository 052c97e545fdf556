"""Service ``ports`` entries: the short string/number syntax and the long mapping syntax.

Short syntax, as Docker reads it: ``[[HOST_IP:]HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]``;
the last two colon-separated parts are the ports, anything before them is the
host IP (IPv6 may be bracketed).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

PROTOCOLS = ("tcp", "udp", "sctp")
WILDCARD_IPS = ("", "0.0.0.0", "::")


class PortError(ValueError):
    """A ports entry Compose would reject; the message names the bad part."""


@dataclass(frozen=True)
class PortSpec:
    """One parsed ports entry; ranges are inclusive ``(first, last)`` pairs."""

    target: tuple[int, int]
    published: tuple[int, int] | None  # None: Docker picks an ephemeral host port
    host_ip: str = ""
    protocol: str = "tcp"

    @property
    def pooled(self) -> bool:
        """A host range for one container port: Docker binds one free port of the range."""
        return (
            self.published is not None and self.target[0] == self.target[1] and self.published[0] != self.published[1]
        )

    def label(self) -> str:
        """Human form of the published side, e.g. ``127.0.0.1:8080/tcp``."""
        first, last = self.published or (0, 0)
        ports = str(first) if first == last else f"{first}-{last}"
        return f"{self.host_ip + ':' if self.host_ip else ''}{ports}/{self.protocol}"


def _port_range(text: str, what: str, allow_zero: bool) -> tuple[int, int]:
    first, sep, last = text.partition("-")
    if not first.isdigit() or (sep and not last.isdigit()):
        raise PortError(f"{what} {text!r} is not a port number or range")
    low, high = int(first), int(last) if sep else int(first)
    lowest = 0 if allow_zero else 1
    if not (lowest <= low <= 65535 and lowest <= high <= 65535):
        raise PortError(f"{what} {text!r} is outside {lowest}-65535")
    if high < low:
        raise PortError(f"{what} range {text!r} ends before it starts")
    return low, high


def _host_ip(text: str) -> str:
    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        ipaddress.ip_address(bare)
    except ValueError:
        raise PortError(f"host IP {text!r} is not an IP address") from None
    return bare


def _protocol(text) -> str:
    if not isinstance(text, str) or text.lower() not in PROTOCOLS:
        raise PortError(f"protocol {text!r} is not one of {', '.join(PROTOCOLS)}")
    return text.lower()


def _spec(target: tuple[int, int], published: tuple[int, int] | None, host_ip: str, protocol: str) -> PortSpec:
    if published is not None and published[1] - published[0] != target[1] - target[0] and target[0] != target[1]:
        raise PortError("host and container port ranges have different lengths")
    if published == (0, 0):
        published = None
    return PortSpec(target, published, host_ip, protocol)


def parse_short(entry) -> PortSpec:
    """Parse a short-syntax entry (``"8080:80/udp"``, ``3000``)."""
    if isinstance(entry, bool) or not isinstance(entry, (int, str)):
        raise PortError(f"{entry!r} is neither a port string nor a mapping")
    text = str(entry)  # no stripping: the loader reads " :80:80" as the host IP " " and refuses it
    text, _, proto = text.partition("/")
    protocol = _protocol(proto) if proto else "tcp"
    parts = text.split(":")
    target = _port_range(parts[-1], "container port", allow_zero=False)
    published, host_ip = None, ""
    if len(parts) >= 2 and parts[-2]:
        published = _port_range(parts[-2], "host port", allow_zero=True)
    if len(parts) >= 3 and ":".join(parts[:-2]):  # an empty host IP (":8080:80") binds all addresses, as none does
        host_ip = _host_ip(":".join(parts[:-2]))
    return _spec(target, published, host_ip, protocol)


def parse_long(entry: dict) -> PortSpec:
    """Parse a long-syntax mapping (``target``, ``published``, ``host_ip``, ``protocol``)."""
    if "target" not in entry:
        raise PortError("the long syntax needs a target port")
    target = _port_range(str(entry["target"]), "target", allow_zero=False)
    published = entry.get("published")
    published = _port_range(str(published), "published port", allow_zero=True) if published not in (None, "") else None
    host_ip = _host_ip(str(entry["host_ip"])) if entry.get("host_ip") else ""
    protocol = _protocol(entry["protocol"]) if entry.get("protocol") else "tcp"
    return _spec(target, published, host_ip, protocol)


def parse_port(entry) -> PortSpec:
    """Parse any ports entry; raise PortError when Compose would reject it."""
    return parse_long(entry) if isinstance(entry, dict) else parse_short(entry)


def overlaps(a: PortSpec, b: PortSpec) -> bool:
    """Whether two published specs would bind the same host address, port and protocol."""
    if a.published is None or b.published is None or a.protocol != b.protocol:
        return False
    if a.host_ip != b.host_ip and a.host_ip not in WILDCARD_IPS and b.host_ip not in WILDCARD_IPS:
        return False
    return a.published[0] <= b.published[1] and b.published[0] <= a.published[1]
