"""Signals and pipes, on the real CLI in a subprocess: SIGINT/SIGTERM/SIGHUP end a run with 128+N, one line, no
traceback and no worker left running; a closed stdout ends quietly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES


def _tree(tmp_path, count=400):
    """Enough files that the pool starts and is busy for a while."""
    text = (FIXTURES / "examples" / "rc.yaml").read_text()
    for index in range(count):
        (tmp_path / f"m{index:04}.yaml").write_text(text * 20)
    return tmp_path


def _children(pid: int) -> list[int]:
    listed = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(child) for child in listed]


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_stop_signal_ends_the_run_and_its_workers(tmp_path, signum):
    proc = subprocess.Popen(
        [sys.executable, "-m", "k8slint", "lint", "--jobs", "2", _tree(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        workers = _children(proc.pid)
    assert len(workers) == 2, "the pool did not start"
    time.sleep(0.3)
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)  # Ctrl-C reaches the whole process group
    else:
        proc.send_signal(signum)  # kill / a closed terminal: only the main process
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    assert stderr == f"k8slint: stopped by {signal.Signals(signum).name}\n"
    time.sleep(0.2)
    assert not [worker for worker in workers if _running(worker)]


def test_closed_stdout_ends_quietly(tmp_path):
    _tree(tmp_path, 40)
    proc = subprocess.run(
        f"{sys.executable} -m k8slint lint --jobs 1 --format json {tmp_path} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout == "{\n"
    assert proc.stderr == ""
