"""Does the object follow its kind's schema? Built-in kinds, custom resources, and quantities."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from k8slint.access import sequence
from k8slint.checks.api import custom_kinds
from k8slint.findings import Edit, Hit
from k8slint.kube.crds import to_json_schema
from k8slint.kube.quantity import is_quantity, suggest_quantity
from k8slint.kube.schemas import LIST, MAP, CompiledSchema, dotted, schema_set
from k8slint.placeholders import is_substitution, is_template_value

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

_VALIDATED = ("ok", "deprecated")
# problems a dedicated rule reports with a better message: (path, missing field or None) -> kinds (None: any)
_OWNED_ELSEWHERE = {
    (("spec",), "selector"): {"ReplicaSet", "Deployment", "StatefulSet", "DaemonSet"},  # selector-missing
    (("spec", "replicas"), None): {"DaemonSet"},  # daemonset-replicas
    (("metadata", "name"), None): None,  # invalid-object-name
    (("apiVersion",), None): None,  # missing-kind-or-apiversion
    (("kind",), None): None,
}


def _owned_elsewhere(problem, kind) -> bool:
    kinds = _OWNED_ELSEWHERE.get((problem.path, problem.missing), False)
    return kinds is None or (kinds is not False and kind in kinds)


def _filled_elsewhere(problem, obj) -> bool:
    """A problem of the object as written that is gone once kustomize or a template generator has done its work.

    A kustomize patch lacks whatever the object it patches has and may hold
    strategic-merge-patch directives; a namespace transformer sets every
    namespace; a template placeholder is replaced.
    """
    if problem.missing is not None:
        return obj.role.partial or (problem.missing == "namespace" and "namespace" in obj.role.filled)
    value = _value_at(obj.data, problem.path)
    if obj.role.partial and (value is None or any(str(part).startswith("$") for part in problem.path)):
        return True  # strategic-merge-patch directives: `$patch: delete`, `$setElementOrder/…`, `key: null` deletes
    path = dotted(problem.path)
    if is_substitution(value) and not problem.on_key:
        return True
    return any(is_template_value(obj, path, part) for part in problem.path) or is_template_value(obj, path, value)


def schema(index: Index, ctx: Context) -> Hits:
    catalog = ctx.catalog
    schemas = None
    by_group = None
    custom_validators = {}
    mutators = None
    for obj in index.checked:
        status = catalog.classify(obj.data.get("apiVersion"), obj.data.get("kind")).status
        validator, custom, mutated = None, False, False
        if status in _VALIDATED:
            schemas = schemas or schema_set(catalog.schema_minor)
            validator = schemas.validator(obj.api_version, obj.kind)
        if validator is None and status in ("ok", "custom"):  # a custom kind (a cluster's list may serve it)
            by_group = by_group if by_group is not None else custom_kinds(index, ctx)
            validator = _custom_validator(by_group, obj, custom_validators)
            custom = True
            if validator is not None:
                mutators = mutators if mutators is not None else _mutated_groups(index)
                mutated = _is_mutated(mutators, by_group, obj)
        if validator is not None:
            for problem in validator.problems(obj.data):
                if (
                    not _owned_elsewhere(problem, obj.kind)
                    and not _filled_elsewhere(problem, obj)
                    and not _dropped_by_server(problem, obj, custom)
                ):
                    hit = _hit(problem, obj)
                    if mutated and problem.missing is None and not problem.on_key:
                        note = "; a mutating webhook of this repository may rewrite it before validation"
                        hit = replace(hit, severity="warning", message=hit.message + note)
                    yield hit


def _mutated_groups(index: Index) -> set[tuple[str, str]]:
    """(API group, resource) pairs that a MutatingWebhookConfiguration of the run intercepts on create."""
    covered = set()
    for config in index.of_kind("MutatingWebhookConfiguration"):
        for webhook in sequence(config.data, "webhooks"):
            for rule in sequence(webhook, "rules"):
                operations = sequence(rule, "operations")
                if "CREATE" not in operations and "*" not in operations:
                    continue
                for group in sequence(rule, "apiGroups"):
                    for resource in sequence(rule, "resources"):
                        if isinstance(group, str) and isinstance(resource, str):
                            covered.add((group, resource.partition("/")[0]))
    return covered


def _is_mutated(covered: set[tuple[str, str]], by_group, obj) -> bool:
    """Whether a webhook may change this custom resource before the API server validates it.

    Mutating admission runs before the schema validation of a custom resource,
    and an operator's defaulting webhook decodes the object into its own types:
    a value its Go type accepts (``cpus: 0.25`` for a milli-CPU type) comes
    back in the form the schema wants.
    """
    if not covered:
        return False
    defined = by_group.get(obj.group, {}).get(obj.kind)
    plural = defined.plural if defined else ""
    return any(group in (obj.group, "*") and resource in (plural, "*") for group, resource in covered)


def _dropped_by_server(problem, obj, custom: bool) -> bool:
    """A problem in data the API server throws away before it validates, so it never refuses it.

    ``status`` is not taken from a create or update of the object itself: the
    strategies' PrepareForCreate/PrepareForUpdate reset it (built-in kinds) and a
    custom resource with a status subresource ignores it, so a required status
    field may be absent. In a custom resource a null where the schema has no
    ``nullable: true`` is pruned (apiextensions-apiserver,
    ``defaulting.PruneNonNullableNullsWithoutDefaults``) before validation.
    """
    if problem.path[:1] == ("status",) and (problem.missing is not None or _is_null(obj, problem)):
        return True
    return custom and problem.missing is None and _is_null(obj, problem)


def _is_null(obj, problem) -> bool:
    """Whether the problem's path really holds a null (not just a path that leads nowhere)."""
    parent = _value_at(obj.data, problem.path[:-1]) if problem.path else None
    key = problem.path[-1] if problem.path else None
    if isinstance(parent, dict):
        return key in parent and parent[key] is None
    return isinstance(parent, list) and isinstance(key, int) and key < len(parent) and parent[key] is None


