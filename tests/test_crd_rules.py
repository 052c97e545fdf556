"""crd-validation-rule through the CLI: CEL rules of real CRDs (cnpg, Gateway API) and of a test CRD."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, lint_json

from k8slint.kube import cel

pytestmark = pytest.mark.skipif(not cel.available(), reason="cel-expr-python needs Python 3.11+")

HERE = FIXTURES / "crd-rules"
RULE = "crd-validation-rule"
CNPG_CRDS = "realworld/cloudnative-pg__cloudnative-pg/config/crd/bases"


def findings(*args):
    _code, report = lint_json("--select", RULE, *args)
    return [(f["severity"], f["line"], f["path"], f["message"]) for f in report["findings"]]


def test_cnpg_cluster_refused_by_two_rules_of_the_real_crd(shared):
    crds = shared / "corpus" / CNPG_CRDS
    assert findings("--crd-dir", crds, HERE / "cnpg-cluster-bad.yaml") == [
        ("error", 7, "spec", "imageName and imageCatalogRef are mutually exclusive"),
        (
            "error",
            18,
            "spec.postgresql.synchronous.number",
            "The number of synchronous replicas should be greater than zero",
        ),
    ]
    assert findings("--crd-dir", crds, HERE / "cnpg-cluster-good.yaml") == []


def test_gateway_api_rules_fail_and_pass():
    crds = HERE / "gateway-api-crds.yaml"
    assert findings(crds, HERE / "gateway-api-bad.yaml") == [
        ("error", 7, "spec.addresses", "IPAddress values must be unique"),
        (
            "error",
            10,
            "spec.addresses[2]",
            r"Hostname value must only contain valid characters (matching "
            r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)",
        ),
        ("error", 12, "spec.listeners", "Listener name must be unique within the Gateway"),
        (
            "error",
            29,
            "spec.rules[0].matches[0].path",
            "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
        ),
        (
            "error",
            32,
            "spec.rules[0].filters",
            "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
        ),
    ]
    # the second match of the good route has no path: the schema's default (PathPrefix /) is checked and holds
    assert findings(crds, HERE / "gateway-api-good.yaml") == []


def test_message_expression_field_path_library_functions_and_what_is_not_checked():
    got = findings(HERE / "widgets.yaml", HERE / "widgets-bad.yaml")
    assert got == [
        ("error", 5, "spec", "minReplicas (20) must not exceed maxReplicas (10)"),  # maxReplicas from its default
        (
            "info",
            5,
            "spec",
            "rule '!has(self.owner) || !format.dns1123Label().validate(self.owner).hasValue()' of CRD "
            "widgets.example.com is not checked: function format.dns1123Label() is not supported by k8slint",
        ),
        (
            "warning",
            5,
            "spec",
            "rule 'self.limits.cpu > 0' of CRD widgets.example.com fails to evaluate here: "
            'Key not found in map : "cpu"; the API server refuses the object with this error',
        ),
        ("error", 7, "spec.memory", "memory must be less than 64Gi"),
        ("error", 12, "spec.ratio", "ratio must be below 1"),  # 2 is a double where the schema says number
        ("error", 15, "spec.endpoints.legacy", "endpoints must be https URLs"),
    ]
    # the rule using format.* is not checked whatever the object: the same info finding, nothing else
    assert [finding[0] for finding in findings(HERE / "widgets.yaml", HERE / "widgets-good.yaml")] == ["info"]


def test_unsupported_function_is_one_info_finding_per_crd_rule(tmp_path):
    copies = tmp_path / "widgets"
    copies.mkdir()
    for number in range(3):
        text = (HERE / "widgets-good.yaml").read_text().replace("name: good", f"name: good-{number}")
        (copies / f"w{number}.yaml").write_text(text.replace("mode: fast", "mode: fast\n  owner: team-a"))
    got = findings(HERE / "widgets.yaml", copies)
    assert [severity for severity, *_ in got] == ["info"]
    assert "format.dns1123Label() is not supported" in got[0][3]


def test_pathological_rule_stops_at_the_cost_limit():
    got = findings(HERE / "widgets.yaml", HERE / "widgets-many-tags.yaml")
    [(severity, line, path, message)] = [finding for finding in got if "xyz" in finding[3]]
    assert (severity, path) == ("warning", "spec")
    assert "exceeds the limit of 1,000,000" in message and "PerCallLimit" in message


def test_transition_rules_and_placeholders_are_not_checked_on_create(tmp_path):
    resource = tmp_path / "widget.yaml"
    resource.write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
        "spec:\n  minReplicas: ${MIN}\n  maxReplicas: 2\n  mode: slow\n  limits: {cpu: 1}\n"
    )
    assert findings(HERE / "widgets.yaml", resource) == []
