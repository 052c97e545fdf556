"""Directory walks: .gitignore respected (--no-ignore to turn it off), JSON manifests found, other JSON left alone."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, lint_json, run_cli

WALKS = FIXTURES / "walks"


@pytest.fixture
def repo(tmp_path):
    """The fixture tree as a git repository, its gitignore.txt files as .gitignore (the repo itself must not obey them)."""
    shutil.copytree(WALKS, tmp_path / "repo")
    for patterns in (tmp_path / "repo").rglob("gitignore.txt"):
        patterns.rename(patterns.with_name(".gitignore"))
    (tmp_path / "repo" / ".git").mkdir()
    return tmp_path / "repo"


def _files(report) -> set[str]:
    return {finding["file"].removeprefix("./") for finding in report["findings"]}


def test_gitignore_is_respected_with_negation_and_nesting(repo):
    code, report = lint_json(".", cwd=repo)
    assert _files(report) == {"app/deploy.json", "app/list.json", "app/keep/kept.tmp.yaml"}
    assert report["summary"]["files"] == 3


def test_no_ignore_and_the_config_key_walk_everything(repo):
    everything = {
        "app/deploy.json",
        "app/list.json",
        "app/generated/out.yaml",
        "app/scratch.tmp.yaml",
        "app/keep/kept.tmp.yaml",
        "app/keep/local.yaml",
    }
    assert _files(lint_json("--no-ignore", ".", cwd=repo)[1]) == everything
    (repo / ".k8slint.yaml").write_text("respect-gitignore: false\n")
    assert _files(lint_json(".", cwd=repo)[1]) == everything
    (repo / ".k8slint.yaml").write_text("respect-gitignore: no way\n")
    bad = run_cli("lint", ".", cwd=repo)
    assert bad.exit_code == 2 and "respect-gitignore must be true or false" in bad.stderr


def test_paths_named_on_the_command_line_are_linted_even_when_ignored(repo):
    assert _files(lint_json("app/scratch.tmp.yaml", cwd=repo)[1]) == {"app/scratch.tmp.yaml"}
    assert _files(lint_json("app/generated", cwd=repo)[1]) == {"app/generated/out.yaml"}


def test_a_folder_inside_an_ignored_one_named_on_the_command_line_obeys_only_its_own_patterns(repo):
    deep = repo / "app" / "generated" / "deep"
    deep.mkdir()
    (deep / "x.tmp.yaml").write_text((repo / "app" / "generated" / "out.yaml").read_text())
    assert _files(lint_json("app/generated/deep", cwd=repo)[1]) == {"app/generated/deep/x.tmp.yaml"}
    (deep / ".gitignore").write_text("*.tmp.yaml\n")
    assert lint_json("app/generated/deep", cwd=repo)[1]["summary"]["files"] == 0


def test_json_manifests_are_found_and_linted_like_yaml(repo):
    _, report = lint_json("app", "--no-ignore", "--select", "selector-mismatch,yaml-non-string-key", cwd=repo)
    found = {(f["file"], f["rule"], f["line"]) for f in report["findings"]}
    assert ("app/deploy.json", "selector-mismatch", 6) in found
    assert ("app/list.json", "yaml-non-string-key", 4) not in found  # JSON keys are strings: "1" is not 1
    assert report["summary"]["files"] == 6


def test_other_json_files_are_not_read_by_walks(repo):
    code, report = lint_json("web", cwd=repo)
    assert code == 2 and report["summary"]["files"] == 0  # package.json, tsconfig.json, a JSON schema: no manifests
    named = lint_json("web/package.json", cwd=repo)[1]  # named explicitly: read, and passed over as no manifest
    assert named["summary"]["files"] == 1 and named["findings"] == []


def test_kustomizations_in_folders_git_ignores_give_no_roles(tmp_path):
    """A local overlay git ignores is not part of the repository: a file only it uses is linted as CI, which
    never sees the overlay, lints it; with --no-ignore the overlay counts, as its folder is walked."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".gitignore").write_text("local/\n")
    (repo / "local").mkdir()
    (repo / "local" / "kustomization.yaml").write_text(
        "resources:\n  - ../base\npatches:\n  - path: ../tweaks/replicas.yaml\n"
    )
    (repo / "base").mkdir()
    (repo / "base" / "kustomization.yaml").write_text("resources: []\n")
    (repo / "tweaks").mkdir()
    (repo / "tweaks" / "replicas.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
    )

    def rules(*args):
        return {f["rule"] for f in lint_json(*args, "tweaks/replicas.yaml", "--no-cache", cwd=repo)[1]["findings"]}

    assert "selector-missing" in rules()
    assert "selector-missing" not in rules("--no-ignore")
