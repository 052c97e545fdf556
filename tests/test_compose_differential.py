"""k8slint's compose verdict against the real ``docker compose config`` loader, on seeded mutations of real files.

scripts/compose_mutations.py generates the variants (key typos, wrong types, bad ports/volumes/devices,
durations, sizes, undefined references, cycles, scale, interpolation, shapes, non-string keys, x- extensions,
neutral rewrites) and stores the loader's verdict on each in fixtures/compose/mutations.json. Here every variant
is regenerated from its seed and linted in one in-process run; a refused file must get an error, an accepted
file none (except the classes that fail later, at ``docker compose up``).
"""

from __future__ import annotations

import importlib.util
import random
from collections import Counter

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("compose_mutations", ROOT / "scripts" / "compose_mutations.py")
mutations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mutations)


def test_the_generator_covers_every_class_with_enough_variants():
    data = mutations.load()
    assert data["seed"] == mutations.SEED
    per_operator = Counter(item["operator"] for item in data["variants"])
    assert len(data["variants"]) >= 2000
    assert set(per_operator) == set(mutations.OPERATORS)
    assert all(count >= 50 for count in per_operator.values()), per_operator
    refused = Counter(item["operator"] for item in data["variants"] if not item["accepted"])
    assert sum(refused.values()) >= 500 and len(data["variants"]) - sum(refused.values()) >= 500


def test_the_loader_still_gives_the_stored_verdicts():
    """Drift: a few variants, drawn anew each run, through the real binary."""
    data = mutations.load()
    sample = random.Random().sample(data["variants"], 8)
    for item in sample:
        text = mutations.variant_text(item["base"], item["operator"], item["number"], data["seed"])
        assert mutations.reference(text)["accepted"] is item["accepted"], item["id"]