def _custom_validator(by_group, obj, cache):
    defined = by_group.get(obj.group, {}).get(obj.kind)
    schema = defined.versions.get(obj.version) if defined else None
    if schema is None:
        return None
    key = id(schema)
    if key not in cache:
        try:
            cache[key] = CompiledSchema(to_json_schema(schema))
        except (ValueError, TypeError):  # a CRD schema jsonschema cannot compile: nothing to check against
            cache[key] = None
    return cache[key]


def _hit(problem, obj: K8sObject) -> Hit:
    path = dotted(problem.path)
    edits = ()
    if problem.replacement is not None:
        if problem.on_key:
            parent = _at(obj.data, problem.path[:-1])
            if isinstance(parent, dict) and problem.replacement not in parent:
                edits = (Edit("rename", path, problem.replacement),)
        else:
            edits = (Edit("set", path, problem.replacement),)
    return Hit(path, problem.message, on_key=problem.on_key, edits=edits, obj=obj)


def _at(data, parts):
    for part in parts:
        data = data[part]
    return data


def _value_at(data, parts):
    """The value at ``parts``, or None where the path does not lead to one (an unknown field's parent …)."""
    try:
        return _at(data, parts)
    except (KeyError, IndexError, TypeError):
        return None


def invalid_quantity(obj: K8sObject, ctx: Context) -> Hits:
    catalog = ctx.catalog
    if catalog.classify(obj.data.get("apiVersion"), obj.data.get("kind")).status not in _VALIDATED:
        return
    for pattern in catalog.quantity_paths(obj.api_version, obj.kind):
        for parts, value in _matches(obj.data, pattern, ()):
            if not isinstance(value, str) or is_quantity(value):
                continue
            path = dotted(parts)
            guess = suggest_quantity(value)
            if guess:
                certain = suggest_quantity(value, certain_only=True) == guess
                yield Hit(
                    path,
                    f"{value!r} is not a Kubernetes quantity; did you mean {guess!r}?",
                    edits=(Edit("set", path, guess),),
                    unsafe=not certain,
                )
            else:
                yield Hit(
                    path,
                    f"{value!r} is not a Kubernetes quantity: write a number with an optional "
                    "suffix, such as 250m, 0.5, 128Mi or 1Gi",
                )


def _matches(node, pattern, parts, found=None) -> list:
    """(path parts, value) of every node of ``node`` that ``pattern`` reaches, in document order.

    Named keys are followed in a loop (most objects lack the first one); only lists and maps branch.
    """
    found = [] if found is None else found
    for at, head in enumerate(pattern):
        if head is LIST or head is MAP:
            rest = pattern[at + 1 :]
            if head is LIST and isinstance(node, list):
                for position, item in enumerate(node):
                    _matches(item, rest, parts + (position,), found)
            elif head is MAP and isinstance(node, dict):
                for key, item in node.items():
                    _matches(item, rest, parts + (key,), found)
            return found
        if not isinstance(node, dict) or head not in node:
            return found
        node, parts = node[head], parts + (head,)
    found.append((parts, node))
    return found
