"""A repeated lint is answered from its record, and never when anything it looked at has changed.

Every run here is a real ``python -X importtime -m k8slint`` process: one answered from its record prints
what the recorded run printed without importing click, and after any change a run prints what a run
without the cache prints.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES, ROOT

from k8slint import replay

REPO = FIXTURES / "replay"  # a deployment whose selector misses its labels and whose ConfigMap is nowhere, the
# Secret it uses and another ConfigMap (so references are checked), a compose project


class Run:
    """One ``k8slint`` process: exit code, stdout, stderr without the import times, and whether click loaded."""

    def __init__(self, done: subprocess.CompletedProcess):
        lines = done.stderr.splitlines(keepends=True)
        self.code, self.stdout = done.returncode, done.stdout
        self.stderr = "".join(line for line in lines if not line.startswith("import time:"))
        self.answered = not any(line.startswith("import time:") and line.rstrip().endswith(" click") for line in lines)

    @property
    def output(self):
        return self.code, self.stdout, self.stderr


def k8slint(cwd, *args, env=None, stdin=None) -> Run:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "k8slint", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return Run(done)


def _repo(root):
    """A copy of ``REPO`` in a repository of its own."""
    shutil.copytree(REPO, root)
    (root / ".git").mkdir()
    return root


def _settle():
    """Let the files just written age past the racy window: only then is a run that read them recorded."""
    time.sleep(replay.RACY_NS / 1e9 + 0.1)


def _same_size_edit(path, old, new):
    assert len(old) == len(new)
    path.write_text(path.read_text().replace(old, new))


LINT = ("lint", "--context", ".", "app/deployment.yaml", "compose.yaml")
# a change that must alter the report, and the environment the runs after it see
CHANGES = {
    "linted file edited, same size": lambda repo: _same_size_edit(repo / "app" / "deployment.yaml", "wex", "web"),
    "context file edited, same size": lambda repo: _same_size_edit(repo / "app" / "secret.yaml", "creds", "credz"),
    "context file added": lambda repo: (repo / "app" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
    ),
    "context file removed": lambda repo: (repo / "app" / "options.yaml").unlink(),
    "config file appears": lambda repo: (repo / ".k8slint.yaml").write_text("ignore: [selector-mismatch]\n"),
    "gitignore hides a context file": lambda repo: (repo / ".gitignore").write_text("app/options.yaml\n"),
    ".env read by compose": lambda repo: (repo / ".env").write_text("NET=front\n"),
}


def test_a_repeated_run_is_answered_from_its_record_byte_for_byte(tmp_path):
    repo = _repo(tmp_path / "repo")
    _settle()
    fresh = k8slint(repo, *LINT, "--no-cache")
    first = k8slint(repo, *LINT)
    second = k8slint(repo, *LINT)
    assert fresh.code == 1 and "selector-mismatch" in fresh.stdout and "ConfigMap settings" in fresh.stdout
    assert not first.answered and second.answered
    assert first.output == second.output == fresh.output
    json_first, json_second = (k8slint(repo, *LINT, "--format", "json") for _ in range(2))
    assert json_second.answered and json_second.output == json_first.output


def test_no_change_to_what_a_run_looked_at_goes_unseen(tmp_path):
    repos = {name: _repo(tmp_path / f"repo{i}") for i, name in enumerate(CHANGES)}
    _settle()
    for name, repo in repos.items():
        recorded = k8slint(repo, *LINT)
        assert k8slint(repo, *LINT).answered, name
        CHANGES[name](repo)
        after = k8slint(repo, *LINT)
        assert after.output == k8slint(repo, *LINT, "--no-cache").output, name
        assert after.output != recorded.output, f"{name}: the change must show in the report"


def test_environment_and_arguments_are_part_of_the_record_name(tmp_path):
    repo = _repo(tmp_path / "repo")
    _settle()
    k8slint(repo, *LINT)
    assert k8slint(repo, *LINT).answered
    moved = k8slint(repo, *LINT, env={"NET": "front"})  # compose interpolates from the process environment
    assert not moved.answered and moved.output == k8slint(repo, *LINT, "--no-cache", env={"NET": "front"}).output
    assert not k8slint(repo, *LINT, "--format", "json").answered


@pytest.mark.parametrize(
    "args, stdin",
    [
        (("--no-cache",), None),  # asked not to cache
        (("-",), (REPO / "app" / "deployment.yaml").read_text()),  # reads standard input
        (("--update-baseline", "--baseline", "baseline.json"), None),  # reads the file it rewrites
    ],
)
def test_runs_that_depend_on_more_than_files_or_write_are_never_answered(tmp_path, args, stdin):
    repo = _repo(tmp_path / "repo")
    _settle()
    runs = [k8slint(repo, "lint", "app/deployment.yaml", *args, stdin=stdin) for _ in range(2)]
    assert not runs[1].answered
    assert runs[0].output == runs[1].output


def test_a_report_file_is_written_again_by_the_answer(tmp_path):
    repo = _repo(tmp_path / "repo")
    report = tmp_path / "report.json"
    _settle()
    fresh = k8slint(repo, *LINT, "--no-cache", "-f", "json", "-o", report)
    expected = report.read_bytes()
    report.unlink()
    k8slint(repo, *LINT, "-f", "json", "-o", report)
    report.write_text("stale")
    answered = k8slint(repo, *LINT, "-f", "json", "-o", report)
    assert answered.answered and answered.output == fresh.output
    assert report.read_bytes() == expected


def test_a_file_written_just_before_the_run_is_not_trusted(tmp_path):
    repo = _repo(tmp_path / "repo")  # no settling: the files are younger than the racy window
    runs = [k8slint(repo, "lint", "app/deployment.yaml") for _ in range(2)]
    assert not runs[1].answered and runs[0].output == runs[1].output


def test_a_damaged_record_is_ignored_and_written_again(tmp_path):
    repo = _repo(tmp_path / "repo")
    own = {"K8SLINT_CACHE_DIR": str(tmp_path / "cache")}
    _settle()
    recorded = k8slint(repo, *LINT, env=own)
    records = list((tmp_path / "cache").rglob("*" + replay.SUFFIX))
    assert len(records) == 1
    records[0].write_bytes(records[0].read_bytes()[:100])
    damaged = k8slint(repo, *LINT, env=own)
    assert not damaged.answered and damaged.output == recorded.output
    again = k8slint(repo, *LINT, env=own)
    assert again.answered and again.output == recorded.output


@pytest.mark.parametrize(
    "look, change",
    [
        (lambda repo: os.listdir(repo), lambda repo: (repo / "new.yaml").write_text("a: 1\n")),
        (lambda repo: os.stat(repo / "a.yaml"), lambda repo: (repo / "a.yaml").write_text("a: 22\n")),
        (lambda repo: (repo / "a.yaml").read_text(), lambda repo: (repo / "a.yaml").write_text("a: 22\n")),
        (lambda repo: (repo / "gone.yaml").exists(), lambda repo: (repo / "gone.yaml").write_text("a: 1\n")),
    ],
    ids=["folder listed", "file stat'ed", "file read", "file missing"],
)
def test_a_change_made_after_the_run_looked_never_matches_its_record(tmp_path, monkeypatch, look, change):
    """A record keeps what the run saw as it was before the run used it, so nothing is looked at again at the end:
    a file or folder changed while the run goes on differs from the record, and the next run runs."""
    (tmp_path / "a.yaml").write_text("a: 1\n")
    if not replay._hooked:
        sys.addaudithook(replay._audit)  # does nothing while no run records
        monkeypatch.setattr(replay, "_hooked", True)
    monkeypatch.setattr(os, "stat", replay._stat)
    recorders = [replay.Recorder("unchanged"), replay.Recorder("changed")]
    for recorder in recorders:
        monkeypatch.setattr(replay, "_recorder", recorder)
        look(tmp_path)
    monkeypatch.setattr(replay, "_recorder", None)
    assert replay.unchanged(recorders[0].looks)
    change(tmp_path)
    assert recorders[1].looks != ({}, {}, {}, {}, {}) and not replay.unchanged(recorders[1].looks)


def test_within_one_run_a_folder_is_listed_once_whatever_it_is_called(tmp_path, monkeypatch):
    """The walks of one run (the files to lint, the repository's kustomizations) share one listing of a folder;
    outside a run, every scan lists again."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("a: 1\n")
    with replay.listing_once():
        first = replay.scan(".")
        (tmp_path / "b.yaml").write_text("b: 1\n")
        assert replay.scan(str(tmp_path)) == first == (("a.yaml", "f"),)
    assert replay.scan(".") == (("a.yaml", "f"), ("b.yaml", "f"))
