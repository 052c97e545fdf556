"""quota-requires-resources and quota-exceeded: the ReplicaSet + ResourceQuota scenario through the CLI, and quota scopes."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, lint_json

from k8slint.config import Settings
from k8slint.engine import lint_paths

SCENARIO = FIXTURES / "workloads" / "quota"
DEFAULTS = FIXTURES / "workloads" / "quota-defaults"
API_WORDING = (
    "failed quota: mem-cpu-demo: must specify limits.cpu for: nginx-container; requests.cpu for: nginx-container"
)


def _findings(*paths, rule="quota-requires-resources"):
    code, report = lint_json("--select", rule, *paths)
    return code, [f for f in report["findings"] if f["rule"] == rule]


def test_quota_without_defaults_is_reported_at_the_container_in_api_server_wording():
    code, findings = _findings(SCENARIO)
    assert code == 1
    assert len(findings) == 1, "the ReplicaSet in the namespace without a quota is not affected"
    finding = findings[0]
    assert finding["message"].startswith(API_WORDING)
    assert "LimitRange" in finding["message"] and "requests" in finding["message"]
    assert finding["path"] == "spec.template.spec.containers[0]"
    assert finding["line"] == 18 and finding["file"].endswith("replicaset.yaml")
    assert finding["severity"] == "error"


def _with_defaults(tmp_path):
    """The scenario's directory with the LimitRange added: objects see their own directory (see Index)."""
    for source in (*SCENARIO.iterdir(), *DEFAULTS.iterdir()):
        shutil.copy(source, tmp_path / source.name)
    return tmp_path


def test_a_limitrange_with_defaults_makes_the_scenario_pass(tmp_path):
    code, findings = _findings(_with_defaults(tmp_path))
    assert (code, findings) == (0, [])


def test_a_limitrange_in_a_sibling_directory_governs_nothing():
    code, findings = _findings(SCENARIO, DEFAULTS)
    assert code == 1 and [f["path"] for f in findings] == ["spec.template.spec.containers[0]"]


def test_limits_alone_satisfy_a_requests_quota(tmp_path):
    (tmp_path / "all.yaml").write_text(_quota("cpu: '1'") + _pod("resources: {limits: {cpu: 500m}}"))
    assert _findings(tmp_path)[1] == []


def test_cpu_shorthand_is_named_as_the_quota_names_it(tmp_path):
    (tmp_path / "all.yaml").write_text(_quota("cpu: '1'\n    memory: 1Gi") + _pod("resources: {}"))
    [finding] = _findings(tmp_path)[1]
    assert finding["message"].startswith("failed quota: q: must specify cpu for: app; memory for: app —")


def test_limitrange_max_becomes_the_default_limit(tmp_path):
    limit_range = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: lr}\nspec:\n  limits:\n    - type: Container\n      max: {cpu: '1'}\n---\n"
    (tmp_path / "all.yaml").write_text(
        limit_range + _quota("limits.cpu: '4'\n    requests.cpu: '2'") + _pod("resources: {}")
    )
    assert _findings(tmp_path)[1] == []


def test_scoped_quota_only_governs_matching_pods(tmp_path):
    scoped = _quota(
        "requests.cpu: '1'",
        extra="  scopeSelector:\n    matchExpressions:\n"
        "      - {scopeName: PriorityClass, operator: In, values: [high]}\n",
    )
    (tmp_path / "all.yaml").write_text(
        scoped + _pod("resources: {}") + _pod("resources: {}", name="vip", priority="high")
    )
    findings = _findings(tmp_path)[1]
    assert [f["object"] for f in findings] == ["v1/Pod/default/vip"]


def test_quota_exceeded_sums_replicas_and_init_containers(tmp_path):
    deployment = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
        - {name: warm, image: busybox:1.36, resources: {requests: {memory: 1Gi}}}
      containers:
        - {name: web, image: nginx:1.27, resources: {requests: {memory: 256Mi}}}
"""
    (tmp_path / "all.yaml").write_text(_quota("requests.memory: 2Gi\n    pods: '2'") + deployment)
    code, findings = _findings(tmp_path, rule="quota-exceeded")
    assert code == 0
    messages = {f["path"]: f["message"] for f in findings}
    assert set(messages) == {'spec.hard["requests.memory"]', "spec.hard.pods"}
    assert "need requests.memory 3Gi" in messages['spec.hard["requests.memory"]']
    assert "Deployment web 3×1Gi" in messages['spec.hard["requests.memory"]']
    assert "need pods 3" in messages["spec.hard.pods"]


def test_resources_missing_offers_limitrange_defaults_as_an_unsafe_fix(tmp_path):
    result = lint_paths([str(_with_defaults(tmp_path))], Settings(select=["resources-missing"], jobs=1))
    fixable = [f for f in result.findings if f.edits]
    assert len(fixable) == 1 and fixable[0].unsafe
    # a CPU limit is not required by default, so only the request is written out
    assert {(e.op, e.path, e.value) for e in fixable[0].edits} == {
        ("set", "spec.template.spec.containers[0].resources.requests.cpu", "250m"),
    }
    required = {"resources-missing": {"required": ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]}}
    result = lint_paths([str(tmp_path)], Settings(select=["resources-missing"], jobs=1, rules=required))
    assert {(e.op, e.path, e.value) for f in result.findings for e in f.edits} == {
        ("set", "spec.template.spec.containers[0].resources.requests.cpu", "250m"),
        ("set", "spec.template.spec.containers[0].resources.limits.cpu", "500m"),
    }


def _quota(hard: str, extra: str = "") -> str:
    return f"apiVersion: v1\nkind: ResourceQuota\nmetadata: {{name: q}}\nspec:\n  hard:\n    {hard}\n{extra}---\n"


def _pod(resources: str, name: str = "p", priority: str | None = None) -> str:
    spec = f"  priorityClassName: {priority}\n" if priority else ""
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n{spec}  containers:\n"
        f"    - name: app\n      image: example/app:1.0\n      {resources}\n---\n"
    )


def test_a_quota_in_one_cluster_directory_does_not_govern_another(tmp_path):
    """clusters/prod and clusters/staging both define shop/web: they are two clusters, not one namespace."""
    for cluster, resources in (
        ("prod", "resources: {requests: {cpu: 100m}, limits: {cpu: 200m}}"),
        ("staging", "resources: {}"),
    ):
        place = tmp_path / "clusters" / cluster / "shop"
        place.mkdir(parents=True)
        quota = _quota("requests.cpu: '1'") if cluster == "prod" else ""
        (place / "all.yaml").write_text(quota + _pod(resources))
    assert _findings(tmp_path)[1] == []
