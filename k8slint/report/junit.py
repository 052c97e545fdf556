"""The JUnit XML report: a test suite per file, a test case per finding, and one per clean object.

Each finding is its own test case with exactly one ``<failure>`` (Jenkins,
Azure DevOps and most report viewers show only a case's first failure), named
after its object, rule and path so the name stays the same from run to run.
Findings below ``--fail-on`` do not fail the build, so they do not fail their
case either: their text goes to ``<system-out>``. Objects without findings are
passing cases. Findings that belong to no object (YAML syntax, unreadable files,
Compose projects) are named after ``FILE_CASE``. Suppressed findings are left out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from k8slint.escaping import escape
from k8slint.findings import SEVERITY_RANK
from k8slint.report import for_humans

FILE_CASE = "(file)"


def render(result, options) -> str:
    threshold = SEVERITY_RANK[options.fail_on]
    cases: dict[str, dict[str, list]] = {}  # file -> case name -> findings (empty for a clean object)
    for obj in result.objects:
        cases.setdefault(escape(obj.doc.file), {}).setdefault(escape(obj.ref), [])
    for finding in for_humans(result, options):
        if finding.suppressed:
            continue
        named = cases.setdefault(finding.file, {})
        owner = finding.object or FILE_CASE
        if not named.get(owner):
            named.pop(owner, None)  # the object is reported through its findings' cases
        name = _unique(f"{owner} {finding.rule}" + (f" {finding.path}" if finding.path else ""), named)
        named[name] = [finding]
    root = ET.Element("testsuites", name="k8slint")
    for file in sorted(cases):
        suite = ET.SubElement(root, "testsuite", name=file)
        for name, findings in cases[file].items():
            case = ET.SubElement(suite, "testcase", name=name, classname=file, time="0")
            for finding in findings:
                text = f"{file}:{finding.line}:{finding.column}: {finding.severity} {finding.rule} {finding.message}"
                if finding.help:
                    text += f"\nfix: {finding.help}"
                if SEVERITY_RANK[finding.severity] >= threshold:
                    failure = ET.SubElement(
                        case, "failure", message=f"{finding.rule}: {finding.message}", type=finding.severity
                    )
                    failure.text = text
                else:
                    ET.SubElement(case, "system-out").text = text
        _count(suite)
    _count(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _unique(name: str, taken: dict) -> str:
    if name not in taken:
        return name
    number = 2
    while f"{name} #{number}" in taken:
        number += 1
    return f"{name} #{number}"


def _count(element: ET.Element) -> None:
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
    element.set("errors", "0")
    element.set("time", "0")
