"""Golden fix cases (fixtures/fix): the applier alone, the conversions alone, and the real CLI."""

from __future__ import annotations

import codecs

import pytest
from conftest import FIXTURES, run_cli

from k8slint import yamlio
from k8slint.findings import Edit
from k8slint.fixing.textedit import apply_finding_edits
from k8slint.kube import conversions
from k8slint.registry import all_rules

GOLDEN = FIXTURES / "fix"
CASES = yamlio.load_data((GOLDEN / "cases.yaml").read_text())


def _pair(name: str) -> tuple[str, str]:
    return (GOLDEN / f"{name}.in.yaml").read_text(), (GOLDEN / f"{name}.out.yaml").read_text()


def _edits(case: dict, text: str) -> list[Edit]:
    if "convert" in case:
        data = yamlio.load_data(text)
        conversion = conversions.convert(data, data["kind"], data["apiVersion"], case["convert"])
        assert conversion is not None and conversion.safe
        return list(conversion.edits)
    return [Edit(item["op"], item["path"], item.get("value")) for item in case["edits"]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_applier_gives_the_golden_output(name):
    case = CASES[name]
    before, after = _pair(name)
    yaml12 = case.get("filename", "").startswith("compose")
    assert apply_finding_edits(before, case.get("document", 0), _edits(case, before), yaml12) == after


@pytest.mark.parametrize("name", sorted(CASES))
def test_fix_command_gives_the_golden_output_and_then_nothing(name, tmp_path):
    case = CASES[name]
    missing = [rule for rule in case["rules"] if rule not in all_rules()]
    if missing:
        pytest.skip(f"rule {', '.join(missing)} is not registered on this branch")
    before, after = _pair(name)
    target = tmp_path / case.get("filename", f"{name}.yaml")
    target.write_text(before)
    args = ["--select", ",".join(case["rules"]), *case.get("args", []), target]
    run_cli("fix", *args)
    assert target.read_text() == after
    assert run_cli("fix", "--check", *args).exit_code == 0


ENCODINGS = {
    "crlf": lambda text: text.replace("\n", "\r\n").encode(),
    "bom": lambda text: codecs.BOM_UTF8 + text.encode(),
    "crlf-bom": lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode(),
    "utf-16": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "no-final-newline": lambda text: text.rstrip("\n").encode(),
}


@pytest.mark.parametrize("variant", sorted(ENCODINGS))
def test_line_endings_encoding_and_final_newline_are_kept(variant, tmp_path):
    before, after = _pair("selector-missing")
    encode = ENCODINGS[variant]
    target = tmp_path / "deploy.yaml"
    target.write_bytes(encode(before))
    result = run_cli("fix", "--unsafe-fixes", target)
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == encode(after)
