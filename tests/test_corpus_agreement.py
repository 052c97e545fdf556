"""Agreement with peer linters (polaris, kube-score) on the shared corpus, per topic.

Each peer check that means the same as one of our rules is mapped to it (with the rule options that
mirror the peer's run configuration). For every fixture the peer expects to pass or fail, we lint the
file with only that rule and compare. Every disagreement must be listed in DISAGREEMENTS with the
reason; a listed one that no longer disagrees fails the test too, so the list stays true.
"""

from __future__ import annotations

import json
from collections import defaultdict

from conftest import lint_json

from k8slint import yamlio

# peer -> check -> (topic, our rule or rules (comma-separated), options of the first)
MAPPED = {
    "polaris": {
        "cpuLimitsMissing": ("resources", "resources-missing", {"required": ["limits.cpu"]}),
        "cpuRequestsMissing": ("resources", "resources-missing", {"required": ["requests.cpu"]}),
        "memoryLimitsMissing": ("resources", "resources-missing", {"required": ["limits.memory"]}),
        "memoryRequestsMissing": ("resources", "resources-missing", {"required": ["requests.memory"]}),
        "livenessProbeMissing": ("probes", "probe-missing-liveness", {}),
        "readinessProbeMissing": ("probes", "probe-missing-readiness", {}),
        "tagNotSpecified": ("images", "image-tag", {}),
    },
    "kube-score": {
        "container-resources": ("resources", "resources-missing", {}),
        "pod-probes": ("probes", "probe-missing-readiness", {}),
        "pod-probes-identical": ("probes", "probe-identical-liveness-readiness", {}),
        "container-image-tag": ("images", "image-tag", {}),
        "service-targets-pod": ("selectors", "service-selector-no-match", {}),
        "networkpolicy-targets-pod": ("networkpolicy", "networkpolicy-selector-no-match", {}),
        "horizontalpodautoscaler-has-target": ("references", "reference-missing", {"kinds": ["ScaleTarget"]}),
        "ingress-targets-service": ("references", "reference-missing", {"kinds": ["Service"]}),
        "statefulset-has-servicename": ("references", "statefulset-service-name", {}),
        "cronjob-restartpolicy": ("controllers", "job-restart-policy", {}),
        "environment-variable-key-duplication": ("controllers", "env-duplicate", {}),
        "container-ports-check": ("controllers", "port-duplicate,port-name-invalid", {}),
    },
}
# kube-score run options (from EXPECTED.yaml notes) -> resources-missing "required"
KUBE_SCORE_LIMIT_FLAGS = {
    "IgnoreContainerCpuLimitRequirement: true": "limits.cpu",
    "IgnoreContainerMemoryLimitRequirement: true": "limits.memory",
}

# (peer, file, check) -> why we deliberately differ
DISAGREEMENTS = {
    (
        "polaris",
        "test/checks/readinessProbeMissing/failure.yaml",
        "readinessProbeMissing",
    ): "Polaris asks every pod for a readinessProbe; we follow kube-score and ask only when a Service of the "
    "run sends the pod traffic, since a probe that gates no traffic is noise on workers and agents",
    (
        "kube-score",
        "score/testdata/ingress-v1-invalid-backend.yaml",
        "ingress-targets-service",
    ): "a networking.k8s.io/v1 Ingress with the old serviceName/servicePort backend is a schema error (no "
    "backend.service), reported by schema validation; there is no well-formed reference to follow",
    (
        "kube-score",
        "score/testdata/ingress_issue363.yaml",
        "ingress-targets-service",
    ): "as above: v1beta1 backend fields under networking.k8s.io/v1 are a schema error, not a missing Service",
    (
        "kube-score",
        "score/testdata/pod-container-ports-missing-containerport.yaml",
        "container-ports-check",
    ): "a port without containerPort is a schema error (required field), reported by the schema rule, not by "
    "port-duplicate",
    (
        "kube-score",
        "score/testdata/pod-container-ports-missing-containerport-annotation-optional.yaml",
        "container-ports-check",
    ): "as above: a schema error, not a duplicate",
}


def _entries(shared):
    for peer, checks in MAPPED.items():
        expected = yamlio.load_data((shared / "corpus" / peer / "EXPECTED.yaml").read_text(encoding="utf-8"))
        for entry in expected["entries"]:
            if entry["check"] in checks and entry["expect"] in ("pass", "fail"):
                yield peer, entry


def _options(peer, entry, options):
    if peer == "kube-score" and entry["check"] == "container-resources":
        dropped = {key for flag, key in KUBE_SCORE_LIMIT_FLAGS.items() if flag in entry.get("notes", "")}
        return {
            "required": [
                k for k in ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory") if k not in dropped
            ]
        }
    return options


def _ours(tmp_path, shared, peer, entry) -> str:
    topic, rule, options = MAPPED[peer][entry["check"]]
    config = tmp_path / "k8slint.yaml"
    rules = rule.split(",")
    config.write_text(json.dumps({"rules": {rules[0]: _options(peer, entry, options)}}), encoding="utf-8")
    code, report = lint_json("--config", config, "--select", rule, shared / "corpus" / peer / entry["file"])
    return "fail" if any(f["rule"] in rules for f in report["findings"]) else "pass"


def test_agreement_per_topic(tmp_path, shared, capsys):
    table = defaultdict(lambda: [0, 0])
    disagreeing = set()
    for peer, entry in _entries(shared):
        topic = MAPPED[peer][entry["check"]][0]
        ours = _ours(tmp_path, shared, peer, entry)
        agree = ours == entry["expect"]
        table[(peer, topic)][0] += agree
        table[(peer, topic)][1] += 1
        if not agree:
            disagreeing.add((peer, entry["file"], entry["check"]))
    with capsys.disabled():
        print("\npeer        topic          agree/total")
        for (peer, topic), (agree, total) in sorted(table.items()):
            print(f"{peer:<11} {topic:<14} {agree}/{total}")
    for key in sorted(disagreeing - set(DISAGREEMENTS)):
        print("UNEXPLAINED", key)
    assert disagreeing - set(DISAGREEMENTS) == set(), "unexplained disagreements (our bug, or add a reason)"
    assert set(DISAGREEMENTS) - disagreeing == set(), "listed disagreements that now agree: remove them"


def _workload_rules() -> list[str]:
    from k8slint.registry import all_rules

    modules = {
        f"k8slint.checks.{name}"
        for name in (
            "containers",
            "controllers",
            "probes",
            "quotas",
            "references",
            "resources",
            "static_pods",
            "targets",
        )
    }
    return sorted(r.id for r in all_rules().values() if r.check is not None and r.check.__module__ in modules)


def test_no_workload_error_on_manifests_peers_accept(shared):
    """Files the corpus marks valid, and those polaris's default webhook admits, get no error from our rules."""
    files = []
    for peer in ("polaris", "kube-score"):
        expected = yamlio.load_data((shared / "corpus" / peer / "EXPECTED.yaml").read_text(encoding="utf-8"))
        files += [
            shared / "corpus" / peer / e["file"]
            for e in expected["entries"]
            if e["expect"] == "valid" or (e["check"] == "(default-config)" and e["expect"] == "pass")
        ]
    assert len(files) > 10
    _, report = lint_json("--select", ",".join(_workload_rules()), *files)
    assert [f for f in report["findings"] if f["severity"] == "error"] == []
