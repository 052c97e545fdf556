"""Bad input never crashes: a one-line message with file and line, the right exit code, other files still linted."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from conftest import FIXTURES, lint_json, run_cli, run_subprocess

BAD = FIXTURES / "bad-input"
GOOD = FIXTURES / "examples" / "rc.yaml"


def _rules_at(report, name):
    return [(f["rule"], f["line"]) for f in report["findings"] if f["file"].endswith(name)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("tabs.yaml", [("yaml-syntax", 4)]),
        ("broken.yaml", [("yaml-syntax", 5)]),
        ("latin1.yaml", [("file-unreadable", 4)]),
        ("bomb.yaml", [("yaml-syntax", 1)]),
        ("recursive-merge.yaml", [("yaml-syntax", 5)]),  # at the anchor the alias re-enters
        ("recursive-alias.yaml", [("yaml-syntax", 5)]),
        # `true: yes` also has a boolean value where ConfigMap data needs a string
        ("non-string-keys.yaml", [("yaml-non-string-key", 6), ("yaml-non-string-key", 7), ("schema", 7)]),
        ("scalar.yaml", [("document-not-mapping", 1)]),
        ("list.yaml", [("document-not-mapping", 1)]),
        ("empty.yaml", []),
        ("comments-only.yaml", []),
    ],
)
def test_bad_file_becomes_a_finding_and_others_are_still_linted(name, expected):
    code, report = lint_json(BAD / name, GOOD)
    assert _rules_at(report, name) == expected
    assert _rules_at(report, "rc.yaml") == [("selector-mismatch", 9)]
    assert code == 1


def test_tab_error_says_tab():
    _, report = lint_json(BAD / "tabs.yaml")
    assert "tab" in report["findings"][0]["message"]


def test_broken_document_does_not_hide_the_others_in_its_stream():
    _, report = lint_json("--select", "all", BAD / "multi-with-error.yaml")
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("yaml-syntax", 10), ("invalid-object-name", 14)]


def test_alias_bomb_finishes_fast():
    start = time.perf_counter()
    lint_json(BAD / "bomb.yaml")
    assert time.perf_counter() - start < 1.0


def test_binary_file(tmp_path):
    target = tmp_path / "blob.yaml"
    target.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _, report = lint_json(target)
    assert [f["rule"] for f in report["findings"]] == ["file-unreadable"]
    assert "binary" in report["findings"][0]["message"]


def test_oversized_file_is_reported_not_read(tmp_path):
    target = tmp_path / "huge.yaml"
    with open(target, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    start = time.perf_counter()
    _, report = lint_json(target)
    assert time.perf_counter() - start < 2
    assert "limit" in report["findings"][0]["message"]


def test_permission_denied(tmp_path, monkeypatch):
    target = tmp_path / "secret.yaml"
    shutil.copy(GOOD, target)
    target.chmod(0)
    if os.geteuid() == 0:  # root reads every file: make this one refuse as it would for a user
        real_open = open

        def refuse(path, *args, **kwargs):
            if os.path.samefile(path, target):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr("k8slint.sources.open", refuse, raising=False)
    _, report = lint_json(target, GOOD)
    [unreadable] = [f for f in report["findings"] if f["file"] == str(target)]
    assert unreadable["rule"] == "file-unreadable" and "permission denied" in unreadable["message"]
    assert any(f["rule"] == "selector-mismatch" for f in report["findings"])


def test_unreadable_file_via_directory_named_yaml(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    code, report = lint_json(tmp_path / "dir.yaml")
    assert code == 2  # a directory without YAML files


def test_missing_path_is_a_usage_error_but_others_are_linted():
    result = run_cli("lint", "--format", "json", "no/such/file.yaml", GOOD)
    assert result.exit_code == 2
    assert "no/such/file.yaml: no such file or directory" in result.stderr
    assert '"selector-mismatch"' in result.stdout


def test_directory_without_yaml(tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    result = run_cli("lint", tmp_path)
    assert result.exit_code == 2
    assert "no YAML files found" in result.stderr


def test_unknown_option_exits_2():
    assert run_cli("lint", "--no-such-flag", GOOD).exit_code == 2


def test_subprocess_never_prints_a_traceback():
    proc = run_subprocess("lint", *sorted(BAD.iterdir()), "no-such.yaml")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
