"""One run over several Kubernetes versions: each finding says the versions it holds for."""

from __future__ import annotations

import json

from conftest import FIXTURES, lint_json, run_cli

UPGRADE = FIXTURES / "versions" / "upgrade.yaml"
VERSIONS = ["1.29", "1.33", "1.37"]


def _by_rule(report) -> dict:
    return {finding["rule"]: finding for finding in report["findings"]}


def test_json_gives_each_finding_the_versions_it_holds_for():
    code, report = lint_json("--kubernetes-version", ",".join(VERSIONS), UPGRADE)
    found = _by_rule(report)
    assert code == 1
    assert found["api-removed"]["kubernetes_versions"] == VERSIONS  # policy/v1beta1: gone since 1.25
    assert "the target is 1.29, 1.33, 1.37" in found["api-removed"]["message"]
    assert found["env-invalid-name"]["kubernetes_versions"] == ["1.29"]  # relaxed names from 1.32
    assert found["pod-spec-invalid"]["kubernetes_versions"] == VERSIONS  # the same in every version
    flow = [f for f in report["findings"] if f["rule"] == "api-removed" and "FlowSchema" in f["message"]]
    assert [f["kubernetes_versions"] for f in flow] == [["1.33", "1.37"]]  # v1beta3 removed in 1.32
    assert len(report["findings"]) == len({(f["rule"], f["line"], f["column"]) for f in report["findings"]})


def test_one_version_reports_no_versions():
    _, report = lint_json("--kubernetes-version", "1.29", UPGRADE)
    assert all("kubernetes_versions" not in finding for finding in report["findings"])
    assert "env-invalid-name" in _by_rule(report)


def test_text_tags_only_findings_that_do_not_hold_everywhere():
    out = run_cli("lint", "--jobs", "1", "--kubernetes-version", "1.29,1.33,1.37", UPGRADE).stdout
    lines = {line.split()[2]: line for line in out.splitlines() if line.count(":") >= 3 and "FlowSchema" not in line}
    assert lines["env-invalid-name"].endswith("[Kubernetes 1.29]")
    assert "[Kubernetes" not in lines["pod-spec-invalid"]
    flow = {line.split()[2]: line for line in out.splitlines() if "FlowSchema" in line}
    assert flow["api-removed"].endswith("[Kubernetes 1.33+]")  # v1beta3 is gone from 1.32
    assert flow["api-deprecated"].endswith("[Kubernetes 1.29]")  # and only deprecated before


def test_sarif_carries_the_versions():
    out = run_cli("lint", "--jobs", "1", "-f", "sarif", "--kubernetes-version", "1.29,1.37", UPGRADE).stdout
    results = json.loads(out)["runs"][0]["results"]
    assert {tuple(r["properties"]["kubernetesVersions"]) for r in results} >= {("1.29",), ("1.29", "1.37"), ("1.37",)}


def test_config_file_may_list_versions(tmp_path):
    (tmp_path / ".k8slint.yaml").write_text("kubernetes-version: ['1.29', '1.37']\n", encoding="utf-8")
    code, report = lint_json(UPGRADE, cwd=tmp_path)
    assert _by_rule(report)["env-invalid-name"]["kubernetes_versions"] == ["1.29"]


def test_an_unsupported_version_in_the_list_is_a_usage_error():
    result = run_cli("lint", "--kubernetes-version", "1.29,1.2", UPGRADE)
    assert result.exit_code == 2 and "1.2" in result.output
