"""The JSON report's hand-joined text is exactly what json.dumps(indent=2) writes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from k8slint.engine import Result
from k8slint.findings import Finding
from k8slint.report import ReportOptions, json_report

text = st.text(st.characters(codec="utf-8"), max_size=20)
findings = st.builds(
    Finding,
    rule=text,
    severity=st.sampled_from(["error", "warning", "info"]),
    message=text,
    file=text,
    line=st.integers(1, 10**6),
    column=st.integers(1, 500),
    document=st.integers(0, 50),
    object=st.none() | text,
    path=text,
    help=st.none() | text,
    suppressed=st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(findings, max_size=5), st.booleans())
def test_report_text_equals_plain_json_dumps(items, show_suppressed):
    options = ReportOptions(show_suppressed=show_suppressed)
    result = Result(findings=items, files=3, documents=7, objects=[])
    rendered = json_report.render(result, options)
    expected = json.loads(rendered)
    assert rendered == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    assert [f["message"] for f in expected["findings"]] == [
        f.message for f in items if show_suppressed or not f.suppressed
    ]


def test_non_scalar_values_fall_back_to_the_plain_encoder():
    item = {"rule": "x", "edits": [{"op": "set", "value": {"a": [1, 2.5, None]}}]}
    wrapped = json.dumps({"findings": [item]}, indent=2)
    assert "\n" + json_report._item(item) + "\n" in wrapped
