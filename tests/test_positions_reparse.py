"""Positions after the node tree is dropped (the process hop) equal the positions before it."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from k8slint.parse import parse_source
from k8slint.sources import Source

PATHS = ("", "kind", "metadata.name", "spec.selector.app", "data.key")


@pytest.mark.parametrize(
    "name", ["layouts.yaml", "crlf.yaml", "nel.yaml", "broken.yaml", "directive.yaml", "markers.yaml"]
)
def test_relocated_spans_match_the_original_parse(name):
    path = str(FIXTURES / "positions" / name)
    parsed = parse_source(Source(path, path))
    assert len(parsed.documents) >= 2
    for doc in parsed.documents:
        before = [doc.locate(p, on_key) for p in PATHS for on_key in (False, True)]
        doc.drop_node()
        assert [doc.locate(p, on_key) for p in PATHS for on_key in (False, True)] == before, (name, doc.index)
