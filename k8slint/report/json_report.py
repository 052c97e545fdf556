"""The JSON report: a stable shape that CI gates and other tools read."""

from __future__ import annotations

import json

from k8slint import __version__
from k8slint.report import visible

FIELDS = ("rule", "severity", "message", "file", "line", "column", "end_line", "end_column", "document", "object", "path", "fix")


def render(result, options) -> str:
    findings = []
    for finding in visible(result, options):
        item = {name: getattr(finding, name) for name in FIELDS}
        if options.show_suppressed:
            item["suppressed"] = finding.suppressed
        findings.append(item)
    report = {
        "version": 1,
        "tool": {"name": "k8slint", "version": __version__},
        "findings": findings,
        "summary": {
            "files": result.files,
            "documents": result.documents,
            "errors": result.count("error"),
            "warnings": result.count("warning"),
            "infos": result.count("info"),
            "suppressed": result.suppressed,
        },
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
