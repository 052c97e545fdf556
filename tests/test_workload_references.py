"""Cross-object references: when they are checked, what they point at, and where they report."""

from __future__ import annotations

from conftest import lint_json

POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: {ns}
  labels: {{app: web}}
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports: [{{name: http, containerPort: 80}}]
      env:
        - name: MODE
          valueFrom:
            configMapKeyRef: {{name: settings, key: mode}}
---
"""
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: settings, namespace: {ns}}}\ndata: {{other: x}}\n---\n"
SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: {ns}}}\n"
    "spec:\n  selector: {{app: web}}\n  ports: [{{port: 80, targetPort: {target}}}]\n---\n"
)


def _lint(tmp_path, text, rule, *args):
    (tmp_path / "all.yaml").write_text(text)
    _, report = lint_json("--select", rule, *args, tmp_path / "all.yaml")
    return [f for f in report["findings"] if f["rule"] == rule]


def test_a_lone_object_is_not_checked_for_references(tmp_path):
    assert _lint(tmp_path, POD.format(ns="a"), "reference-missing") == []


def test_a_missing_key_of_an_existing_configmap_is_reported_at_the_key(tmp_path):
    [finding] = _lint(tmp_path, POD.format(ns="a") + CONFIGMAP.format(ns="a"), "reference-missing")
    assert finding["line"] == 15 and finding["path"].endswith("configMapKeyRef.key")
    assert "has no key mode" in finding["message"]


def test_reference_kinds_can_be_switched_off(tmp_path):
    (tmp_path / ".k8slint.yaml").write_text("rules:\n  reference-missing:\n    kinds: [Secret]\n")
    text = POD.format(ns="a") + CONFIGMAP.format(ns="a")
    assert _lint(tmp_path, text, "reference-missing", "--config", tmp_path / ".k8slint.yaml") == []


def test_service_in_the_wrong_namespace_names_the_matching_workload(tmp_path):
    [finding] = _lint(tmp_path, POD.format(ns="a") + SERVICE.format(ns="b", target="http"), "service-selector-no-match")
    assert "only those of Pod web in namespace a" in finding["message"]


def test_named_target_port_is_looked_up_in_the_selected_pods(tmp_path):
    assert (
        _lint(tmp_path, POD.format(ns="a") + SERVICE.format(ns="a", target="http"), "service-target-port-undefined")
        == []
    )
    [finding] = _lint(
        tmp_path, POD.format(ns="a") + SERVICE.format(ns="a", target="web"), "service-target-port-undefined"
    )
    assert finding["path"] == "spec.ports[0].targetPort" and '"web"' in finding["message"]


def test_by_default_only_kinds_the_run_manages_in_the_namespace_are_checked(tmp_path):
    text = POD.format(ns="a") + SERVICE.format(ns="a", target="http")
    assert _lint(tmp_path, text, "reference-missing") == []
    (tmp_path / "cfg.yaml").write_text("rules:\n  reference-missing:\n    when: namespace\n")
    [finding] = _lint(tmp_path, text, "reference-missing", "--config", tmp_path / "cfg.yaml")
    assert finding["message"].startswith("ConfigMap settings is not defined in namespace a")
