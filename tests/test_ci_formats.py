"""The CI formats as their consumers read them: GitHub annotations and job summary, GitLab Code Quality."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
from conftest import FIXTURES, run_cli, run_subprocess

# GitLab's documented Code Quality report shape (https://docs.gitlab.com/ci/testing/code_quality/,
# "Code Quality report format"): the fields GitLab requires, with the values it accepts
CODE_QUALITY = json.loads((Path(__file__).parent / "codequality" / "code-quality-report.json").read_text())


def _many_errors(directory: Path, count: int) -> None:
    for number in range(count):
        (directory / f"rc{number:02}.yaml").write_text(
            f"apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc{number}\nspec:\n  selector:\n    app: a\n"
            "  template:\n    metadata:\n      labels:\n        app: b\n    spec:\n"
            "      containers: [{name: c, image: 'nginx:1.27'}]\n"
        )


def test_github_annotations_are_capped_most_severe_first(tmp_path):
    _many_errors(tmp_path, 12)
    (tmp_path / "keys.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k\ndata:\n  1: one\n")
    select = ["--select", "selector-mismatch,yaml-non-string-key"]
    out = run_cli("lint", "--jobs", "1", "-f", "github", *select, ".", cwd=tmp_path).stdout.splitlines()
    annotations = [line for line in out if line.startswith("::")]
    assert [line.split(" ", 1)[0] for line in annotations] == ["::error"] * 10 + ["::warning"]
    assert "k8slint: 2 more findings not annotated" in out[-1]
    assert out[-2] == "k8slint: 12 errors, 1 warning, 0 infos in 13 files"


def test_github_step_summary_is_markdown(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    shutil.copytree(FIXTURES / "reports", tmp_path / "deploy")
    result = run_subprocess(
        "lint",
        "--output-format",
        "auto",
        "deploy",
        cwd=tmp_path,
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1 and result.stdout.startswith("::error file=deploy/")
    text = summary.read_text()
    assert text.startswith("earlier step\n## k8slint report\n")  # appended, as GitHub expects
    assert "| `selector-mismatch` | 🔴 error | 1 |" in text


def test_gitlab_code_quality_matches_the_documented_shape(tmp_path):
    (tmp_path / ".git").mkdir()
    shutil.copytree(FIXTURES / "reports", tmp_path / "deploy")
    _many_errors(tmp_path / "deploy", 2)
    (tmp_path / "deploy" / "twice.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k\ndata:\n  1: one\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k2\ndata:\n  1: one\n"
    )
    result = run_cli("lint", "--jobs", "1", "-f", "gitlab", "deploy/", cwd=tmp_path)
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    jsonschema.Draft7Validator(CODE_QUALITY).validate(issues)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)  # GitLab shows one issue per fingerprint
    mismatch = next(issue for issue in issues if issue["location"]["path"] == "deploy/web.yaml")
    assert mismatch["check_name"] == "selector-mismatch" and mismatch["severity"] == "major"
    assert mismatch["location"]["positions"]["begin"] == {"line": 11, "column": 12}
    assert (
        run_cli("lint", "-f", "codeclimate", "deploy/", cwd=tmp_path).stdout
        == run_cli("lint", "-f", "gitlab", "deploy/", cwd=tmp_path).stdout
    )
    clean = run_cli(
        "lint", "-f", "gitlab", "deploy/worker.yaml", "--ignore", "yaml-duplicate-key,yaml-non-string-key", cwd=tmp_path
    )
    assert json.loads(clean.stdout) == []
