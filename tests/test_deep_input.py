"""No recursion on user data: deep nesting, stacked aliases and long chains give one finding, never a crash."""

from __future__ import annotations

import sys

import pytest
from conftest import FIXTURES, lint_json

GOOD = FIXTURES / "examples" / "rc.yaml"
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n"


def _findings(report, name):
    return [(f["rule"], f["line"], f["column"], f["message"]) for f in report["findings"] if f["file"].endswith(name)]


def _assert_one_syntax_finding_and_the_run_goes_on(report, name, line, words):
    [(rule, at_line, column, message)] = _findings(report, name)
    assert (rule, at_line) == ("yaml-syntax", line) and column >= 1
    assert words in message
    assert [f["rule"] for f in report["findings"] if f["file"].endswith("rc.yaml")] == ["selector-mismatch"]


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_100k_deep_nesting_is_one_positioned_finding(tmp_path, opening):
    closing = {"[": "]", "{a: ": "}", "- ": ""}[opening]
    target = tmp_path / "deep.yaml"
    key = "  a:\n  " if opening == "- " else "  a: "  # a block sequence starts on its own line
    target.write_text(CONFIGMAP + key + opening * 100_000 + "1" + closing * 100_000 + "\n")
    code, report = lint_json(target, GOOD)
    _assert_one_syntax_finding_and_the_run_goes_on(report, "deep.yaml", 6 + (opening == "- "), "nesting depth")
    assert code == 1


@pytest.mark.parametrize("compose", [False, True])
def test_nesting_past_the_limit_is_one_finding_for_manifests_and_compose_files(tmp_path, compose):
    levels = 150  # under libyaml's own limit (1000), over k8slint's (100): deep enough to crash recursive walks
    value = "{a: " * levels + "1" + "}" * levels
    if compose:
        target = tmp_path / "compose.yaml"
        target.write_text(f"services:\n  web:\n    image: nginx:1.27\n    labels: {value}\n")
        line = 4
    else:
        target = tmp_path / "deep.yaml"
        target.write_text(CONFIGMAP + f"  a: {value}\n")
        line = 6
    _, report = lint_json(target, GOOD)
    _assert_one_syntax_finding_and_the_run_goes_on(report, target.name, line, "more than 100 levels deep")


def test_realistic_depth_is_read(tmp_path):
    target = tmp_path / "deep.yaml"
    target.write_text(CONFIGMAP + "  a: " + "{a: " * 60 + "1" + "}" * 60 + "\n")
    _, report = lint_json("--select", "yaml-syntax,internal-error", target)
    assert report["findings"] == []


def test_aliases_stacked_past_the_depth_limit_are_one_finding(tmp_path):
    # every anchor is shallow; expanded, each alias nests the previous one 30 levels deeper: a4 passes 100
    lines = ["  a0: &a0 [1]"]
    for level in range(1, 6):
        lines.append(f"  a{level}: &a{level} " + "[" * 30 + f"*a{level - 1}" + "]" * 30)
    target = tmp_path / "aliases.yaml"
    target.write_text(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n" + "\n".join(lines) + "\n"
    )
    _, report = lint_json(target, GOOD)
    _assert_one_syntax_finding_and_the_run_goes_on(report, "aliases.yaml", 10, "more than 100 levels deep")


def test_merge_key_that_includes_its_own_mapping(tmp_path):
    target = tmp_path / "compose.yaml"
    target.write_text("services:\n  web: &web\n    image: nginx:1.27\n    labels:\n      <<: *web\n")
    _, report = lint_json(target, GOOD)
    _assert_one_syntax_finding_and_the_run_goes_on(report, "compose.yaml", 2, "recursive alias")


def test_depends_on_chain_of_thousands_of_services(tmp_path):
    count = 3000
    services = "".join(
        f"  s{i}:\n    image: nginx:1.27\n"
        + (f"    depends_on: [s{i + 1}]\n" if i < count - 1 else "    depends_on: [s0]\n")
        for i in range(count)
    )
    (tmp_path / "compose.yaml").write_text("services:\n" + services)
    code, report = lint_json("--select", "compose-depends-on-cycle,internal-error", tmp_path / "compose.yaml")
    assert [f["rule"] for f in report["findings"]] == ["compose-depends-on-cycle"]
    assert code == 1


def test_extends_chain_longer_than_the_stack(tmp_path):
    count = 400  # each link used to cost a stack frame; the stack here has room for fewer
    services = "".join(
        f"  s{i}:\n" + (f"    extends: s{i + 1}\n" if i < count - 1 else "    image: nginx:1.27\n    ports: ['80']\n")
        for i in range(count)
    )
    (tmp_path / "compose.yaml").write_text("services:\n" + services)
    depth = len(_frames())
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 300)
    try:
        code, report = lint_json(tmp_path / "compose.yaml")
    finally:
        sys.setrecursionlimit(old)
    assert "internal-error" not in {f["rule"] for f in report["findings"]}
    assert code != 2


def _frames():
    frame, frames = sys._getframe(), []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames
