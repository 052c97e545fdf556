#!/usr/bin/env python3
"""Kill ``k8slint fix`` at random points and check that every file holds its old or its new bytes.

    python scripts/kill_during_fix.py --runs 20      # the acceptance check: 20 kills in a row, all clean
    python scripts/kill_during_fix.py --files 300 --seed 7

Each run writes ``--files`` small compose files (each with one safe fix: the obsolete ``version`` line),
starts ``k8slint fix`` on them, sends SIGKILL (odd runs: after a random delay within the time a whole fix
takes; even runs: just after the first file was replaced) and reads every file back: anything but the old
or the new bytes (truncated, empty, missing, mixed) fails.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OLD = b'version: "3.8"\nservices:\n  web:\n    image: nginx:1.25\n    ports:\n      - "80%d:80"\n'
NEW = b'services:\n  web:\n    image: nginx:1.25\n    ports:\n      - "80%d:80"\n'


def _tree(root: Path, count: int) -> list[Path]:
    paths = []
    for index in range(count):
        directory = root / f"p{index:04d}"
        directory.mkdir()
        path = directory / "compose.yaml"
        path.write_bytes(OLD % index)
        paths.append(path)
    return paths


def _fix(root: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    command = [sys.executable, "-m", "k8slint", "fix", "-q", "--select", "compose-obsolete-version", str(root)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def check(paths: list[Path]) -> tuple[int, int]:
    """(files with the old bytes, files with the new bytes); AssertionError for any other content."""
    old = new = 0
    for index, path in enumerate(paths):
        data = path.read_bytes() if path.exists() else None
        if data == OLD % index:
            old += 1
        elif data == NEW % index:
            new += 1
        else:
            raise AssertionError(f"{path} holds neither the old nor the new bytes: {data!r}")
    return old, new


def full_duration(files: int) -> float:
    """Seconds one uninterrupted fix of ``files`` files takes (and a check that it fixes them all)."""
    with tempfile.TemporaryDirectory() as temp:
        paths = _tree(Path(temp), files)
        start = time.monotonic()
        _fix(Path(temp)).wait()
        elapsed = time.monotonic() - start
        assert check(paths) == (0, files), "an uninterrupted fix must fix every file"
    return elapsed


def run_once(files: int, rng: random.Random, within: float) -> tuple[float, int, int]:
    """One killed fix: (delay before SIGKILL, old files, new files)."""
    with tempfile.TemporaryDirectory() as temp:
        paths = _tree(Path(temp), files)
        process = _fix(Path(temp))
        delay = rng.uniform(0.2 * within, within)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        old, new = check(paths)
    return delay, old, new


def kill_while_writing(files: int, rng: random.Random, timeout: float = 60) -> tuple[int, int]:
    """A fix killed right after it replaced its first file (plus up to 50 ms): (old files, new files)."""
    with tempfile.TemporaryDirectory() as temp:
        paths = _tree(Path(temp), files)
        before = {path.parent: path.stat().st_ino for path in paths}
        process = _fix(Path(temp))
        deadline = time.monotonic() + timeout
        while process.poll() is None and time.monotonic() < deadline:
            if any(path.stat().st_ino != before[path.parent] for path in paths if path.exists()):
                time.sleep(rng.uniform(0, 0.05))
                break
            time.sleep(0.005)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return check(paths)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--files", type=int, default=250)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    within = full_duration(args.files)
    print(f"an uninterrupted fix of {args.files} files takes {within:.1f} s")
    partial = 0
    for run in range(1, args.runs + 1):
        if run % 2:  # odd runs: a random moment (parsing, linting, fixing or writing)
            delay, old, new = run_once(args.files, rng, within)
            when = f"after {delay:5.2f} s"
        else:  # even runs: while it writes
            old, new = kill_while_writing(args.files, rng)
            when = "while writing"
        partial += 0 < old < args.files
        print(f"run {run:2d}: killed {when}: {new:3d} new, {old:3d} old, none torn", flush=True)
    print(f"{args.runs}/{args.runs} runs clean ({partial} killed in the middle of writing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
