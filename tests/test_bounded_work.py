"""Work per file is bounded: structural bounds (how often a file is read), never timings (bench/bounded_work.py times)."""

from __future__ import annotations

import json
from collections import Counter

from conftest import lint_json, run_cli

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


FORMATS = ("json", "sarif", "full", "concise", "html", "markdown", "junit", "github", "gitlab")


def _amplified(path, aliases: int = 700) -> None:
    """Two pods whose one container, on a line of some 3,000 characters, is aliased ``aliases`` times."""
    long_name = "n" * 3000
    doc = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-N\nspec:\n  containers:\n"
        f"  - &c {{name: {long_name}, image: 'nginx:latest', resources: {{limits: {{cpu: lots}}}}}}\n"
        + "  - *c\n"
        * aliases
    )
    path.write_text("---\n".join(doc.replace("N", str(n)) for n in range(2)))


def test_aliases_that_multiply_findings_give_a_bounded_report_with_a_note_in_every_format(tmp_path):
    from k8slint.report.bounds import MAX_PER_FILE, MAX_PER_RULE, MAX_TEXT

    _amplified(tmp_path / "amp.yaml")
    code, report = lint_json(tmp_path / "amp.yaml", "--no-cache")
    assert code == 1
    rules = Counter(finding["rule"] for finding in report["findings"])
    assert rules.pop("findings-left-out") == 1
    assert len(rules) >= 3 and max(rules.values()) == MAX_PER_RULE and sum(rules.values()) <= MAX_PER_FILE, rules
    total = report["summary"]["errors"] + report["summary"]["warnings"] + report["summary"]["infos"]
    assert total > 4 * MAX_PER_RULE  # the counts see every finding
    (note,) = [finding for finding in report["findings"] if finding["rule"] == "findings-left-out"]
    assert f"{total - sum(rules.values()):,} more findings in this file not shown" in note["message"]
    assert all(len(finding["message"]) < MAX_TEXT + 50 for finding in report["findings"])
    for format_name in FORMATS:
        output = run_cli("lint", "--no-cache", "-f", format_name, tmp_path / "amp.yaml").stdout
        assert "n" * (MAX_TEXT + 1) not in output, format_name  # no message, snippet or excerpt quotes the whole name
        assert len(output) < (MAX_PER_FILE + 1) * 4 * MAX_TEXT, (format_name, len(output))  # ~4 KB a finding at most
        if format_name not in ("markdown", "gitlab"):  # markdown counts it in its table
            assert "findings-left-out" in output, format_name


def test_summaries_of_a_bounded_report_count_every_finding_not_only_the_shown_ones(tmp_path):
    _amplified(tmp_path / "amp.yaml")
    _, report = lint_json(tmp_path / "amp.yaml", "--no-cache")
    total = report["summary"]["errors"] + report["summary"]["warnings"] + report["summary"]["infos"]
    github = run_cli("lint", "--no-cache", "-f", "github", tmp_path / "amp.yaml").stdout
    annotated = github.count("\n::") + github.startswith("::") - github.count("k8slint findings-left-out")
    assert f"k8slint: {total - annotated} more findings not annotated" in github
    markdown = run_cli("lint", "--no-cache", "-f", "markdown", tmp_path / "amp.yaml").stdout
    rows = {line.split("`")[1]: int(line.rsplit("|", 2)[1]) for line in markdown.splitlines() if line.startswith("| `")}
    assert sum(rows.values()) == total and "findings-left-out" not in rows, rows


def test_a_dotenv_whose_values_double_lints_through_the_cli_with_capped_values_and_short_messages(tmp_path):
    from k8slint.report.bounds import MAX_TEXT

    lines = ["A0=xxxxxxxxxxxxxxxx"] + [f"A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 40)]
    (tmp_path / ".env").write_text("\n".join(lines) + "\n")
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: nginx:1.25\n    command: ${A39}\n    mem_limit: ${A12}\n"
    )
    code, report = lint_json(tmp_path / "compose.yaml", "--no-cache")
    (finding,) = report["findings"]  # A39 (16 << 39 bytes) is past the cap: unknown, never built or checked
    assert (finding["rule"], finding["line"]) == ("compose-invalid-byte-size", 5)
    assert "characters left out" in finding["message"] and len(finding["message"]) < MAX_TEXT + 50  # A12: 64 KiB


def test_a_30_kb_last_applied_configuration_paste_is_diagnosed_through_the_cli(tmp_path):
    # one JSON line of 30 KB (the annotation `kubectl get -o yaml` prints) before the error: regexes stay linear
    # (timed in bench/diagnose_speed.py: ~120 s once, now 0.02 s)
    env = ",".join(f'{{"name":"SETTING_{i}","value":"value-{i}:/path/{i}?a=b&c=d"}}' for i in range(500))
    blob = f'{{"apiVersion":"apps/v1","kind":"Deployment","spec":{{"template":{{"spec":{{"containers":[{{"env":[{env}]}}]}}}}}}}}'
    assert len(blob) > 30_000
    paste = (
        "$ kubectl get deployment app -o yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n"
        f"    kubectl.kubernetes.io/last-applied-configuration: |\n      {blob}\n  name: app\n"
        'The Deployment "app" is invalid: spec.selector: Invalid value: map[string]string{"app":"web"}: '
        "field is immutable\n"
    )
    result = run_cli("diagnose", "-f", "json", input=paste)
    assert result.exit_code == 0, result.output
    (first, *_) = json.loads(result.stdout)["diagnoses"]
    assert first["id"] == "field-is-immutable" and first["facts"]["name"] == "app"
