"""Value formats the API server's handwritten validation checks, with its own words for a refusal.

Each ``*_error`` function returns why the API server refuses a value (the
message of the apimachinery ``pkg/util/validation`` function it mirrors), or
None when the value is accepted.
"""

from __future__ import annotations

import ipaddress
import re
from functools import cache

from k8slint.access import integer
from k8slint.kube.quantity import parse_quantity
from k8slint.placeholders import has_placeholder

DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_PERCENT = re.compile(r"[0-9]+%")
# validateTimeZone (pkg/apis/batch/validation): each part of an IANA name
_TIME_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


def dns_label_error(value: str) -> str | None:
    """``IsDNS1123Label``: container, volume, port and hostname labels."""
    if len(value) > 63:
        return "must be no more than 63 characters"
    if not DNS1123_LABEL.fullmatch(value):
        return (
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            "and must start and end with an alphanumeric character"
        )
    return None


def dns1035_label_error(value: str) -> str | None:
    """``IsDNS1035Label``: Service names (an Ingress backend names one)."""
    if len(value) > 63:
        return "must be no more than 63 characters"
    if not DNS1035_LABEL.fullmatch(value):
        return (
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
            "alphabetic character, and end with an alphanumeric character"
        )
    return None


def dns_subdomain_error(value: str) -> str | None:
    """``IsDNS1123Subdomain``: object names, hostnames, an ExternalName."""
    if len(value) > 253:
        return "must be no more than 253 characters"
    if not DNS1123_SUBDOMAIN.fullmatch(value):
        return (
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
            "and must start and end with an alphanumeric character"
        )
    return None


def port_number_error(value: int) -> str | None:
    """``IsValidPortNum``."""
    return None if 1 <= value <= 65535 else "must be between 1 and 65535, inclusive"


def percent_value(value) -> int | None:
    """The number of a valid percent string (``"25%"`` -> 25), else None (``IsValidPercent``)."""
    return int(value[:-1]) if isinstance(value, str) and _PERCENT.fullmatch(value) else None


PERCENT_ERROR = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%')"


def negative(value) -> bool:
    """A whole number below zero (what ``ValidateNonnegativeField`` refuses)."""
    number = integer(value)
    return number is not None and number < 0


def time_zone_error(value: str) -> str | None:
    """``validateTimeZone``: an explicit IANA time zone name (whether the server knows it: ``time_zone_unknown``)."""
    if not value:
        return "timeZone must be nil or non-empty string"
    for part in value.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TIME_ZONE_PART.fullmatch(part):
            return f"unknown time zone {value}"
    if value.lower() == "local":
        return "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
    return None


def time_zone_unknown(value: str) -> bool:
    """A well-formed zone name missing from this machine's tz database (the server's may differ a little)."""
    zones = _time_zones()
    return bool(zones) and value not in zones


@cache
def _time_zones() -> frozenset:
    """The IANA zone names Python knows (empty without a tz database: then names are not looked up)."""
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def path_segment_error(value: str) -> str | None:
    """``IsValidPathSegmentName``: RBAC names, a scale target's kind and name, a metric name."""
    if value in (".", ".."):
        return f"may not be '{value}'"
    for part in ("/", "%"):
        if part in value:
            return f"may not contain '{part}'"
    return None


_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")


def config_key_error(value: str) -> str | None:
    """``IsConfigMapKey``: a key of a ConfigMap's or Secret's data."""
    if len(value.encode()) > 253:
        return "must be no more than 253 characters"
    if not _CONFIG_KEY.fullmatch(value):
        return "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
    if value in (".", ".."):
        return f"must not be '{value}'"
    if value.startswith(".."):
        return "must not start with '..'"
    return None


def parse_cidr(value: str):
    """The network of a CIDR as Go's ``ParseCIDRSloppy`` reads it (IPv4 octets may have leading zeros, host bits
    may be set), or None when it is not one."""
    address, slash, prefix = value.partition("/")
    if not slash or not prefix.isdigit() or not prefix.isascii():
        return None
    if address.count(".") == 3 and ":" not in address:
        octets = address.split(".")
        if not all(octet.isdigit() and octet.isascii() and int(octet) <= 255 for octet in octets):
            return None
        address = ".".join(str(int(octet)) for octet in octets)
    try:
        return ipaddress.ip_network(f"{address}/{int(prefix)}", strict=False)
    except ValueError:
        return None


def not_positive(value) -> bool:
    """A quantity that is zero or negative (``ValidatePositiveQuantityValue``, ``Sign() != 1``); False for anything
    that is not a quantity (the schema and invalid-quantity rules report those) or holds a placeholder."""
    if value is None or has_placeholder(value):
        return False
    try:
        return parse_quantity(value) <= 0
    except ValueError:
        return False
