"""Schema validation: one precise problem per mistake, exact paths, CRD schemas."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, lint_json
from hypothesis import given, settings
from hypothesis import strategies as st

from k8slint.kube.crds import custom_kind, to_json_schema
from k8slint.kube.schemas import LIST, MAP, CompiledSchema, dotted, schema_set


@pytest.fixture(scope="module")
def deployment():
    return schema_set(37).validator("apps/v1", "Deployment")


def _deployment(container: dict, **spec) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27", **container}]},
            },
            **spec,
        },
    }


def _problems(validator, data):
    return [(dotted(p.path), p.message, p.on_key, p.replacement) for p in validator.problems(data)]


def test_valid_object_has_no_problems(deployment):
    data = _deployment(
        {"ports": [{"containerPort": 80}], "resources": {"limits": {"cpu": "1", "memory": 1e9}}},
        strategy={"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
    )
    assert deployment.problems(data) == []


def test_unknown_field_points_at_the_key_with_a_guess(deployment):
    assert _problems(deployment, _deployment({}, replica=3)) == [
        ("spec.replica", "unknown field 'spec.replica'; did you mean 'replicas'?", True, "replicas")
    ]


def test_enum_value_from_prose_is_enforced(deployment):
    [(path, message, on_key, fix)] = _problems(deployment, _deployment({"imagePullPolicy": "Allways"}))
    assert path == "spec.template.spec.containers[0].imagePullPolicy"
    assert "did you mean 'Always'?" in message and fix == "Always" and not on_key


def test_int_or_string_gives_one_type_error_not_oneof_noise(deployment):
    problems = _problems(deployment, _deployment({}, strategy={"rollingUpdate": {"maxSurge": [1]}}))
    assert problems == [
        (
            "spec.strategy.rollingUpdate.maxSurge",
            "spec.strategy.rollingUpdate.maxSurge must be integer or string, not array ([1])",
            False,
            None,
        )
    ]


def test_wrong_type_and_missing_field_in_one_object(deployment):
    data = _deployment({"ports": [{"containerPort": "80"}]}, replicas="3")
    data["spec"]["template"]["spec"]["containers"].append({"image": "sidecar:1"})
    paths = sorted(path for path, *_ in _problems(deployment, data))
    assert paths == [
        "spec.replicas",
        "spec.template.spec.containers[0].ports[0].containerPort",
        "spec.template.spec.containers[1]",
    ]


def test_label_keys_with_dots_are_quoted_in_paths(deployment):
    data = _deployment({})
    data["metadata"]["labels"] = {"app.kubernetes.io/version": 1.0}
    [(path, *_)] = _problems(deployment, data)
    assert path == 'metadata.labels["app.kubernetes.io/version"]'


def test_quantity_paths_come_from_the_schema():
    paths = schema_set(37).quantity_paths("v1", "LimitRange")
    assert ("spec", "limits", LIST, "default", MAP) in paths
    assert ("spec", "resources", "requests", MAP) in schema_set(37).quantity_paths("v1", "PersistentVolumeClaim")


def test_unknown_kind_has_no_schema():
    assert schema_set(37).validator("v1", "Widget") is None


CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "scope": "Cluster",
        "names": {"kind": "Widget", "plural": "widgets"},
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "spec": {
                                "type": "object",
                                "required": ["size"],
                                "properties": {
                                    "size": {"type": "integer", "minimum": 1},
                                    "port": {"x-kubernetes-int-or-string": True},
                                    "note": {"type": "string", "nullable": True},
                                    "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                                },
                            }
                        },
                    }
                },
            },
            {"name": "v1alpha1", "served": False, "storage": False},
        ],
    },
}


def test_crd_registers_kind_scope_and_served_versions():
    kind = custom_kind(CRD)
    assert (kind.group, kind.kind, kind.namespaced, sorted(kind.versions)) == ("example.com", "Widget", False, ["v1"])


def test_crd_schema_is_strict_where_it_should_be():
    validator = CompiledSchema(to_json_schema(custom_kind(CRD).versions["v1"]))
    good = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w"},
        "spec": {"size": 2, "port": "http", "note": None, "free": {"any": {"thing": 1}}},
    }
    assert validator.problems(good) == []
    bad = {**good, "spec": {"sise": 2, "port": 1.5}}
    messages = sorted(p.message for p in validator.problems(bad))
    assert messages == [
        "spec is missing the required field 'size'",
        "spec.port must be integer or string, not number (1.5)",
        "unknown field 'spec.sise'; did you mean 'size'?",
    ]


def test_go_integer_ranges_and_non_finite_numbers(deployment):
    problems = dict(
        (path, message)
        for path, message, *_ in _problems(
            deployment, _deployment({}, replicas=float("inf"), revisionHistoryLimit=2**31)
        )
    )
    assert "not a number Kubernetes accepts" in problems["spec.replicas"]
    assert "maximum of 2147483647" in problems["spec.revisionHistoryLimit"]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["replicas", "selector", "template", "strategy", "paused", "bogus"]), _json)
def test_any_value_anywhere_gives_problems_not_exceptions(deployment, field, value):
    data = _deployment({}, **{field: value})
    for problem in deployment.problems(data):
        node = data
        for part in problem.path[:-1] if problem.on_key else problem.path:
            node = node[part]  # every reported path exists in the object
        assert problem.message


def test_data_the_server_drops_before_validating_is_not_an_error():
    """Status is reset on create and a custom resource's non-nullable nulls are pruned: neither is refused."""
    _, report = lint_json("--select", "schema", FIXTURES / "server-drops")
    found = [(Path(f["file"]).name, f["line"], f["message"]) for f in report["findings"]]
    assert found == [("widget.yaml", 18, 'spec.size must be integer, not string ("big")')]


def test_a_mutating_webhook_of_the_run_makes_a_custom_resource_type_error_a_warning():
    mutated = FIXTURES / "mutated"
    _, report = lint_json("--select", "schema", mutated)
    found = [(f["line"], f["severity"], f["message"]) for f in report["findings"]]
    assert found == [
        (
            6,
            "warning",
            "spec.size must be integer, not number (0.5); "
            "a mutating webhook of this repository may rewrite it before validation",
        ),
        (7, "error", "unknown field 'spec.colour'; spec has no such field"),  # pruned, never rewritten into a field
    ]
    _, report = lint_json("--select", "schema", mutated / "crd.yaml", mutated / "widget.yaml")
    assert [(f["line"], f["severity"]) for f in report["findings"]] == [(6, "error"), (7, "error")]
