"""Every rule's documented examples, run through the real CLI: bad ones fire at their line, good ones stay silent."""

from __future__ import annotations

import pytest
from conftest import lint_json

from k8slint.registry import all_rules

RULES = all_rules()
# rules whose examples cannot be written as YAML text; tested in test_bad_input.py and test_internal_error.py
NO_TEXT_EXAMPLES = {"file-unreadable", "internal-error"}


def _cases(kind):
    for rule in RULES.values():
        for number, example in enumerate(rule.examples.get(kind) or []):
            yield pytest.param(rule.id, example, id=f"{rule.id}-{kind}{number}")


def _lint(tmp_path, rule_id, example):
    target = tmp_path / example.get("filename", "example.yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(example["yaml"], encoding="utf-8")
    for name, text in (example.get("files") or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, report = lint_json("--select", rule_id, *example.get("args", []), target.relative_to(tmp_path), cwd=tmp_path)
    return code, [f for f in report["findings"] if f["rule"] == rule_id]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_documented(rule_id):
    rule = RULES[rule_id]
    assert rule.severity in ("error", "warning", "info")
    assert rule.summary and rule.rationale and rule.fix
    if rule_id not in NO_TEXT_EXAMPLES:
        assert rule.examples.get("bad") and rule.examples.get("good"), "each rule needs a bad and a good example"
    assert rule.scope == "engine" or rule.check is not None


@pytest.mark.parametrize(("rule_id", "example"), list(_cases("bad")))
def test_bad_example_fires_at_documented_line(tmp_path, rule_id, example):
    code, findings = _lint(tmp_path, rule_id, example)
    expected = example["line"] if isinstance(example["line"], list) else [example["line"]]
    assert sorted({f["line"] for f in findings}) == sorted(set(expected)), findings
    if RULES[rule_id].severity == "error":
        assert code == 1


@pytest.mark.parametrize(("rule_id", "example"), list(_cases("good")))
def test_good_example_is_silent(tmp_path, rule_id, example):
    code, findings = _lint(tmp_path, rule_id, example)
    assert findings == []
