"""CustomResourceDefinitions: the kinds they register and the schemas their resources must follow.

A CRD's ``openAPIV3Schema`` is turned into a JSON schema with Kubernetes'
structural rules: ``x-kubernetes-int-or-string``, ``nullable``, and unknown
fields rejected unless ``x-kubernetes-preserve-unknown-fields`` (or an
embedded resource) allows them, as ``kubectl apply`` with strict field
validation does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_VALUE_KEYWORDS = (
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
    "required",
    "uniqueItems",
    "multipleOf",
    "minProperties",
    "maxProperties",
    "exclusiveMinimum",
    "exclusiveMaximum",
)
_ROOT_FIELDS = {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}}


@dataclass
class CustomKind:
    """One kind a CRD defines: served versions (name -> JSON schema or None) and scope."""

    group: str
    kind: str
    plural: str
    namespaced: bool
    versions: dict = field(default_factory=dict)
    origin: str = ""


def custom_kind(data: dict, origin: str = "") -> CustomKind | None:
    """The kind a CRD object defines (apiextensions.k8s.io v1 or v1beta1), or None if it is not usable."""
    spec = data.get("spec")
    if not isinstance(spec, dict) or not isinstance(spec.get("names"), dict):
        return None
    group, kind = spec.get("group"), spec["names"].get("kind")
    if not isinstance(group, str) or not isinstance(kind, str):
        return None
    versions = {}
    shared = _openapi(spec.get("validation"))
    listed = spec.get("versions")
    if isinstance(listed, list):
        for entry in listed:
            if (
                isinstance(entry, dict)
                and isinstance(entry.get("name"), str)
                and entry.get("served", True) is not False
            ):
                own = _openapi(entry.get("schema"))
                versions[entry["name"]] = own if own is not None else shared
    elif isinstance(spec.get("version"), str):
        versions[spec["version"]] = shared
    plural = spec["names"].get("plural")
    return CustomKind(
        group,
        kind,
        plural if isinstance(plural, str) else kind.lower() + "s",
        spec.get("scope", "Namespaced") != "Cluster",
        versions,
        origin,
    )


def _openapi(holder):
    schema = holder.get("openAPIV3Schema") if isinstance(holder, dict) else None
    return schema if isinstance(schema, dict) else None


def to_json_schema(schema: dict, root: bool = True) -> dict:
    """A JSON schema (draft 2020-12 subset) equivalent to a structural openAPIV3Schema."""
    out = {key: schema[key] for key in _VALUE_KEYWORDS if key in schema}
    preserve = schema.get("x-kubernetes-preserve-unknown-fields") or schema.get("x-kubernetes-embedded-resource")
    if schema.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"]
    elif isinstance(schema.get("type"), str):
        out["type"] = [schema["type"]]
    if schema.get("nullable") and "type" in out:
        out["type"].append("null")
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    properties = schema.get("properties")
    if isinstance(properties, dict):
        out["properties"] = {
            name: to_json_schema(sub, root=False) for name, sub in properties.items() if isinstance(sub, dict)
        }
    if root:
        out["properties"] = {**_ROOT_FIELDS, **out.get("properties", {})}
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        out["additionalProperties"] = to_json_schema(extra, root=False)
    elif isinstance(extra, bool):
        out["additionalProperties"] = extra
    elif "properties" in out and not preserve:
        out["additionalProperties"] = False
    if isinstance(schema.get("items"), dict):
        out["items"] = to_json_schema(schema["items"], root=False)
    for combinator in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(combinator), list):
            out[combinator] = [to_json_schema(sub, root=False) for sub in schema[combinator] if isinstance(sub, dict)]
    if isinstance(schema.get("not"), dict):
        out["not"] = to_json_schema(schema["not"], root=False)
    return out


def load_crd_files(paths) -> list[CustomKind]:
    """CustomKinds from the CRDs in files/directories given by ``--crd-dir`` or ``crds:``.

    Documents that are not CRDs are ignored; a path that does not exist or a
    file that is not YAML is a CatalogError (a usage error).
    """
    from k8slint.kube.given import given_objects

    kinds = []
    for obj in given_objects(paths, "CRD"):
        if obj.kind == "CustomResourceDefinition" and obj.group == "apiextensions.k8s.io":
            defined = custom_kind(obj.data, obj.doc.source.display)
            if defined is not None:
                kinds.append(defined)
    return kinds
