"""The seeded mutation suite (tests/mutations.py): every refusal caught, nothing the API server accepts flagged."""

from __future__ import annotations

from mutations import ACCEPTED, CLASSES, REFUSED, score, write_cases


def test_every_class_carries_its_verdict_and_the_function_behind_it():
    assert len({mutation.name for mutation in CLASSES}) == len(CLASSES)
    for mutation in CLASSES:
        assert mutation.verdict in (REFUSED, ACCEPTED) and mutation.function and mutation.kinds


def test_mutations_of_real_manifests_get_the_api_servers_verdict(tmp_path):
    cases = write_cases(tmp_path)
    assert len(cases) >= 2000
    assert {case["class"] for case in cases} == {mutation.name for mutation in CLASSES}, "a class found no base"
    matrix = score(tmp_path, cases)
    missed = {name: row["missed"] for name, row in matrix.items() if row["missed"]}
    false = {name: row["false"] for name, row in matrix.items() if row["false"]}
    assert not missed, f"refusals k8slint does not report: {missed}"
    assert not false, f"errors on manifests the API server accepts: {false}"
