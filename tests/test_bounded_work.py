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


def test_an_include_fan_out_reads_each_entry_once_per_depth(tmp_path, monkeypatch):
    import k8slint.compose as compose

    (tmp_path / "compose.yaml").write_text("include:\n" + "  - compose.yaml\n" * 4)
    loads = []
    original = compose.load_documents
    monkeypatch.setattr(compose, "load_documents", lambda *a: loads.append(a) or original(*a))
    lint_json(tmp_path / "compose.yaml")
    assert len(loads) <= 4 * 9, len(loads)  # four entries at each of the 8 levels, not 4 ** 8


def test_env_values_that_double_line_after_line_are_capped():
    from k8slint.compose.dotenv import parse_dotenv
    from k8slint.compose.interpolate import MAX_VALUE, UNKNOWN, interpolate

    lines = ["A0=xxxxxxxxxxxxxxxx"] + [f"A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 64)]
    values = parse_dotenv("\n".join(lines))
    assert len(values["A12"]) == 16 << 12 <= MAX_VALUE
    assert values["A13"] is UNKNOWN and values["A63"] is UNKNOWN
    assert not interpolate("${A12}" * 100, values).known  # a value may not grow past the cap either
