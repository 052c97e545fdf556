"""Compose linting on real projects: awesome-compose, the classic WordPress example, the benchmark corpus."""

from __future__ import annotations

import csv
import subprocess
import sys

from conftest import FIXTURES, lint_json

BENCH_RULES = {
    "compose_obsolete_version": "compose-obsolete-version",
    "compose_undefined_network": "compose-undefined-reference",
}


def test_awesome_compose_has_no_errors(shared):
    folder = shared / "corpus" / "awesome-compose"
    _, report = lint_json(folder)
    assert report["summary"]["files"] >= 39
    errors = [
        f"{f['file']}:{f['line']} {f['rule']} {f['message']}" for f in report["findings"] if f["severity"] == "error"
    ]
    assert errors == []


def test_wordpress_mysql_gets_exactly_the_version_warning():
    code, report = lint_json(FIXTURES / "compose" / "wordpress-mysql")
    assert [(f["rule"], f["severity"], f["line"]) for f in report["findings"]] == [
        ("compose-obsolete-version", "warning", 1)
    ]
    assert code == 0


def test_bench_corpus_compose_defects_at_recorded_lines(shared, tmp_path):
    subprocess.run(
        [
            sys.executable,
            shared / "bench" / "gen_corpus.py",
            "--out",
            tmp_path / "bc",
            "--files",
            "10",
            "--compose",
            "200",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with open(tmp_path / "bc" / "ground-truth.tsv", encoding="utf-8") as handle:
        expected = [row for row in csv.DictReader(handle, delimiter="\t") if row["kind"] == "compose"]
    assert expected
    _, report = lint_json("--select", ",".join(BENCH_RULES.values()), "compose", cwd=tmp_path / "bc")
    found = {(f["file"], f["line"], f["rule"]) for f in report["findings"]}
    missed = [row for row in expected if (row["file"], int(row["line"]), BENCH_RULES[row["defect"]]) not in found]
    assert missed == []
    assert len(found) == len(expected), "no other finding of these rules in the corpus"
