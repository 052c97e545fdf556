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
            "1,2",
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
        "full 2x",
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
    assert cases["large file"]["corpus_cpu_per_doc"] > 0  # the corpus, timed in the large file's rounds
    assert cases["full 2x"]["corpus_wall"] > 0 and cases["full 1x"]["corpus_wall"] is None  # 1x beside 2x
    assert all(case["a_wall"] > 0 and case["a_rss_mb"] > 0 and case["pairs"] == 1 for case in cases.values())
    recall = {row["defect"]: row for row in report["recall"]}
    assert "selector_mismatch" in recall
    assert all(
        row["status"] in {"ok", "misses", "rule missing", "off by default", "unmapped"} for row in recall.values()
    )
    assert report["machine"]["cores"] >= 1
    assert any(target["case"] == "full 1x" and target["metric"] == "ratio" for target in report["targets"])


def test_growth_and_large_file_targets_compare_runs_timed_in_the_same_rounds():
    """The 10x corpus' growth is judged by the 1x corpus' wall time taken in its own rounds, not by a run taken
    minutes apart; the large file's CPU per document by the corpus run timed in its own rounds."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    report = {
        "recall": None,
        "cases": [
            {"name": "full 1x", "documents": 10_000, "ratio": 1.1, "a_wall": 3.0, "a_rss_mb": 100, "a_cpu": 6.0},
            {"name": "full 10x", "documents": 100_000, "a_wall": 44.0, "corpus_wall": 4.0, "a_rss_mb": 800},
            {"name": "large file", "documents": 4_000, "a_cpu": 2.4, "corpus_cpu_per_doc": 0.0008},
        ],
    }
    targets = {target["case"] + " " + target["metric"]: target for target in bench.judge(report)}
    assert targets["full 10x linear"]["value"] == 11.0 and not targets["full 10x linear"]["met"]
    assert (
        targets["large file cpu_per_doc_vs_corpus"]["value"] == 0.75
        and targets["large file cpu_per_doc_vs_corpus"]["met"]
    )
