"""The SARIF 2.1.0 report, for GitHub code scanning and other SARIF consumers.

Rules come from the rule metadata; ``helpUri`` is the rule's page in the repository (``ruledocs``).
Locations are relative to the project root (``%SRCROOT%``: the nearest
directory with ``.git``); ``partialFingerprints`` are the baseline
fingerprints, so they survive line shifts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from k8slint import __version__
from k8slint.baseline import fingerprint
from k8slint.locations import project_root, root_relative
from k8slint.registry import all_rules
from k8slint.report import visible
from k8slint.report.excerpts import SourceLines, clip, span_columns
from k8slint.ruledocs import REPOSITORY, rule_url

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
ROOT_ID = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "k8slintFingerprint/v1"


def render(result, options) -> str:
    rules = all_rules()
    order = {rule_id: position for position, rule_id in enumerate(rules)}
    root = project_root()
    lines = SourceLines(result)
    run = {
        "tool": {
            "driver": {
                "name": "k8slint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": REPOSITORY,
                "rules": [_descriptor(rule) for rule in rules.values()],
            }
        },
        "originalUriBaseIds": {ROOT_ID: {"uri": root.as_uri().rstrip("/") + "/"}},
        "results": [_result(finding, order, lines, result.kubernetes_versions) for finding in visible(result, options)],
        "columnKind": "unicodeCodePoints",
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _descriptor(rule) -> dict:
    rationale = [rule.rationale] if rule.rationale else []
    text = "\n\n".join([rule.summary, *rationale, *([f"Fix: {rule.help}"] if rule.help else [])])
    markdown = "\n\n".join(
        [
            f"**{rule.summary}**",
            *rationale,
            *([f"**Fix:** {rule.help}"] if rule.help else []),
            f"Run `k8slint explain {rule.id}` for examples.",
        ]
    )
    name = "".join(part.capitalize() for part in rule.id.split("-"))
    descriptor = {
        "id": rule.id,
        "name": name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale or rule.summary},
        "help": {"text": text, "markdown": markdown},
        "helpUri": rule_url(rule.id),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category, "tags": [rule.category]},
    }
    if name.lower() == rule.id:  # one-word ids: SARIF wants name and id to differ, else no name
        del descriptor["name"]
    return descriptor


def _artifact(file: str) -> dict:
    """Relative to ``%SRCROOT%`` inside the project; an absolute file URI outside it; stdin's name as is."""
    relative = root_relative(file)
    if relative:
        return {"uri": quote(relative), "uriBaseId": ROOT_ID}
    if os.path.exists(file):
        return {"uri": Path(file).resolve().as_uri()}
    return {"uri": quote(file)}


def _result(finding, order: dict, lines: SourceLines, versions: list) -> dict:
    location = _artifact(finding.file)
    region = {"startLine": finding.line, "startColumn": finding.column}
    if (finding.end_line, finding.end_column) > (finding.line, finding.column):
        region.update(endLine=finding.end_line, endColumn=finding.end_column)
    line = lines.line(finding.file, finding.line)
    if line is not None and finding.end_line == finding.line:
        region["snippet"] = {"text": "".join(clip(line, *span_columns(finding, line)))}
    item = {
        "ruleId": finding.rule,
        "ruleIndex": order[finding.rule],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
    }
    if finding.object:
        name = f"{finding.object}:{finding.path}" if finding.path else finding.object
        item["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": name, "kind": "object"}]
    if finding.suppressed:
        item["suppressions"] = [{"kind": "inSource"}]
    if versions:  # a run over several Kubernetes versions: the ones this result holds for
        item["properties"] = {"kubernetesVersions": list(finding.versions or versions)}
    return item
