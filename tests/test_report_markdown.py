"""``k8slint report --format markdown``: a pull-request comment with collapsible sections and a length cap."""

from __future__ import annotations

from conftest import FIXTURES, run_cli

from k8slint.report.markdown import MAX_CHARS


def test_summary_rule_table_and_collapsible_files(tmp_path):
    result = run_cli("report", "reports", "-o", tmp_path / "comment.md", "--title", "Manifests", cwd=FIXTURES)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "comment.md").read_text()
    assert text.startswith("## Manifests\n\n**4 errors, 1 warning, 0 infos** (3 files, 4 objects checked)")
    assert "| `selector-mismatch` | 🔴 error | 1 |" in text
    assert "<details><summary>🔴 <code>reports/web.yaml</code> — 2 findings</summary>" in text
    assert "| 11:12 | 🔴 error | `selector-mismatch` | selector app=web-frontend does not match" in text
    assert text.count("<details>") == text.count("</details>") == 4  # three files and the rules


def test_long_reports_are_capped(tmp_path):
    bad = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name_{}\n"
    for number in range(30):
        (tmp_path / f"f{number:02}.yaml").write_text("---\n".join(bad.format(i) for i in range(60)))
    result = run_cli("report", "--format", "markdown", "--ignore", "duplicate-object", ".", cwd=tmp_path)
    assert result.exit_code == 0
    assert len(result.stdout) < MAX_CHARS
    assert "**1800 errors, 0 warnings, 0 infos**" in result.stdout
    assert "more findings not shown" in result.stdout
    assert result.stdout.rstrip().endswith("</details>")


def test_clean_tree(tmp_path):
    (tmp_path / "ok.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n")
    result = run_cli("report", "--format", "markdown", "ok.yaml", cwd=tmp_path)
    assert result.stdout == "## k8slint report\n\n✅ **All checks passed** (1 file, 1 object checked)\n"
