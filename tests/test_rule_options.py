"""Rule options are typed in the rule files: config values of the wrong type are config errors (exit 2)."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, lint_json, run_cli


def _project(tmp_path, config: str):
    shutil.copy(FIXTURES / "options" / "pod.yaml", tmp_path / "pod.yaml")
    (tmp_path / ".k8slint.yaml").write_text(config, encoding="utf-8")
    return tmp_path


def test_a_string_where_a_list_option_is_expected_is_a_config_error(tmp_path):
    cwd = _project(tmp_path, "rules:\n  resources-missing: {required: limits.memory}\n")
    result = run_cli("lint", "pod.yaml", cwd=cwd)
    assert result.exit_code == 2
    assert "rules: resources-missing: option required must be a list of strings" in result.stderr
    assert "not the string 'limits.memory'" in result.stderr
    assert "All checks passed" not in result.stdout


def test_a_list_option_narrows_the_rule(tmp_path):
    cwd = _project(tmp_path, "rules:\n  resources-missing: {required: [limits.memory, requests.memory]}\n")
    code, report = lint_json("--select", "resources-missing", "pod.yaml", cwd=cwd)
    assert code == 0
    assert [f["message"].split(";")[0] for f in report["findings"]] == [
        "container web sets no requests.memory (requests then default to the limits, reserving the maximum)"
    ]


def test_a_choice_option_names_its_values(tmp_path):
    cwd = _project(tmp_path, "rules:\n  reference-missing: {when: everywhere}\n")
    result = run_cli("lint", "pod.yaml", cwd=cwd)
    assert result.exit_code == 2
    assert "option when must be one of kind-in-namespace, namespace, not 'everywhere'" in result.stderr


def test_unknown_option_has_a_did_you_mean(tmp_path):
    cwd = _project(tmp_path, "rules:\n  resources-missing: {requird: [limits.cpu]}\n")
    result = run_cli("lint", "pod.yaml", cwd=cwd)
    assert result.exit_code == 2
    assert "unknown option 'requird'; did you mean 'required'?" in result.stderr
