"""Which word was meant: the choices a misspelt word is probably one of."""

from __future__ import annotations


def osa_distance(a: str, b: str) -> int:
    """Edit distance counting insertions, deletions, substitutions and adjacent swaps."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def closest(word: str, choices) -> list[str]:
    """Choices that ``word`` is probably a misspelling of, best first (case-insensitive)."""
    lower = word.lower()
    limit = 1 if len(word) < 5 else 2
    scored = sorted(
        (osa_distance(lower, choice.lower()), choice)
        for choice in set(choices)
        if choice != word and abs(len(choice) - len(word)) <= limit
    )
    return [choice for distance, choice in scored if distance <= limit]
