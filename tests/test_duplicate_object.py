"""duplicate-object on real layouts: one file, an install.yaml beside its split files, a copied file, base + overlays.

The fixture tree is copied under a neutral directory first: a directory named ``fixtures`` (or ``tests``,
``samples`` …) holds separate inputs, whose cross-file duplicates the rule does not report.
"""

from __future__ import annotations

import shutil

from conftest import FIXTURES, lint_json

TREE = FIXTURES / "duplicates"


def _duplicates(tmp_path, *paths):
    shutil.copytree(TREE, tmp_path / "deploy")
    code, report = lint_json("--select", "duplicate-object", *paths, cwd=tmp_path / "deploy")
    return code, [(f["file"], f["line"], f["severity"], f["message"]) for f in report["findings"]]


def test_two_definitions_in_one_file_name_both_lines_and_cluster_scoped_kinds_have_no_namespace(tmp_path):
    code, findings = _duplicates(tmp_path, "one-file")
    assert code == 0, "kubectl apply refuses nothing: a warning, not an error"
    assert findings == [
        (
            "one-file/objects.yaml",
            17,
            "warning",
            "ConfigMap default/settings is defined twice in this file, at lines 4 and 17; kubectl apply applies both "
            "and the one at line 17 replaces the other; delete one or rename it",
        ),
        (
            "one-file/objects.yaml",
            24,
            "warning",
            "ClusterRole reader is defined twice in this file, at lines 11 and 24; kubectl apply applies both and "
            "the one at line 24 replaces the other; delete one or rename it",
        ),
    ]


def test_an_install_yaml_beside_the_split_files_it_was_generated_from_is_not_reported(tmp_path):
    assert _duplicates(tmp_path, "install") == (0, [])


def test_a_copied_file_that_kept_the_name_is_reported_with_the_file_that_wins(tmp_path):
    code, findings = _duplicates(tmp_path, "copied")
    assert [(file, line) for file, line, _, _ in findings] == [("copied/shop.yaml", 4)]
    message = findings[0][3]
    assert message.startswith("Deployment shop/shop is also defined in copied/shop-canary.yaml:5 with different")
    assert "the later file, shop.yaml, wins" in message


def test_environments_and_overlays_are_not_duplicates_of_each_other(tmp_path):
    assert _duplicates(tmp_path, "base", "overlays", "install") == (0, [])


def test_the_same_name_in_three_files_is_a_gallery_of_alternatives(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  v: {name}\n"
        )
    code, report = lint_json("--select", "duplicate-object", ".", cwd=tmp_path)
    assert (code, report["findings"]) == (0, [])


def test_files_of_a_samples_directory_are_separate_inputs_but_one_file_is_still_checked(tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  v: {}\n"
    (samples / "a.yaml").write_text(configmap.format("a"))
    (samples / "b.yaml").write_text(configmap.format("b") + "---\n" + configmap.format("c"))
    code, report = lint_json("--select", "duplicate-object", "samples", cwd=tmp_path)
    assert [(f["file"], f["line"]) for f in report["findings"]] == [("samples/b.yaml", 11)]


def test_objects_of_two_api_groups_with_one_name_are_different_objects():
    code, report = lint_json("--select", "duplicate-object", FIXTURES / "scope" / "gateways")
    assert (code, report["findings"]) == (0, [])
