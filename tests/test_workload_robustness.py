"""Malformed objects never crash a workload rule: every value of every documented example is swapped for
values of the wrong type, and every check must still finish."""

from __future__ import annotations

import copy
import random
from types import SimpleNamespace

from k8slint import yamlio
from k8slint.config import Settings
from k8slint.index import Index
from k8slint.kube.model import K8sObject
from k8slint.registry import Context, all_rules

MODULES = {
    f"k8slint.checks.{name}"
    for name in ("containers", "controllers", "probes", "quotas", "references", "resources", "static_pods", "targets")
}
ODD_VALUES = (None, "x", "", -1, 0, 70000, True, 1.5, [], {}, ["x"], {"x": None})
DOC = SimpleNamespace(file="etc/kubernetes/manifests/pod.yaml")


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


def _replaced(data, path, value):
    data = copy.deepcopy(data)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


def _run(rule, ctx, documents):
    objects = [K8sObject(DOC, data) for data in documents if isinstance(data, dict)]
    if rule.scope == "index":
        list(rule.check(Index(objects), ctx))
    else:
        for obj in objects:
            if rule.applies(obj.kind):  # as the engine does
                list(rule.check(obj, ctx))


def test_checks_survive_values_of_the_wrong_type():
    rng = random.Random(10)
    base = Context(Settings())
    rules = [r for r in all_rules().values() if r.check is not None and r.check.__module__ in MODULES]
    runs = 0
    for rule in rules:
        ctx = base.for_rule(rule)
        for example in rule.examples.get("bad", []) + rule.examples.get("good", []):
            documents = [yamlio.load_data(part) for part in example["yaml"].split("\n---\n")]
            for number, data in enumerate(documents):
                paths = [p for p in _paths(data) if p]
                for path in rng.sample(paths, min(len(paths), 25)):
                    mutated = _replaced(data, path, rng.choice(ODD_VALUES))
                    _run(rule, ctx, documents[:number] + [mutated] + documents[number + 1 :])
                    runs += 1
    assert runs > 1000
