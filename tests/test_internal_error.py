"""A check that raises becomes an internal-error finding at what it was checking; the run goes on and exits 2."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, run_cli

from k8slint.config import Settings
from k8slint.engine import lint_paths
from k8slint.registry import all_rules
from k8slint.report import FORMATS

FILES = FIXTURES / "internal-error"


def _crash(rule_id: str):
    def check(subject, ctx):
        yield from ()
        raise ValueError("boom\nsecond line")

    return check


@pytest.fixture
def crashing(monkeypatch):
    """Make the checks of the given rules raise, for this test only (the rules are shared, cached objects)."""

    def patch(*rule_ids):
        for rule_id in rule_ids:
            monkeypatch.setattr(all_rules()[rule_id], "check", _crash(rule_id))

    return patch


def _by_rule(result):
    found = {}
    for finding in result.findings:
        found.setdefault(finding.rule, []).append(finding)
    return found


def test_an_object_check_that_raises_is_a_finding_at_each_object(crashing):
    crashing("image-tag")
    result = lint_paths([str(FILES)], Settings(jobs=1, cache=False))
    found = _by_rule(result)
    assert "image-tag" not in found
    errors = found["internal-error"]
    assert [(f.file.rsplit("/", 1)[1], f.line, f.object, f.severity) for f in errors] == [
        ("web.yaml", 1, "apps/v1/Deployment/default/web", "error"),
        ("worker.yaml", 1, "v1/Pod/default/worker", "error"),
    ]
    assert errors[0].message == (
        "rule image-tag crashed with ValueError: boom, so it did not check this; "
        "this is a bug in k8slint, please report it"
    )
    assert result.crashed
    # every other rule still ran, on every file
    assert {f.file.rsplit("/", 1)[1] for f in found["resources-missing"]} == {"web.yaml", "worker.yaml"}
    assert [f.file.rsplit("/", 1)[1] for f in found["compose-image-tag"]] == ["compose.yaml"]


def test_index_and_compose_checks_that_raise_are_findings(crashing):
    crashing("resources-missing", "compose-image-tag")
    result = lint_paths([str(FILES)], Settings(jobs=1, cache=False))
    messages = sorted(
        (f.file.rsplit("/", 1)[1], f.message.split(" crashed")[0]) for f in _by_rule(result)["internal-error"]
    )
    assert messages == [("compose.yaml", "rule compose-image-tag"), ("web.yaml", "rule resources-missing")]
    assert "image-tag" in _by_rule(result)


def test_internal_errors_pass_select(crashing):
    crashing("image-tag")
    result = lint_paths([str(FILES)], Settings(jobs=1, select=["image-tag"], cache=False))
    assert {f.rule for f in result.findings} == {"internal-error"}


def test_a_run_with_healthy_checks_is_not_crashed():
    result = lint_paths([str(FILES)], Settings(jobs=1, cache=False))
    assert not result.crashed and "internal-error" not in _by_rule(result)


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_every_report_format_shows_the_internal_error_and_exits_2(crashing, format_name, tmp_path):
    crashing("image-tag")
    output = tmp_path / f"report.{format_name}"
    result = run_cli("lint", "--no-cache", "--jobs", "1", "--format", format_name, "--output", output, FILES)
    assert result.exit_code == 2
    report = output.read_text(encoding="utf-8")
    assert "internal-error" in report and "rule image-tag crashed with ValueError" in report
    assert "resources-missing" in report  # the rest of the run is reported
    if format_name == "json":
        rules = [f["rule"] for f in json.loads(report)["findings"]]
        assert rules.count("internal-error") == 2
    if format_name == "sarif":
        results = json.loads(report)["runs"][0]["results"]
        crashes = [r for r in results if r["ruleId"] == "internal-error"]
        assert [r["level"] for r in crashes] == ["error", "error"]


def test_fail_on_does_not_hide_an_internal_error(crashing):
    crashing("image-tag")
    result = run_cli("lint", "--no-cache", "--jobs", "1", "--fail-on", "error", "--ignore", "internal-error", FILES)
    assert result.exit_code == 2
    assert "internal-error" in result.stdout
