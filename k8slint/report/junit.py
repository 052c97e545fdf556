"""The JUnit XML report: a test suite per file, a test case per object, a failure per finding.

Findings that belong to no object (YAML syntax, unreadable files, Compose
projects) go to a test case named ``FILE_CASE``. Suppressed findings are left out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from k8slint.report import visible

FILE_CASE = "(file)"


def render(result, options) -> str:
    cases: dict[str, dict[str, list]] = {}
    for obj in result.objects:
        cases.setdefault(obj.doc.file, {}).setdefault(obj.ref, [])
    for finding in visible(result, options):
        if not finding.suppressed:
            cases.setdefault(finding.file, {}).setdefault(finding.object or FILE_CASE, []).append(finding)
    root = ET.Element("testsuites", name="k8slint")
    for file in sorted(cases):
        suite = ET.SubElement(root, "testsuite", name=file)
        for name, findings in cases[file].items():
            case = ET.SubElement(suite, "testcase", name=name, classname=file, time="0")
            for finding in findings:
                failure = ET.SubElement(
                    case, "failure", message=f"{finding.rule}: {finding.message}", type=finding.severity
                )
                failure.text = (
                    f"{file}:{finding.line}:{finding.column}: {finding.severity} {finding.rule} {finding.message}"
                )
                if finding.help:
                    failure.text += f"\nfix: {finding.help}"
        _count(suite)
    _count(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _count(element: ET.Element) -> None:
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
    element.set("errors", "0")
    element.set("time", "0")
