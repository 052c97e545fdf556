"""What the API server's HorizontalPodAutoscaler validation refuses that the schema cannot say.

``validateHorizontalPodAutoscalerSpec`` and the functions it calls
(pkg/apis/autoscaling/validation/validation.go), after the v2 defaulting of
``behavior`` (``SetDefaults_HorizontalPodAutoscalerBehavior``); every hit
names the API server's field path and the function that refuses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import integer, mapping, sequence
from k8slint.findings import Hit
from k8slint.kube.formats import dns_label_error, not_positive, path_segment_error
from k8slint.placeholders import has_placeholder

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

MAX_PERIOD_SECONDS = 1800
MAX_STABILIZATION_SECONDS = 3600
SELECT_POLICIES = ("Max", "Min", "Disabled")
POLICY_TYPES = ("Pods", "Percent")
# metric type -> its source field; a metric sets exactly the one its type names
SOURCES = {
    "Object": "object",
    "Pods": "pods",
    "Resource": "resource",
    "External": "external",
    "ContainerResource": "containerResource",
}
# the autoscaling versions whose metrics have a MetricTarget (v2beta1 had targetAverageValue and the like)
TARGET_VERSIONS = ("autoscaling/v2", "autoscaling/v2beta2")


def _text(value) -> bool:
    return isinstance(value, str) and not has_placeholder(value)


def autoscaler_spec_invalid(obj: K8sObject, ctx: Context) -> Hits:
    if obj.group != "autoscaling":
        return
    spec = obj.data.get("spec")
    if not isinstance(spec, dict):
        return
    yield from _replicas(spec)
    yield from _reference(mapping(spec, "scaleTargetRef"), "spec.scaleTargetRef", obj.role.partial)
    if obj.api_version == "autoscaling/v1":
        target = spec.get("targetCPUUtilizationPercentage")
        if integer(target) is not None and target < 1:
            yield Hit(
                "spec.targetCPUUtilizationPercentage",
                f"spec.metrics[0].resource.target.averageUtilization: Invalid value: {target}: must be greater than "
                "0 (validateMetricTarget; autoscaling/v1's targetCPUUtilizationPercentage becomes it)",
            )
    elif obj.api_version in TARGET_VERSIONS:
        for index, metric in enumerate(sequence(spec, "metrics")):
            if isinstance(metric, dict):
                yield from _metric(metric, f"spec.metrics[{index}]")
        behavior = spec.get("behavior")
        for direction in ("scaleUp", "scaleDown"):
            rules = mapping(behavior, direction)
            if rules:
                yield from _scaling_rules(rules, f"spec.behavior.{direction}")


def _replicas(spec: dict) -> Hits:
    low, high = integer(spec.get("minReplicas")), integer(spec.get("maxReplicas"))
    if low is not None and low < 1:
        yield Hit(
            "spec.minReplicas",
            f"spec.minReplicas: Invalid value: {low}: must be greater than or equal to 1 "
            "(validateHorizontalPodAutoscalerSpec; 0 needs the alpha HPAScaleToZero feature gate); use at least 1",
        )
    if high is not None and high < 1:
        yield Hit("spec.maxReplicas", f"spec.maxReplicas: Invalid value: {high}: must be greater than 0")
    elif high is not None and low is not None and high < low:
        yield Hit(
            "spec.maxReplicas",
            f"spec.maxReplicas: Invalid value: {high}: must be greater than or equal to `minReplicas` ({low}) "
            "(validateHorizontalPodAutoscalerSpec)",
        )


def _reference(ref: dict, base: str, partial: bool) -> Hits:
    """``ValidateCrossVersionObjectReference``."""
    for field in ("kind", "name"):
        value = ref.get(field)
        where = f"{base}.{field}"
        if value == "" and not partial:
            yield Hit(where, f"{where}: Required value (ValidateCrossVersionObjectReference)")
        elif _text(value) and path_segment_error(value):
            yield Hit(
                where,
                f'{where}: Invalid value: "{value}": {path_segment_error(value)} (ValidateCrossVersionObjectReference)',
            )


def _metric(metric: dict, base: str) -> Hits:
    kind = metric.get("type")
    expected = SOURCES.get(kind) if isinstance(kind, str) else None
    if expected is None:
        return  # a missing or unknown type is the schema rule's
    if not isinstance(metric.get(expected), dict):
        yield Hit(
            base,
            f"{base}.{expected}: Required value: must populate information for the given metric source "
            f"(validateMetricSpec: type {kind} reads {expected}); add {expected}",
            on_key=True,
        )
    for other in SOURCES.values():
        if other != expected and metric.get(other) is not None:
            yield Hit(
                f"{base}.{other}",
                f"{base}.{other}: Forbidden: must populate the given metric source only (validateMetricSpec: type "
                f"{kind} reads {expected}); remove {other} or change the type",
                on_key=True,
            )
    source = metric.get(expected)
    if isinstance(source, dict):
        yield from _source(kind, source, f"{base}.{expected}")


def _source(kind: str, source: dict, base: str) -> Hits:
    target = mapping(source, "target")
    where = f"{base}.target"
    yield from _target(target, where)
    if kind in ("Resource", "ContainerResource"):
        if kind == "ContainerResource":
            container = source.get("container")
            if _text(container) and container and dns_label_error(container):
                yield Hit(
                    f"{base}.container",
                    f'{base}.container: Invalid value: "{container}": {dns_label_error(container)} '
                    "(validateContainerResourceSource)",
                )
        utilization, average = target.get("averageUtilization"), target.get("averageValue")
        if utilization is None and average is None:
            yield Hit(
                where,
                f"{where}.averageUtilization: Required value: must set either a target raw value or a target "
                f"utilization (validateResourceSource); a {kind} metric reads averageUtilization or averageValue",
                on_key=True,
            )
        elif utilization is not None and average is not None:
            yield Hit(
                f"{where}.averageValue",
                f"{where}.averageValue: Forbidden: may not set both a target raw value and a target utilization "
                "(validateResourceSource); keep one",
                on_key=True,
            )
        return
    yield from _metric_name(mapping(source, "metric"), f"{base}.metric")
    if kind == "Object":
        yield from _reference(mapping(source, "describedObject"), f"{base}.describedObject", partial=False)
    value, average = target.get("value"), target.get("averageValue")
    if kind == "Pods" and average is None:
        yield Hit(
            where,
            f"{where}.averageValue: Required value: must specify a positive target averageValue "
            "(validatePodsSource); a Pods metric reads averageValue only",
            on_key=True,
        )
    elif kind in ("Object", "External") and value is None and average is None:
        yield Hit(
            where,
            f"{where}.averageValue: Required value: must set either a target value or averageValue "
            f"(validate{kind}Source)",
            on_key=True,
        )
    elif kind == "External" and value is not None and average is not None:
        yield Hit(
            f"{where}.value",
            f"{where}.value: Forbidden: may not set both a target value for metric and a per-pod target "
            "(validateExternalSource); keep one",
            on_key=True,
        )


def _metric_name(metric: dict, base: str) -> Hits:
    name = metric.get("name")
    if name == "":
        yield Hit(f"{base}.name", f"{base}.name: Required value: must specify a metric name (validateMetricIdentifier)")
    elif _text(name) and path_segment_error(name):
        yield Hit(
            f"{base}.name",
            f'{base}.name: Invalid value: "{name}": {path_segment_error(name)} (validateMetricIdentifier)',
        )


def _target(target: dict, base: str) -> Hits:
    """``validateMetricTarget``: the amounts it holds are positive."""
    for field in ("value", "averageValue"):
        amount = target.get(field)
        if not_positive(amount):
            yield Hit(f"{base}.{field}", f"{base}.{field}: Invalid value: {amount!r}: must be positive")
    utilization = integer(target.get("averageUtilization"))
    if utilization is not None and utilization < 1:
        yield Hit(
            f"{base}.averageUtilization",
            f"{base}.averageUtilization: Invalid value: {utilization}: must be greater than 0 (validateMetricTarget)",
        )


def _scaling_rules(rules: dict, base: str) -> Hits:
    """``validateScalingRules`` and ``validateScalingPolicy``."""
    window = integer(rules.get("stabilizationWindowSeconds"))
    if window is not None and not 0 <= window <= MAX_STABILIZATION_SECONDS:
        bound = "greater than or equal to zero" if window < 0 else f"less than or equal to {MAX_STABILIZATION_SECONDS}"
        yield Hit(
            f"{base}.stabilizationWindowSeconds",
            f"{base}.stabilizationWindowSeconds: Invalid value: {window}: must be {bound} (validateScalingRules)",
        )
    select = rules.get("selectPolicy")
    if _text(select) and select not in SELECT_POLICIES:
        yield Hit(
            f"{base}.selectPolicy",
            f'{base}.selectPolicy: Unsupported value: "{select}": supported values: "Disabled", "Max", "Min" '
            "(validateScalingRules)",
        )
    policies = rules.get("policies")
    if policies == []:
        yield Hit(
            f"{base}.policies",
            f"{base}.policies: Required value: must specify at least one Policy (validateScalingRules); remove "
            "policies to keep the default ones",
        )
    for index, policy in enumerate(sequence(rules, "policies")):
        if isinstance(policy, dict):
            yield from _policy(policy, f"{base}.policies[{index}]")


def _policy(policy: dict, base: str) -> Hits:
    kind = policy.get("type")
    if _text(kind) and kind not in POLICY_TYPES:
        yield Hit(
            f"{base}.type",
            f'{base}.type: Unsupported value: "{kind}": supported values: "Percent", "Pods" (validateScalingPolicy)',
        )
    value = integer(policy.get("value"))
    if value is not None and value <= 0:
        yield Hit(f"{base}.value", f"{base}.value: Invalid value: {value}: must be greater than zero")
    period = integer(policy.get("periodSeconds"))
    if period is not None and not 0 < period <= MAX_PERIOD_SECONDS:
        bound = "greater than zero" if period <= 0 else f"less than or equal to {MAX_PERIOD_SECONDS}"
        yield Hit(
            f"{base}.periodSeconds",
            f"{base}.periodSeconds: Invalid value: {period}: must be {bound} (validateScalingPolicy)",
        )
