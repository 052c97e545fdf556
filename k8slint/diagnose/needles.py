"""What a pattern needs literally, and whether it can backtrack badly.

Matching a 10 MB paste line by line against hundreds of regexes is slow, so
each pattern is reduced to *needles*: literal strings of which every match must
contain at least one.  A line is only handed to a pattern when it contains one
of its needles (a plain substring search over the whole paste).

The same walk over the parsed pattern finds shapes that backtrack
catastrophically (a repeat inside a repeat) so a knowledge-base entry with one
is refused when it loads.
"""

from __future__ import annotations

import re
from bisect import bisect_right

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

MIN_NEEDLE = 3
REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    good = [c for c in candidates if c and min(map(len, c)) >= MIN_NEEDLE]
    return max(good, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _sequence(items) -> frozenset[str] | None:
    """The best needle set of a sequence of parsed items (None: no useful literal)."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is C.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            candidates.append(frozenset(["".join(run)]))
            run = []
        if op is C.SUBPATTERN:
            group_flags = arg[1] | arg[2] if len(arg) == 4 else 0
            if not group_flags & re.IGNORECASE:
                found = _sequence(arg[-1])
                if found:
                    candidates.append(found)
        elif op is C.BRANCH:
            alternatives = [_sequence(alt) for alt in arg[1]]
            if all(alternatives):
                candidates.append(frozenset().union(*alternatives))
        elif op in REPEATS and arg[0] >= 1:
            found = _sequence(arg[2])
            if found:
                candidates.append(found)
        elif op is C.ATOMIC_GROUP if hasattr(C, "ATOMIC_GROUP") else False:
            found = _sequence(arg)
            if found:
                candidates.append(found)
    if run:
        candidates.append(frozenset(["".join(run)]))
    return _best(candidates)


def needles(regex: re.Pattern) -> tuple[frozenset[str] | None, bool]:
    """(needles, ignore_case): literals one of which every match contains; None if there is none."""
    parsed = P.parse(regex.pattern, regex.flags)
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    found = _sequence(list(parsed))
    if found and ignore_case:
        found = frozenset(n.lower() for n in found)
    return found, ignore_case


def _unbounded(op, arg) -> bool:
    return op in REPEATS and arg[1] == C.MAXREPEAT


def _contains_unbounded(items) -> bool:
    for op, arg in items:
        if _unbounded(op, arg):
            return True
        for sub in _children(op, arg):
            if _contains_unbounded(sub):
                return True
    return False


def _children(op, arg) -> list:
    if op is C.SUBPATTERN:
        return [arg[-1]]
    if op is C.BRANCH:
        return list(arg[1])
    if op in REPEATS:
        return [arg[2]]
    if op in (C.ASSERT, C.ASSERT_NOT):
        return [arg[1]]
    if hasattr(C, "ATOMIC_GROUP") and op is C.ATOMIC_GROUP:
        return [arg]
    return []


def _delimited(body) -> bool:
    """A repeated body that starts with a literal or a plain character set cannot
    re-split the same text between iterations (``(?: -> [\\w.-]+)+``)."""
    items = list(body)
    while items and items[0][0] is C.SUBPATTERN:
        items = list(items[0][1][-1])
    return bool(items) and items[0][0] in (C.LITERAL, C.IN)


def _nested(items) -> bool:
    for op, arg in items:
        if op in REPEATS and arg[1] > 1 and _contains_unbounded(arg[2]) and not _delimited(arg[2]):
            return True
        for sub in _children(op, arg):
            if _nested(sub):
                return True
    return False


def backtracking_risk(regex: re.Pattern) -> str | None:
    """Why the pattern may take exponential time, or None."""
    parsed = P.parse(regex.pattern, regex.flags)
    if _nested(list(parsed)):
        return "an unbounded repeat inside another repeat can backtrack exponentially; flatten it"
    return None


class NeedleIndex:
    """Which texts contain which of many literals, found in one pass over each.

    An Aho-Corasick automaton reads a text once whatever the number of
    needles, so a 10 MB paste costs the same with 100 or 1,000 patterns.
    Needles of case-insensitive patterns are searched in the lower-cased text.
    Each needle carries the payloads (patterns) that need it.
    """

    def __init__(self, exact: dict[str, list], folded: dict[str, list]):
        self._automata = [(_automaton(words), fold) for words, fold in ((exact, False), (folded, True)) if words]

    def lines_with_any(self, lines: list[str]) -> set[int]:
        """Indexes of the lines holding at least one needle."""
        distinct = list(dict.fromkeys(lines))  # logs repeat lines: search each distinct one once
        hit = {distinct[i] for i in self._texts_with_any(distinct)}
        return {i for i, line in enumerate(lines) if line in hit}

    def _texts_with_any(self, texts: list[str]) -> set[int]:
        found: set[int] = set()
        for automaton, fold in self._automata:
            hay = [text.lower() for text in texts] if fold else texts  # lower() may change a text's length
            starts, offset = [], 0
            for text in hay:
                starts.append(offset)
                offset += len(text) + 1
            for end, _ in automaton.iter("\n".join(hay)):
                found.add(bisect_right(starts, end) - 1)
        return found

    def payloads(self, text: str) -> set:
        """The payloads of every needle found in one text."""
        found: set = set()
        for automaton, fold in self._automata:
            for _, payloads in automaton.iter(text.lower() if fold else text):
                found.update(payloads)
        return found


def _automaton(words: dict[str, list]):
    import ahocorasick  # only diagnose needs it

    automaton = ahocorasick.Automaton()
    for word, payloads in words.items():
        automaton.add_word(word, tuple(payloads))
    automaton.make_automaton()
    return automaton
