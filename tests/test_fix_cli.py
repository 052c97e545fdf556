"""``k8slint fix`` and ``lint --fix`` as users run them: modes, safety rails, files left alone."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from conftest import FIXTURES, run_cli

from k8slint.config import Settings
from k8slint.engine import lint_paths
from k8slint.findings import Edit
from k8slint.fixing.textedit import FixRefused, apply_finding_edits

BEFORE = (FIXTURES / "fix" / "selector-missing.in.yaml").read_text()
AFTER = (FIXTURES / "fix" / "selector-missing.out.yaml").read_text()
ONLY = ("--select", "selector-missing")  # the fixture's one defect, whatever other rules say about it


@pytest.fixture
def deploy(tmp_path):
    path = tmp_path / "deploy.yaml"
    path.write_text(BEFORE)
    return path


def test_safe_fixes_only_unless_asked(deploy):
    result = run_cli("fix", *ONLY, deploy)
    assert result.exit_code == 1 and deploy.read_text() == BEFORE
    assert "selector-missing" in result.stdout and "Fixed 0 problems" in result.stderr
    assert "1 more fix available with --unsafe-fixes" in result.stderr


def test_lint_fix_applies_and_reports_what_remains(deploy):
    result = run_cli("lint", "--fix", *ONLY, "--unsafe-fixes", deploy)
    assert result.exit_code == 0, result.output
    assert deploy.read_text() == AFTER
    assert "Fixed 1 problem (1 unsafe) in 1 file" in result.stderr and "All checks passed" in result.stdout


def test_diff_prints_a_unified_diff_and_writes_nothing(deploy):
    result = run_cli("fix", *ONLY, "--unsafe-fixes", "--diff", deploy)
    assert result.exit_code == 1
    assert deploy.read_text() == BEFORE
    assert f"--- {deploy}" in result.stdout and "+  selector:" in result.stdout and "+      app: web" in result.stdout


def test_check_exits_1_when_something_would_change_and_writes_nothing(deploy):
    result = run_cli("fix", *ONLY, "--unsafe-fixes", "--check", deploy)
    assert result.exit_code == 1 and deploy.read_text() == BEFORE
    assert f"would fix {deploy}: selector-missing" in result.stdout
    run_cli("fix", *ONLY, "--unsafe-fixes", deploy)
    assert run_cli("fix", *ONLY, "--unsafe-fixes", "--check", deploy).exit_code == 0


def test_file_mode_is_kept(deploy):
    deploy.chmod(0o640)
    run_cli("fix", *ONLY, "--unsafe-fixes", deploy)
    assert deploy.read_text() == AFTER and (deploy.stat().st_mode & 0o777) == 0o640


def test_read_only_file_is_reported_not_written(deploy):
    deploy.chmod(0o444)
    result = run_cli("fix", *ONLY, "--unsafe-fixes", deploy)
    assert deploy.read_text() == BEFORE
    assert "is read-only; not written" in result.stderr and result.exit_code == 1


def test_symlink_out_of_the_tree_is_not_written_through(tmp_path):
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    tree.mkdir()
    outside.mkdir()
    (outside / "real.yaml").write_text(BEFORE)
    (tree / "link.yaml").symlink_to(outside / "real.yaml")
    result = run_cli("fix", *ONLY, "--unsafe-fixes", ".", cwd=tree)
    assert (outside / "real.yaml").read_text() == BEFORE and (tree / "link.yaml").is_symlink()
    assert "outside the linted tree" in result.stderr


def test_symlink_inside_the_tree_fixes_its_target_and_stays_a_link(tmp_path):
    (tmp_path / "real.yml").write_text(BEFORE)
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yml")
    run_cli("fix", *ONLY, "--unsafe-fixes", "link.yaml", cwd=tmp_path)
    assert (tmp_path / "real.yml").read_text() == AFTER and (tmp_path / "link.yaml").is_symlink()


def test_a_file_with_a_syntax_error_is_never_touched(tmp_path):
    path = tmp_path / "broken.yaml"
    broken = BEFORE + "---\nkind: [unclosed\n"
    path.write_text(broken)
    result = run_cli("fix", "--select", "selector-missing,yaml-syntax", "--unsafe-fixes", path)
    assert path.read_text() == broken and "yaml-syntax" in result.stdout and result.exit_code == 1
    result = run_cli("fix", *ONLY, "--unsafe-fixes", path)
    assert path.read_text() == broken and "not fixed: the file does not parse cleanly" in result.stderr


def test_stdin_is_reported_not_fixed_but_can_be_diffed():
    result = run_cli("fix", *ONLY, "--unsafe-fixes", "-", input=BEFORE)
    assert "standard input cannot be fixed in place" in result.stderr and result.exit_code == 1
    result = run_cli("fix", *ONLY, "--unsafe-fixes", "--diff", "--stdin-filename", "deploy.yaml", "-", input=BEFORE)
    assert result.exit_code == 1 and "--- deploy.yaml" in result.stdout and "+  selector:" in result.stdout


def test_an_edit_that_does_not_fit_the_data_is_refused():
    with pytest.raises(FixRefused, match="edit does not apply"):
        apply_finding_edits("metadata: web\n", 0, [Edit("set", "metadata.name", "x")], yaml12=False)
    with pytest.raises(FixRefused, match=r"does not parse cleanly \(yaml-duplicate-key\)"):
        apply_finding_edits("a: 1\na: 2\n", 0, [Edit("set", "a", 3)], yaml12=False)


def test_an_edit_through_an_alias_changes_the_anchored_value_and_keeps_the_alias():
    text = "base: &b {image: nginx}  # shared\nother: *b\n"
    fixed = apply_finding_edits(text, 0, [Edit("set", "other.image", "httpd")], yaml12=False)
    assert fixed == "base: &b {image: httpd}  # shared\nother: *b\n"


def test_deleting_the_first_key_of_a_sequence_item_moves_the_next_key_onto_the_dash():
    # a layout the round-trip dumper re-indents wrongly when the file mixes sequence indents
    text = "resources:\n- base\npatches:\n  # note\n  - path: a.yaml\n    target:\n      kind: D\n"
    fixed = apply_finding_edits(text, 0, [Edit("delete", "patches[0].path")], yaml12=False)
    assert fixed == "resources:\n- base\npatches:\n  # note\n  - target:\n      kind: D\n"


def _digest(paths) -> dict:
    return {path: hashlib.sha256(open(path, "rb").read()).hexdigest() for path in paths}


def test_corpus_without_fixable_findings_passes_check_unchanged(shared):
    corpus = shared / "corpus"
    result = lint_paths([str(corpus)], Settings(jobs=1))
    fixable = {f.file for f in result.findings if f.edits and not f.unsafe and not f.suppressed}
    files = sorted({str(path) for path in corpus.rglob("*") if path.suffix in (".yaml", ".yml")} - fixable)
    before = _digest(files)
    outcome = run_cli("fix", "--check", "--jobs", "1", *files)
    assert outcome.exit_code == 0, outcome.output
    assert _digest(files) == before


def test_fixing_the_whole_corpus_refuses_nothing_and_a_second_run_changes_nothing(shared, tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(shared / "corpus", copy)
    for path in copy.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    first = run_cli("fix", "--unsafe-fixes", "-q", copy)
    assert "not fixed" not in first.stderr, first.stderr
    assert run_cli("fix", "--unsafe-fixes", "--check", copy).exit_code == 0
