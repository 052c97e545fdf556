"""Validate objects against the Kubernetes JSON schemas shipped by ``kubernetes-validate``.

Per process, one release's ``_definitions.json`` is read once, and a
validator is compiled (jsonschema-rs: the fastest of the three we measured,
see bench notes in the README) for each kind actually met. Schemas are
adjusted before compiling:

- int-or-string and quantity become plain type unions, so a bad value gives
  one precise error instead of ``oneOf`` noise;
- enum values the upstream schema only states in prose are added
  (``data/schema-enums.json``);
- descriptions and ``x-kubernetes-*`` annotations are dropped.

Validator errors become ``Problem``s: one per distinct issue, located at the
node (unknown field: the key; missing field: the parent).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from k8slint.documents import child_path
from k8slint.errors import CatalogError
from k8slint.paths import data_dir
from k8slint.spelling import closest

_INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
_QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_REPLACED = {
    _INT_OR_STRING: {"type": ["string", "integer", "null"]},
    _QUANTITY: {"type": ["string", "number", "null"]},
}
_KEEP = {
    "type",
    "properties",
    "additionalProperties",
    "items",
    "required",
    "enum",
    "$ref",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
}
_REF_PREFIX = "/api/_definitions.json#/$defs/"


class _Wildcard:
    """A wildcard in quantity paths; it pickles as a reference to itself, so cached paths compare with ``is``."""

    def __init__(self, name: str):
        self.name = name

    def __reduce__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return self.name


LIST, MAP = _Wildcard("LIST"), _Wildcard("MAP")  # any item of a list, any value of a map
_INT_FORMATS = {"int32": 32, "int64": 64}


@dataclass(frozen=True)
class Problem:
    """One schema violation: where (path parts), what, and an optional one-value repair."""

    path: tuple
    message: str
    on_key: bool = False
    replacement: object = None
    missing: str | None = None  # the absent field, for a missing required field


def schema_file(minor: int) -> Path:
    """The definitions file of one release, from ``kubernetes-validate`` (found without importing it).

    CatalogError (a usage error, exit 2) when the package or that release is missing.
    """
    spec = find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise CatalogError("the kubernetes-validate package is not installed; pip install kubernetes-validate")
    root = Path(list(spec.submodule_search_locations)[0]) / "kubernetes-json-schema"
    path = root / f"v1.{minor}.0-local-strict" / "_definitions.json"
    if not path.is_file():
        raise CatalogError(
            f"the installed kubernetes-validate has no schemas for Kubernetes 1.{minor} ({path}); "
            "upgrade it or choose another --kubernetes-version"
        )
    return path


def _load_enums():
    text = (data_dir() / "schema-enums.json").read_text(encoding="utf-8")
    enums = {}
    for key, values in json.loads(text)["enums"].items():
        definition, _, prop = key.rpartition(".")
        enums.setdefault("io.k8s.api." + definition, {})[prop] = values
    return enums


def _strip(node):
    """A compact copy of a schema node with only the validation keywords, refs made local."""
    if isinstance(node, list):
        return [_strip(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key not in _KEEP:
            continue
        if key == "$ref":
            out[key] = "#/$defs/" + value[len(_REF_PREFIX) :] if value.startswith(_REF_PREFIX) else value
        elif key == "properties":
            out[key] = {name: _strip(sub) for name, sub in value.items()}
        else:
            out[key] = _strip(value)
    bits = _INT_FORMATS.get(node.get("format"))
    if bits and "integer" in node.get("type", ()):  # Go decodes into int32/int64: larger values are rejected
        out["minimum"], out["maximum"] = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    return out


def _refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value.rsplit("/", 1)[-1])
            elif key == "properties":  # property names are data, not keywords (JSONSchemaProps has "$ref")
                for sub in value.values():
                    _refs(sub, found)
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for item in node:
            _refs(item, found)


class SchemaSet:
    """The built-in kinds' schemas of one Kubernetes minor release, compiled on demand.

    A kind's self-contained schema and its quantity paths are built from the
    release's definitions once and kept in the cache (``cachedir.remembered``),
    keyed by the definitions file, the prose enums and this module's code: a
    later run that meets only kinds built before never reads the 1.5 MB file.
    """

    def __init__(self, minor: int):
        self.minor = minor
        self._file = schema_file(minor)
        self._defs: dict | None = None
        self._validators = {}
        self._slices: dict[tuple[str, str], tuple] = {}
        self._base_key: str | None = None

    def _load(self) -> None:
        try:
            self._defs = json.loads(self._file.read_text(encoding="utf-8"))["$defs"]
        except (OSError, ValueError, KeyError) as err:
            raise CatalogError(f"{self._file} is damaged ({err}); reinstall kubernetes-validate") from err
        self._by_gvk = {}
        for name, definition in self._defs.items():
            for gvk in definition.get("x-kubernetes-group-version-kind", ()):
                key = (f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"], gvk["kind"])
                self._by_gvk.setdefault(key, name)
        self._enums = _load_enums()
        self._clean = {}

    def _definition(self, name):
        if name not in self._clean:
            if name in _REPLACED:
                node = _REPLACED[name]
            else:
                node = _strip(self._defs[name])
                for prop, values in self._enums.get(name, {}).items():
                    target = node.get("properties", {}).get(prop.rstrip("[]"))
                    if target is not None:
                        target = target["items"] if prop.endswith("[]") else target
                        nullable = "null" in target.get("type", ())  # null means "unset", as before
                        target["enum"] = [*values, None] if nullable else values
            self._clean[name] = node
        return self._clean[name]

    def _slice(self, api_version: str, kind: str) -> tuple:
        """(self-contained schema or None, quantity paths) of a kind: from the cache, else built."""
        gvk = (api_version, kind)
        if gvk not in self._slices:
            from k8slint import cachedir

            self._slices[gvk] = cachedir.remembered("schemas", lambda: self._slice_key(gvk), lambda: self._build(gvk))
        return self._slices[gvk]

    def _slice_key(self, gvk: tuple[str, str]) -> str:
        from k8slint import cachedir

        if self._base_key is None:  # the definitions file by its status: reading 1.5 MB is what this saves
            status = self._file.stat()
            release = [str(self._file), f"{status.st_size}:{status.st_mtime_ns}"]
            self._base_key = cachedir.digest(release, [__file__, data_dir() / "schema-enums.json"])
        return "slice-" + cachedir.digest([self._base_key, str(self.minor), *gvk])

    def _build(self, gvk: tuple[str, str]) -> tuple:
        if self._defs is None:
            self._load()
        root = self._by_gvk.get(gvk)
        if root is None:
            return None, []
        defs, todo = {}, [root]
        while todo:
            name = todo.pop()
            if name not in defs:
                defs[name] = self._definition(name)
                _refs(defs[name], todo)
        found = []
        self._collect_quantities({"$ref": "#/$defs/" + root}, (), (), found)
        return {"$ref": f"#/$defs/{root}", "$defs": defs}, found

    def schema_for(self, api_version: str, kind: str):
        """A self-contained schema for the kind, or None when the release has none."""
        return self._slice(api_version, kind)[0]

    def quantity_paths(self, api_version: str, kind: str) -> list[tuple]:
        """Where a kind holds quantities: paths whose parts are keys, ``LIST`` (any item) or ``MAP`` (any value)."""
        return self._slice(api_version, kind)[1]

    def _collect_quantities(self, node, path, active, found):
        ref = node.get("$ref")
        if ref is not None:
            name = ref.rsplit("/", 1)[-1]
            if name == _QUANTITY:
                found.append(path)
            elif name not in active and name not in _REPLACED:
                self._collect_quantities(self._definition(name), path, active + (name,), found)
            return
        for prop, sub in node.get("properties", {}).items():
            self._collect_quantities(sub, path + (prop,), active, found)
        if isinstance(node.get("items"), dict):
            self._collect_quantities(node["items"], path + (LIST,), active, found)
        if isinstance(node.get("additionalProperties"), dict):
            self._collect_quantities(node["additionalProperties"], path + (MAP,), active, found)

    def validator(self, api_version: str, kind: str):
        key = (api_version, kind)
        if key not in self._validators:
            schema = self.schema_for(api_version, kind)
            self._validators[key] = None if schema is None else CompiledSchema(schema)
        return self._validators[key]


class CompiledSchema:
    """One compiled schema and the translation of its errors into Problems."""

    def __init__(self, schema: dict):
        import jsonschema_rs

        self.schema = schema
        self._validator = jsonschema_rs.validator_for(schema, validate_formats=False)

    def problems(self, instance) -> list[Problem]:
        if self._validator.is_valid(instance):
            return []
        found, seen = [], set()
        for error in self._validator.iter_errors(instance):
            for problem in self._translate(error, instance):
                if (problem.path, problem.message) not in seen:
                    seen.add((problem.path, problem.message))
                    found.append(problem)
        return found

    def _node(self, schema_path):
        node = self.schema
        for part in schema_path:
            node = node[part]
        return node

    def _translate(self, error, instance):
        where = tuple(error.instance_path)
        name = error.kind.name
        detail = error.kind.as_dict()
        label = dotted(where) or "the object"
        if name == "additionalProperties":
            allowed = self._node(list(error.schema_path)[:-1]).get("properties", {})
            for field in detail["unexpected"]:
                guess = closest(field, allowed)
                hint = f"; did you mean {guess[0]!r}?" if guess else f"; {label} has no such field"
                yield Problem(
                    where + (field,),
                    f"unknown field {dotted(where + (field,))!r}{hint}",
                    True,
                    guess[0] if len(guess) == 1 else None,
                )
        elif name == "required":
            yield Problem(
                where, f"{label} is missing the required field {detail['property']!r}", missing=detail["property"]
            )
        elif name == "type":
            wanted = [t for t in _types(detail) if t != "null"]
            value = _value_at(instance, where)
            if isinstance(value, float) and not math.isfinite(value):
                yield Problem(
                    where, f"{label} is {_short(value)}, which is not a number Kubernetes accepts; write a finite value"
                )
                return
            quote = "; quote it" if wanted == ["string"] and isinstance(value, (bool, int, float)) else ""
            yield Problem(
                where, f"{label} must be {' or '.join(wanted)}, not {_json_type(value)} ({_short(value)}){quote}"
            )
        elif name == "enum":
            options = [o for o in detail["options"] if o is not None]
            value = _value_at(instance, where)
            guess = closest(value, options) if isinstance(value, str) else []
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            yield Problem(
                where,
                f"{_short(value)} is not a valid value for {label}; {hint}allowed: {', '.join(map(str, options))}",
                False,
                guess[0] if len(guess) == 1 else None,
            )
        else:
            yield Problem(where, f"{label}: {error.message}")


def _types(detail):
    types = detail.get("types") or detail.get("type") or []
    return [types] if isinstance(types, str) else list(types)


def _json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "integer" if isinstance(value, int) else "number"
    return {str: "string", dict: "object", list: "array"}.get(type(value), type(value).__name__)


def _short(value, limit=40):
    text = json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _value_at(instance, where):
    for part in where:
        instance = instance[part]
    return instance


def dotted(parts) -> str:
    """``("spec", "containers", 0, "image")`` -> ``spec.containers[0].image`` (keys with dots quoted)."""
    out = ""
    for part in parts:
        out = child_path(out, part)
    return out


_SETS: dict[int, SchemaSet] = {}


def schema_set(minor: int) -> SchemaSet:
    """The per-process SchemaSet for a release (read once)."""
    if minor not in _SETS:
        _SETS[minor] = SchemaSet(minor)
    return _SETS[minor]
