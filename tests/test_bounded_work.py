"""Work per file is bounded: structural bounds (how often a file is read), never timings (bench/bounded_work.py times)."""

from __future__ import annotations

from conftest import lint_json

from k8slint.sources import Source


def _duplicates(path, count: int) -> None:
    doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\ndata:\n  k: v\n"
    path.write_text("---\n".join([doc] * count))


def test_a_finding_in_every_document_reads_the_file_a_bounded_number_of_times(tmp_path, monkeypatch):
    _duplicates(tmp_path / "many.yaml", 300)
    reads = []
    original = Source.read
    monkeypatch.setattr(Source, "read", lambda self, *a, **k: reads.append(self.display) or original(self, *a, **k))
    _, report = lint_json(tmp_path / "many.yaml")
    assert [f["rule"] for f in report["findings"]].count("duplicate-object") == 299
    assert len(reads) < 10, len(reads)  # was one read per finding (and per earlier duplicate's line)
    lines = [f["line"] for f in report["findings"] if f["rule"] == "duplicate-object"]
    assert lines == [4 + 7 * i for i in range(1, 300)]
