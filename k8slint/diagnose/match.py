"""Match normalised lines against the knowledge base and build diagnoses.

One input line can match several entries and one problem usually shows up on
several lines (the event, the status column, the kubectl summary), so raw hits
are merged: hits of one entry whose facts agree become one diagnosis, and an
entry that ``overrides`` a more generic one removes that one's agreeing hits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from k8slint.diagnose.facts import enrich
from k8slint.diagnose.knowledge import KnowledgeBase, KnowledgeEntry
from k8slint.diagnose.normalise import Line

# captured values that describe a problem rather than identify which one it is
NOT_IDENTITY = {"detail", "event_reason", "command", "file", "namespace", "age", "reason", "state"}


@dataclass
class Match:
    entry: KnowledgeEntry
    line: Line
    facts: dict  # everything the templates may use
    identity: dict  # the captured values that tell one problem from another
    confidence: float


@dataclass
class Diagnosis:
    entry: KnowledgeEntry
    facts: dict
    confidence: float
    matched: str
    line: int
    lines: list[int] = field(default_factory=list)
    identity: dict = field(default_factory=dict)
    findings: list | None = None  # lint findings, once --manifests was linted

    @property
    def id(self) -> str:
        return self.entry.id


def _captured(match) -> dict:
    """Named groups that matched; 'name__2' style aliases fold into 'name'."""
    facts: dict = {}
    for name, value in match.groupdict().items():
        if value is None or value == "":
            continue
        key = name.split("__", 1)[0]
        facts.setdefault(key, value.strip() if isinstance(value, str) else value)
    return facts


def _agree(a: dict, b: dict) -> bool:
    return all(a[k] == b[k] for k in a.keys() & b.keys())


def find_matches(lines: list[Line], kb: KnowledgeBase) -> list[Match]:
    hits: list[Match] = []
    seen: dict[int, set[str]] = {}  # physical line number -> entries that matched it
    for line in lines:
        already = set().union(*(seen.get(n, set()) for n in line.parts)) if line.parts else set()
        for entry in kb.entries:
            if entry.id in already:  # a re-joined line adds only what its pieces did not match
                continue
            for pattern in entry.patterns:
                m = pattern.regex.search(line.text)
                if not m:
                    continue
                captured = {**line.facts, **_captured(m)}
                facts = {**line.context, **captured}
                if entry.enrich:
                    facts = enrich(entry.enrich, facts)
                keys = entry.identity if entry.identity is not None else [k for k in captured if k not in NOT_IDENTITY]
                identity = {k: captured[k] for k in keys if k in captured}
                hits.append(Match(entry, line, facts, identity, pattern.confidence))
                if not line.parts:
                    seen.setdefault(line.number, set()).add(entry.id)
                break  # first matching pattern of an entry wins for this line
    return hits


def _drop_overridden(hits: list[Match]) -> list[Match]:
    kept = []
    for hit in hits:
        overridden = any(
            hit.entry.id in other.entry.overrides and _agree(hit.identity, other.identity)
            for other in hits
            if other is not hit
        )
        if not overridden:
            kept.append(hit)
    return kept


def merge(hits: list[Match]) -> list[Diagnosis]:
    """Fold hits of one entry with agreeing facts into one diagnosis each."""
    diagnoses: list[Diagnosis] = []
    for hit in _drop_overridden(hits):
        for diag in diagnoses:
            if diag.entry is hit.entry and _agree(diag.identity, hit.identity):
                richer = len(hit.identity) > len(diag.identity) or hit.confidence > diag.confidence
                diag.facts = {**hit.facts, **diag.facts} if not richer else {**diag.facts, **hit.facts}
                diag.identity = {**diag.identity, **hit.identity}
                if richer:
                    diag.matched, diag.line = hit.line.text, hit.line.number
                diag.confidence = max(diag.confidence, hit.confidence)
                diag.lines.append(hit.line.number)
                break
        else:
            diagnoses.append(
                Diagnosis(
                    hit.entry,
                    dict(hit.facts),
                    hit.confidence,
                    hit.line.text,
                    hit.line.number,
                    [hit.line.number],
                    dict(hit.identity),
                )
            )
    # best first; ties keep the order they appeared in the input
    diagnoses.sort(key=lambda d: (-d.confidence, d.line))
    return diagnoses


def diagnose_lines(lines: list[Line], kb: KnowledgeBase) -> list[Diagnosis]:
    return merge(find_matches(lines, kb))


def diagnose_text(text: bytes | str, kb: KnowledgeBase | None = None) -> list[Diagnosis]:
    """Public entry point: error output in, ordered diagnoses out."""
    from k8slint.diagnose.knowledge import load
    from k8slint.diagnose.normalise import normalise

    return diagnose_lines(normalise(text), kb or load())


def from_entry(entry: KnowledgeEntry, facts: dict, kb: KnowledgeBase, matched: str = "") -> Diagnosis:
    """A diagnosis for a condition found by inspection rather than by matching text (doctor)."""
    if entry.enrich:
        facts = enrich(entry.enrich, facts)
    return Diagnosis(entry, dict(facts), entry.confidence, matched, 0, [])
