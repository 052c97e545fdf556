"""The rule reference: generated pages for every rule, kept current by CI, linked from SARIF and `rules`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from conftest import ROOT, run_cli

PAGES = ROOT / "docs" / "rules"
GENERATOR = ROOT / "scripts" / "gen_rule_docs.py"


def _check(directory):
    return subprocess.run(
        [sys.executable, GENERATOR, "--check", "--out", directory], capture_output=True, text=True, timeout=120
    )


def test_the_rule_pages_are_current():
    done = _check(PAGES)
    assert done.returncode == 0, done.stderr  # run: python scripts/gen_rule_docs.py


def test_a_stale_missing_or_orphaned_page_fails_the_check(tmp_path):
    pages = tmp_path / "rules"
    shutil.copytree(PAGES, pages)
    (pages / "selector-mismatch.md").write_text((pages / "selector-mismatch.md").read_text().replace("agree", "match"))
    (pages / "image-tag.md").unlink()
    (pages / "retired-rule.md").write_text("# retired-rule\n")
    done = _check(pages)
    assert done.returncode == 1
    assert {line.rsplit("/", 1)[-1] for line in done.stderr.splitlines() if line.startswith("stale:")} == {
        "selector-mismatch.md",
        "image-tag.md",
        "retired-rule.md",
    }
    fixed = subprocess.run([sys.executable, GENERATOR, "--out", pages], capture_output=True, text=True, timeout=120)
    assert fixed.returncode == 0 and _check(pages).returncode == 0 and not (pages / "retired-rule.md").exists()


def test_every_rule_has_a_page_with_its_examples_and_sarif_links_to_it(tmp_path):
    listing = json.loads(run_cli("rules", "--format", "json").stdout)
    page = (PAGES / "selector-mismatch.md").read_text()
    assert page.splitlines()[1] == "# selector-mismatch"
    assert "## Why" in page and "`ValidateDeploymentSpec`" in page and "```yaml\napiVersion: v1\n" in page
    (tmp_path / "rc.yaml").write_text((ROOT / "fixtures" / "examples" / "rc.yaml").read_text())
    sarif = json.loads(run_cli("lint", "-f", "sarif", "rc.yaml", cwd=tmp_path).stdout)
    links = {rule["id"]: rule["helpUri"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert set(links) == {rule["id"] for rule in listing}
    for rule_id, link in links.items():
        assert link.endswith(f"/blob/main/docs/rules/{rule_id}.md")
        assert (ROOT / link.split("/blob/main/", 1)[1]).is_file()


def test_rules_listing_formats_and_categories():
    text = run_cli("rules").stdout.splitlines()
    assert text[0].split() == ["RULE", "SEVERITY", "CATEGORY", "DEFAULT", "FIXABLE", "SUMMARY"]
    row = next(line for line in text if line.startswith("compose-obsolete-version "))
    assert row.split()[1:5] == ["warning", "compose", "yes", "yes"]
    markdown = run_cli("rules", "--format", "markdown", "--category", "selectors").stdout
    assert markdown.startswith("| Rule | Severity | Category | Default | Fixable | Summary |\n|---|")
    assert "| [`selector-mismatch`](https://github.com/" in markdown and "| selectors |" in markdown
    bogus = run_cli("rules", "--category", "selector")
    assert bogus.exit_code == 2 and "unknown category 'selector'; did you mean 'selectors'?" in bogus.stderr
    assert (PAGES / "README.md").read_text().count("](") == len(json.loads(run_cli("rules", "-f", "json").stdout))
