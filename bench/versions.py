#!/usr/bin/env python3
"""What several Kubernetes versions in one run cost: ``--kubernetes-version 1.29,1.33,1.37`` against 1.37 alone.

    python bench/versions.py                 # 5 alternating pairs over the 1x bench corpus
    python bench/versions.py --pairs 7 --json

Cold runs (``--no-cache``) alternate A (three versions) and B (one version)
over the corpus bench/run.py generates; the medians of their CPU times (the
process and its workers) give the ratio. Issue 16's target: at most 1.3.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import BASE_FILES, GENERATOR, Bench

SEVERAL, ONE = "1.29,1.33,1.37", "1.37"
TARGET = 1.3


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5, help="alternating A/B pairs (default 5)")
    parser.add_argument("--files", type=int, default=BASE_FILES, help=f"Kubernetes files (default {BASE_FILES})")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    bench = Bench([], dict(os.environ), Path(__file__).resolve().parent / "out", args.pairs, quiet=args.json)
    corpus = bench.corpus(args.files, str(GENERATOR))
    base = bench.lint_command(warm=False) + [corpus.name, "--format", "json", "-o", os.devnull]
    several, one = base + ["--kubernetes-version", SEVERAL], base + ["--kubernetes-version", ONE]
    bench.log(f"warm-up, then {args.pairs} pairs: {SEVERAL} against {ONE}")
    bench.run(several), bench.run(one)
    runs = {SEVERAL: [], ONE: []}
    for _ in range(args.pairs):
        runs[SEVERAL].append(bench.run(several))
        runs[ONE].append(bench.run(one))
    cpu = {version: statistics.median(run.cpu for run in found) for version, found in runs.items()}
    wall = {version: statistics.median(run.wall for run in found) for version, found in runs.items()}
    result = {
        "documents": bench.count_documents([corpus]),
        "pairs": args.pairs,
        "cpu_s": cpu,
        "wall_s": wall,
        "cpu_ratio": round(cpu[SEVERAL] / cpu[ONE], 3),
        "target": TARGET,
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(
            f"{result['documents']} documents, {args.pairs} pairs: CPU {cpu[SEVERAL]:.2f}s ({SEVERAL}) vs "
            f"{cpu[ONE]:.2f}s ({ONE}) = {result['cpu_ratio']}x (target <= {TARGET}); wall {wall[SEVERAL]:.2f}s "
            f"vs {wall[ONE]:.2f}s"
        )
    return 0 if result["cpu_ratio"] <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
