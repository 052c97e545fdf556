"""``k8slint rules`` and ``k8slint explain``: the rule catalogue from the rule files."""

from __future__ import annotations

import json

import click

from k8slint.commands.common import fail_usage
from k8slint.commands.completion import rule_ids
from k8slint.config import did_you_mean


@click.command("rules")
@click.option(
    "-f", "--format", "format_name", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True
)
@click.option("--category", help="Only rules of this category.")
def rules_command(format_name, category):
    """List every rule: id, severity, category, on by default, fixable, summary."""
    from k8slint.registry import all_rules

    known = all_rules()
    categories = sorted({rule.category for rule in known.values()})
    if category is not None and category not in categories:
        fail_usage(
            f"unknown category {category!r}{did_you_mean(category, categories)}; the categories are {', '.join(categories)}"
        )
    rules = [rule for rule in known.values() if category is None or rule.category == category]
    if format_name == "json":
        items = [
            {
                "id": r.id,
                "severity": r.severity,
                "category": r.category,
                "summary": r.summary,
                "fixable": r.fixable,
                "default": r.default,
                "applies_to": sorted(r.applies_to),
            }
            for r in rules
        ]
        click.echo(json.dumps(items, indent=2))
        return
    if format_name == "markdown":
        from k8slint.ruledocs import catalogue

        click.echo(catalogue(rules), nl=False)
        return
    from k8slint.ruledocs import fix_word

    width = max((len(rule.id) for rule in rules), default=0)
    category_width = max((len(rule.category) for rule in rules), default=0)
    click.echo(f"{'RULE':<{width}}  {'SEVERITY':<8}  {'CATEGORY':<{category_width}}  DEFAULT  FIXABLE  SUMMARY")
    for rule in rules:
        click.echo(
            f"{rule.id:<{width}}  {rule.severity:<8}  {rule.category:<{category_width}}  "
            f"{'yes' if rule.default else 'no':<7}  {fix_word(rule):<7}  {rule.summary}"
        )


@click.command()
@click.argument("rule_id", shell_complete=rule_ids)
def explain(rule_id):
    """Print a rule's page: what it checks, why, how to fix it, with examples."""
    from k8slint.registry import all_rules

    rules = all_rules()
    rule = rules.get(rule_id)
    if rule is None:
        fail_usage(f"unknown rule {rule_id!r}{did_you_mean(rule_id, rules)} (see `k8slint rules`)")
    lines = [f"{rule.id} ({rule.severity}, {rule.category})", "", rule.summary, ""]
    if rule.rationale:
        lines += ["Why", "", rule.rationale, ""]
    if rule.help:
        lines += ["Fix", "", rule.help, ""]
    if rule.fixable != "none":
        lines += [
            f"Automatic fix: {rule.fixable} (`k8slint fix`{' --unsafe-fixes' if rule.fixable == 'unsafe' else ''})",
            "",
        ]
    if rule.options:
        lines += ["Options (config: rules: {" + rule.id + ": {...}})", ""]
        lines += [f"  {name} ({option.type}): {option.default!r}" for name, option in rule.options.items()] + [""]
    for label, key in (("Bad", "bad"), ("Good", "good")):
        for example in rule.examples.get(key) or []:
            lines += [f"{label} example:", ""]
            lines += ["    " + line for line in example["yaml"].rstrip("\n").splitlines()] + [""]
    click.echo("\n".join(lines).rstrip() + "\n")
