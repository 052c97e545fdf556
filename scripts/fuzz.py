"""Long fuzz runs: the properties of tests/fuzzing.py, for N minutes, with fresh random inputs each round.

    python scripts/fuzz.py --minutes 30 [--property text|fix|report ...]

CI runs the same properties on a small fixed budget (tests/test_fuzz.py). Here hypothesis explores freely; each
failure it finds is shrunk, printed, and saved under fixtures/fuzz/ (``text-<hash>.yaml`` / ``fix-<hash>.yaml``),
where tests/test_fuzz.py replays it on every run: commit the file with the fix. Exit 1 if anything failed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzzing import (  # noqa: E402  (tests/ is put on the path just above)
    REGRESSIONS,
    check_fix,
    check_report,
    check_text,
    hostile_strings,
    mutated_files,
    texts,
)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ROUND = {"deadline": None, "database": None, "suppress_health_check": list(HealthCheck), "print_blob": True}


def _save(kind: str, text: str, compose: bool = False) -> Path:
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    path = REGRESSIONS / f"{kind}-{'compose-' if compose else ''}{digest}.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


def _text_round(examples: int) -> None:
    last: list = []

    @settings(max_examples=examples, **ROUND)
    @given(texts(), st.booleans())
    def run(text, compose):
        last[:] = [text, compose]
        check_text(text, compose)

    try:
        run()
    except Exception:
        print("saved", _save("text", last[0], last[1]))  # hypothesis replays the shrunk example last
        raise


def _fix_round(examples: int) -> None:
    last: list = []

    @settings(max_examples=examples, **ROUND)
    @given(mutated_files())
    def run(mutated):
        last[:] = mutated
        check_fix(*mutated)

    try:
        run()
    except Exception:
        print("saved", _save("fix", last[1], last[0] == "compose.yaml"))
        raise


def _report_round(examples: int) -> None:
    @settings(max_examples=examples, **ROUND)
    @given(hostile_strings(), st.booleans(), st.sampled_from(["text", "github", "html", "junit", "sarif", "json"]))
    def run(value, in_file_name, format_name):
        file_name = (value.replace("/", "_").replace("\x00", "_")[:80] if in_file_name else "deploy") + ".yaml"
        check_report(value, file_name, format_name)

    run()  # a failure here is a reporter's escaping: the printed example is the regression test to write


ROUNDS = {"text": (_text_round, 300), "fix": (_fix_round, 60), "report": (_report_round, 60)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--property", action="append", choices=sorted(ROUNDS), help="default: all, in turn")
    args = parser.parse_args()
    names = args.property or sorted(ROUNDS)
    end = time.monotonic() + args.minutes * 60
    failures, rounds = 0, 0
    while time.monotonic() < end:
        name = names[rounds % len(names)]
        function, examples = ROUNDS[name]
        rounds += 1
        started = time.monotonic()
        try:
            function(examples)
            print(f"{name}: {examples} examples passed in {time.monotonic() - started:.0f}s", flush=True)
        except Exception:
            failures += 1
            traceback.print_exc()
    print(f"{rounds} rounds, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
