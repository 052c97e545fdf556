"""Match normalised lines against the knowledge base and build diagnoses.

One input line can match several entries and one problem usually shows up on
several lines (the event, the status column, the kubectl summary), so raw hits
are merged: hits of one entry whose facts agree become one diagnosis. Then the
specific beats the generic (``_Beaters``, rules in rules/troubleshooting/README.md):
explicit ``overrides``, a more specific or a containing match on the same line,
and a symptom about the same pod as a cause. Diagnoses come out most specific
first, then most confident, then in paste order.

Only lines that contain a pattern's needle (``needles``) are handed to it, found
by one substring search over the whole paste; long lines are searched only
around the needle, so big pastes and pathological lines stay linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from k8slint.diagnose.facts import enrich
from k8slint.diagnose.knowledge import SPECIFICITY, KnowledgeBase, KnowledgeEntry, Pattern
from k8slint.diagnose.normalise import Line

# captured values that describe a problem rather than identify which one it is
NOT_IDENTITY = {"detail", "event_reason", "command", "file", "namespace", "age", "reason", "state"}


# what a line is about: a symptom and a cause about the same one are the same problem
SUBJECT = ("pod", "container", "pvc", "node", "object")
# a Deployment's pod: <deployment>-<pod-template-hash>-<5 characters>
REPLICA_POD = re.compile(r"^([a-z0-9][-a-z0-9]*-[a-z0-9]{6,10})-[a-z0-9]{5}$")
# a StatefulSet's pod: <statefulset>-<ordinal>
ORDINAL_POD = re.compile(r"^([a-z0-9][-a-z0-9]*)-\d{1,5}$")
# lines longer than this are matched only around the needles a pattern needs
LONG_LINE = 8192
WINDOW_BEFORE, WINDOW_AFTER, MAX_WINDOWS = 2048, 2048, 8


@dataclass
class Match:
    entry: KnowledgeEntry
    line: Line
    facts: dict  # everything the templates may use
    identity: dict  # the captured values that tell one problem from another
    confidence: float
    specificity: int = 1
    span: tuple[int, int] = (0, 0)  # what the pattern matched in line.text

    @property
    def where(self) -> tuple:
        return (self.line.number, self.line.parts)


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
    specificity: int = 1
    spans: dict = field(default_factory=dict)  # (line number, parts) -> matched span

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def subject(self) -> dict:
        subject = {k: self.facts[k] for k in SUBJECT if self.facts.get(k)}
        pod = str(subject.get("pod", ""))
        m = REPLICA_POD.match(pod) or ORDINAL_POD.match(pod)
        if m:  # pods of one ReplicaSet or StatefulSet run one template: what explains one explains its siblings
            subject["workload"] = m.group(1)
        return subject


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


def _candidates(lines: list[Line], kb: KnowledgeBase) -> dict[int, list[tuple[int, int]]]:
    """Line index -> (entry index, pattern index) pairs worth trying there, in knowledge-base order."""
    per_text: dict[str, list[tuple[int, int]]] = {}  # pastes repeat lines: look each distinct text up once
    per_line: dict[int, list[tuple[int, int]]] = {}
    for index, line in enumerate(lines):
        pairs = per_text.get(line.text)
        if pairs is None:
            pairs = per_text[line.text] = kb.candidates(line.text)
        if pairs:
            per_line[index] = pairs
    return per_line


def _windows(pattern: Pattern, text: str) -> list[tuple[int, int]]:
    """Where to search a long line: around the first occurrences of the pattern's needles."""
    if pattern.needles is None:
        return [(0, LONG_LINE)]
    hay = text.lower() if pattern.ignore_case else text
    spans: list[tuple[int, int]] = []
    for needle in pattern.needles:
        pos = hay.find(needle)
        while pos != -1 and len(spans) < MAX_WINDOWS:
            spans.append((max(0, pos - WINDOW_BEFORE), min(len(text), pos + len(needle) + WINDOW_AFTER)))
            pos = hay.find(needle, pos + WINDOW_AFTER)
    return sorted(spans)[:MAX_WINDOWS]


def _search(pattern: Pattern, text: str):
    if len(text) <= LONG_LINE:
        return pattern.regex.search(text)
    for start, end in _windows(pattern, text):
        m = pattern.regex.search(text, start, end)
        if m:
            return m
    return None


