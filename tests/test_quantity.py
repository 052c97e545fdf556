"""Quantity grammar, comparison and repair suggestions; label syntax."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8slint.kube.labelsyntax import key_problem, value_problem
from k8slint.kube.quantity import compare_quantities, is_quantity, parse_quantity, suggest_quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500m", Decimal("0.5")),
        ("1", Decimal(1)),
        ("1.5Gi", Decimal(1.5 * 2**30)),
        ("1e3", Decimal(1000)),
        ("1E-3", Decimal("0.001")),
        (".5", Decimal("0.5")),
        ("5.", Decimal(5)),
        ("+2k", Decimal(2000)),
        ("100n", Decimal("1e-7")),
        ("64Ki", Decimal(65536)),
        (0.25, Decimal("0.25")),
        (1024, Decimal(1024)),
    ],
)
def test_parse(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize(
    "text", ["1000mc", "512mi", "1.5.0Gi", "1.5Gb", "10 m", "one", "", "1e", "Gi", "1K", True, None, [1]]
)
def test_invalid(text):
    with pytest.raises(ValueError):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "guess", "certain"),
    [
        ("1000mc", "1000m", "1000m"),
        ("512mi", "512Mi", "512Mi"),
        ("2 Gi", "2Gi", "2Gi"),
        ("0.5cpu", "0.5", "0.5"),
        ("1GiB", "1Gi", "1Gi"),
        ("512MBi", "512Mi", "512Mi"),
        ("1.5Gb", "1.5G", None),
        ("1K", "1k", "1k"),
        ("1.5.0Gi", None, None),
        ("100mm", None, None),
        ("one", None, None),
        ("512Mi", None, None),
    ],
)
def test_suggest(text, guess, certain):
    assert suggest_quantity(text) == guess
    assert suggest_quantity(text, certain_only=True) == certain


def test_compare():
    assert compare_quantities("500m", "0.5") == 0
    assert compare_quantities("1Gi", "1G") == 1
    assert compare_quantities("100Mi", "1Gi") == -1


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["", "m", "k", "M", "Ki", "Mi", "Gi"]))
def test_every_number_with_a_suffix_parses(number, suffix):
    assert is_quantity(f"{number}{suffix}")
    assert parse_quantity(f"{number}{suffix}") >= 0


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        ("app", True),
        ("app.kubernetes.io/name", True),
        ("a_b-c.d", True),
        ("x" * 63, True),
        ("x" * 64, False),
        ("Example.com/tier", False),
        ("/name", False),
        ("-bad", False),
        ("", False),
        ("example.com/" + "x" * 64, False),
        ("a" * 254 + "/n", False),
        (5, False),
    ],
)
def test_label_keys(key, ok):
    assert (key_problem(key) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"), [("", True), ("v1.2_3", True), ("my app", False), ("-x", False), ("x" * 64, False), (3, True)]
)
def test_label_values(value, ok):
    assert (value_problem(value) is None) is ok
