"""The API and schema rules end to end: the issue's acceptance cases, bad input, valid manifests, corpora."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT, lint_json, run_cli

from k8slint import yamlio
from k8slint.config import Settings
from k8slint.engine import lint_paths
from k8slint.findings import Edit

API_RULES = (
    "unknown-kind,apiversion-mismatch,api-removed,api-deprecated,schema,invalid-quantity,"
    "invalid-label,unknown-custom-resource,cluster-scoped-namespace"
)
API = FIXTURES / "api"
RESOURCES = FIXTURES / "api-resources"


def _findings(*args):
    code, report = lint_json(*args)
    return code, [(f["rule"], f["line"], f["severity"], f["message"]) for f in report["findings"]]


def test_kind_typo_is_reported_at_the_kind_line_with_the_kubectl_check():
    code, findings = _findings("--select", API_RULES, API / "my_rc.yaml")
    [(rule, line, severity, message)] = findings
    assert (rule, line, severity, code) == ("unknown-kind", 2, "error", 1)
    assert "did you mean 'ReplicationController'?" in message and "kubectl api-resources" in message


@pytest.mark.parametrize(
    ("name", "rule", "edits"),
    [
        ("my_rc.yaml", "unknown-kind", (Edit("set", "kind", "ReplicationController"),)),
        # the conversion writes out the selector extensions/v1beta1 defaulted, so the move is safe
        (
            "extensions-deployment.yaml",
            "api-removed",
            (
                Edit("set", "apiVersion", "apps/v1"),
                Edit("set", "spec.selector", {"matchLabels": {"app": "legacy-web"}}),
            ),
        ),
    ],
)
def test_fixes_carry_edits(name, rule, edits):
    result = lint_paths([str(API / name)], Settings(select=[rule], jobs=1))
    [finding] = result.findings
    assert finding.edits == edits and finding.unsafe is False


def test_removed_api_names_the_replacement_for_the_target_version():
    code, findings = _findings(
        "--select", API_RULES, "--kubernetes-version", "1.30", API / "extensions-deployment.yaml"
    )
    assert code == 1
    assert [(r, line) for r, line, *_ in findings] == [("api-removed", 1)]
    assert "apps/v1" in findings[0][3] and "1.16" in findings[0][3]


def test_a_cluster_that_still_serves_the_api_is_no_error():
    code, findings = _findings(
        "--select", API_RULES, "--api-resources", RESOURCES / "cluster-1.15.txt", API / "extensions-deployment.yaml"
    )
    assert code == 0
    assert [rule for rule, *_ in findings] == ["api-deprecated"]


def test_bad_input_becomes_findings_not_tracebacks():
    code, findings = _findings(API / "bad-input.yaml")
    rules = sorted((rule, line) for rule, line, *_ in findings)
    assert rules == [("apiversion-mismatch", 6), ("missing-kind-or-apiversion", 2), ("missing-kind-or-apiversion", 11)]
    assert code == 1


@pytest.mark.parametrize(
    "flags",
    [
        ["--kubernetes-version", "2.0"],
        ["--kubernetes-version", "1.x"],
        ["--kubernetes-version", "1.24"],
    ],
)
def test_bad_version_flags_exit_2_naming_the_range(flags):
    result = run_cli("lint", *flags, API / "my_rc.yaml")
    assert result.exit_code == 2
    assert "1.25 to 1.37" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--api-resources", RESOURCES / "malformed.txt"], "malformed.txt:2"),
        (["--api-resources", RESOURCES / "no-such-file.txt"], "cannot read --api-resources file"),
        (["--crd-dir", FIXTURES / "no-such-dir"], "does not exist"),
    ],
)
def test_bad_files_exit_2_with_one_line(flags, message):
    result = run_cli("lint", *flags, API / "my_rc.yaml")
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_config_keys_reach_the_catalog(tmp_path):
    (tmp_path / ".k8slint.yaml").write_text("kubernetes-version: '1.25'\ncrds: [crds]\n")
    (tmp_path / "crds").mkdir()
    crd = (FIXTURES / "valid" / "crd-crontab.yaml").read_text().split("\n---\n")[0]
    (tmp_path / "crds" / "crontab.yaml").write_text(crd)
    (tmp_path / "hpa.yaml").write_text(
        "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n"
        "spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 3}\n---\n"
        "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: c}\nspec: {replicas: many}\n"
    )
    code, report = lint_json("--select", API_RULES, "hpa.yaml", cwd=tmp_path)
    assert sorted((f["rule"], f["line"]) for f in report["findings"]) == [("api-deprecated", 1), ("schema", 9)]


def test_valid_fixtures_have_no_errors():
    manifests = sorted((FIXTURES / "valid").glob("*.yaml"))
    assert len(manifests) >= 40
    code, report = lint_json(FIXTURES / "valid")
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors == [] and code == 0
    kinds = {doc.data["kind"] for path in manifests for doc in yamlio.parse_stream(path.read_text())[0]}
    assert {
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "Service",
        "Ingress",
        "NetworkPolicy",
        "ConfigMap",
        "Secret",
        "PersistentVolumeClaim",
        "StorageClass",
        "Role",
        "ClusterRoleBinding",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
    } <= kinds


def test_corpus_manifests_marked_valid_have_no_schema_error(shared):
    checked = 0
    for expected in sorted((shared / "corpus").glob("*/EXPECTED.yaml")):
        entries = yamlio.load_data(expected.read_text(encoding="utf-8")).get("entries") or []
        for entry in entries:
            path = expected.parent / entry["file"]
            if entry.get("expect") != "valid" or path.suffix not in (".yaml", ".yml") or "compose" in entry["check"]:
                continue
            code, findings = _findings("--select", "schema", path)
            assert findings == [], path
            checked += 1
    assert checked >= 5


def test_bench_corpus_defects_are_found_exactly(shared, tmp_path):
    generator = shared / "bench" / "gen_corpus.py"
    subprocess.run([sys.executable, generator, "--out", tmp_path, "--files", "60"], check=True, capture_output=True)
    rule_of = {
        "kind_typo": "unknown-kind",
        "removed_api_version": "api-removed",
        "invalid_quantity": "invalid-quantity",
    }
    with open(tmp_path / "ground-truth.tsv", encoding="utf-8") as handle:
        expected = {
            (row["file"], int(row["line"]), rule_of[row["defect"]])
            for row in csv.DictReader(handle, delimiter="\t")
            if row["defect"] in rule_of
        }
    _, report = lint_json("--select", API_RULES, "k8s", cwd=tmp_path)
    found = {(f["file"], f["line"], f["rule"]) for f in report["findings"]}
    assert expected and found == expected


def test_generated_api_tables_are_up_to_date():
    result = subprocess.run(
        [sys.executable, ROOT / "scripts" / "gen_api_resources.py", "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_missing_schemas_are_a_usage_error(monkeypatch):
    import k8slint.kube.schemas

    monkeypatch.setattr(k8slint.kube.schemas, "find_spec", lambda name: None)
    result = run_cli("lint", API / "my_rc.yaml")
    assert result.exit_code == 2 and "kubernetes-validate package is not installed" in result.stderr


def test_custom_resources_listed_by_the_cluster_still_follow_their_crd(tmp_path):
    (tmp_path / "apis.txt").write_text(
        "NAME SHORTNAMES APIVERSION NAMESPACED KIND\ncrontabs ct stable.example.com/v1 true CronTab\n"
    )
    crd = (FIXTURES / "valid" / "crd-crontab.yaml").read_text().split("\n---\n")[0]
    (tmp_path / "crd.yaml").write_text(crd)
    (tmp_path / "cr.yaml").write_text(
        "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: c}\nspec: {replicas: 11}\n"
    )
    code, report = lint_json(
        "--select", API_RULES, "--api-resources", "apis.txt", "--crd-dir", "crd.yaml", "cr.yaml", cwd=tmp_path
    )
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("schema", 4)]