def _kind_allowed(pattern: Pattern, line: Line) -> bool:
    kind = line.context.get("object_kind")
    return not pattern.kinds or kind is None or kind in pattern.kinds


def _line_hits(line: Line, pairs, kb: KnowledgeBase, already: set[str], cache: dict) -> list[tuple]:
    """(entry, facts, identity, confidence, specificity, span) of each entry that matches the line."""
    found = []
    done: set[int] = set()
    for e_index, p_index in pairs:
        entry = kb.entries[e_index]
        if e_index in done or entry.id in already:  # a re-joined line adds only what its pieces did not match
            continue
        pattern = entry.patterns[p_index]
        if not _kind_allowed(pattern, line):
            continue
        key = (line.text, e_index, p_index)
        if key not in cache:
            m = _search(pattern, line.text)
            cache[key] = (_captured(m), m.span()) if m else None
        if cache[key] is None:
            continue
        done.add(e_index)  # first matching pattern of an entry wins for this line
        groups, span = cache[key]
        captured = {**line.facts, **groups}
        facts = {**line.context, **captured}
        if entry.enrich:
            facts = enrich(entry.enrich, facts)
        keys = entry.identity if entry.identity is not None else [k for k in captured if k not in NOT_IDENTITY]
        identity = {k: captured[k] for k in keys if k in captured}
        found.append((entry, facts, identity, pattern.confidence, pattern.specificity, span))
    return found


def find_matches(lines: list[Line], kb: KnowledgeBase) -> list[Match]:
    hits: list[Match] = []
    seen: dict[int, set[str]] = {}  # physical line number -> entries that matched it
    cache: dict[tuple[str, int, int], tuple | None] = {}  # (text, entry, pattern) -> (captured, span)
    # a line whose text, facts and context equal an earlier one's matches the same (facts are shared dicts)
    same: dict[tuple[str, int, int], list[tuple]] = {}
    for index, pairs in sorted(_candidates(lines, kb).items()):
        line = lines[index]
        if line.parts:
            already = set().union(*(seen.get(n, set()) for n in line.parts))
            found = _line_hits(line, pairs, kb, already, cache)
        else:
            key = (line.text, id(line.facts), id(line.context))
            repeated = key in same
            found = same[key] if repeated else same.setdefault(key, _line_hits(line, pairs, kb, set(), cache))
            if found:
                seen[line.number] = {entry.id for entry, *_ in found}
            if repeated:
                # the same hits as on its first occurrence, which already made or joined their diagnoses
                # (and every other entry that matches this line matched the first one too)
                continue
        hits.extend(Match(entry, line, *rest) for entry, *rest in found)
    return hits


def _overrides(kb_entries) -> dict[str, set[str]]:
    """KnowledgeEntry id -> every entry it overrides, directly or through others."""
    direct = {e.id: set(e.overrides) for e in kb_entries}
    closed: dict[str, set[str]] = {}
    for start in direct:
        todo, reach = list(direct[start]), set()
        while todo:
            other = todo.pop()
            if other not in reach:
                reach.add(other)
                todo.extend(direct.get(other, ()))
        closed[start] = reach
    return closed


def _same_problem(a: Diagnosis, b: Diagnosis, subjects: dict[int, dict] | None = None) -> bool:
    """Two diagnoses explain one problem: they matched one line, or agree on what and whom.

    Agreement needs at least one shared fact (the same pod, image, node ...),
    unless one of them names nothing at all (a bare "exec format error").
    """
    if _share_a_line(a, b):
        return True
    subject = (lambda d: subjects[id(d)]) if subjects else (lambda d: d.subject)
    mine, theirs = {**a.identity, **subject(a)}, {**b.identity, **subject(b)}
    if not mine or not theirs:
        return True
    shared = mine.keys() & theirs.keys()
    return bool(shared) and all(mine[k] == theirs[k] for k in shared)


def _share_a_line(a: Diagnosis, b: Diagnosis) -> bool:
    small, big = sorted((a.spans, b.spans), key=len)
    return any(where in big for where in small)


def _inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and inner != outer


