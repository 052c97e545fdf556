"""The JSON report: a stable shape that CI gates and other tools read."""

from __future__ import annotations

import json
import textwrap
from json.encoder import encode_basestring  # the C encoder, as json.dumps(ensure_ascii=False) uses

from k8slint import __version__
from k8slint.report import visible

FIELDS = (
    "rule",
    "severity",
    "message",
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "document",
    "object",
    "path",
    "fix",
)
ATTRIBUTES = {"fix": "help"}


def render(result, options) -> str:
    findings = visible(result, options)
    report = {
        "version": 1,
        "tool": {"name": "k8slint", "version": __version__},
        "findings": [],
        "summary": {
            "files": result.files,
            "documents": result.documents,
            "errors": result.count("error"),
            "warnings": result.count("warning"),
            "infos": result.count("info"),
            "suppressed": result.suppressed,
        },
    }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if not findings:
        return text + "\n"
    before, after = text.split('"findings": []', 1)
    parts = [before, '"findings": [\n']
    for finding in findings:
        parts += (_item(_fields(finding, options, result.kubernetes_versions)), ",\n")
    parts[-1] = "\n  ]"
    parts += (after, "\n")
    return "".join(parts)  # the report text is built once: at 120k findings it is 80 MB


def _fields(finding, options, versions: list) -> dict:
    item = {name: getattr(finding, ATTRIBUTES.get(name, name)) for name in FIELDS}
    if options.show_suppressed:
        item["suppressed"] = finding.suppressed
    if versions:  # a run over several Kubernetes versions: the ones this finding holds for
        item["kubernetes_versions"] = list(finding.versions or versions)
    return item


def _item(item: dict) -> str:
    """One finding exactly as ``json.dumps(report, indent=2)`` writes it, without its slow pure-Python encoder.

    (That encoder took 4.4 s and 330 MB for 120k findings.)
    """
    if not all(type(value) in _SCALARS for value in item.values()):
        return textwrap.indent(json.dumps(item, indent=2, ensure_ascii=False), "    ")
    return (
        "    {\n"
        + ",\n".join(f"      {encode_basestring(name)}: {_scalar(value)}" for name, value in item.items())
        + "\n    }"
    )


_SCALARS = {str, int, bool, float, type(None)}
_CONSTANTS = {None: "null", True: "true", False: "false"}


def _scalar(value) -> str:
    if type(value) is str:
        return encode_basestring(value)
    if type(value) is int:
        return int.__repr__(value)
    return _CONSTANTS[value] if value is None or type(value) is bool else json.dumps(value)
