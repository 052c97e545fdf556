"""``.gitignore`` patterns match what git itself says: random pattern files, judged by ``git check-ignore``."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from k8slint.gitignore import Patterns

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

DIRECTORIES = ["a", "b", "ab", "a/b", "a/a", "b/a", "ab/ba", "a/b/c", "a/b/c/a", "x.yaml", "c[1]", ".hidden"]
FILES = ["x.yaml", "a.yml", "ab", "a b", "b.yaml", "c[1]", ".env", "ba"]
FRAGMENTS = [
    "a", "b", "ab", ".yaml", "x", "c", "*", "*", "**", "?", "/", "/", "[ab]", "[!a]", "[^b]", "[a-c]", "[]a]",
    "[[:alpha:]]", "[[:digit:]]", "[z-a]", "\\*", "\\[", "[", "]", " ", "\\ ", ".", "-", "1",
]  # fmt: skip


def _tree(root):
    paths = []
    for directory in DIRECTORIES:
        (root / directory).mkdir(parents=True, exist_ok=True)
    for directory in ["", *DIRECTORIES]:
        if directory:
            paths.append((directory, True))
        for name in FILES:
            path = f"{directory}/{name}" if directory else name
            if not (root / path).exists():
                (root / path).write_text("")
                paths.append((path, False))
    return paths


def _pattern(rng: random.Random) -> str:
    text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 4)))
    return ("!" if rng.random() < 0.2 else "") + text + ("/" if rng.random() < 0.2 else "")


def _git_verdicts(repo, paths) -> dict[str, bool | None]:
    """Per path: True (ignored), False (re-included by a ``!`` pattern), None (no pattern matches)."""
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", "-v", "-n", "-z", "--stdin"],
        cwd=repo,
        input="\0".join(path for path, _ in paths) + "\0",
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    fields = done.stdout.split("\0")
    verdicts = {}
    for source, _line, pattern, path in zip(fields[0::4], fields[1::4], fields[2::4], fields[3::4], strict=False):
        verdicts[path] = None if not source else not pattern.startswith("!")
    return verdicts


def test_random_patterns_match_as_git_matches_them(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    paths = _tree(repo)
    rng = random.Random(20261204)
    compared = disagreements = 0
    for _ in range(150):
        lines = [_pattern(rng) for _ in range(rng.randint(1, 6))]
        (repo / ".gitignore").write_text("\n".join(lines) + "\n")
        git = _git_verdicts(repo, paths)
        ours = Patterns(lines)
        for path, is_dir in paths:
            parents = [path.rsplit("/", depth)[0] for depth in range(1, path.count("/") + 1)]
            if any(git[parent] for parent in parents):
                continue  # inside a directory git ignores: never walked, never asked
            compared += 1
            if ours.verdict(path, is_dir) != git[path]:
                disagreements += 1
                assert ours.verdict(path, is_dir) == git[path], (lines, path, is_dir)
    assert compared > 5000 and disagreements == 0


@pytest.mark.parametrize(
    ("lines", "path", "is_dir", "verdict"),
    [
        (["build/"], "build", True, True),
        (["build/"], "build", False, None),  # a file named like the directory pattern
        (["build/"], "src/build", True, True),  # no other slash: at any depth
        (["/build"], "src/build", True, None),  # a leading slash: from the file's directory only
        (["doc/*.md"], "doc/a/b.md", False, None),  # "*" stops at "/"
        (["doc/**/*.md"], "doc/a/b.md", False, True),
        (["**/logs"], "logs", True, True),
        (["logs/**"], "logs/a/b", False, True),
        (["*.yaml", "!keep.yaml"], "keep.yaml", False, False),  # the last match decides
        (["a\\ "], "a ", False, True),  # an escaped trailing space stays
        (["a  "], "a", False, True),  # other trailing spaces go
        (["\\#x", "\\!y"], "#x", False, True),
        (["[ab"], "[ab", False, None),  # an unclosed bracket matches nothing
        (["# comment", ""], "# comment", False, None),
    ],
)
def test_documented_cases(lines, path, is_dir, verdict):
    assert Patterns(lines).verdict(path, is_dir) is verdict