class _Beaters:
    """Indexes to find, for one diagnosis, the few others that could replace it."""

    def __init__(self, diagnoses: list[Diagnosis], overrides: dict[str, set[str]]):
        self.overrides = overrides
        self.by_line: dict[tuple, list[Diagnosis]] = {}
        self.by_subject: dict[tuple, list[Diagnosis]] = {}
        self.overriders: dict[str, list[Diagnosis]] = {}  # overridden entry id -> diagnoses that override it
        self.subjects = {id(diag): diag.subject for diag in diagnoses}  # facts no longer change: compute once
        for diag in diagnoses:
            for where in diag.spans:
                self.by_line.setdefault(where, []).append(diag)
            for pair in self.subjects[id(diag)].items():
                if pair[0] != "container":
                    self.by_subject.setdefault(pair, []).append(diag)
            for other in overrides.get(diag.id, ()):
                self.overriders.setdefault(other, []).append(diag)
        self.overrider_ids = {other: {id(o) for o in group} for other, group in self.overriders.items()}
        self.unbound = {  # overridden entry id -> its overriders that name no pod, claim, node or object
            other: [o for o in group if not self.subjects[id(o)]] for other, group in self.overriders.items()
        }

    def _overridden(self, diag: Diagnosis) -> bool:
        overriders = self.overriders.get(diag.id, [])
        subject = self.subjects[id(diag)]
        if overriders and subject:  # only those on its lines, about its subject, or about nothing named
            ids = self.overrider_ids[diag.id]
            near = [o for pair in subject.items() for o in self.by_subject.get(pair, ()) if id(o) in ids]
            near += [o for where in diag.spans for o in self.by_line.get(where, ()) if id(o) in ids]
            overriders = near + self.unbound[diag.id]
        mine = self.overrides.get(diag.id, set())
        return any(other.id not in mine and _same_problem(other, diag, self.subjects) for other in overriders)

    def _outranked_on_its_lines(self, diag: Diagnosis) -> bool:
        mine = self.overrides.get(diag.id, set())  # what this entry overrides cannot outrank it
        for where, span in diag.spans.items():
            for other in self.by_line.get(where, ()):
                if other.entry is diag.entry or other.id in mine:
                    continue
                if other.specificity > diag.specificity:
                    return True
                if other.specificity == diag.specificity and _inside(span, other.spans[where]):
                    return True
        return False

    def _symptom_explained(self, diag: Diagnosis) -> bool:
        subject = self.subjects[id(diag)]
        for pair in subject.items():
            if pair[0] == "container":
                continue
            for other in self.by_subject.get(pair, ()):
                if other.specificity <= diag.specificity or other.id in self.overrides.get(diag.id, ()):
                    continue
                theirs = self.subjects[id(other)]
                if pair[0] == "workload" or _agree(subject, theirs):
                    return True
        return False

    def beaten(self, diag: Diagnosis) -> bool:
        """Whether a more specific diagnosis replaces this one:

        - one whose entry ``overrides`` this one's (directly or through another)
          and that explains the same problem;
        - on a line both matched: a more specific one, or an equally specific
          one whose match contains this one's (the x509 error inside a
          "Failed to pull image" message is part of the pull error);
        - for a symptom (CrashLoopBackOff, Pending ...): a more specific one
          about the same pod, claim or node.
        """
        if self._overridden(diag) or self._outranked_on_its_lines(diag):
            return True
        return diag.specificity == SPECIFICITY["symptom"] and self._symptom_explained(diag)


