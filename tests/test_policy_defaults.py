"""Default rule set on real layouts: readiness only where a Service sends traffic, one line per unknown CRD kind,
liveness opt-in, no CPU limit required, and a Service rule that survives several Services."""

from __future__ import annotations

import json

from conftest import FIXTURES, lint_json, run_subprocess

POLICY = FIXTURES / "policy"


def _rules(report, rule_id):
    return [f for f in report["findings"] if f["rule"] == rule_id]


def test_readiness_is_required_only_for_pods_a_service_selects():
    _, report = lint_json(POLICY / "readiness")
    readiness = _rules(report, "probe-missing-readiness")
    assert [(f["file"].rsplit("/", 1)[-1], f["line"]) for f in readiness] == [("web.yaml", 21)]
    assert "Service web sends it traffic" in readiness[0]["message"]
    assert readiness[0]["severity"] == "warning"


def test_liveness_is_opt_in_and_cpu_limits_are_not_required_by_default():
    _, report = lint_json(POLICY / "readiness")
    assert _rules(report, "probe-missing-liveness") == []
    assert _rules(report, "resources-missing") == []
    _, report = lint_json("--select", "probe-missing-liveness", POLICY / "readiness")
    assert len(_rules(report, "probe-missing-liveness")) == 2


def test_unknown_custom_resources_are_summarised_once_per_kind():
    _, report = lint_json(POLICY / "crds" / "widgets-a.yaml", POLICY / "crds" / "widgets-b.yaml")
    found = _rules(report, "unknown-custom-resource")
    assert [(f["file"].rsplit("/", 1)[-1], f["line"]) for f in found] == [("widgets-a.yaml", 2), ("widgets-a.yaml", 12)]
    widget, gadget = found
    assert "Widget of group example.com" in widget["message"]
    assert "its 3 objects in 2 files (this is the first) are not checked" in widget["message"]
    assert "--crd-dir" in widget["message"] and "--api-resources" in widget["message"]
    assert (
        "Gadget of group tools.example.org" in gadget["message"] and "this object is not checked" in gadget["message"]
    )


def test_the_crd_named_in_the_summary_silences_it():
    _, report = lint_json(
        "--crd-dir", POLICY / "crds" / "crd", POLICY / "crds" / "widgets-a.yaml", POLICY / "crds" / "widgets-b.yaml"
    )
    found = _rules(report, "unknown-custom-resource")
    assert len(found) == 1 and "defines Gadget of group tools.example.org," in found[0]["message"]


def test_every_service_with_an_undefined_target_port_is_reported_without_an_internal_error():
    process = run_subprocess("lint", "--format", "json", "--jobs", "1", POLICY / "target-ports")
    assert "internal error" not in process.stderr
    assert process.returncode == 0  # a warning: the API server accepts the Service
    found = _rules(json.loads(process.stdout), "service-target-port-undefined")
    assert [(f["line"], f["severity"]) for f in found] == [(8, "warning"), (16, "warning")]
    assert 'targetPort "admin"' in found[1]["message"]


def test_a_service_above_the_workload_carries_the_readiness_finding_so_each_directory_stands_alone():
    _, report = lint_json(POLICY / "readiness-tree")
    found = _rules(report, "probe-missing-readiness")
    assert [(f["file"].rsplit("/", 1)[-1], f["line"]) for f in found] == [("service.yaml", 7)]
    assert (
        "app/deployment.yaml:13" in found[0]["message"] and "container api has no readinessProbe" in found[0]["message"]
    )
    _, report = lint_json(POLICY / "readiness-tree" / "app")
    assert _rules(report, "probe-missing-readiness") == []
