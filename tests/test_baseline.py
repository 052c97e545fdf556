"""Baselines: record findings, hide them on later runs, report only new ones."""

from __future__ import annotations

import json
import shutil

from conftest import FIXTURES, lint_json, run_cli

from k8slint.baseline import fingerprint
from k8slint.findings import Finding

WEB = FIXTURES / "reports" / "web.yaml"
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"


def test_fingerprint_ignores_lines_but_not_identity():
    base = Finding(
        "duplicate-object",
        "error",
        "ConfigMap default/x is already defined at k8s/a.yaml:4",
        "k8s/b.yaml",
        line=4,
        column=9,
        object="v1/ConfigMap/default/x",
        path="metadata.name",
    )
    moved = Finding(**{**base.__dict__, "line": 40, "message": base.message.replace(":4", ":17")})
    other = Finding(**{**base.__dict__, "object": "v1/ConfigMap/default/y"})
    assert fingerprint(base) == fingerprint(moved)
    assert fingerprint(base) != fingerprint(other)


def test_update_then_only_new_findings_fail(tmp_path):
    shutil.copy(WEB, tmp_path / "web.yaml")
    baseline = tmp_path / "baseline.json"
    update = run_cli("lint", "--jobs", "1", "--baseline", baseline, "--update-baseline", "web.yaml", cwd=tmp_path)
    assert update.exit_code == 0, update.output
    recorded = json.loads(baseline.read_text())
    assert sorted(entry["rule"] for entry in recorded["findings"]) == ["invalid-object-name", "selector-mismatch"]

    # lines shift above the findings: still baselined
    text = (tmp_path / "web.yaml").read_text()
    (tmp_path / "web.yaml").write_text("# moved down\n# by two lines\n" + text)
    code, report = lint_json("--baseline", baseline, "web.yaml", cwd=tmp_path)
    assert (code, report["findings"]) == (0, [])

    # a new problem is reported, the old ones stay hidden
    (tmp_path / "web.yaml").write_text(text + "---\n" + CONFIGMAP.format(name="New_One"))
    code, report = lint_json("--baseline", baseline, "web.yaml", cwd=tmp_path)
    assert code == 1
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("invalid-object-name", 35)]


def test_baseline_counts_duplicates(tmp_path):
    one = CONFIGMAP.format(name="Same_Name")
    (tmp_path / "m.yaml").write_text(one)
    baseline = tmp_path / "b.json"
    run_cli("lint", "--baseline", baseline, "--update-baseline", "m.yaml", cwd=tmp_path)
    (tmp_path / "m.yaml").write_text(one + "---\n" + one)
    code, report = lint_json("--baseline", baseline, "--ignore", "duplicate-object", "m.yaml", cwd=tmp_path)
    assert code == 1
    assert [f["line"] for f in report["findings"] if f["rule"] == "invalid-object-name"] == [9]


def test_fixed_entries_are_reported_as_stale(tmp_path):
    (tmp_path / "m.yaml").write_text(CONFIGMAP.format(name="Bad_Name"))
    baseline = tmp_path / "b.json"
    run_cli("lint", "--baseline", baseline, "--update-baseline", "m.yaml", cwd=tmp_path)
    (tmp_path / "m.yaml").write_text(CONFIGMAP.format(name="good-name"))
    result = run_cli("lint", "--baseline", baseline, "m.yaml", cwd=tmp_path)
    assert result.exit_code == 0
    assert "1 baseline entry is fixed" in result.stderr


def test_bad_baselines_are_usage_errors(tmp_path):
    (tmp_path / "m.yaml").write_text(CONFIGMAP.format(name="ok"))
    (tmp_path / "junk.json").write_text("{not json")
    (tmp_path / "other.json").write_text('{"version": 99}')
    for name, expected in (
        ("absent.json", "baseline not found"),
        ("junk.json", "not valid JSON"),
        ("other.json", "not a k8slint baseline"),
    ):
        result = run_cli("lint", "--baseline", tmp_path / name, "m.yaml", cwd=tmp_path)
        assert result.exit_code == 2 and expected in result.stderr, result.output
    result = run_cli("lint", "--update-baseline", "m.yaml", cwd=tmp_path)
    assert result.exit_code == 2 and "needs --baseline" in result.stderr


def test_partial_runs_keep_the_rest_of_the_baseline(tmp_path):
    (tmp_path / ".git").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yaml").write_text(CONFIGMAP.format(name=f"Bad_{name}"))
    baseline = tmp_path / "b.json"
    run_cli("lint", "--baseline", baseline, "--update-baseline", ".", cwd=tmp_path)

    # pre-commit lints a.yaml only: b and c are not "fixed"
    result = run_cli("lint", "--baseline", baseline, "a.yaml", cwd=tmp_path)
    assert result.exit_code == 0 and "fixed" not in result.stderr

    # updating from that partial run keeps b and c; a deleted file's entries go
    (tmp_path / "a.yaml").write_text(CONFIGMAP.format(name="Bad_a") + "---\n" + CONFIGMAP.format(name="Also_Bad"))
    (tmp_path / "c.yaml").unlink()
    run_cli("lint", "--baseline", baseline, "--update-baseline", "a.yaml", cwd=tmp_path)
    entries = json.loads(baseline.read_text())["findings"]
    assert sorted((e["file"], e["object"].rsplit("/", 1)[1]) for e in entries) == [
        ("a.yaml", "Also_Bad"),
        ("a.yaml", "Bad_a"),
        ("b.yaml", "Bad_b"),
    ]


def test_library_users_get_baselines_from_lint_paths(tmp_path, monkeypatch):
    import pytest

    from k8slint.baseline import BaselineError
    from k8slint.config import Settings
    from k8slint.engine import lint_paths

    shutil.copy(WEB, tmp_path / "web.yaml")
    monkeypatch.chdir(tmp_path)
    assert run_cli("lint", "web.yaml", "--baseline", "base.json", "--update-baseline").exit_code == 0
    (tmp_path / "new.yaml").write_text(CONFIGMAP.format(name="Bad_Name"), encoding="utf-8")
    everything = lint_paths(["web.yaml", "new.yaml"], Settings(jobs=1))
    only_new = lint_paths(["web.yaml", "new.yaml"], Settings(jobs=1), baseline="base.json")
    assert {f.file for f in everything.findings} == {"web.yaml", "new.yaml"}
    assert [f.file for f in only_new.findings] == ["new.yaml"]
    with pytest.raises(BaselineError, match="baseline not found"):
        lint_paths(["web.yaml"], Settings(jobs=1), baseline="missing.json")
