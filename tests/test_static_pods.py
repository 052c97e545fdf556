"""Static pod directories: the default kubelet path, --static-pod-path, the static-pod-paths setting, and the fix."""

from __future__ import annotations

from conftest import lint_json

from k8slint.config import Settings
from k8slint.engine import lint_paths

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
"""


def _kind_findings(*args, cwd):
    _, report = lint_json("--select", "static-pod-kind", *args, cwd=cwd)
    return [(f["file"], f["line"]) for f in report["findings"]]


def test_flag_and_setting_name_static_pod_directories(tmp_path):
    (tmp_path / "node" / "pods" / "nested").mkdir(parents=True)
    (tmp_path / "node" / "pods" / "web.yaml").write_text(DEPLOYMENT)
    (tmp_path / "node" / "pods" / "nested" / "web.yaml").write_text(DEPLOYMENT)
    assert _kind_findings("node", cwd=tmp_path) == []
    found = _kind_findings("--static-pod-path", "node/pods", "node", cwd=tmp_path)
    assert found == [("node/pods/web.yaml", 2)], "the kubelet does not read subdirectories"
    (tmp_path / ".k8slint.yaml").write_text("static-pod-paths: [node/pods]\n")
    assert _kind_findings("node", cwd=tmp_path) == [("node/pods/web.yaml", 2)]


def test_default_kubelet_directory_anywhere_in_the_tree(tmp_path):
    manifests = tmp_path / "roles" / "etc" / "kubernetes" / "manifests"
    manifests.mkdir(parents=True)
    (manifests / "web.yaml").write_text(DEPLOYMENT)
    assert _kind_findings(tmp_path, cwd=tmp_path) != []


def test_dry_run_leftovers_have_a_safe_delete_fix(tmp_path):
    manifests = tmp_path / "etc" / "kubernetes" / "manifests"
    manifests.mkdir(parents=True)
    (manifests / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  name: p\n"
        "spec:\n  containers: [{name: p, image: busybox:1.36}]\nstatus: {}\n"
    )
    result = lint_paths([str(manifests)], Settings(select=["static-pod-dry-run-fields"], jobs=1))
    assert [(f.line, f.edits[0].op, f.edits[0].path, f.unsafe) for f in result.findings] == [
        (4, "delete", "metadata.creationTimestamp", False),
        (8, "delete", "status", False),
    ]
