"""The near-miss similarity shortcut answers exactly like difflib's full ratio."""

from __future__ import annotations

from difflib import SequenceMatcher

from hypothesis import given
from hypothesis import strategies as st

from k8slint.checks.targets import _similar

label = st.text(st.sampled_from("abcdeg-1"), max_size=12)


@given(label, label)
def test_similar_equals_the_full_ratio(have, value):
    assert _similar(have, value) == (SequenceMatcher(None, have, value).ratio() >= 0.85)
