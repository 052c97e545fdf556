"""Helm output (`# Source:` comments): findings at the template that produced them, in every report format."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, lint_json, run_cli
from test_sarif import SCHEMA

HELM = FIXTURES / "render" / "helm"
STREAM = (HELM / "rendered.yaml").read_text()
EXCERPT = '(Helm output line 31: `image: "nginx:latest"`; template lines do not map 1:1 to rendered ones'


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()
    shutil.copytree(HELM, tmp_path / "charts")
    return tmp_path


def test_stdin_findings_are_reported_at_the_template_with_the_rendered_line(project):
    result = run_cli("lint", "--format", "json", "--jobs", "1", "-", input=STREAM, cwd=project / "charts")
    assert result.exit_code == 0, result.output
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["file"], finding["line"]) == ("image-tag", "web/templates/deployment.yaml", 1)
    assert EXCERPT in finding["message"]


def test_a_rendered_file_finds_its_templates_beside_it():
    _, report = lint_json("fixtures/render/helm/rendered.yaml", cwd=ROOT)
    assert [(f["rule"], f["file"]) for f in report["findings"]] == [
        ("image-tag", "fixtures/render/helm/web/templates/deployment.yaml")
    ]


def test_sarif_github_and_junit_carry_the_template(project):
    result = run_cli("lint", "--format", "sarif", "--jobs", "1", "charts/rendered.yaml", cwd=project)
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    [item] = log["runs"][0]["results"]
    location = item["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "charts/web/templates/deployment.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 1

    github = run_cli("lint", "--format", "github", "--jobs", "1", "charts/rendered.yaml", cwd=project).stdout
    assert github.startswith("::warning file=charts/web/templates/deployment.yaml,line=1,")

    junit = ET.fromstring(
        run_cli("lint", "--format", "junit", "--jobs", "1", "charts/rendered.yaml", cwd=project).stdout
    )
    reported = [
        suite.get("name") for suite in junit.iter("testsuite") if "image-tag" in ET.tostring(suite, encoding="unicode")
    ]
    assert reported == ["charts/web/templates/deployment.yaml"]


def test_without_helm_a_one_line_hint_shows_the_pipe(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    result = run_cli(
        "lint", "--helm", "fixtures/render/helm/web", "--values", "fixtures/render/helm/web/values.yaml", cwd=ROOT
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "k8slint: --helm: helm is not on PATH; render the chart and pipe it in: "
        "helm template fixtures/render/helm/web -f fixtures/render/helm/web/values.yaml | k8slint lint -"
    )


def test_helm_chart_is_rendered_with_its_values(tmp_path, monkeypatch):
    """The wiring to `helm template` (no helm binary ships on PyPI): a stand-in records its arguments, prints the stream."""
    record = tmp_path / "argv.json"
    helm = tmp_path / "bin" / "helm"
    helm.parent.mkdir()
    helm.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"json.dump(sys.argv[1:], open({str(record)!r}, 'w'))\n"
        f"sys.stdout.write(open({str(HELM / 'rendered.yaml')!r}).read())\n"
    )
    helm.chmod(helm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", os.pathsep.join([str(helm.parent), os.environ["PATH"]]))
    code, report = lint_json(
        "--helm", "fixtures/render/helm/web", "--values", "fixtures/render/helm/web/values.yaml", cwd=ROOT
    )
    assert json.loads(record.read_text()) == [
        "template",
        "fixtures/render/helm/web",
        "--values",
        "fixtures/render/helm/web/values.yaml",
    ]
    assert code == 0
    assert [(f["rule"], f["file"]) for f in report["findings"]] == [
        ("image-tag", "fixtures/render/helm/web/templates/deployment.yaml")
    ]


def test_a_rendered_file_without_its_chart_keeps_its_own_lines(tmp_path):
    (tmp_path / "rendered.yaml").write_text(STREAM)
    _, report = lint_json("rendered.yaml", cwd=tmp_path)
    assert [(f["rule"], f["file"], f["line"]) for f in report["findings"]] == [("image-tag", "rendered.yaml", 31)]