class _Merger:
    """Fold hits of one entry whose identities agree into one diagnosis, in input order."""

    def __init__(self):
        self.diagnoses: list[Diagnosis] = []
        self.exact: dict[tuple, Diagnosis] = {}
        self.by_pair: dict[tuple, list[Diagnosis]] = {}  # (entry id, key, value) -> diagnoses
        self.by_keys: dict[str, dict[frozenset, list[Diagnosis]]] = {}  # entry id -> identity keys -> diagnoses
        self.order: dict[int, int] = {}
        self.keys: dict[int, tuple[dict, frozenset]] = {}  # id(identity) -> (identity, its items)
        self.absorbed: set[tuple[int, int]] = set()  # (diagnosis, hit facts) already merged: the hits keep both alive

    def _index(self, diag: Diagnosis) -> None:
        for pair in diag.identity.items():
            bucket = self.by_pair.setdefault((diag.id, *pair), [])
            if diag not in bucket[-1:]:
                bucket.append(diag)
        self.by_keys.setdefault(diag.id, {}).setdefault(frozenset(diag.identity), []).append(diag)

    def _find(self, hit: Match) -> Diagnosis | None:
        entry_id, identity = hit.entry.id, hit.identity
        found = [d for pair in identity.items() for d in self.by_pair.get((entry_id, *pair), ())]
        for keys, group in self.by_keys.get(entry_id, {}).items():
            if not keys & identity.keys():
                found.extend(group[:1])
        agreeing = [d for d in found if _agree(d.identity, identity)]
        return min(agreeing, key=lambda d: self.order[id(d)], default=None)

    def add(self, hit: Match) -> None:
        known = self.keys.get(id(hit.identity))  # repeated lines share their identity dict
        if known is None:
            known = self.keys[id(hit.identity)] = (hit.identity, frozenset(hit.identity.items()))
        key = (hit.entry.id, known[1])
        diag = self.exact.get(key) or self._find(hit)
        if diag is not None and (id(diag), id(hit.facts)) in self.absorbed:  # a repeated line: nothing new
            diag.lines.append(hit.line.number)
            diag.spans.setdefault(hit.where, hit.span)
        elif diag is not None:
            self.absorbed.add((id(diag), id(hit.facts)))
            richer = len(hit.identity) > len(diag.identity) or hit.confidence > diag.confidence
            diag.facts = {**hit.facts, **diag.facts} if not richer else {**diag.facts, **hit.facts}
            grown = not hit.identity.keys() <= diag.identity.keys()
            diag.identity = {**diag.identity, **hit.identity}
            if grown:
                self._index(diag)
            if richer:
                diag.matched, diag.line = hit.line.text, hit.line.number
            diag.confidence = max(diag.confidence, hit.confidence)
            diag.specificity = max(diag.specificity, hit.specificity)
            diag.lines.append(hit.line.number)
            diag.spans.setdefault(hit.where, hit.span)
        else:
            diag = Diagnosis(
                hit.entry,
                dict(hit.facts),
                hit.confidence,
                hit.line.text,
                hit.line.number,
                [hit.line.number],
                dict(hit.identity),
                specificity=hit.specificity,
                spans={hit.where: hit.span},
            )
            self.order[id(diag)] = len(self.diagnoses)
            self.diagnoses.append(diag)
            self._index(diag)
        self.exact[key] = diag


def merge(hits: list[Match], kb: KnowledgeBase | None = None) -> list[Diagnosis]:
    """Fold hits of one entry with agreeing facts into one diagnosis each; drop the beaten; best first."""
    merger = _Merger()
    for hit in hits:
        merger.add(hit)
    diagnoses = merger.diagnoses
    overrides = _overrides(kb.entries if kb else {d.entry.id: d.entry for d in diagnoses}.values())
    beaters = _Beaters(diagnoses, overrides)
    kept = [d for d in diagnoses if not beaters.beaten(d)]
    # most specific first, then most confident; ties keep the order they appeared in the input
    kept.sort(key=lambda d: (-d.specificity, -d.confidence, d.line))
    return kept


def diagnose_lines(lines: list[Line], kb: KnowledgeBase) -> list[Diagnosis]:
    return merge(find_matches(lines, kb), kb)


def diagnose_text(text: bytes | str, kb: KnowledgeBase | None = None) -> list[Diagnosis]:
    """Public entry point: error output in, ordered diagnoses out."""
    from k8slint.diagnose.knowledge import load
    from k8slint.diagnose.normalise import normalise

    kb = kb or load()
    return diagnose_lines(normalise(text, kb.lines_worth_reading), kb)


def from_entry(entry: KnowledgeEntry, facts: dict, kb: KnowledgeBase, matched: str = "") -> Diagnosis:
    """A diagnosis for a condition found by inspection rather than by matching text (doctor)."""
    if entry.enrich:
        facts = enrich(entry.enrich, facts)
    return Diagnosis(entry, dict(facts), entry.confidence, matched, 0, [])
