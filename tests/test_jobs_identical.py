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
