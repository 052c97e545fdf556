"""Baselines: record today's findings, then report only new ones.

A finding's fingerprint hashes its rule, root-relative file, object, path and
message — never its line — so it survives edits elsewhere in the file. The
baseline keeps a count per fingerprint: two identical findings need two
entries' worth of count to be hidden.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass

from k8slint.locations import stable_name

VERSION = 1
# positions quoted inside messages ("defined at a.yaml:12", "line 3: …") would tie a fingerprint to lines
_POSITIONS = re.compile(r"(\.ya?ml):\d+(?::\d+)?|\b(line|column) \d+")


class BaselineError(Exception):
    """A baseline file that cannot be read; the CLI prints it and exits 2."""


def fingerprint(finding) -> str:
    """A line-independent identity of a finding (also SARIF's ``partialFingerprints``)."""
    message = _POSITIONS.sub(lambda m: m.group(1) or m.group(2), finding.message)
    key = "\0".join((finding.rule, stable_name(finding.file), finding.object or "", finding.path, message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass
class Filtered:
    """Findings left after the baseline, and how many it hid or no longer matches."""

    findings: list
    hidden: int
    stale: int


def load(path: str) -> Counter:
    """Fingerprint -> count from a baseline file."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline not found; create it with --update-baseline") from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror}") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: baseline is not valid JSON: {exc}") from None
    entries = data.get("findings") if isinstance(data, dict) and data.get("version") == VERSION else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
        raise BaselineError(f"{path}: not a k8slint baseline (version {VERSION}); recreate it with --update-baseline")
    counts = Counter()
    for entry in entries:
        count = entry.get("count", 1)
        counts[entry["fingerprint"]] += count if isinstance(count, int) and count > 0 else 1
    return counts


def apply(findings: list, counts: Counter) -> Filtered:
    """Drop findings the baseline covers; suppressed findings pass through untouched."""
    remaining = Counter(counts)
    kept = []
    for finding in findings:
        if not finding.suppressed:
            key = fingerprint(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                continue
        kept.append(finding)
    hidden = len(findings) - len(kept)
    return Filtered(kept, hidden, sum(remaining.values()))


def dump(findings: list) -> str:
    """The baseline file for these findings (suppressed ones are not recorded), sorted for small diffs."""
    entries: dict[str, dict] = {}
    for finding in findings:
        if finding.suppressed:
            continue
        key = fingerprint(finding)
        entry = entries.setdefault(key, {
            "fingerprint": key, "count": 0, "rule": finding.rule, "file": stable_name(finding.file),
            "object": finding.object, "message": finding.message,
        })
        entry["count"] += 1
    ordered = sorted(entries.values(), key=lambda e: (e["file"], e["rule"], e["object"] or "", e["message"], e["fingerprint"]))
    return json.dumps({"version": VERSION, "tool": "k8slint", "findings": ordered}, indent=2, ensure_ascii=False) + "\n"
