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

from k8slint.errors import BaselineError
from k8slint.locations import project_root, stable_name

VERSION = 1
# positions quoted inside messages ("defined at a.yaml:12", "line 3: …") would tie a fingerprint to lines
_POSITIONS = re.compile(r"(\.ya?ml):\d+(?::\d+)?|\b(line|column) \d+")


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


def run_files(result) -> set[str]:
    """Stable names of the files a run looked at (those with objects or findings)."""
    return {stable_name(obj.doc.file) for obj in result.objects} | {stable_name(f.file) for f in result.findings}


def load(path: str) -> list[dict]:
    """The entries of a baseline file (``fingerprint``, ``count``, ``file``, …)."""
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
    if not isinstance(entries, list) or not all(_well_formed(entry) for entry in entries):
        raise BaselineError(f"{path}: not a k8slint baseline (version {VERSION}); recreate it with --update-baseline")
    return entries


def _well_formed(entry) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("fingerprint"), str)
        and isinstance(entry.get("file"), str)
        and isinstance(entry.get("count"), int)
        and entry["count"] > 0
    )


def apply(findings: list, entries: list[dict], files: set[str]) -> Filtered:
    """Drop findings the baseline covers (suppressed ones pass through); count fixed entries of ``files``."""
    remaining = Counter()
    for entry in entries:
        remaining[entry["fingerprint"]] += entry["count"]
    kept = []
    for finding in findings:
        if not finding.suppressed:
            key = fingerprint(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                continue
        kept.append(finding)
    stale = {entry["fingerprint"] for entry in entries if entry["file"] in files}
    return Filtered(kept, len(findings) - len(kept), sum(remaining[key] for key in stale))


def dump(findings: list, files: set[str], previous: list[dict] = ()) -> str:
    """The baseline for these findings (suppressed ones are not recorded), sorted for small diffs.

    Entries of ``previous`` for files this run did not look at are kept while
    the file exists, so updating from a partial run (pre-commit) loses nothing.
    """
    root = project_root()
    entries: dict[str, dict] = {
        entry["fingerprint"]: dict(entry)
        for entry in previous
        if entry["file"] not in files and (root / entry["file"]).is_file()
    }
    for finding in findings:
        if finding.suppressed:
            continue
        key = fingerprint(finding)
        entry = entries.setdefault(
            key,
            {
                "fingerprint": key,
                "count": 0,
                "rule": finding.rule,
                "file": stable_name(finding.file),
                "object": finding.object,
                "message": finding.message,
            },
        )
        entry["count"] += 1
    ordered = sorted(
        entries.values(), key=lambda e: (e["file"], e["rule"], e["object"] or "", e["message"], e["fingerprint"])
    )
    return json.dumps({"version": VERSION, "tool": "k8slint", "findings": ordered}, indent=2, ensure_ascii=False) + "\n"
