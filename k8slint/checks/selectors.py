"""Controller selectors against their own pod template labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import mapping
from k8slint.documents import child_path
from k8slint.findings import Edit, Hit
from k8slint.kube.model import K8sObject, label_text
from k8slint.kube.selectors import describe, describe_labels, expression_matches

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.registry import Context


def selector_mismatch(obj: K8sObject, ctx: Context) -> Hits:
    selector = mapping(obj.data, "spec").get("selector")
    labels = obj.template_labels
    if not isinstance(selector, dict) or not selector or labels is None:
        return
    equality = obj.kind == "ReplicationController"
    pairs = selector.items() if equality else (selector.get("matchLabels") or {}).items()
    base = "spec.selector" if equality else "spec.selector.matchLabels"
    summary = (
        f"selector {describe(selector)} does not match the template labels {describe_labels(labels)}; "
        "make spec.selector and spec.template.metadata.labels agree"
    )
    for key, value in pairs:
        if labels.get(key) != label_text(value):
            yield Hit(_blame(obj, base, key, value, labels), summary)
            return
    for index, expression in enumerate(selector.get("matchExpressions") or [] if not equality else []):
        if not expression_matches(expression, labels):
            yield Hit(f"spec.selector.matchExpressions[{index}]", summary)
            return


def _blame(obj: K8sObject, base: str, key: str, value, labels: dict) -> str:
    """Point at the side that disagrees with the object's own labels: usually the selector, sometimes the template."""
    selector_path = child_path(base, key)
    if key in labels and obj.labels.get(key) == label_text(value) != labels[key]:
        return child_path(obj.template_labels_path, key)
    return selector_path


def selector_missing(obj: K8sObject, ctx: Context) -> Hits:
    if obj.api_version != "apps/v1" or obj.role.partial or "selector" in obj.role.filled:
        return  # a kustomize patch, or a resource whose kustomization's commonLabels set the selector
    spec = obj.data.get("spec")
    if not isinstance(spec, dict):
        return
    selector = spec.get("selector")
    if isinstance(selector, dict) and (selector.get("matchLabels") or selector.get("matchExpressions")):
        return
    labels = obj.template_labels or {}
    edits = (Edit("set", "spec.selector", {"matchLabels": dict(labels)}),) if labels else ()
    what = "is empty" if isinstance(selector, dict) else "is missing"
    yield Hit(
        "spec.selector" if "selector" in spec else "spec",
        f"{obj.kind} spec.selector {what}, which apps/v1 rejects; add spec.selector.matchLabels equal to the template labels ({describe_labels(labels)})",
        edits=edits,
        unsafe=True,
    )
