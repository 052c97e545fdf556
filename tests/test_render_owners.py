"""`kubectl get deploy,rs,pod -o yaml` dumps: a problem the pod template carries is reported once, at the owner."""

from __future__ import annotations

from conftest import FIXTURES, lint_json

DUMP = FIXTURES / "render" / "dump" / "get-deploy-rs-pod.yaml"


def test_each_problem_once_at_the_deployment():
    code, report = lint_json(DUMP)
    assert code == 0
    assert sorted((f["rule"], f["object"], f["line"]) for f in report["findings"]) == [
        ("image-tag", "apps/v1/Deployment/shop/api", 34),
        ("resources-missing", "apps/v1/Deployment/shop/api", 34),
    ]


def test_without_the_owner_in_the_run_the_owned_objects_report_their_own(tmp_path):
    text = DUMP.read_text()
    deployment_end = text.index("- apiVersion: apps/v1\n  kind: ReplicaSet")
    without = "apiVersion: v1\nitems:\n" + text[deployment_end:]
    (tmp_path / "rs-pod.yaml").write_text(without)
    _, report = lint_json("rs-pod.yaml", cwd=tmp_path)
    assert sorted((f["rule"], f["object"]) for f in report["findings"]) == [
        ("image-tag", "apps/v1/ReplicaSet/shop/api-7d9f8c6b5"),
        ("resources-missing", "apps/v1/ReplicaSet/shop/api-7d9f8c6b5"),
    ]


def test_an_owner_reference_that_is_not_the_controller_does_not_hide_findings(tmp_path):
    text = DUMP.read_text().replace(
        "      controller: true\n      kind: ReplicaSet", "      controller: false\n      kind: ReplicaSet"
    )
    (tmp_path / "dump.yaml").write_text(text)
    _, report = lint_json("dump.yaml", cwd=tmp_path)
    assert sorted({f["object"] for f in report["findings"]}) == [
        "apps/v1/Deployment/shop/api",
        "v1/Pod/shop/api-7d9f8c6b5-x2k8q",
    ]
