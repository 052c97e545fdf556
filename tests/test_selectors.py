"""Label selectors evaluated as Kubernetes does, and never crashing on malformed ones."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8slint.kube.selectors import describe, matches

LABELS = {"app": "web", "tier": "frontend"}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ({"app": "web"}, True),  # equality map (RC, Service)
        ({"app": "api"}, False),
        ({}, True),
        ({"matchLabels": {"app": "web"}}, True),
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend", "edge"]}]}, True),
        ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["frontend"]}]}, False),
        (
            {"matchExpressions": [{"key": "track", "operator": "NotIn", "values": ["canary"]}]},
            True,
        ),  # absent key satisfies NotIn
        ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, True),
        ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, False),
        ({"matchExpressions": [{"key": "app", "operator": "Equals", "values": ["web"]}]}, False),
        (None, False),
    ],
)
def test_matches(selector, expected):
    assert matches(selector, LABELS) is expected


def test_describe_like_kubectl():
    selector = {
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["a", "b"]},
            {"key": "x", "operator": "DoesNotExist"},
        ],
    }
    assert describe(selector) == "app=web,tier in (a,b),!x"


_any = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(st.sampled_from(["matchLabels", "matchExpressions", "app"]), _any, max_size=3))
def test_malformed_selectors_never_raise(selector):
    matches(selector, LABELS)
    describe(selector)
