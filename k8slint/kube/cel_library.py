"""The Kubernetes CEL libraries, in Python, as overload tables for k8slint.kube.cel.

Semantics follow the Go sources the API server runs: cel-go's ``ext/strings.go``
(the strings extension, version 2 as Kubernetes configures it) and
``k8s.io/apiserver/pkg/cel/library``: ``lists.go``, ``regex.go``,
``quantity.go``, ``urls.go``, ``ip.go``, ``cidr.go``. Each overload is
``(function, overload id, parameter types, result type, implementation, member)``;
the first parameter of a member overload is its receiver. Types are named
``string int double bool list map obj``; ``obj`` is one of the library's
values (quantity, URL, IP, CIDR), carried through CEL as a small map tagged
``@k8s`` so that two equal values compare equal. A Python exception raised by
an implementation becomes a CEL evaluation error with its message.
"""

from __future__ import annotations

import ipaddress
import re
from decimal import Decimal
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from k8slint.kube.quantity import parse_quantity

TAG = "@k8s"
_INT64 = (-(2**63), 2**63 - 1)


def _obj(kind: str, value: str, **extra) -> dict:
    return {TAG: kind, "value": value, **extra}


def _of(kind: str, value) -> dict:
    if not isinstance(value, dict) or value.get(TAG) != kind:
        shown = value.get(TAG) if isinstance(value, dict) and TAG in value else type(value).__name__
        raise TypeError(f"no such overload: expected {kind}, got {shown}")
    return value


def opaque_kind(value) -> str | None:
    """The library type a value carries (Quantity, URL, IP, CIDR), or None for plain CEL values."""
    return value.get(TAG) if isinstance(value, dict) else None


# ---- strings (cel-go ext/strings.go) -------------------------------------------------------------


def _char_at(text: str, index: int) -> str:
    if index < 0 or index > len(text):
        raise IndexError(f"index out of range: {index}")
    return text[index : index + 1]


def _index_of(text: str, sub: str, offset: int = 0) -> int:
    if offset < 0 or offset > len(text):
        raise IndexError(f"index out of range: {offset}")
    return text.find(sub, offset)


def _last_index_of(text: str, sub: str, offset: int | None = None) -> int:
    if offset is None:
        return text.rfind(sub)
    if offset < 0 or offset >= len(text):
        raise IndexError(f"index out of range: {offset}")
    return text.rfind(sub, 0, offset + len(sub))


def _ascii(text: str, upper: bool) -> str:
    table = str.maketrans(
        "abcdefghijklmnopqrstuvwxyz" if upper else "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if upper else "abcdefghijklmnopqrstuvwxyz",
    )
    return text.translate(table)


def _replace(text: str, old: str, new: str, count: int = -1) -> str:
    return text.replace(old, new, count if count >= 0 else -1)


def _split(text: str, sep: str, count: int = -1) -> list:
    """Go's strings.SplitN: 0 parts → [], negative → all, an empty separator splits into characters."""
    if count == 0:
        return []
    if sep == "":
        parts = list(text)
        if 0 < count < len(parts):
            parts = [*parts[: count - 1], "".join(parts[count - 1 :])]
        return parts
    return text.split(sep, count - 1 if count > 0 else -1)


def _substring(text: str, start: int, end: int | None = None) -> str:
    end = len(text) if end is None else end
    if start < 0 or start > len(text) or end < 0 or end > len(text) or start > end:
        raise IndexError(f"substring out of range: [{start}:{end}] of a string of length {len(text)}")
    return text[start:end]


def _join(items: list, sep: str = "") -> str:
    if not all(isinstance(item, str) for item in items):
        raise TypeError("join needs a list of strings")
    return sep.join(items)


_VERB = re.compile(r"%(?:\.(\d+))?([sdfeExXobc%])")


def _format(template: str, args: list) -> str:
    """cel-go's string.format: %s %d %f %e %x %X %o %b %c and %%, with an optional precision."""
    position = 0

    def verb(match) -> str:
        nonlocal position
        precision, kind = match.group(1), match.group(2)
        if kind == "%":
            return "%"
        if position >= len(args):
            raise IndexError(f"index {position} out of range")
        value = args[position]
        position += 1
        if kind == "s":
            return _string_of(value)
        if kind in "fe" or kind == "E":
            return f"{float(value):.{int(precision or 6)}{kind}}"
        if kind == "c":
            return chr(value)
        if isinstance(value, str) and kind in "xX":
            return value.encode().hex() if kind == "x" else value.encode().hex().upper()
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"%{kind} needs an integer, got {type(value).__name__}")
        return format(value, {"d": "d", "x": "x", "X": "X", "o": "o", "b": "b"}[kind])

    return _VERB.sub(verb, template)


