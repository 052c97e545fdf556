"""Shell completion, through bash itself: file paths still complete, rule ids after --select/--ignore/explain."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, run_subprocess

BIN = Path(sys.executable).parent  # where the k8slint entry point is installed


def _bash_complete(words: list[str], cwd) -> list[str]:
    """COMPREPLY for ``words`` (the last one incomplete), with the script `k8slint completion bash` prints."""
    if shutil.which("bash") is None or not (BIN / "k8slint").exists():
        pytest.fail("bash and an installed k8slint entry point are needed")
    script = run_cli("completion", "bash").stdout
    line = " ".join(words)
    program = f"""{script}
COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}
_k8slint_completion k8slint
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    done = subprocess.run(
        ["bash", "-c", program],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [item for item in done.stdout.splitlines() if item]


def test_rule_ids_complete_after_explain_select_and_ignore(tmp_path):
    assert _bash_complete(["k8slint", "explain", "selector-mism"], tmp_path) == ["selector-mismatch"]
    assert _bash_complete(["k8slint", "explain", "selector-mi"], tmp_path) == ["selector-mismatch", "selector-missing"]
    assert "selectors" in _bash_complete(["k8slint", "lint", "--select", "sel"], tmp_path)
    after_comma = _bash_complete(["k8slint", "lint", "--ignore", "image-tag,probe-ident"], tmp_path)
    assert after_comma == ["image-tag,probe-identical-liveness-readiness"]


def test_file_paths_still_complete(tmp_path):
    # for a path, k8slint answers "file" and the script hands over to the shell's own file-name completion
    for command in ("lint", "fix", "report"):
        answer = run_subprocess(
            env={"_K8SLINT_COMPLETE": "bash_complete", "COMP_WORDS": f"k8slint {command} dep", "COMP_CWORD": "2"}
        )
        assert answer.stdout.splitlines() == ["file,dep"], command
    assert "compopt -o default" in run_cli("completion", "bash").stdout
    assert _bash_complete(["k8slint", "lint", "dep"], tmp_path) == []  # nothing of ours in the way


def test_scripts_for_zsh_and_fish_and_a_bad_shell():
    assert "_K8SLINT_COMPLETE=zsh_complete" in run_cli("completion", "zsh").stdout
    assert "_K8SLINT_COMPLETE=fish_complete" in run_cli("completion", "fish").stdout
    zsh = run_subprocess(
        "explain", env={"_K8SLINT_COMPLETE": "zsh_complete", "COMP_WORDS": "k8slint explain image-t", "COMP_CWORD": "2"}
    )
    assert zsh.stdout.splitlines()[:2] == ["plain", "image-tag"]
    assert run_cli("completion", "tcsh").exit_code == 2
