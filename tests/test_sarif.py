"""SARIF output, checked by the official 2.1.0 schema and, with npm, Microsoft's SARIF multitool."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, run_cli

SCHEMA = json.loads((Path(__file__).parent / "sarif" / "sarif-schema-2.1.0.json").read_text())


def _sarif(tmp_path, *paths):
    result = run_cli("lint", "--jobs", "1", "--format", "sarif", *paths, cwd=tmp_path)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


@pytest.fixture
def project(tmp_path):
    """A git-like project: the findings' URIs are relative to its root, not the working directory."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(FIXTURES / "reports", tmp_path / "deploy")
    return tmp_path


def test_valid_against_the_official_schema(project):
    log = _sarif(project, "deploy")
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_rules_results_and_locations(project):
    run = _sarif(project / "deploy", ".")["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    selector = rules[ids.index("selector-mismatch")]
    assert selector["name"] == "SelectorMismatch"
    assert selector["defaultConfiguration"] == {"level": "error"}
    assert selector["helpUri"] == "https://github.com/k8slint/k8slint/blob/main/docs/rules/selector-mismatch.md"
    assert "Fix:" in selector["help"]["text"] and selector["fullDescription"]["text"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"

    by_rule = {result["ruleId"]: result for result in run["results"]}
    mismatch = by_rule["selector-mismatch"]
    assert rules[mismatch["ruleIndex"]]["id"] == "selector-mismatch"
    location = mismatch["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "deploy/web.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {
        "startLine": 11,
        "startColumn": 12,
        "endLine": 11,
        "endColumn": 24,
        "snippet": {"text": "      app: web-frontend"},
    }
    assert by_rule["yaml-non-string-key"]["level"] == "warning"


def test_fingerprints_survive_unrelated_edits(project):
    before = {r["ruleId"]: r["partialFingerprints"] for r in _sarif(project, "deploy")["runs"][0]["results"]}
    web = project / "deploy" / "web.yaml"
    web.write_text("# a new comment on top\n\n" + web.read_text())
    after = {r["ruleId"]: r for r in _sarif(project, "deploy")["runs"][0]["results"]}
    assert after["selector-mismatch"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 13
    assert {rule: r["partialFingerprints"] for rule, r in after.items()} == before


@pytest.mark.network
def test_sarif_multitool_validate(project, tmp_path_factory):
    npx = shutil.which("npx")
    if npx is None:
        pytest.skip("npx (Node.js) is not installed; Microsoft's SARIF multitool runs through npm")
    out = tmp_path_factory.mktemp("multitool")
    outside = out / "outside the root.yaml"  # an absolute file URI, beside the %SRCROOT%-relative ones
    outside.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad\n")
    (out / "k8slint.sarif").write_text(json.dumps(_sarif(project, "deploy", outside)))
    command = [npx, "--yes", "@microsoft/sarif-multitool"]
    try:
        fetch = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=300, cwd=out)
    except subprocess.TimeoutExpired:
        pytest.skip("fetching @microsoft/sarif-multitool from npm timed out")
    if fetch.returncode != 0 or "SARIF Multitool" not in fetch.stdout + fetch.stderr:
        pytest.skip(
            f"@microsoft/sarif-multitool is unavailable (npm offline?): {(fetch.stderr or fetch.stdout)[-300:]}"
        )
    validate = subprocess.run(
        [*command, "validate", "k8slint.sarif", "--output", "validation.sarif", "--log", "ForceOverwrite"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=out,
    )
    assert validate.returncode == 0, validate.stdout + validate.stderr
    problems = [
        (r["ruleId"], r.get("level"), r["message"])
        for r in json.loads((out / "validation.sarif").read_text())["runs"][0].get("results", [])
    ]
    assert problems == []  # validate reports errors and warnings by default; notes are advice


def test_suppressed_findings_are_marked_in_source(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad  # k8slint: disable=invalid-object-name\n"
    )
    result = run_cli("lint", "--format", "sarif", "--show-suppressed", "m.yaml", cwd=tmp_path)
    (item,) = json.loads(result.stdout)["runs"][0]["results"]
    assert item["ruleId"] == "invalid-object-name" and item["suppressions"] == [{"kind": "inSource"}]
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(result.stdout))


def test_files_outside_the_root_and_stdin(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "a b.yaml"
    outside.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad\n")
    (first,) = _sarif(project, outside)["runs"][0]["results"]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": outside.resolve().as_uri()}
    result = run_cli(
        "lint", "--format", "sarif", "--stdin-filename", "<piped>", "-", input=outside.read_text(), cwd=project
    )
    (piped,) = json.loads(result.stdout)["runs"][0]["results"]
    assert piped["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "%3Cpiped%3E"}
