"""What the API server's PodDisruptionBudget validation refuses that the schema cannot say.

``ValidatePodDisruptionBudgetSpec`` (pkg/apis/policy/validation/validation.go).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.checks.controllers import int_or_percent
from k8slint.findings import Hit
from k8slint.kube.labelsyntax import selector_problems

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

FUNCTION = "ValidatePodDisruptionBudgetSpec"


def disruption_budget_invalid(obj: K8sObject, ctx: Context) -> Hits:
    spec = obj.data.get("spec")
    if obj.group != "policy" or not isinstance(spec, dict):
        return
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        yield Hit(
            "spec.maxUnavailable",
            f"spec: Invalid value: minAvailable and maxUnavailable cannot be both set ({FUNCTION}); keep one",
            on_key=True,
        )
    for field in ("minAvailable", "maxUnavailable"):
        yield from int_or_percent(spec, "spec", field, FUNCTION, at_most_100=True)
    # matchLabels are invalid-label's (it reads spec.selector.matchLabels of every kind)
    for path, message in selector_problems(spec.get("selector"), "spec.selector", match_labels=False):
        yield Hit(path, f"{message} (ValidateLabelSelector)")
