"""Rule files name their checks: every one resolves, is named after its rule and has the signature of its scope."""

from __future__ import annotations

import inspect

import pytest

from k8slint.checks import SUBJECTS
from k8slint.registry import LazyCheck, Option, RuleDataError, _rule, all_rules

RULES = all_rules()


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_names_a_check_of_its_scope(rule_id):
    rule = RULES[rule_id]
    if rule.scope == "engine":
        assert rule.check is None
        return
    fn = rule.check.load()  # a rule naming a missing module or function raises RuleDataError here
    assert fn.__module__.startswith("k8slint.checks.")
    assert fn.__name__ == rule_id.replace("-", "_")
    subject, ctx = list(inspect.signature(fn).parameters.values())
    assert (subject.annotation, ctx.annotation) == (SUBJECTS[rule.scope], "Context")
    assert inspect.signature(fn).return_annotation == "Hits"


@pytest.mark.parametrize("target", ["k8slint.checks.selectors:no_such_check", "k8slint.checks.no_such_module:x"])
def test_a_check_that_does_not_exist_is_a_rule_data_error(target):
    with pytest.raises(RuleDataError, match="selector-mismatch"):
        LazyCheck("selector-mismatch", target).load()


def test_rule_file_without_a_scope_or_with_an_untyped_option_is_rejected(tmp_path):
    text = "id: example\nseverity: info\ncategory: meta\n{extra}summary: s\nexamples: {{bad: [], good: []}}\n"
    cases = {
        "check: k8slint.checks.selectors:selector_mismatch\n": "scope must be one of",
        "scope: object\n": "only engine rules have no check",
        "scope: engine\noptions:\n  required: [a, b]\n": "needs a type",
        "scope: engine\noptions:\n  n: {type: int, default: x}\n": "the default must be a whole number",
    }
    for extra, message in cases.items():
        path = tmp_path / "example.yaml"
        path.write_text(text.format(extra=extra), encoding="utf-8")
        with pytest.raises(RuleDataError, match=message):
            _rule(path)


def test_option_types():
    names = Option("required", "list[str]", [])
    assert names.problem(["limits.memory"]) is None
    assert "not the string 'limits.memory'" in names.problem("limits.memory")
    assert names.problem([1]) == "must be a list of strings"
    when = Option("when", "str", "a", ("a", "b"))
    assert when.problem("b") is None and "must be one of a, b" in when.problem("c")
    assert Option("n", "int", 1).problem(True) == "must be a whole number"
    assert Option("on", "bool", True).problem("yes") == "must be true or false"
