"""How real repositories are read: kustomize trees, Helm charts, tool configs and templates (fixtures/layouts)."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES, lint_json, run_cli

LAYOUTS = FIXTURES / "layouts"
KUSTOMIZE = LAYOUTS / "kustomize"
CHART = LAYOUTS / "helm" / "web"


def errors(report) -> list[tuple[str, str]]:
    """(file name relative to the layouts fixtures, rule) of every error."""
    return sorted(
        (str(finding["file"]).split("layouts/", 1)[1], finding["rule"])
        for finding in report["findings"]
        if finding["severity"] == "error"
    )


def test_kustomize_tree_reports_only_what_kustomize_would_not_repair():
    code, report = lint_json(KUSTOMIZE)
    assert code == 1
    assert errors(report) == [
        ("kustomize/overlays/prod/job-policy.yaml", "job-restart-policy"),  # a bad value, even in a patch
        ("kustomize/overlays/prod/job-policy.yaml", "schema"),  # an unknown field, even in a patch
        ("kustomize/plain/deployment.yaml", "selector-missing"),  # no kustomization: applied as it is
    ]
    messages = {finding["message"] for finding in report["findings"] if finding["rule"] == "schema"}
    assert messages == {"unknown field 'spec.template.spec.nodeSelectr'; did you mean 'nodeSelector'?"}


def test_json6902_patch_is_not_a_document_error():
    code, report = lint_json(KUSTOMIZE / "overlays" / "prod" / "ops.yaml")
    assert (code, report["findings"]) == (0, [])


@pytest.mark.parametrize(
    "path",
    [
        "base/deployment.yaml",  # commonLabels of its kustomization fill selector and template labels
        "overlays/prod/replicas.yaml",  # patches: no template, no selector
        "overlays/prod/job-env.yaml",  # patchesStrategicMerge with a $patch directive, no restartPolicy
        "overlays/prod/limits.yaml",  # beside a kustomization that does not list it: a dormant patch
        "components/sidecar/add-sidecar.yaml",  # a component's patch without apiVersion
    ],
)
def test_pre_commit_style_single_file_runs_read_the_kustomizations_above(path):
    code, report = lint_json(KUSTOMIZE / path)
    assert errors(report) == [] and code == 0, report["findings"]


def test_single_file_gives_the_findings_the_tree_gives_for_it():
    _, tree = lint_json(KUSTOMIZE)
    _, alone = lint_json(KUSTOMIZE / "overlays" / "prod" / "job-policy.yaml")
    key = ("rule", "line", "message")
    in_tree = [
        tuple(f[k] for k in key)
        for f in tree["findings"]
        if f["file"].endswith("job-policy.yaml") and f["rule"] != "duplicate-object"
    ]
    assert [tuple(f[k] for k in key) for f in alone["findings"]] == in_tree


def test_the_same_deployment_outside_a_kustomization_is_an_error(tmp_path):
    copy = tmp_path / "deployment.yaml"
    shutil.copy(KUSTOMIZE / "base" / "deployment.yaml", copy)
    _, report = lint_json(copy)
    assert [f["rule"] for f in report["findings"] if f["severity"] == "error"] == ["selector-missing"]


@pytest.mark.parametrize(
    "name",
    ["Chart.yaml", "values.yaml", "values-prod.yaml", "templates/deployment.yaml", "templates/_helpers.tpl"]
    + ["crds/widget.yaml"],
)
def test_chart_files_passed_one_by_one_are_passed_over_with_a_note(name):
    result = run_cli("lint", "--jobs", "1", CHART / name)
    assert result.exit_code == 0, result.output
    assert "helm template CHART | k8slint lint -" in result.stderr
    assert "error" not in result.stdout


def test_chart_walk_and_chart_files_agree_and_the_note_is_printed_once():
    files = sorted(str(path) for path in CHART.rglob("*") if path.is_file())
    by_file = run_cli("lint", "--jobs", "1", *files)
    walked = run_cli("lint", "--jobs", "1", "-v", LAYOUTS / "helm")
    assert by_file.exit_code == walked.exit_code == 0
    assert by_file.stderr.count("helm template") == 1 and walked.stderr.count("helm template") == 1
    quiet_walk = run_cli("lint", "--jobs", "1", LAYOUTS)  # other files linted: the note waits for -v
    assert "helm template" not in quiet_walk.stderr


def test_tool_configs_are_not_api_objects():
    result = run_cli("lint", "--jobs", "1", "-v", "--fail-on", "info", LAYOUTS / "tools")
    assert result.exit_code == 0, result.output
    for tool in [
        "kind cluster config",
        "kubeadm (2)",
        "kubelet (1)",
        "kube-proxy (1)",
        "kube-scheduler (1)",
        "kubeconfig (1)",
        "kube-apiserver audit policy (1)",
        "kube-apiserver (1)",
        "skaffold (1)",
        "istioctl install (1)",
        "Grafana provisioning (1)",
        "kwok (1)",
        "kuttl test harness (1)",
        "clusterctl provider metadata (1)",
        "KRM function config (1)",
        "kustomize input (2)",  # the transformer config and the configMapGenerator's data file
    ]:
        assert tool in result.stderr, tool


def test_every_tool_config_entry_names_its_source():
    from k8slint.toolconfigs import formats

    assert all(entry.source.startswith("https://") for entry in formats())


def test_placeholders_in_template_files_are_not_names():
    code, report = lint_json(LAYOUTS / "templates" / "cluster-template.yaml", LAYOUTS / "clusterctl")
    assert (code, errors(report)) == (0, [])
    code, report = lint_json(LAYOUTS / "templates" / "settings.yaml.template")
    assert (code, errors(report)) == (0, [])


def test_placeholders_applied_as_they_are_stay_errors():
    _, report = lint_json(LAYOUTS / "placeholders")
    assert errors(report) == [
        ("placeholders/applicationset.yaml", "invalid-label"),  # the ApplicationSet's own label, not its template's
        ("placeholders/configmap.yaml", "invalid-object-name"),
    ]


def test_kuttl_assertions_are_compared_not_applied():
    result = run_cli("lint", "--jobs", "1", "-v", LAYOUTS / "kuttl")
    assert result.exit_code == 0, result.output
    assert "kuttl assertion (1)" in result.stderr
    alone = run_cli("lint", "--jobs", "1", LAYOUTS / "kuttl" / "scale-up" / "00-assert.yaml")
    assert alone.exit_code == 0, alone.output


def test_a_whole_value_substitution_variable_is_not_a_type_error():
    _, report = lint_json("--select", "schema", LAYOUTS / "substitution")
    assert [(f["line"], f["rule"]) for f in report["findings"]] == [(19, "schema")]


def test_a_patch_apiversion_is_not_a_removed_api():
    code, report = lint_json("--select", "api-removed", KUSTOMIZE / "overlays" / "prod" / "webhook-ca-patch.yaml")
    assert (code, report["findings"]) == (0, [])


def test_an_unused_patch_has_warnings_not_errors():
    _, report = lint_json("--select", "schema", LAYOUTS / "unused-patch")
    found = [(f["file"].rsplit("/", 1)[1], f["severity"], f["line"]) for f in report["findings"]]
    assert found == [("replicas-patch.yaml", "error", 7), ("scale-patch.yaml", "warning", 7)]
