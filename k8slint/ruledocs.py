"""The rule reference as Markdown: one page per rule (``docs/rules/<id>.md``) and a catalogue table.

Everything comes from the rule files; ``scripts/gen_rule_docs.py`` writes the
pages and the test suite fails when they are stale. SARIF's ``helpUri`` and the
catalogue link to the pages in the repository (``rule_url``).
"""

from __future__ import annotations

REPOSITORY = "https://github.com/k8slint/k8slint"
RULE_PAGES = "docs/rules"  # in the repository
GENERATED = "<!-- generated from rules/{id}.yaml by scripts/gen_rule_docs.py: edit the rule file, then run it -->"


def rule_url(rule_id: str) -> str:
    """Where a rule's page is published: its file in the repository's default branch."""
    return f"{REPOSITORY}/blob/main/{RULE_PAGES}/{rule_id}.md"


def fix_word(rule) -> str:
    return {"none": "no", "safe": "yes", "unsafe": "unsafe"}.get(rule.fixable, rule.fixable)


def catalogue(rules, link=rule_url) -> str:
    """A Markdown table of ``rules``: id (linked with ``link``), severity, category, default, fixable, summary."""
    lines = [
        "| Rule | Severity | Category | Default | Fixable | Summary |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        lines.append(
            f"| [`{rule.id}`]({link(rule.id)}) | {rule.severity} | {rule.category} | "
            f"{'yes' if rule.default else 'no'} | {fix_word(rule)} | {summary} |"
        )
    return "\n".join(lines) + "\n"


def index_page(rules) -> str:
    """``docs/rules/README.md``: the catalogue with links to the pages beside it."""
    return (
        "<!-- generated from rules/*.yaml by scripts/gen_rule_docs.py: edit the rule files, then run it -->\n"
        f"# k8slint rules\n\n{len(rules)} rules. `k8slint rules` lists them, `k8slint explain RULE` shows a page "
        "in the terminal; select and ignore them by id or category in `.k8slint.yaml`.\n\n"
        + catalogue(rules, link=lambda rule_id: f"{rule_id}.md")
    )


def page(rule) -> str:
    """One rule's page: what it reports, why, how to fix it, its options and examples."""
    fixable = {"none": "no", "safe": "yes, `k8slint fix`", "unsafe": "yes, `k8slint fix --unsafe-fixes`"}
    kinds = ", ".join(sorted(rule.applies_to)) if "any" not in rule.applies_to else "any"
    out = [
        GENERATED.format(id=rule.id),
        f"# {rule.id}",
        "",
        rule.summary,
        "",
        "| Severity | Category | Default | Automatic fix | Applies to |",
        "|---|---|---|---|---|",
        f"| {rule.severity} | {rule.category} | {'on' if rule.default else 'off (select it)'} | "
        f"{fixable.get(rule.fixable, rule.fixable)} | {kinds} |",
        "",
    ]
    if rule.rationale:
        out += ["## Why", "", rule.rationale.strip(), ""]
    if rule.help:
        out += ["## How to fix", "", rule.help.strip(), ""]
    if rule.options:
        out += [
            "## Options",
            "",
            f"Set in `.k8slint.yaml` under `rules: {{{rule.id}: {{...}}}}`.",
            "",
            "| Option | Type | Default |",
            "|---|---|---|",
        ]
        out += [f"| `{name}` | {option.type} | `{option.default!r}` |" for name, option in rule.options.items()]
        out.append("")
    for label, key in (("Reported", "bad"), ("Not reported", "good")):
        examples = rule.examples.get(key) or []
        if examples:
            out += [f"## {label}", ""]
            for example in examples:
                out += ["```yaml", example["yaml"].rstrip("\n"), "```", ""]
    out += [f"Suppress it on a line with `# k8slint: disable={rule.id}`.", ""]
    return "\n".join(out)
