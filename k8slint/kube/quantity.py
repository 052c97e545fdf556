"""Kubernetes resource quantities (``500m``, ``1.5Gi``, ``1e3``): parse, compare, repair.

The grammar is the one ``k8s.io/apimachinery/pkg/api/resource`` accepts::

    quantity  ::= [+-] number suffix
    number    ::= digits | digits "." digits | digits "." | "." digits
    suffix    ::= binarySI | decimalSI | ("e" | "E") [+-] digits
    binarySI  ::= Ki | Mi | Gi | Ti | Pi | Ei
    decimalSI ::= n | u | m | "" | k | M | G | T | P | E

YAML numbers (``cpu: 0.5``, ``memory: 1024``) are quantities too.
"""

from __future__ import annotations

import re
from decimal import Decimal

_MULTIPLIERS = {
    "Ki": Decimal(2) ** 10,
    "Mi": Decimal(2) ** 20,
    "Gi": Decimal(2) ** 30,
    "Ti": Decimal(2) ** 40,
    "Pi": Decimal(2) ** 50,
    "Ei": Decimal(2) ** 60,
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
}

_QUANTITY = re.compile(
    r"(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    r"(?:(?P<exponent>[eE][+-]?\d+)|(?P<suffix>[KMGTPE]i|[numkMGTPE])?)"
)


def parse_quantity(value) -> Decimal:
    """The numeric value of a quantity (``"500m"`` -> ``Decimal("0.5")``); ValueError if invalid."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"a quantity must be a string or a number, not {type(value).__name__}")
    if not isinstance(value, str):
        return Decimal(str(value))
    match = _QUANTITY.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not a Kubernetes quantity")
    number = Decimal(match["number"])
    if match["exponent"]:
        try:
            return number.scaleb(int(match["exponent"][1:]))
        except ArithmeticError as err:  # absurd exponents
            raise ValueError(f"{value!r} is out of range") from err
    return number * _MULTIPLIERS[match["suffix"] or ""]


def is_quantity(value) -> bool:
    """True when ``value`` parses as a quantity."""
    try:
        parse_quantity(value)
    except ValueError:
        return False
    return True


def compare_quantities(a, b) -> int:
    """-1, 0 or 1 as quantity ``a`` is smaller than, equal to or larger than ``b``."""
    left, right = parse_quantity(a), parse_quantity(b)
    return (left > right) - (left < right)


# Spellings people write for the suffixes above, lower-cased, mapped to the real suffix.
_UNIT_SPELLINGS = {
    "mc": "m",
    "mcpu": "m",
    "millicpu": "m",
    "millicores": "m",
    "millicore": "m",
    "cpu": "",
    "cpus": "",
    "core": "",
    "cores": "",
    "kib": "Ki",
    "mib": "Mi",
    "gib": "Gi",
    "tib": "Ti",
    "pib": "Pi",
    "eib": "Ei",
    "ki": "Ki",
    "mi": "Mi",
    "gi": "Gi",
    "ti": "Ti",
    "pi": "Pi",
    "ei": "Ei",
    "kbi": "Ki",
    "mbi": "Mi",
    "gbi": "Gi",
    "tbi": "Ti",
    "kb": "k",
    "mb": "M",
    "gb": "G",
    "tb": "T",
    "pb": "P",
}
_LOOSE = re.compile(r"\s*(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<unit>[A-Za-z]*)\s*")


_GUESSES = {"kb", "mb", "gb", "tb", "pb"}  # decimal or binary? the author did not say


def suggest_quantity(value: str, certain_only: bool = False) -> str | None:
    """The quantity the author most likely meant (``"512mi"`` -> ``"512Mi"``), or None.

    Only returns a suggestion that is itself valid and differs from ``value``;
    it repairs spacing, suffix case and unit words (``1000mc``, ``2 Gi``,
    ``0.5cpu``, ``1GiB``). ``kb``/``mb``/``gb`` become decimal ``k``/``M``/``G``,
    a guess that ``certain_only`` leaves out.
    """
    if not isinstance(value, str):
        return None
    match = _LOOSE.fullmatch(value)
    if match is None:
        return None
    number, unit = match["number"], match["unit"]
    if unit in _MULTIPLIERS:
        fixed = number + unit
    elif unit.lower() in _UNIT_SPELLINGS:
        if certain_only and unit.lower() in _GUESSES:
            return None
        fixed = number + _UNIT_SPELLINGS[unit.lower()]
    elif unit == "K":
        fixed = number + "k"
    else:
        return None
    return fixed if fixed != value and is_quantity(fixed) else None
