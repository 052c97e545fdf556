"""Syntax of label keys, label values and annotation keys, as the API server validates them.

A key is ``[prefix/]name``: the optional prefix a DNS subdomain of at most 253
characters, the name at most 63 characters of ``[A-Za-z0-9_.-]`` starting and
ending with an alphanumeric. A label value is empty or a name of the same form.
Each function returns None when the text is valid, else the reason in a few words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from k8slint.placeholders import has_placeholder

_NAME = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
NAME_MAX = 63
PREFIX_MAX = 253


def _name_problem(text: str, what: str) -> str | None:
    if len(text) > NAME_MAX:
        return f"{what} is {len(text)} characters long, more than {NAME_MAX}"
    if not _NAME.fullmatch(text):
        return f"{what} must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit"
    return None


def _prefix_problem(prefix: str) -> str | None:
    if len(prefix) > PREFIX_MAX:
        return f"prefix is {len(prefix)} characters long, more than {PREFIX_MAX}"
    if not all(_DNS_LABEL.fullmatch(part) for part in prefix.split(".")):
        return "prefix must be a lower-case DNS subdomain such as example.com"
    return None


def key_problem(key) -> str | None:
    """Why ``key`` is not a valid label or annotation key, or None."""
    if not isinstance(key, str):
        return f"key must be a string, not {type(key).__name__}"
    return _string_key_problem(key)


@lru_cache(maxsize=4096)  # the same few keys recur on every object
def _string_key_problem(key: str) -> str | None:
    if key == "":
        return "key must not be empty"
    prefix, slash, name = key.rpartition("/")
    if slash:
        if not prefix:
            return "prefix before '/' must not be empty"
        problem = _prefix_problem(prefix)
        if problem:
            return problem
    return _name_problem(name, "name part" if slash else "key")


def value_problem(value) -> str | None:
    """Why ``value`` is not a valid label value, or None (non-strings are the schema's business)."""
    if not isinstance(value, str) or value == "":
        return None
    return _value_problem(value)


@lru_cache(maxsize=4096)
def _value_problem(value: str) -> str | None:
    return _name_problem(value, "value")


def selector_problems(selector, base: str, match_labels: bool = True):
    """``ValidateLabelSelector``: (path, message) for each part of a label selector the API server refuses.

    ``match_labels=False`` leaves the matchLabels map to a rule that already reads it (invalid-label).
    """
    if not isinstance(selector, dict):
        return
    labels = selector.get("matchLabels")
    if match_labels and isinstance(labels, dict):
        for key, value in labels.items():
            if has_placeholder(key) or has_placeholder(value):
                continue
            problem = key_problem(key) or value_problem(value)
            if problem:
                yield f"{base}.matchLabels.{key}", f"{base}.matchLabels: Invalid value: {key}={value}: {problem}"
    expressions = selector.get("matchExpressions")
    for index, expression in enumerate(expressions if isinstance(expressions, list) else []):
        if isinstance(expression, dict):
            yield from _requirement_problems(expression, f"{base}.matchExpressions[{index}]")


_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def _requirement_problems(requirement: dict, where: str):
    """``ValidateLabelSelectorRequirement``."""
    operator, values = requirement.get("operator"), requirement.get("values")
    if operator in ("In", "NotIn") and not values:
        yield where, f"{where}.values: Required value: must be specified when `operator` is 'In' or 'NotIn'"
    elif operator in ("Exists", "DoesNotExist") and values:
        yield (
            f"{where}.values",
            f"{where}.values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        )
    elif isinstance(operator, str) and operator not in _OPERATORS and not has_placeholder(operator):
        yield f"{where}.operator", f'{where}.operator: Invalid value: "{operator}": not a valid selector operator'
    key = requirement.get("key")
    if isinstance(key, str) and not has_placeholder(key) and key_problem(key):
        yield f"{where}.key", f'{where}.key: Invalid value: "{key}": {key_problem(key)}'
    for number, value in enumerate(values if isinstance(values, list) else []):
        if not has_placeholder(value) and value_problem(value):
            yield (
                f"{where}.values[{number}]",
                f'{where}.values[{number}]: Invalid value: "{value}": {value_problem(value)}',
            )
