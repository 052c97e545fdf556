#!/usr/bin/env python3
"""Cost of schema validation and the API rules, against a bare parse of the same files.

    python /path/to/shared/bench/gen_corpus.py --out /tmp/benchcorpus
    python bench/bench_api.py /tmp/benchcorpus/k8s                 # ratio and peak memory
    python bench/bench_api.py /tmp/benchcorpus/k8s --validators    # also compare validator libraries

Both runs go through the real engine in one process (``jobs=1``), so they
compare like with like: "parse" selects only yaml-syntax (read, parse,
classify, build objects); "API rules" selects the nine rules of the API
catalog and schemas, schema loading, validator compilation and finding
positions included. Each is run twice; the faster CPU time counts.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from k8slint.config import Settings
from k8slint.engine import lint_paths

API_RULES = [
    "unknown-kind",
    "apiversion-mismatch",
    "api-removed",
    "api-deprecated",
    "schema",
    "invalid-quantity",
    "invalid-label",
    "unknown-custom-resource",
    "cluster-scoped-namespace",
]


def cpu_seconds(paths, select, version):
    """CPU time of one engine run, and the run's result."""
    started = time.process_time()
    result = lint_paths(paths, Settings(select=select, jobs=1, kubernetes_version=version))
    return time.process_time() - started, result


def compare_validators(objects):
    """Validate the same 10,000 Deployments with each library; compile time and validation time."""
    import jsonschema
    import jsonschema_rs

    from k8slint.kube.schemas import schema_set

    deployments = [o.data for o in objects if o.kind == "Deployment" and o.api_version == "apps/v1"]
    deployments = (deployments * (10_000 // max(1, len(deployments)) + 1))[:10_000]
    schema = schema_set(37).schema_for("apps/v1", "Deployment")
    libraries = {
        "jsonschema-rs": lambda: jsonschema_rs.validator_for(schema).is_valid,
        "jsonschema (Draft 2020-12)": lambda: jsonschema.Draft202012Validator(schema).is_valid,
    }
    try:
        import fastjsonschema

        def fast():
            check = fastjsonschema.compile(schema)

            def is_valid(data):
                try:
                    check(data)
                    return True
                except fastjsonschema.JsonSchemaException:
                    return False

            return is_valid

        libraries["fastjsonschema"] = fast
    except ImportError:
        print("fastjsonschema not installed: skipped")
    print(f"{'library':28} {'compile ms':>10} {'10k Deployments s':>18}")
    for name, make in libraries.items():
        started = time.perf_counter()
        is_valid = make()
        compiled = time.perf_counter() - started
        sample = deployments if "jsonschema (" not in name else deployments[:1000]
        started = time.perf_counter()
        for data in sample:
            is_valid(data)
        elapsed = (time.perf_counter() - started) * (len(deployments) / len(sample))
        print(f"{name:28} {compiled * 1000:10.1f} {elapsed:18.3f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--kubernetes-version", default="1.37")
    parser.add_argument("--validators", action="store_true", help="also compare validator libraries")
    args = parser.parse_args(argv)
    parse_s = rules_s = float("inf")
    for _ in range(2):
        parse_s = min(parse_s, cpu_seconds(args.paths, ["yaml-syntax"], args.kubernetes_version)[0])
        seconds, result = cpu_seconds(args.paths, API_RULES, args.kubernetes_version)
        rules_s = min(rules_s, seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    added = rules_s - parse_s
    print(
        f"documents {result.documents}  parse {parse_s:.2f} s  parse+API rules {rules_s:.2f} s  "
        f"added {added:.2f} s = {added / parse_s:.2f}x parse  findings {len(result.findings)}  "
        f"peak RSS {peak_mb:.0f} MB"
    )
    if args.validators:
        compare_validators(result.objects)


if __name__ == "__main__":
    main()
