"""Every rule's examples, run through the real CLI: bad ones fire at their line, good ones stay silent.

The documented examples live in the rule files; ``tests/rules/<rule-id>.yaml``
holds more cases of the same schema. A bad example of a fixable rule carries
``fixed:``, the text ``k8slint fix`` must turn it into.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, ROOT, lint_json, run_cli

from k8slint import yamlio
from k8slint.config import Settings
from k8slint.engine import lint_paths
from k8slint.registry import all_rules

RULES = all_rules()
CASES = ROOT / "tests" / "rules"
# rules whose examples cannot be written as YAML text (or short); tested in test_bad_input.py, test_internal_error.py
# and test_bounded_work.py
NO_TEXT_EXAMPLES = {"file-unreadable", "internal-error", "findings-left-out"}
EXAMPLE_KEYS = {"yaml", "line", "filename", "files", "args", "fixed"}


def _extra_cases(rule_id: str) -> dict:
    path = CASES / f"{rule_id}.yaml"
    return yamlio.load_data(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _examples(kind):
    """``(rule id, example, test id)`` of the documented examples, then of tests/rules/."""
    for rule in RULES.values():
        for number, example in enumerate(rule.examples.get(kind) or []):
            yield rule.id, example, f"{rule.id}-{kind}{number}"
        for number, example in enumerate(_extra_cases(rule.id).get(kind) or []):
            yield rule.id, example, f"{rule.id}-{kind}-case{number}"


def _cases(kind):
    for rule_id, example, test_id in _examples(kind):
        yield pytest.param(rule_id, example, id=test_id)


def _write(tmp_path, example):
    target = tmp_path / example.get("filename", "example.yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(example["yaml"], encoding="utf-8")
    for name, text in (example.get("files") or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return target


def _lint(tmp_path, rule_id, example):
    target = _write(tmp_path, example)
    code, report = lint_json("--select", rule_id, *example.get("args", []), target.relative_to(tmp_path), cwd=tmp_path)
    return code, [f for f in report["findings"] if f["rule"] == rule_id]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_documented(rule_id):
    rule = RULES[rule_id]
    assert rule.severity in ("error", "warning", "info")
    assert rule.summary and rule.rationale and rule.help
    if rule_id not in NO_TEXT_EXAMPLES:
        assert rule.examples.get("bad") and rule.examples.get("good"), "each rule needs a bad and a good example"
    assert rule.scope == "engine" or rule.check is not None
    if rule.fixable != "none":
        assert all("fixed" in example for example in rule.examples["bad"]), "bad examples of a fixable rule need fixed:"


@pytest.mark.parametrize("path", sorted(CASES.glob("*")), ids=lambda path: path.name)
def test_rule_case_files_are_well_formed(path):
    assert path.suffix == ".yaml" and path.stem in RULES, "tests/rules/ holds <rule-id>.yaml files only"
    cases = yamlio.load_data(path.read_text(encoding="utf-8"))
    assert isinstance(cases, dict) and cases and set(cases) <= {"bad", "good"}
    for kind, examples in cases.items():
        for example in examples:
            assert set(example) <= EXAMPLE_KEYS and "yaml" in example and ("line" in example) == (kind == "bad")


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


@pytest.mark.parametrize(("rule_id", "example"), [case for case in _cases("bad") if "fixed" in case.values[1]])
def test_fix_turns_the_bad_example_into_its_fixed_text(tmp_path, rule_id, example):
    target = _write(tmp_path, example)
    unsafe = ["--unsafe-fixes"] if RULES[rule_id].fixable == "unsafe" else []
    args = ["--select", rule_id, *unsafe, *example.get("args", []), target.relative_to(tmp_path)]
    run_cli("fix", *args, cwd=tmp_path)
    # fixed: null says fix leaves this case as it is (nothing it can safely write)
    assert target.read_text(encoding="utf-8") == (example["yaml"] if example["fixed"] is None else example["fixed"])
    assert run_cli("fix", "--check", *args, cwd=tmp_path).exit_code == 0


def _settings(example, where) -> tuple[Settings, list[str]]:
    """The Settings and extra paths an example's ``args`` ask for (the flags the examples use)."""
    settings, paths, args = Settings(select=["all"], jobs=1), [], list(example.get("args", []))
    while args:
        arg = args.pop(0)
        if arg == "--kubernetes-version":
            settings.kubernetes_version = args.pop(0)
        elif arg == "--crd-dir":
            settings.crds.append(str(where / args.pop(0)))
        elif arg == "--api-resources":
            settings.api_resources = str(where / args.pop(0))
        elif arg == "--select":
            args.pop(0)  # every rule runs here
        elif arg == "--kustomize":
            settings.kustomize = True
        else:
            paths.append(str(where / arg))
    return settings, paths


def test_rules_emit_only_the_fixes_they_declare(tmp_path):
    """A rule marked ``fixable: none`` never emits edits, a ``safe`` one never unsafe edits; fixable ones emit some."""
    findings = []
    for number, (_, example, _) in enumerate(list(_examples("bad")) + list(_examples("good"))):
        target = _write(tmp_path / f"example{number}", example)
        if example.get("args"):
            settings, paths = _settings(example, target.parent)
            findings += lint_paths([str(target), *paths], settings).findings
    findings += lint_paths([str(tmp_path), str(FIXTURES)], Settings(select=["all"], jobs=1)).findings
    with_edits = set()
    for finding in findings:
        if finding.edits:
            declared = RULES[finding.rule].fixable
            assert declared != "none", f"{finding.rule} emits edits but is marked fixable: none ({finding.file})"
            assert declared == "unsafe" or not finding.unsafe, f"{finding.rule} emits unsafe edits but is marked safe"
            with_edits.add(finding.rule)
    assert with_edits == {rule.id for rule in RULES.values() if rule.fixable != "none"}
