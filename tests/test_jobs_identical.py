"""The report does not depend on the number of worker processes."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, run_cli, run_subprocess


def test_jobs_1_and_2_give_identical_json(shared, tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(shared / "bench" / "gen_corpus.py"), "--out", str(corpus), "--files", "40"],
        check=True,
        capture_output=True,
    )
    reports = {}
    for jobs in ("1", "2"):
        done = run_subprocess(
            "lint", "corpus", "--format", "json", "--jobs", jobs, cwd=tmp_path, env={"PYTHONPATH": str(ROOT)}
        )
        assert done.returncode in (0, 1), done.stderr
        assert "internal error" not in done.stderr
        reports[jobs] = done.stdout
    assert '"findings": [\n' in reports["1"]  # something was found, so the comparison means something
    assert reports["1"] == reports["2"]


def test_positions_placed_by_workers_match_serial_ones(tmp_path, monkeypatch):
    from k8slint import pool

    for number in range(20):
        (tmp_path / f"app{number}.yaml").write_text(
            f"# file {number}\n" * number
            + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n---\n" * 2
            + f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app{number}\n  namespace: {'x' * number}\n"
        )
    serial = run_cli("lint", str(tmp_path), "--format", "json", "--jobs", "1")
    monkeypatch.setattr(pool, "PARALLEL_MIN_PLACES", 1)
    parallel = run_cli("lint", str(tmp_path), "--format", "json", "--jobs", "2")
    assert '"rule": "duplicate-object"' in serial.stdout
    assert parallel.stdout == serial.stdout


def test_cross_file_rules_shared_with_a_helper_match_one_process(shared, tmp_path, monkeypatch):
    from k8slint import pool

    subprocess.run(
        [sys.executable, str(shared / "bench" / "gen_corpus.py"), "--out", str(tmp_path / "corpus"), "--files", "40"],
        check=True,
        capture_output=True,
    )
    serial = run_cli("lint", "corpus", "--format", "json", "--jobs", "1", "--no-cache", cwd=tmp_path)
    helped, share = [], pool.share
    monkeypatch.setattr(pool, "PARALLEL_MIN_OBJECTS", 1)
    monkeypatch.setattr(pool, "share", lambda count, work, helper: helped.append(helper) or share(count, work, helper))
    parallel = run_cli("lint", "corpus", "--format", "json", "--jobs", "2", "--no-cache", cwd=tmp_path)
    assert helped == [True]
    for rule in ("reference-missing", "service-selector-no-match", "compose-env-file-missing"):  # index, compose
        assert f'"rule": "{rule}"' in serial.stdout
    assert parallel.stdout == serial.stdout


def test_share_hands_out_each_task_once_and_keeps_the_helpers_looks(tmp_path):
    """Both processes take tasks (this one only after the helper took its first), each task runs once, and the
    files the helper looked at are in this run's record."""
    import os
    import time

    from k8slint import observed, pool

    parent, started = os.getpid(), tmp_path / "helper-started"

    def work(claim):
        if os.getpid() == parent:
            deadline = time.monotonic() + 30
            while not started.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        done = []
        while (task := claim()) is not None:
            observed.is_file(tmp_path / f"task{task}")
            done.append((task, os.getpid()))
            started.touch()
            time.sleep(0.01)
        return done

    for helper in (True, False):
        started.unlink(missing_ok=True)
        with observed.recording() as seen:
            done = pool.share(12, work, helper)
        assert sorted(task for task, _ in done) == list(range(12))
        assert len({pid for _, pid in done}) == (2 if helper else 1)
        assert {subject for kind, subject in seen if kind == "is_file"} == {
            str(tmp_path / f"task{i}") for i in range(12)
        }
