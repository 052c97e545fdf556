"""Mechanical apiVersion moves: which ones are exact, and the edits they make."""

from __future__ import annotations

from k8slint.findings import Edit
from k8slint.kube.conversions import convert


def _workload(kind: str, api_version: str, **spec) -> dict:
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
    return {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {"name": "web"},
        "spec": {"template": template, **spec},
    }


def test_daemonset_keeps_its_old_on_delete_default_and_gets_the_defaulted_selector():
    conversion = convert(_workload("DaemonSet", "extensions/v1beta1"), "DaemonSet", "extensions/v1beta1", "apps/v1")
    assert conversion.safe and conversion.edits == (
        Edit("set", "apiVersion", "apps/v1"),
        Edit("set", "spec.selector", {"matchLabels": {"app": "web"}}),
        Edit("set", "spec.updateStrategy", {"type": "OnDelete"}),
    )


def test_an_existing_selector_and_strategy_are_left_alone():
    data = _workload(
        "StatefulSet",
        "apps/v1beta1",
        selector={"matchLabels": {"app": "web"}},
        updateStrategy={"type": "RollingUpdate"},
    )
    assert convert(data, "StatefulSet", "apps/v1beta1", "apps/v1").edits == (Edit("set", "apiVersion", "apps/v1"),)


def test_no_mechanical_move_when_the_old_api_did_not_default_the_selector_or_rollback_is_pending():
    assert convert(_workload("Deployment", "apps/v1beta2"), "Deployment", "apps/v1beta2", "apps/v1") is None
    pending = _workload("Deployment", "extensions/v1beta1", rollbackTo={"revision": 3})
    assert convert(pending, "Deployment", "extensions/v1beta1", "apps/v1") is None


def test_pdb_moves_safely_only_when_its_selector_selects_something():
    selecting = {"spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}}
    empty = {"spec": {"minAvailable": 1, "selector": {}}}
    assert convert(selecting, "PodDisruptionBudget", "policy/v1beta1", "policy/v1").safe
    assert not convert(empty, "PodDisruptionBudget", "policy/v1beta1", "policy/v1").safe


def test_same_shape_moves_change_only_the_api_version():
    assert convert({"spec": {}}, "CronJob", "batch/v1beta1", "batch/v1").edits == (
        Edit("set", "apiVersion", "batch/v1"),
    )
    assert convert(
        {"rules": []}, "ClusterRole", "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1"
    ).safe


def test_ingress_backends_are_rewritten_and_resource_backends_kept():
    data = {
        "spec": {
            "rules": [
                {
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"resource": {"kind": "Bucket", "name": "static"}},
                            },
                            {"path": "/api", "backend": {"serviceName": "api", "servicePort": 8080}},
                        ]
                    }
                }
            ]
        }
    }
    conversion = convert(data, "Ingress", "extensions/v1beta1", "networking.k8s.io/v1")
    base = "spec.rules[0].http.paths[1]"
    assert conversion.safe and conversion.edits == (
        Edit("set", "apiVersion", "networking.k8s.io/v1"),
        Edit("set", f"{base}.backend.service", {"name": "api", "port": {"number": 8080}}),
        Edit("delete", f"{base}.backend.serviceName"),
        Edit("delete", f"{base}.backend.servicePort"),
        Edit("set", f"{base}.pathType", "ImplementationSpecific"),
    )


def test_ingress_with_a_quoted_numeric_port_has_no_mechanical_move():
    data = {"spec": {"backend": {"serviceName": "web", "servicePort": "80"}}}
    assert convert(data, "Ingress", "networking.k8s.io/v1beta1", "networking.k8s.io/v1") is None


def test_unknown_moves_are_not_guessed():
    assert convert({"spec": {}}, "HorizontalPodAutoscaler", "autoscaling/v2beta1", "autoscaling/v2") is None
