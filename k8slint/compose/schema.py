"""Validation against the Compose Specification JSON schema, with errors worth reading.

Each error is reported at the node it concerns. ``oneOf`` alternatives are
resolved to the branch whose type matches the value, so users read the real
problem instead of one line per alternative; unknown keys get a did-you-mean.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache

from k8slint.compose.casts import cast_tree
from k8slint.compose.model import dotted
from k8slint.paths import data_dir

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "empty",
}


@dataclass(frozen=True)
class SchemaError:
    """One readable schema problem; ``unknown_key`` marks misspelt or unsupported keys."""

    path: tuple
    message: str
    on_key: bool = False
    unknown_key: bool = False
    rename_to: str | None = None  # the one known key an unknown key is a typo of, when that key is not there yet


@cache
def _schema() -> dict:
    return json.loads((data_dir() / "compose-spec.json").read_text(encoding="utf-8"))


@cache
def _validator():
    from jsonschema import Draft7Validator

    return Draft7Validator(_schema())


@cache
def _fast_validator():
    """jsonschema-rs answers "valid?" ~100x faster; errors are still explained by jsonschema."""
    import jsonschema_rs

    return jsonschema_rs.Draft7Validator(_schema())


def is_valid(data) -> bool | None:
    """The fast validator's verdict, or None when it cannot read the data."""
    try:
        return _fast_validator().is_valid(data)
    except (ValueError, TypeError, OverflowError):
        return None


def _type_of(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {dict: "object", list: "array", str: "string", type(None): "null"}.get(type(value), "string")


def _accepts(types, value) -> bool:
    types = [types] if isinstance(types, str) else list(types or [])
    kind = _type_of(value)
    return kind in types or (kind == "integer" and "number" in types)


_OWNERS = {"services": "service", "networks": "network", "volumes": "volume", "configs": "config", "secrets": "secret"}


def _where(path: tuple) -> str:
    if len(path) >= 2 and path[0] in _OWNERS:
        rest = dotted(path[2:])
        return f"{_OWNERS[path[0]]} {path[1]!r}" + (f" ({rest})" if rest else "")
    return dotted(path) if path else "the top level"


def _short(value) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _branch_types(schema: dict) -> list[str]:
    if "type" in schema:
        return [schema["type"]] if isinstance(schema["type"], str) else list(schema["type"])
    ref = schema.get("$ref")
    if ref:
        target = _validator().schema
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        return _branch_types(target)
    return []


def _explain(error) -> list[SchemaError]:
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind in ("oneOf", "anyOf"):
        return _explain_alternatives(error, path)
    if kind == "additionalProperties":
        return _explain_unknown_keys(error, path)
    if kind == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return [SchemaError(path, f"{_where(path)} is missing the required key {', '.join(map(repr, missing))}")]
    if kind == "type":
        wanted = [error.validator_value] if isinstance(error.validator_value, str) else error.validator_value
        names = " or ".join(_TYPE_NAMES.get(name, name) for name in wanted)
        return [
            SchemaError(
                path,
                f"{_where(path)} must be {names}, not {_TYPE_NAMES[_type_of(error.instance)]} ({_short(error.instance)})",
            )
        ]
    if kind == "enum":
        choices = ", ".join(map(str, error.validator_value))
        return [SchemaError(path, f"{_where(path)} is {_short(error.instance)}, which is not one of: {choices}")]
    if kind == "uniqueItems":
        return [SchemaError(path, f"{_where(path)} lists the same entry more than once")]
    if kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        return [SchemaError(path, f"{_where(path)} is {error.instance}, but must be {bound} {error.validator_value}")]
    if kind == "pattern":
        return [
            SchemaError(
                path,
                f"{_where(path)} value {_short(error.instance)} does not match the pattern {error.validator_value}",
            )
        ]
    return [SchemaError(path, f"{_where(path)}: {error.message}")]


def _explain_alternatives(error, path: tuple) -> list[SchemaError]:
    branches: dict[int, list] = {}
    for sub in error.context:
        branches.setdefault(sub.schema_path[0], []).append(sub)
    alternatives = error.validator_value
    fitting = [
        i
        for i, branch in enumerate(alternatives)
        if _accepts(_branch_types(branch), error.instance) or not _branch_types(branch)
    ]
    if not fitting:
        names = sorted({_TYPE_NAMES.get(t, t) for branch in alternatives for t in _branch_types(branch)})
        return [
            SchemaError(
                path,
                f"{_where(path)} must be {' or '.join(names)}, not {_TYPE_NAMES[_type_of(error.instance)]} ({_short(error.instance)})",
            )
        ]
    failing = [i for i in fitting if branches.get(i)]
    if len(failing) < len(fitting):  # a fitting branch passed: the value matched several alternatives
        return [SchemaError(path, f"{_where(path)}: {error.message}")]
    best = min(failing, key=lambda i: (-max(len(e.absolute_path) for e in branches[i]), len(branches[i])))
    return [explained for sub in branches[best] for explained in _explain(sub)]


def _explain_unknown_keys(error, path: tuple) -> list[SchemaError]:
    schema = error.schema
    known = list(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    extra = [key for key in error.instance if key not in known and not any(p.search(key) for p in patterns)]
    found = []
    for key in extra:
        here, rename_to = path + (key,), None
        if not known and patterns:
            owner = _OWNERS.get(path[-1], "key") if path else "key"
            message = f"{owner} name {key!r} is invalid: use only letters, digits, '.', '_' and '-'"
        else:
            close = difflib.get_close_matches(key, known, n=2, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else "; custom keys must start with 'x-'"
            message = f"unknown key {key!r} in {_where(path)}{hint}"
            if len(close) == 1 and close[0] not in error.instance:
                rename_to = close[0]
        found.append(SchemaError(here, message, on_key=True, unknown_key=True, rename_to=rename_to))
    return found


def _below_zero(data) -> list[SchemaError]:
    """``scale`` and ``deploy.replicas`` below 0, which the loader refuses after the schema passed."""
    found = []
    services = data.get("services")
    for name, service in services.items() if isinstance(services, dict) else ():
        deploy = service.get("deploy") if isinstance(service, dict) else None
        for path, value in (
            (("scale",), service.get("scale") if isinstance(service, dict) else None),
            (
                ("deploy", "replicas"),
                deploy.get("replicas") if isinstance(deploy, dict) else None,
            ),
        ):
            if isinstance(value, int) and not isinstance(value, bool) and value < 0:
                where = ("services", name) + path
                found.append(SchemaError(where, f"{_where(where)} is {value}, but must be at least 0"))
    return found


def validate(data, *, fast: bool = True) -> list[SchemaError]:
    """Every readable schema problem of one compose document's (interpolated) data, after the loader's casts.

    With ``fast``, documents jsonschema-rs finds valid skip the slower, explaining validator.
    """
    if not isinstance(data, dict):
        return [SchemaError((), "a compose file must be a mapping of top-level keys")]
    data, failures = cast_tree(data)
    found = _below_zero(data) + [
        SchemaError(
            failure.path,
            f"{_where(failure.path)} is {failure.value!r}, which docker compose cannot read as {failure.wanted}",
        )
        for failure in failures
    ]
    if fast and is_valid(data):
        return found
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    seen = set()
    for error in errors:
        for item in _explain(error):
            if (item.path, item.message) not in seen:
                seen.add((item.path, item.message))
                found.append(item)
    return found
