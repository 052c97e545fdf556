"""The lint command as users drive it: formats, exit codes, config, suppressions, sources."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT, lint_json, run_cli, run_subprocess

RC = FIXTURES / "examples" / "rc.yaml"
ENGINE = FIXTURES / "engine"
FIXED_RC = RC.read_text().replace("app: my-nginx", "app: nginx")


def test_selector_mismatch_seed_case_and_its_fix(tmp_path):
    code, report = lint_json(RC)
    assert code == 1
    [finding] = report["findings"]
    assert (finding["rule"], finding["line"], finding["path"]) == ("selector-mismatch", 9, "spec.selector.app")
    assert "app=my-nginx" in finding["message"] and "app=nginx" in finding["message"]
    fixed = tmp_path / "rc.yaml"
    fixed.write_text(FIXED_RC)
    assert lint_json(fixed) == (0, lint_json(fixed)[1])
    assert lint_json(fixed)[1]["findings"] == []


def test_json_report_shape():
    _, report = lint_json(RC)
    assert set(report) == {"version", "tool", "findings", "summary"}
    assert report["tool"]["name"] == "k8slint"
    assert set(report["findings"][0]) == {
        "rule",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "document",
        "object",
        "path",
        "fix",
    }
    assert report["findings"][0]["file"] == str(RC)
    assert report["findings"][0]["object"] == "v1/ReplicationController/default/my-nginx"
    assert report["summary"] == {"files": 1, "documents": 1, "errors": 1, "warnings": 0, "infos": 0, "suppressed": 0}


def test_relative_paths_stay_relative():
    _, report = lint_json("fixtures/examples", cwd=ROOT)
    assert {f["file"] for f in report["findings"]} == {
        "fixtures/examples/rc.yaml",
        "fixtures/examples/quota.yaml",
        "fixtures/examples/wordpress/docker-compose.yml",
    }


def test_text_report_lines_and_summary():
    result = run_cli("lint", "--no-color", RC)
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{RC}:9:10: error selector-mismatch selector app=my-nginx")
    assert "Found 1 problem: 1 error (1 file, 1 document checked)" in result.stdout
    assert "\033[" not in result.stdout


def test_colour_is_opt_in_off_a_tty():
    assert "\033[" in run_cli("lint", "--color", "always", RC).stdout
    assert "\033[" in run_cli("lint", RC, "--color").stdout  # bare --color means always


def test_output_file(tmp_path):
    out = tmp_path / "report.json"
    result = run_cli("lint", "-f", "json", "-o", out, RC)
    assert result.stdout == ""
    assert json.loads(out.read_text())["summary"]["errors"] == 1


def test_fail_on_and_quiet(tmp_path):
    target = tmp_path / "keys.yaml"
    target.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  1: one\n")
    assert run_cli("lint", target).exit_code == 0
    assert run_cli("lint", "--fail-on", "warning", target).exit_code == 1
    quiet = run_cli("lint", "-q", "--fail-on", "warning", target)
    assert quiet.stdout == f"{target}:6:3: warning yaml-non-string-key key '1' is read as a number, not a string\n"


def test_list_items_are_objects_with_positions():
    _, report = lint_json(ENGINE / "list.yaml")
    [finding] = report["findings"]
    assert finding["line"] == 14
    assert finding["path"] == "items[1].spec.selector.app"
    assert finding["object"] == "v1/ReplicationController/default/broken-list-item"


def test_stdin_with_a_name():
    result = run_cli("lint", "-f", "json", "--stdin-filename", "piped.yaml", "-", input=RC.read_text())
    report = json.loads(result.stdout)
    assert report["findings"][0]["file"] == "piped.yaml"
    assert result.exit_code == 1


def test_suppressions_comment_file_and_annotation():
    code, report = lint_json(
        "--show-suppressed",
        "--select",
        "invalid-object-name,duplicate-object,unused-suppression",
        ENGINE / "suppressed.yaml",
    )
    by_name = {(f["rule"], f["line"]): f.get("suppressed") for f in report["findings"]}
    assert by_name[("invalid-object-name", 6)] is True  # comment on the line above
    assert by_name[("invalid-object-name", 11)] is True  # comment on the same line
    assert by_name[("invalid-object-name", 16)] is True  # annotation on the object
    assert by_name[("invalid-object-name", 23)] is False  # not suppressed
    assert by_name[("unused-suppression", 28)] is False  # nothing to suppress there
    assert by_name[("unused-suppression", 1)] is False  # disable-file with no duplicate
    assert report["summary"]["suppressed"] == 3


def test_suppressed_findings_are_hidden_by_default():
    _, report = lint_json("--select", "invalid-object-name", ENGINE / "suppressed.yaml")
    assert [f["line"] for f in report["findings"]] == [23]


def test_kubernetes_reads_yaml_1_1_scalars():
    # 'yes' is a boolean for Kubernetes; base-60 is never read
    from k8slint import yamlio

    [doc], _ = yamlio.parse_stream((ENGINE / "dialects.yaml").read_text())
    assert doc.data["metadata"]["labels"] == {"enabled": True, "mode": "on"}
    assert doc.data["data"]["port"] == "1:30"
    [doc], _ = yamlio.parse_stream("a: yes\nb: on\nc: true\nd: 0777\ne: 1e3\n", yaml12=True)
    assert doc.data == {"a": "yes", "b": "on", "c": True, "d": 511, "e": 1000.0}


def test_directory_walk_skips_hidden_vendor_and_helm_charts(tmp_path):
    for rel in (".git/x.yaml", "node_modules/x.yaml", "chart/templates/x.yaml", "deep/dir/app.yml", "notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(RC.read_text())
    (tmp_path / "chart" / "Chart.yaml").write_text("apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    _, report = lint_json(".", cwd=tmp_path)
    assert sorted({f["file"] for f in report["findings"]}) == ["./deep/dir/app.yml"]
    _, report = lint_json(".", "--exclude", "deep/*", cwd=tmp_path)
    assert report["findings"] == []


def test_globs(tmp_path):
    (tmp_path / "a.yaml").write_text(RC.read_text())
    (tmp_path / "b.yml").write_text(FIXED_RC)
    _, report = lint_json("*.y*ml", cwd=tmp_path)
    assert report["summary"]["files"] == 2


def test_config_file_select_severity_and_errors(tmp_path):
    (tmp_path / "rc.yaml").write_text(RC.read_text())
    (tmp_path / ".k8slint.yaml").write_text("severity:\n  selector-mismatch: warning\n")
    code, report = lint_json("rc.yaml", cwd=tmp_path)
    assert code == 0 and report["findings"][0]["severity"] == "warning"
    (tmp_path / ".k8slint.yaml").write_text("ignore: [selectors]\n")
    assert lint_json("rc.yaml", cwd=tmp_path)[1]["findings"] == []
    (tmp_path / ".k8slint.yaml").write_text("selcet: [all]\n")
    result = run_cli("lint", "rc.yaml", cwd=tmp_path)
    assert result.exit_code == 2 and "did you mean 'select'" in result.stderr
    (tmp_path / ".k8slint.yaml").write_text("ignore: [selector-mismach]\n")
    result = run_cli("lint", "rc.yaml", cwd=tmp_path)
    assert result.exit_code == 2 and "did you mean 'selector-mismatch'" in result.stderr


def test_config_found_upward_and_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.k8slint]\nignore = ["selector-mismatch"]\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "rc.yaml").write_text(RC.read_text())
    assert lint_json("rc.yaml", cwd=sub)[1]["findings"] == []
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert lint_json("rc.yaml", cwd=sub)[1]["findings"] != []


def test_bad_config_yaml_and_version(tmp_path):
    (tmp_path / "bad.yaml").write_text("select: [unclosed\n")
    result = run_cli("lint", "--config", tmp_path / "bad.yaml", RC)
    assert result.exit_code == 2 and "bad.yaml:2" in result.stderr
    result = run_cli("lint", "--kubernetes-version", "1.x", RC)
    assert result.exit_code == 2 and "1.x" in result.stderr


def test_rules_and_explain():
    listing = json.loads(run_cli("rules", "--format", "json").stdout)
    assert {"id": "selector-mismatch", "severity": "error", "category": "selectors"}.items() <= next(
        r for r in listing if r["id"] == "selector-mismatch"
    ).items()
    page = run_cli("explain", "selector-mismatch").stdout
    assert "Bad example" in page and "Good example" in page
    assert run_cli("explain", "nope").exit_code == 2


def test_output_is_identical_for_any_number_of_jobs(tmp_path):
    for number in range(40):
        (tmp_path / f"f{number:02}.yaml").write_text(RC.read_text() if number % 3 else FIXED_RC)
    one = run_cli("lint", "-f", "json", "--jobs", "1", tmp_path).stdout
    two = run_cli("lint", "-f", "json", "--jobs", "2", tmp_path).stdout
    assert one == two
    assert sum(f["rule"] == "selector-mismatch" for f in json.loads(one)["findings"]) == 26


def test_version_and_module_entry_point():
    proc = run_subprocess("--version")
    assert proc.returncode == 0 and "k8slint" in proc.stdout
    proc = run_subprocess("lint", RC)
    assert proc.returncode == 1 and "selector-mismatch" in proc.stdout


@pytest.mark.slow
def test_installed_wheel_works_outside_the_repository(tmp_path):
    target = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target, ROOT],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if build.returncode != 0:
        pytest.skip(f"could not build the wheel here: {build.stderr.strip().splitlines()[-1:]}")
    proc = subprocess.run(
        [sys.executable, "-m", "k8slint", "rules"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert proc.returncode == 0 and "selector-mismatch" in proc.stdout
    assert (target / "k8slint" / "rules" / "selector-mismatch.yaml").is_file()
    [dist_info] = target.glob("k8slint-*.dist-info")
    assert "Apache License" in (dist_info / "licenses" / "LICENSE").read_text()  # the license ships in the wheel
    metadata = (dist_info / "METADATA").read_text()
    assert "License-Expression: Apache-2.0" in metadata and "Project-URL: Source, https://github.com/" in metadata


def test_report_file_gets_ordinary_permissions(tmp_path):
    out = tmp_path / "report.json"
    run_cli("lint", "-f", "json", "-o", out, RC)
    assert out.stat().st_mode & 0o044 == 0o044  # readable by group and others under the usual umask


def test_yaml_oddities_in_non_manifests_are_not_reported(tmp_path):
    workflow = tmp_path / "ci.yml"
    workflow.write_text("name: ci\non:\n  push: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n")
    code, report = lint_json(workflow)
    assert (code, report["findings"]) == (0, [])


def test_a_run_leaves_nothing_frozen_for_the_garbage_collector_unless_its_caller_froze_first():
    """The engine freezes a run's results while the run goes on; a library caller gets its collector back as it
    was (a language server, which freezes its own workspace, keeps it frozen)."""
    import gc

    from k8slint import filters
    from k8slint.config import Settings
    from k8slint.engine import lint_file, lint_paths
    from k8slint.sources import discover

    gc.unfreeze()
    lint_paths([str(FIXTURES / "examples")])
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        lint_paths([str(FIXTURES / "examples")])
        assert gc.get_freeze_count() > 0  # not given back: the caller's frozen objects stay frozen
        gc.unfreeze()
        gc.freeze()
        frozen = gc.get_freeze_count()
        source = discover([str(RC)], []).sources[0]
        lint_file(source, Settings(), filters.enabled_rules(Settings()))  # as the language server lints a file
        assert gc.get_freeze_count() >= frozen - 100  # nothing of the caller's was given back (a few freed)
    finally:
        gc.unfreeze()
