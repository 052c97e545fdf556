#!/usr/bin/env python3
"""Write the rule reference, docs/rules/<id>.md and docs/rules/README.md, from the rule files.

    python scripts/gen_rule_docs.py          # (re)write the pages, remove pages of deleted rules
    python scripts/gen_rule_docs.py --check  # exit 1 and name the stale pages, writing nothing

tests/test_rule_docs.py runs the check, so CI fails when a rule file changes
without the pages being regenerated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from k8slint.registry import all_rules  # noqa: E402
from k8slint.ruledocs import RULE_PAGES, index_page, page  # noqa: E402


def expected() -> dict[str, str]:
    """File name -> content of every page the rule files call for."""
    rules = sorted(all_rules().values(), key=lambda rule: rule.id)
    pages = {f"{rule.id}.md": page(rule) for rule in rules}
    pages["README.md"] = index_page(rules)
    return pages


def stale(directory: Path, pages: dict[str, str]) -> list[str]:
    """Pages that are missing, different, or left over from a deleted rule."""
    present = {path.name for path in directory.glob("*.md")} if directory.is_dir() else set()
    changed = [name for name, text in pages.items() if name not in present or (directory / name).read_text() != text]
    return sorted(changed + sorted(present - set(pages)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale pages (exit 1 if any)")
    parser.add_argument("--out", type=Path, default=REPO / RULE_PAGES, help="directory of the pages")
    args = parser.parse_args(argv)
    pages = expected()
    outdated = stale(args.out, pages)
    if args.check:
        for name in outdated:
            print(f"stale: {args.out / name}", file=sys.stderr)
        if outdated:
            print("regenerate the rule pages: python scripts/gen_rule_docs.py", file=sys.stderr)
        return 1 if outdated else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name in outdated:
        target = args.out / name
        if name in pages:
            target.write_text(pages[name])
        else:
            target.unlink()
    print(f"{len(outdated)} page(s) written or removed in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