def _string_of(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_string_of(item) for item in value) + "]"
    if isinstance(value, dict):
        if TAG in value:
            return value["value"]
        return "{" + ", ".join(f"{_string_of(k)}: {_string_of(v)}" for k, v in value.items()) + "}"
    return str(value)


# ---- lists (k8s.io/apiserver/pkg/cel/library/lists.go) ------------------------------------------


def _comparable(items: list) -> list:
    if any(isinstance(item, (list, dict, bool)) or item is None for item in items):
        kinds = {type(item).__name__ for item in items}
        raise TypeError(f"no such overload: elements of type {', '.join(sorted(kinds))} are not comparable")
    return items


def _is_sorted(items: list) -> bool:
    items = _comparable(items)
    return all(items[i] <= items[i + 1] for i in range(len(items) - 1))


def _sum(items: list):
    if any(isinstance(item, bool) or not isinstance(item, (int, float)) for item in items):
        raise TypeError("sum needs a list of numbers")
    return sum(items)


def _extreme(items: list, pick):
    if not items:
        raise ValueError(f"{pick.__name__} called on empty list")
    return pick(_comparable(items))


def _list_index(items: list, value, last: bool = False) -> int:
    positions = [i for i, item in enumerate(items) if item == value and type(item) is type(value)]
    if not positions:
        return -1
    return positions[-1] if last else positions[0]


# ---- regex (regex.go) ----------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _regex(pattern: str):
    try:
        return re.compile(pattern)
    except re.error as err:
        raise ValueError(f"invalid regular expression {pattern!r}: {err}") from err


def _find(text: str, pattern: str) -> str:
    found = _regex(pattern).search(text)
    return found.group(0) if found else ""


def _find_all(text: str, pattern: str, count: int = -1) -> list:
    if count == 0:
        return []
    found = [match.group(0) for match in _regex(pattern).finditer(text)]
    return found[:count] if count > 0 else found


# ---- quantity (quantity.go) ----------------------------------------------------------------------


def _quantity(text: str) -> dict:
    try:
        value = parse_quantity(text)
    except ValueError as err:
        raise ValueError(f"quantities must match the regular expression: {err}") from err
    return _obj("Quantity", _canonical(value))


