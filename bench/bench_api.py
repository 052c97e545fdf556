#!/usr/bin/env python3
"""Cost of schema validation and the API rules, against a bare parse of the same files.

    python /path/to/shared/bench/gen_corpus.py --out /tmp/benchcorpus
    python bench/bench_api.py /tmp/benchcorpus/k8s                 # ratio and peak memory
    python bench/bench_api.py /tmp/benchcorpus/k8s --validators    # also compare validator libraries

Single process, so the numbers compare like with like: parse (read + YAML
compose + data) versus the API rules (unknown-kind, apiversion-mismatch,
api-removed, api-deprecated, schema, invalid-quantity, invalid-label,
unknown-custom-resource, cluster-scoped-namespace), schema loading and
validator compilation included.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from k8slint.config import Settings  # noqa: E402
from k8slint.index import Index  # noqa: E402
from k8slint.model import classify, expand_objects  # noqa: E402
from k8slint.parse import parse_source  # noqa: E402
from k8slint.registry import Context, all_rules  # noqa: E402
from k8slint.sources import discover  # noqa: E402

API_RULES = ("unknown-kind", "apiversion-mismatch", "api-removed", "api-deprecated", "schema",
             "invalid-quantity", "invalid-label", "unknown-custom-resource", "cluster-scoped-namespace")


def parse_all(paths):
    objects = []
    for source in discover(paths, [], None, ()).sources:
        for doc in parse_source(source).documents:
            if classify(doc) == "kubernetes":
                objects.extend(expand_objects(doc))
    return objects


def run_rules(objects, settings):
    rules = all_rules()
    ctx = Context(settings)
    hits = 0
    for rule_id in API_RULES:
        rule = rules[rule_id]
        rule_ctx = ctx.for_rule(rule)
        if rule.scope == "index":
            hits += sum(1 for _ in rule.check(Index(objects), rule_ctx))
        else:
            hits += sum(1 for obj in objects for _ in rule.check(obj, rule_ctx))
    return hits


def compare_validators(objects):
    """Validate the same 10,000 Deployments with each library; compile time and validation time."""
    import jsonschema
    import jsonschema_rs

    from k8slint.schemas import schema_set

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
    settings = Settings(kubernetes_version=args.kubernetes_version)
    all_rules()
    started = time.perf_counter()
    objects = parse_all(args.paths)
    parse_s = time.perf_counter() - started
    started = time.perf_counter()
    hits = run_rules(objects, settings)
    rules_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"objects {len(objects)}  parse {parse_s:.2f} s  API rules {rules_s:.2f} s  "
          f"ratio {rules_s / parse_s:.2f}  findings {hits}  peak RSS {peak_mb:.0f} MB")
    if args.validators:
        compare_validators(objects)


if __name__ == "__main__":
    main()
