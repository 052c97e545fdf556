"""The near-miss similarity shortcut answers exactly like difflib's full ratio."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from hypothesis import given
from hypothesis import strategies as st

from k8slint.checks.targets import _FIELD, _shared_letters, _similar

label = st.text(st.sampled_from("abcdeg-1"), max_size=12)
# few letters, many repeats: a character's count fills its field; past _FIELD characters the bound is not used
long_label = st.text(st.sampled_from("ab-"), min_size=_FIELD - 4, max_size=_FIELD + 4)


@given(label, label)
def test_similar_equals_the_full_ratio(have, value):
    assert _similar(have, value) == (SequenceMatcher(None, have, value).ratio() >= 0.85)


@given(long_label, long_label)
def test_similar_equals_the_full_ratio_for_long_texts(have, value):
    assert _similar(have, value) == (SequenceMatcher(None, have, value).ratio() >= 0.85)


@given(st.text(max_size=_FIELD), st.text(max_size=_FIELD))
def test_shared_letters_counts_the_common_letters(have, value):
    assert _shared_letters(have, value) == sum((Counter(have) & Counter(value)).values())
