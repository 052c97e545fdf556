"""The CI gate: exit codes from --fail-on and --max-warnings, GitHub annotations, --context."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, lint_json, run_cli

WARNING_ONLY = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  on: x\n  off: y\n"


def test_fail_on_and_max_warnings(tmp_path):
    (tmp_path / "m.yaml").write_text(WARNING_ONLY)
    assert run_cli("lint", "m.yaml", cwd=tmp_path).exit_code == 0
    assert run_cli("lint", "--fail-on", "warning", "m.yaml", cwd=tmp_path).exit_code == 1
    assert run_cli("lint", "--max-warnings", "2", "m.yaml", cwd=tmp_path).exit_code == 0
    over = run_cli("lint", "--max-warnings", "1", "m.yaml", cwd=tmp_path)
    assert over.exit_code == 1
    assert "2 warnings, more than --max-warnings 1" in over.stderr


def test_github_annotations(tmp_path):
    shutil.copy(FIXTURES / "reports" / "worker.yaml", tmp_path / "worker, v2.yaml")
    result = run_cli("lint", "--format", "github", "worker, v2.yaml", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert (
        "::error file=worker%2C v2.yaml,line=27,col=3,endLine=27,endColumn=3,title=k8slint yaml-duplicate-key::key 'on' is defined twice"
        in lines[0]
    )
    assert lines[1].startswith("::warning file=worker%2C v2.yaml,line=27,col=3,")
    assert lines[-1] == "k8slint: 1 error, 1 warning, 0 infos in 1 file"


def test_context_resolves_across_files_but_reports_only_given_files(tmp_path):
    tree = tmp_path / "k8s"
    tree.mkdir()
    configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\ndata:\n  file: {}\n"
    (tree / "a.yaml").write_text(configmap.format("shared", "a"))
    (tree / "b.yaml").write_text(configmap.format("shared", "b"))
    (tree / "c.yaml").write_text(configmap.format("Not_Valid", "c"))

    code, report = lint_json("k8s/b.yaml", cwd=tmp_path)
    assert (code, report["findings"]) == (0, [])
    code, report = lint_json("--fail-on", "warning", "--context", "k8s", "k8s/b.yaml", cwd=tmp_path)
    assert code == 1
    assert [(f["rule"], f["file"]) for f in report["findings"]] == [("duplicate-object", "k8s/b.yaml")]
    assert report["summary"]["files"] == 1
    # as in a run over the whole tree, the later copy carries the finding
    code, report = lint_json("--context", "k8s", "k8s/a.yaml", cwd=tmp_path)
    assert (code, report["findings"]) == (0, [])

    (tmp_path / ".k8slint.yaml").write_text("context: [k8s]\n")
    code, report = lint_json("k8s/b.yaml", cwd=tmp_path)
    assert [f["rule"] for f in report["findings"]] == ["duplicate-object"]


def test_missing_context_is_a_usage_error(tmp_path):
    (tmp_path / "m.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n")
    result = run_cli("lint", "--context", "nowhere", "m.yaml", cwd=tmp_path)
    assert result.exit_code == 2 and "nowhere: no such file or directory" in result.stderr
