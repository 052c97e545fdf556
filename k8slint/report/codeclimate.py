"""The GitLab Code Quality report: CodeClimate issues as JSON, for ``artifacts: reports: codequality``.

GitLab reads a JSON array of issues, each with ``description``, ``check_name``,
``fingerprint`` (unique per issue), ``severity`` (``info``, ``minor``,
``major``, ``critical`` or ``blocker``) and ``location`` (``path`` relative to
the repository root, ``lines.begin`` or ``positions.begin.line``)
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
The CodeClimate fields GitLab ignores (``type``, ``categories``) are kept so
other CodeClimate consumers read the file too. Suppressed findings are left out.
"""

from __future__ import annotations

import hashlib
import json

from k8slint.baseline import fingerprint
from k8slint.locations import stable_name
from k8slint.report import visible

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}
CATEGORIES = {"error": "Bug Risk", "warning": "Bug Risk", "info": "Style"}


def render(result, options) -> str:
    issues = []
    seen: dict[str, int] = {}
    for finding in visible(result, options):
        if finding.suppressed:
            continue
        issues.append(_issue(finding, _unique(fingerprint(finding), seen)))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _unique(key: str, seen: dict[str, int]) -> str:
    """GitLab shows one issue per fingerprint: the same finding twice in a file gets a second one."""
    count = seen.get(key, 0)
    seen[key] = count + 1
    return key if not count else hashlib.sha256(f"{key}\0{count}".encode()).hexdigest()[:32]


def _issue(finding, key: str) -> dict:
    begin = {"line": finding.line, "column": finding.column}
    end = {"line": max(finding.end_line, finding.line), "column": finding.end_column}
    return {
        "type": "issue",
        "check_name": finding.rule,
        "description": f"{finding.rule}: {finding.message}",
        "categories": [CATEGORIES[finding.severity]],
        "severity": SEVERITIES[finding.severity],
        "fingerprint": key,
        "location": {"path": stable_name(finding.file), "positions": {"begin": begin, "end": end}},
    }
