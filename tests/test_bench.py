"""The benchmark script keeps working: a tiny corpus, one A/B pair, JSON out (nothing is timed here)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_benchmark_runs_on_a_tiny_corpus(shared, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--files",
            "20",
            "--scale",
            "1",
            "--pairs",
            "1",
            "--json",
            "--cache",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    cases = {case["name"]: case for case in report["cases"]}
    assert set(cases) == {
        "full 1x",
        "full 1x warm",
        "pre-commit",
        "pre-commit warm",
        "pre-commit edited",
        "one file",
        "one file warm",
        "large file",
        "CRD bundle",
    }
    assert (tmp_path / "k8slint-cache").is_dir()  # warm cases use the bench's own cache, not the user's
    assert cases["full 1x"]["documents"] > 20
    assert 0 < cases["large file"]["documents"] <= cases["full 1x"]["documents"]  # the corpus' own documents, one file
    assert any(target["case"] == "large file" for target in report["targets"])
    assert all(case["a_wall"] > 0 and case["a_rss_mb"] > 0 and case["pairs"] == 1 for case in cases.values())
    recall = {row["defect"]: row for row in report["recall"]}
    assert "selector_mismatch" in recall
    assert all(
        row["status"] in {"ok", "misses", "rule missing", "off by default", "unmapped"} for row in recall.values()
    )
    assert report["machine"]["cores"] >= 1
    assert any(target["case"] == "full 1x" and target["metric"] == "ratio" for target in report["targets"])
