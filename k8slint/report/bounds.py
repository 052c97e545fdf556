"""How much of a run a report shows: a bounded number of findings per file, each text of bounded length.

YAML aliases let a small file expand into tens of thousands of findings, each quoting a long anchored
value (a 226 KB file gave 60,000 findings and a 1.3 GB SARIF report). No one reads past the first
hundreds of one rule in one file, and code scanning drops results past its own limits, so every format
shows at most ``MAX_PER_RULE`` findings of one rule and ``MAX_PER_FILE`` findings per file, cuts each
text to ``MAX_TEXT`` characters, and ends a file's findings with one ``findings-left-out`` note saying
how many it left out. The summary counts and the exit code still see every finding.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from k8slint.filters import engine_finding

MAX_PER_RULE = 500
MAX_PER_FILE = 2000
MAX_TEXT = 1000  # characters of a message, object name, path or help
NOTE = "findings-left-out"
TEXTS = ("message", "object", "path", "help")


def bounded(findings: list) -> list:
    """``findings`` in their order, at most the first ``MAX_PER_RULE``/``MAX_PER_FILE`` of each file; after a
    file's last shown finding, a note counting what it left out."""
    shown: list = []
    per_file: Counter = Counter()
    per_rule: Counter = Counter()
    last: dict[str, int] = {}  # file -> index in shown of its last finding
    left: dict[str, Counter] = {}
    first_left: dict[str, object] = {}
    for finding in findings:
        if per_rule[finding.file, finding.rule] >= MAX_PER_RULE or per_file[finding.file] >= MAX_PER_FILE:
            left.setdefault(finding.file, Counter())[finding.rule] += 1
            first_left.setdefault(finding.file, finding)
            continue
        per_rule[finding.file, finding.rule] += 1
        per_file[finding.file] += 1
        last[finding.file] = len(shown)
        shown.append(_shortened(finding))
    for file in sorted(left, key=last.__getitem__, reverse=True):  # from the end, so earlier places stay put
        shown.insert(last[file] + 1, _note(first_left[file], left[file]))
    return shown


def shorten(text, limit: int = MAX_TEXT):
    """``text`` cut in its middle to about ``limit`` characters (its end often says what to do); others pass."""
    if not isinstance(text, str) or len(text) <= limit:
        return text
    head, tail = limit * 2 // 3, limit // 3
    return f"{text[:head]} … ({len(text) - head - tail:,} characters left out) … {text[-tail:]}"


def _shortened(finding):
    texts = {name: shorten(getattr(finding, name)) for name in TEXTS}
    if all(texts[name] is getattr(finding, name) for name in TEXTS):
        return finding
    return dataclasses.replace(finding, **texts)


def _note(first, left: Counter):
    total = sum(left.values())
    rules = ", ".join(f"{count:,} {rule}" for rule, count in left.most_common())
    message = (
        f"{total:,} more finding{'s' * (total != 1)} in this file not shown ({shorten(rules, 200)}), from line "
        f"{first.line} on; a report shows at most {MAX_PER_RULE:,} findings of one rule and {MAX_PER_FILE:,} per "
        "file; fix these and lint again"
    )
    return engine_finding(NOTE, first.file, first.line, first.column, message)
