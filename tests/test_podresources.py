"""Effective container resources: quantities, requests defaulting to limits, LimitRange defaults."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from k8slint.kube.podresources import declared, effective, limit_defaults, quantity_or_none


@pytest.mark.parametrize(("text", "value"), [("500m", Decimal("0.5")), (2, Decimal(2)), ("1Gi", Decimal(2**30))])
def test_quantities(text, value):
    assert quantity_or_none(text) == value


@pytest.mark.parametrize("text", ["1000mc", "one", "", None, True])
def test_missing_or_invalid_quantities_are_none(text):
    assert quantity_or_none(text) is None


def test_requests_default_to_limits_but_explicit_requests_win():
    requests, limits = declared({"resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "100m"}}})
    assert requests == {"cpu": "100m", "memory": "1Gi"} and limits == {"cpu": "1", "memory": "1Gi"}


def test_limitrange_defaults_follow_the_api_server_defaulting():
    item = {
        "type": "Container",
        "max": {"cpu": "2", "memory": "1Gi"},
        "default": {"memory": "512Mi"},
        "defaultRequest": {"memory": "256Mi"},
    }
    pod_item = {"type": "Pod", "max": {"cpu": "8"}}
    ranges = [SimpleNamespace(name="lr", data={"spec": {"limits": [pod_item, item]}})]
    defaults = limit_defaults(ranges)
    assert defaults.limits == {"cpu": ("2", "lr"), "memory": ("512Mi", "lr")}
    assert defaults.requests == {"cpu": ("2", "lr"), "memory": ("256Mi", "lr")}
    requests, limits = effective({"resources": {"limits": {"cpu": "500m"}}}, defaults)
    assert requests == {"cpu": "500m", "memory": "256Mi"} and limits == {"cpu": "500m", "memory": "512Mi"}
