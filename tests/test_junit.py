"""JUnit XML, read back with junitparser as a CI server would."""

from __future__ import annotations

from conftest import FIXTURES, run_cli
from junitparser import Failure, JUnitXml


def test_suite_per_file_case_per_finding_one_failure_each(tmp_path):
    report = tmp_path / "junit.xml"
    result = run_cli("lint", "--jobs", "1", "--format", "junit", "-o", report, "reports", cwd=FIXTURES)
    assert result.exit_code == 1
    xml = JUnitXml.fromfile(str(report))
    suites = {suite.name: suite for suite in xml}
    assert sorted(suites) == ["reports/broken.yaml", "reports/web.yaml", "reports/worker.yaml"]
    for suite in xml:
        for case in suite:
            assert len([r for r in case.result if isinstance(r, Failure)]) <= 1  # viewers show only the first

    web = {case.name: case for case in suites["reports/web.yaml"]}
    assert sorted(web) == [
        "apps/v1/Deployment/shop/web selector-mismatch spec.selector.matchLabels.app",
        "v1/Service/shop/Web_Service invalid-object-name metadata.name",
    ]
    (failure,) = web["apps/v1/Deployment/shop/web selector-mismatch spec.selector.matchLabels.app"].result
    assert isinstance(failure, Failure)
    assert failure.type == "error"
    assert failure.message.startswith("selector-mismatch: selector app=web-frontend does not match")
    assert "reports/web.yaml:11:12:" in failure.text

    worker = {case.name: case for case in suites["reports/worker.yaml"]}
    assert worker["apps/v1/Deployment/shop/worker"].is_passed  # a clean object is a passing case
    # YAML-level findings come from the parser, so they belong to the file; the warning is below --fail-on error
    assert worker["(file) yaml-duplicate-key"].result[0].type == "error"
    warning = worker["(file) yaml-non-string-key"]
    assert warning.is_passed and "warning yaml-non-string-key key 'on'" in warning.system_out
    assert suites["reports/worker.yaml"].tests == 4 and suites["reports/worker.yaml"].failures == 1

    (broken,) = suites["reports/broken.yaml"]
    assert broken.name == "(file) yaml-syntax" and broken.result[0].message.startswith("yaml-syntax:")
    assert (xml.tests, xml.failures, xml.errors) == (7, 4, 0)

    strict = tmp_path / "strict.xml"
    run_cli("lint", "--jobs", "1", "-f", "junit", "--fail-on", "warning", "-o", strict, "reports", cwd=FIXTURES)
    assert JUnitXml.fromfile(str(strict)).failures == 5  # the warning fails the build, so its case fails


def test_the_same_finding_twice_gets_two_cases(tmp_path):
    (tmp_path / "keys.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k\ndata:\n  1: one\n  2: two\n"
    )
    run_cli("lint", "-f", "junit", "--fail-on", "info", "-o", tmp_path / "j.xml", "keys.yaml", cwd=tmp_path)
    names = [case.name for suite in JUnitXml.fromfile(str(tmp_path / "j.xml")) for case in suite]
    assert sorted(names) == ["(file) yaml-non-string-key", "(file) yaml-non-string-key #2", "v1/ConfigMap/default/k"]


def test_clean_run_is_all_passing(tmp_path):
    result = run_cli(
        "lint",
        "--format",
        "junit",
        "-o",
        tmp_path / "j.xml",
        "examples/rc.yaml",
        "--ignore",
        "selector-mismatch",
        cwd=FIXTURES,
    )
    assert result.exit_code == 0
    xml = JUnitXml.fromfile(str(tmp_path / "j.xml"))
    cases = [case for suite in xml for case in suite]
    assert [case.name for case in cases] == ["v1/ReplicationController/default/my-nginx"] and cases[0].is_passed
