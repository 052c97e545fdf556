"""Label and annotation syntax, wherever an object carries labels: metadata, templates, selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.documents import child_path
from k8slint.findings import Hit
from k8slint.kube.labelsyntax import key_problem, value_problem
from k8slint.kube.model import dig
from k8slint.placeholders import is_template_value

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

# metadata blocks of templates an object embeds
_TEMPLATE_METADATA = ("spec.template.metadata", "spec.jobTemplate.metadata", "spec.jobTemplate.spec.template.metadata")
# plain label maps that select objects
_SELECTORS = ("spec.selector.matchLabels", "spec.jobTemplate.spec.selector.matchLabels")
_PLAIN_SELECTOR_KINDS = {"Service", "ReplicationController"}


def _metadata_paths(obj):
    yield "metadata"
    yield from (path for path in _TEMPLATE_METADATA if isinstance(dig(obj.data, path), dict))
    claims = dig(obj.data, "spec.volumeClaimTemplates")
    if isinstance(claims, list):
        yield from (
            f"spec.volumeClaimTemplates[{i}].metadata" for i, claim in enumerate(claims) if isinstance(claim, dict)
        )


def _label_maps(obj):
    for base in _metadata_paths(obj):
        yield child_path(base, "labels"), True
        yield child_path(base, "annotations"), False
    yield from ((path, True) for path in _SELECTORS)
    if obj.kind in _PLAIN_SELECTOR_KINDS:
        yield "spec.selector", True


def invalid_label(obj: K8sObject, ctx: Context) -> Hits:
    for path, are_labels in _label_maps(obj):
        mapping = dig(obj.data, path)
        if not isinstance(mapping, dict):
            continue
        what = "label" if are_labels else "annotation"
        for key, value in mapping.items():
            # ValidateAnnotations checks the key lower-cased ("case doesn't matter"); labels keep their case
            key_wrong = key_problem(key if are_labels or not isinstance(key, str) else key.lower())
            value_wrong = value_problem(value) if are_labels else None
            if (
                not (key_wrong or value_wrong)
                or is_template_value(obj, path, key)
                or is_template_value(obj, path, value)
            ):
                continue  # valid, or a template's placeholder, filled in before the object is applied
            if key_wrong:
                yield Hit(child_path(path, key), f"{what} key {key!r} at {path} is invalid: {key_wrong}", on_key=True)
            if value_wrong:
                yield Hit(
                    child_path(path, key), f"label value {value!r} of {key!r} at {path} is invalid: {value_wrong}"
                )