def _canonical(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _amount(value) -> Decimal:
    return Decimal(_of("Quantity", value)["value"])


def _is_quantity(text: str) -> bool:
    try:
        parse_quantity(text)
    except ValueError:
        return False
    return True


def _as_integer(value) -> int:
    amount = _amount(value)
    if amount != amount.to_integral_value() or not _INT64[0] <= amount <= _INT64[1]:
        raise ValueError("cannot convert value to integer")
    return int(amount)


def _is_integer(value) -> bool:
    amount = _amount(value)
    return amount == amount.to_integral_value() and _INT64[0] <= amount <= _INT64[1]


def _add(value, other, sign: int = 1) -> dict:
    extra = Decimal(other) if isinstance(other, int) else _amount(other)
    return _obj("Quantity", _canonical(_amount(value) + sign * extra))


def _compare(value, other) -> int:
    left, right = _amount(value), _amount(other)
    return (left > right) - (left < right)


# ---- URLs (urls.go: Go's url.ParseRequestURI) ---------------------------------------------------


def _url(text: str) -> dict:
    if not _is_url(text):
        raise ValueError(f"URL parse error during conversion from string: {text!r}")
    return _obj("URL", text)


def _is_url(text: str) -> bool:
    if not text or any(ord(char) < 0x20 or char == " " for char in text):
        return False
    if text.startswith("/"):
        return True
    scheme = re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", text)
    return scheme is not None and "#" not in text


def _url_parts(value):
    return urlsplit(_of("URL", value)["value"])


def _host(value) -> str:
    return _url_parts(value).netloc.rpartition("@")[2]


def _hostname(value) -> str:
    host = _host(value)
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.partition(":")[0]


def _port(value) -> str:
    host = _host(value)
    tail = host[host.find("]") + 1 :] if host.startswith("[") else host
    return tail.partition(":")[2]


def _query(value) -> dict:
    return parse_qs(_url_parts(value).query, keep_blank_values=True)


# ---- IP and CIDR (ip.go, cidr.go: net/netip) ----------------------------------------------------


def _parse_ip(text: str):
    if "%" in text:
        raise ValueError(f"IP address with zone value is not allowed: {text}")
    try:
        address = ipaddress.ip_address(text)
    except ValueError as err:
        raise ValueError(f"IP Address {text!r} parse error during conversion from string: {err}") from err
    if address.version == 6 and address.ipv4_mapped is not None:
        raise ValueError(f"IPv4-mapped IPv6 address is not allowed: {text}")
    if address.version == 4 and not re.fullmatch(r"(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}", text):
        raise ValueError(f"IP Address {text!r} parse error: leading zeros are not allowed")
    return address


def _ip(text: str) -> dict:
    return _obj("IP", str(_parse_ip(text)))


def _valid(parse, text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


def _address(value):
    return ipaddress.ip_address(_of("IP", value)["value"])


def _global_unicast(value) -> bool:
    """Go's netip.Addr.IsGlobalUnicast: not unspecified, loopback, link-local, multicast or broadcast."""
    address = _address(value)
    if address.version == 4 and str(address) == "255.255.255.255":
        return False
    return not (
        address.is_unspecified or address.is_loopback or address.is_link_local or address.is_multicast
    ) and not (address.version == 6 and address in ipaddress.ip_network("fe80::/10"))


def _link_local_multicast(value) -> bool:
    address = _address(value)
    network = "224.0.0.0/24" if address.version == 4 else "ff02::/16"
    return address in ipaddress.ip_network(network)


def _parse_cidr(text: str):
    if "%" in text:
        raise ValueError(f"CIDR with zone value is not allowed: {text}")
    address, slash, bits = text.partition("/")
    if not slash or not re.fullmatch(r"0|[1-9]\d*", bits):
        raise ValueError(f"network address parse error during conversion from string: {text!r}")
    parsed = _parse_ip(address)
    if int(bits) > parsed.max_prefixlen:
        raise ValueError(f"network address parse error: prefix length {bits} out of range in {text!r}")
    return parsed, int(bits)


def _cidr(text: str) -> dict:
    address, bits = _parse_cidr(text)
    return _obj("CIDR", f"{address}/{bits}")


def _network(value):
    return ipaddress.ip_network(_of("CIDR", value)["value"], strict=False)


def _contains_ip(value, other) -> bool:
    address = _parse_ip(other) if isinstance(other, str) else _address(other)
    return address in _network(value)


def _contains_cidr(value, other) -> bool:
    inner = _network(_cidr(other) if isinstance(other, str) else other)
    outer = _network(value)
    return inner.version == outer.version and inner.subnet_of(outer)


def _cidr_ip(value) -> dict:
    return _obj("IP", _of("CIDR", value)["value"].partition("/")[0])


def _masked(value) -> dict:
    return _obj("CIDR", str(_network(value)))


def _is_canonical(text: str) -> bool:
    return str(_parse_ip(text)) == text


OVERLOADS = [
    # strings
    ("charAt", "string_char_at_int", ["string", "int"], "string", _char_at, True),
    ("indexOf", "string_index_of_string", ["string", "string"], "int", _index_of, True),
    ("indexOf", "string_index_of_string_int", ["string", "string", "int"], "int", _index_of, True),
    ("lastIndexOf", "string_last_index_of_string", ["string", "string"], "int", _last_index_of, True),
    ("lastIndexOf", "string_last_index_of_string_int", ["string", "string", "int"], "int", _last_index_of, True),
    ("lowerAscii", "string_lower_ascii", ["string"], "string", lambda s: _ascii(s, False), True),
    ("upperAscii", "string_upper_ascii", ["string"], "string", lambda s: _ascii(s, True), True),
    ("replace", "string_replace_string_string", ["string", "string", "string"], "string", _replace, True),
    ("replace", "string_replace_string_string_int", ["string", "string", "string", "int"], "string", _replace, True),
    ("split", "string_split_string", ["string", "string"], "list", _split, True),
    ("split", "string_split_string_int", ["string", "string", "int"], "list", _split, True),
    ("substring", "string_substring_int", ["string", "int"], "string", _substring, True),
    ("substring", "string_substring_int_int", ["string", "int", "int"], "string", _substring, True),
    ("trim", "string_trim", ["string"], "string", str.strip, True),
    ("join", "list_join", ["list"], "string", _join, True),
    ("join", "list_join_string", ["list", "string"], "string", _join, True),
    ("format", "string_format", ["string", "list"], "string", _format, True),
    # regex
    ("find", "string_find_string", ["string", "string"], "string", _find, True),
    ("findAll", "string_find_all_string", ["string", "string"], "list", _find_all, True),
    ("findAll", "string_find_all_string_int", ["string", "string", "int"], "list", _find_all, True),
    # lists
    ("isSorted", "list_is_sorted", ["list"], "bool", _is_sorted, True),
    ("sum", "list_sum", ["list"], "dyn", _sum, True),
    ("min", "list_min", ["list"], "dyn", lambda items: _extreme(items, min), True),
    ("max", "list_max", ["list"], "dyn", lambda items: _extreme(items, max), True),
    *(
        (name, f"list_{name}_{kind}", ["list", kind], "int", impl, True)
        for kind in ("int", "double", "string", "bool", "list", "map")
        for name, impl in (
            ("indexOf", _list_index),
            ("lastIndexOf", lambda items, value: _list_index(items, value, last=True)),
        )
    ),
    # quantity
    ("quantity", "string_to_quantity", ["string"], "obj", _quantity, False),
    ("isQuantity", "is_quantity_string", ["string"], "bool", _is_quantity, False),
    ("sign", "quantity_sign", ["obj"], "int", lambda q: (_amount(q) > 0) - (_amount(q) < 0), True),
    ("isInteger", "quantity_is_integer", ["obj"], "bool", _is_integer, True),
    ("asInteger", "quantity_as_integer", ["obj"], "int", _as_integer, True),
    ("asApproximateFloat", "quantity_as_float", ["obj"], "double", lambda q: float(_amount(q)), True),
    ("add", "quantity_add", ["obj", "obj"], "obj", _add, True),
    ("add", "quantity_add_int", ["obj", "int"], "obj", _add, True),
    ("sub", "quantity_sub", ["obj", "obj"], "obj", lambda q, o: _add(q, o, -1), True),
    ("sub", "quantity_sub_int", ["obj", "int"], "obj", lambda q, o: _add(q, o, -1), True),
    ("isLessThan", "quantity_less", ["obj", "obj"], "bool", lambda q, o: _compare(q, o) < 0, True),
    ("isGreaterThan", "quantity_greater", ["obj", "obj"], "bool", lambda q, o: _compare(q, o) > 0, True),
    ("compareTo", "quantity_compare_to", ["obj", "obj"], "int", _compare, True),
    # URLs
    ("url", "string_to_url", ["string"], "obj", _url, False),
    ("isURL", "is_url_string", ["string"], "bool", _is_url, False),
    ("getScheme", "url_get_scheme", ["obj"], "string", lambda u: _url_parts(u).scheme, True),
    ("getHost", "url_get_host", ["obj"], "string", _host, True),
    ("getHostname", "url_get_hostname", ["obj"], "string", _hostname, True),
    ("getPort", "url_get_port", ["obj"], "string", _port, True),
    ("getEscapedPath", "url_get_escaped_path", ["obj"], "string", lambda u: _url_parts(u).path, True),
    ("getQuery", "url_get_query", ["obj"], "map", _query, True),
    # IP
    ("ip", "string_to_ip", ["string"], "obj", _ip, False),
    ("isIP", "is_ip", ["string"], "bool", lambda text: _valid(_parse_ip, text), False),
    ("ip.isCanonical", "ip_is_canonical", ["string"], "bool", _is_canonical, False),
    ("family", "ip_family", ["obj"], "int", lambda a: _address(a).version, True),
    ("isUnspecified", "ip_is_unspecified", ["obj"], "bool", lambda a: _address(a).is_unspecified, True),
    ("isLoopback", "ip_is_loopback", ["obj"], "bool", lambda a: _address(a).is_loopback, True),
    ("isLinkLocalMulticast", "ip_is_link_local_multicast", ["obj"], "bool", _link_local_multicast, True),
    ("isLinkLocalUnicast", "ip_is_link_local_unicast", ["obj"], "bool", lambda a: _address(a).is_link_local, True),
    ("isGlobalUnicast", "ip_is_global_unicast", ["obj"], "bool", _global_unicast, True),
    # CIDR
    ("cidr", "string_to_cidr", ["string"], "obj", _cidr, False),
    ("isCIDR", "is_cidr", ["string"], "bool", lambda text: _valid(_parse_cidr, text), False),
    ("containsIP", "cidr_contains_ip_string", ["obj", "string"], "bool", _contains_ip, True),
    ("containsIP", "cidr_contains_ip_ip", ["obj", "obj"], "bool", _contains_ip, True),
    ("containsCIDR", "cidr_contains_cidr_string", ["obj", "string"], "bool", _contains_cidr, True),
    ("containsCIDR", "cidr_contains_cidr", ["obj", "obj"], "bool", _contains_cidr, True),
    ("ip", "cidr_ip", ["obj"], "obj", _cidr_ip, True),
    ("masked", "cidr_masked", ["obj"], "obj", _masked, True),
    ("prefixLength", "cidr_prefix_length", ["obj"], "int", lambda c: _network(c).prefixlen, True),
]
# functions whose cost grows with the length of their arguments (for the cost bound)
PRICED = frozenset(
    {"matches", "contains", "startsWith", "endsWith", "find", "findAll", "split", "replace", "join", "format"}
    | {"indexOf", "lastIndexOf", "isSorted", "sum", "min", "max", "size", "_+_", "_==_", "@in"}
)
