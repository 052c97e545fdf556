"""The accessors for raw manifest data: a wrong shape reads as empty, true and false are not numbers."""

from __future__ import annotations

from k8slint.access import integer, mapping, sequence


def test_mapping_and_sequence_read_only_the_right_shape():
    data = {"spec": {"replicas": 2}, "items": [1], "text": "x"}
    assert mapping(data, "spec") == {"replicas": 2}
    assert mapping(data, "items") == {} and mapping(data, "missing") == {} and mapping("not a mapping", "spec") == {}
    assert sequence(data, "items") == [1]
    assert sequence(data, "text") == [] and sequence(None, "items") == []


def test_integer_refuses_booleans_and_text():
    assert integer(3) == 3 and integer(0) == 0
    assert integer(True) is None and integer("3") is None and integer(2.5) is None
