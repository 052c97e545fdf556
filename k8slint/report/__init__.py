"""Reporters: one module per output format, imported only when chosen."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

# format name -> module with ``render(result, options) -> str`` (or ``module:function``)
FORMATS = {
    "concise": "k8slint.report.text",
    "full": "k8slint.report.text:render_full",
    "text": "k8slint.report.text",  # the name concise had first
    "json": "k8slint.report.json_report",
    "sarif": "k8slint.report.sarif",
    "junit": "k8slint.report.junit",
    "github": "k8slint.report.github",
    "gitlab": "k8slint.report.codeclimate",  # GitLab Code Quality
    "codeclimate": "k8slint.report.codeclimate",
    "markdown": "k8slint.report.markdown",
    "html": "k8slint.report.html",
}


@dataclass
class ReportOptions:
    """How to render: colours, suppressed findings, extra detail."""

    color: bool = False
    show_suppressed: bool = False
    verbose: bool = False
    quiet: bool = False
    title: str | None = None
    statistics: bool = False
    fail_on: str = "info"  # findings at or above it fail the build (JUnit marks only those as failures)


# formats that go to a terminal and take colour
TERMINAL_FORMATS = ("concise", "full", "text")


def render(format_name: str, result, options: ReportOptions) -> str:
    module, _, function = FORMATS[format_name].partition(":")
    return getattr(importlib.import_module(module), function or "render")(result, options)


def visible(result, options: ReportOptions, *, bounded: bool = True):
    """The findings a report shows: suppressed ones only on request, and a bounded number per file (``bounds``)."""
    findings = [f for f in result.findings if options.show_suppressed or not f.suppressed]
    if not bounded:
        return findings
    from k8slint.report.bounds import bounded as bound

    return bound(findings)


def for_humans(result, options: ReportOptions):
    """``visible`` findings for a human-facing format: their texts with control characters escaped."""
    from k8slint.escaping import escaped_finding

    return [escaped_finding(finding) for finding in visible(result, options)]
