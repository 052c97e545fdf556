"""k8slint's compose rules against dclint's own rule fixtures (../shared/corpus/dclint).

Each dclint test case that a k8slint rule covers is linted with that rule only;
a case agrees when the rule fires on ``expect: fail`` and stays silent on
``expect: pass``. Cases where Docker's behaviour and dclint's expectation
differ are listed in DISAGREEMENTS with the reason, and asserted to stay
exactly as listed.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED, lint_json

from k8slint.yamlio import load_data

DCLINT = SHARED / "corpus" / "dclint"

# dclint rule -> k8slint rule
MAPPED = {
    "no-version-field": "compose-obsolete-version",
    "no-duplicate-container-names": "compose-container-name-duplicate",
    "no-duplicate-exported-ports": "compose-port-conflict",
    "service-image-require-explicit-tag": "compose-image-tag",
    "service-container-name-regex": "compose-container-name-invalid",
}
# dclint options -> k8slint rule options
OPTIONS = {
    "{ prohibitedTags: ['unstable', 'preview'] }": {"compose-image-tag": {"floating-tags": ["unstable", "preview"]}}
}
# dclint rules k8slint leaves alone, and why
NOT_COVERED = {
    "no-build-and-image": "image: beside build: names the built image, which Compose supports; not a problem",
    "no-quotes-in-volumes": "quoting style",
    "no-unbound-port-interfaces": "publishing on all interfaces is Docker's documented default; a policy choice",
    "require-project-name-field": "the project name defaults to the directory name; a policy choice",
    "require-quotes-in-ports": "quoting style (YAML 1.2, which Compose reads, has no base-60 trap)",
    "service-dependencies-alphabetical-order": "ordering style",
    "service-keys-order": "ordering style",
    "service-ports-alphabetical-order": "ordering style",
    "services-alphabetical-order": "ordering style",
    "top-level-properties-order": "ordering style",
}
# (file, dclint expectation) -> why k8slint reports otherwise
DISAGREEMENTS = {
    (
        "tests/rules/no-duplicate-exported-ports/yamlWithRangeOverlap.yaml",
        "fail",
    ): "'8093-9000:80' takes any one free port of the range and '8000-8085' has no host port at all "
    "(the host port is ephemeral), so Docker starts every service; dclint counts both as conflicts",
}


def _cases():
    entries = load_data((DCLINT / "EXPECTED.yaml").read_text(encoding="utf-8"))["entries"] if DCLINT.is_dir() else []
    for entry in entries:
        if entry.get("kind") or entry["expect"] not in ("fail", "pass"):
            continue  # autofix inputs/outputs and debug fixtures carry no lint expectation
        yield entry


def _run(entry, tmp_path: Path):
    rule = MAPPED[entry["check"]]
    options = OPTIONS.get(entry["options"], {})
    config = tmp_path / ".k8slint.yaml"
    config.write_text(json.dumps({"rules": options}), encoding="utf-8")
    _, report = lint_json("--config", config, "--select", rule, "--compose", DCLINT / entry["file"], cwd=tmp_path)
    return [f for f in report["findings"] if f["rule"] == rule]


def agreement_table(tmp_path: Path) -> tuple[str, list[tuple]]:
    """A markdown table of agreement per dclint rule, and the disagreeing cases."""
    totals: Counter = Counter()
    agreed: Counter = Counter()
    disagreeing = []
    for entry in _cases():
        check = entry["check"]
        totals[check] += 1
        if check not in MAPPED:
            continue
        findings = _run(entry, tmp_path)
        fired = "fail" if findings else "pass"
        if fired == entry["expect"]:
            agreed[check] += 1
        else:
            disagreeing.append((entry["file"], entry["expect"]))
    lines = ["| dclint rule | k8slint rule | cases | agree |", "|---|---|---|---|"]
    for check in sorted(totals):
        target = MAPPED.get(check)
        result = f"{agreed[check]}/{totals[check]}" if target else f"not covered: {NOT_COVERED[check]}"
        lines.append(f"| {check} | {target or '-'} | {totals[check]} | {result} |")
    return "\n".join(lines), disagreeing


def test_dclint_agreement(shared, tmp_path):
    table, disagreeing = agreement_table(tmp_path)
    print("\n" + table)
    assert {check for check in Counter(e["check"] for e in _cases())} <= set(MAPPED) | set(NOT_COVERED)
    assert set(disagreeing) == set(DISAGREEMENTS), table


@pytest.mark.parametrize("file", ["tests/rules/no-duplicate-exported-ports/yamlWithDuplicatePorts.yaml"])
def test_port_conflicts_name_the_real_clashes(shared, tmp_path, file):
    """dclint counts '8080' (container port only) as published; Docker does not, so c, d, e and f clash with each other."""
    findings = _run({"check": "no-duplicate-exported-ports", "options": "(defaults)", "file": file}, tmp_path)
    assert [f["line"] for f in findings] == [18, 22, 26]
    assert all("service c-service" in f["message"] for f in findings)
