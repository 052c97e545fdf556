"""The bench corpus's injected workload defects are reported at exactly the line its ground truth records."""

from __future__ import annotations

import csv
import subprocess
import sys

from conftest import lint_json

RULES = {"missing_resources": "resources-missing", "liveness_success_threshold": "probe-liveness-success-threshold"}


def test_injected_defects_are_found_at_the_recorded_line(tmp_path, shared):
    out = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(shared / "bench" / "gen_corpus.py"), "--out", str(out), "--files", "300"],
        check=True,
        capture_output=True,
    )
    with open(out / "ground-truth.tsv", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["defect"] in RULES]
    assert {row["defect"] for row in rows} == set(RULES), "the sample must contain both defects"
    files = sorted({row["file"] for row in rows})
    _, report = lint_json("--select", ",".join(RULES.values()), *files, cwd=out)
    found = {(f["file"], f["line"], f["rule"]) for f in report["findings"]}
    missed = [row for row in rows if (row["file"], int(row["line"]), RULES[row["defect"]]) not in found]
    assert missed == []
    recorded = {(row["file"], int(row["line"])) for row in rows}
    extra = [
        f
        for f in report["findings"]
        if f["rule"] == "probe-liveness-success-threshold" and (f["file"], f["line"]) not in recorded
    ]
    assert extra == [], "the generator's own probes are valid"
