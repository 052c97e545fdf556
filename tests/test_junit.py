"""JUnit XML, read back with junitparser as a CI server would."""

from __future__ import annotations

from conftest import FIXTURES, run_cli
from junitparser import Failure, JUnitXml


def test_suite_per_file_case_per_object_failure_per_finding(tmp_path):
    report = tmp_path / "junit.xml"
    result = run_cli("lint", "--jobs", "1", "--format", "junit", "-o", report, "reports", cwd=FIXTURES)
    assert result.exit_code == 1
    xml = JUnitXml.fromfile(str(report))
    suites = {suite.name: suite for suite in xml}
    assert sorted(suites) == ["reports/broken.yaml", "reports/web.yaml", "reports/worker.yaml"]

    web = {case.name: case for case in suites["reports/web.yaml"]}
    assert sorted(web) == ["apps/v1/Deployment/shop/web", "v1/Service/shop/Web_Service"]
    (failure,) = web["apps/v1/Deployment/shop/web"].result
    assert isinstance(failure, Failure)
    assert failure.type == "error"
    assert failure.message.startswith("selector-mismatch: selector app=web-frontend does not match")
    assert "reports/web.yaml:11:12:" in failure.text

    worker = {case.name: case for case in suites["reports/worker.yaml"]}
    assert worker["apps/v1/Deployment/shop/worker"].is_passed
    # YAML-level findings (duplicate key) come from the parser, so they belong to the file's own case
    assert sorted(f.type for f in worker["(file)"].result) == ["error", "warning"]
    assert suites["reports/worker.yaml"].tests == 3 and suites["reports/worker.yaml"].failures == 1

    (broken,) = suites["reports/broken.yaml"]
    assert broken.name == "(file)" and broken.result[0].message.startswith("yaml-syntax:")
    assert (xml.tests, xml.failures, xml.errors) == (6, 4, 0)


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
