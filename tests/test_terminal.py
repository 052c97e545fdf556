"""The terminal experience of ``lint``: output shapes, summary, exit codes, colour and progress (a real pty)."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

from click.testing import CliRunner
from conftest import FIXTURES, ROOT, run_cli, run_subprocess

from k8slint.cli import cli

EXAMPLES = FIXTURES / "examples"
RC = EXAMPLES / "rc.yaml"
COMPOSE = EXAMPLES / "wordpress" / "docker-compose.yml"
ESCAPE = "\033["


def test_concise_keeps_the_problem_and_full_adds_source_help_and_fix():
    concise = run_cli("lint", "--output-format", "concise", RC, COMPOSE).stdout
    assert (
        f"{RC}:9:10: error selector-mismatch selector app=my-nginx does not match the template labels app=nginx\n"
        in (concise)
    )
    assert "make spec.selector" not in concise  # the hint waits for full or -v
    assert f"{COMPOSE}:1:10: warning compose-obsolete-version [*] the top-level version ('3') is obsolete" in concise
    assert concise.endswith("[*] 1 fixable with `k8slint fix`\n")
    assert run_cli("lint", "-f", "text", RC, COMPOSE).stdout == concise  # the old name keeps working
    assert "app=nginx; make spec.selector and spec.template.metadata.labels agree\n" in run_cli("lint", "-v", RC).stdout

    full = run_cli("lint", "--output-format", "full", RC, COMPOSE).stdout
    assert (
        " 8 |   selector:\n"
        " 9 |     app: my-nginx\n"
        "   |          ^^^^^^^^\n"
        "10 |   template:\n"
        "   |\n"
        "   = help: make spec.selector and spec.template.metadata.labels agree\n"
    ) in full
    assert '  = fix (`k8slint fix`):\n    @@ -1,2 +1 @@\n    -version: "3"\n     services:\n' in full


def test_concise_lines_are_short_on_the_examples():
    lines = [line for line in run_cli("lint", "quota.yaml", cwd=EXAMPLES).stdout.splitlines() if ": " in line]
    assert lines and max(len(line) for line in lines[:-1]) < 160
    assert all(";" not in line.split(" ", 3)[3].split("for: nginx-container")[-1] for line in lines[:-1])


def test_statistics_counts_per_rule_with_the_fixable_marker():
    out = run_cli("lint", "--statistics", "-q", "fixtures/examples", cwd=ROOT).stdout.splitlines()
    assert "1  compose-obsolete-version            [*]  warning" in out
    assert "1  selector-mismatch                        error" in out
    assert len(out) == 5


def test_quiet_prints_findings_without_summary_and_silent_nothing(tmp_path):
    quiet = run_cli("lint", "-q", RC)
    assert quiet.exit_code == 1 and quiet.stdout.startswith(f"{RC}:9:10: error") and "Found" not in quiet.stdout
    silent = run_cli("lint", "--silent", RC)
    assert (silent.exit_code, silent.stdout, silent.stderr) == (1, "", "")
    report = tmp_path / "r.json"
    assert run_cli("lint", "-s", "-f", "json", "-o", report, RC).exit_code == 1 and report.is_file()


def test_exit_zero():
    result = run_cli("lint", "--exit-zero", RC)
    assert result.exit_code == 0 and "Found 1 problem" in result.stdout
    assert run_cli("lint", "--exit-zero", "nowhere").exit_code == 2  # usage and I/O errors still count


def test_a_missing_path_never_reads_as_a_pass():
    result = run_cli("lint", "nowhere.yaml")
    assert result.exit_code == 2 and "All checks passed" not in result.stdout
    assert result.stdout == "Nothing checked: 1 path not found\n"
    partly = run_cli("lint", "nowhere.yaml", RC, "--ignore", "selector-mismatch")
    assert partly.exit_code == 2 and "All checks passed" not in partly.stdout
    assert "No problems found in what was checked (1 file, 1 document checked); 1 path not found" in partly.stdout


def test_colour_follows_no_color_force_color_and_the_flag():
    assert ESCAPE not in run_subprocess("lint", RC, env={"FORCE_COLOR": ""}).stdout  # a pipe: no colour
    assert ESCAPE in run_subprocess("lint", RC, env={"FORCE_COLOR": "1"}).stdout
    assert ESCAPE not in run_subprocess("lint", RC, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert ESCAPE in run_subprocess("lint", "--color", "always", RC, env={"NO_COLOR": "1"}).stdout
    assert ESCAPE not in run_subprocess("lint", "--no-color", RC, env={"FORCE_COLOR": "1"}).stdout
    assert ESCAPE not in run_subprocess("lint", "--color=never", RC, env={"FORCE_COLOR": "1"}).stdout
    assert ESCAPE not in run_subprocess("lint", "-f", "json", RC, env={"FORCE_COLOR": "1"}).stdout


def test_auto_format_is_github_inside_github_actions():
    inside = run_subprocess("lint", "--output-format", "auto", RC, env={"GITHUB_ACTIONS": "true"}).stdout
    assert inside.startswith("::error file=")
    outside = run_subprocess("lint", "-f", "auto", RC, env={"GITHUB_ACTIONS": ""}).stdout
    assert outside.startswith(f"{RC}:9:10: error selector-mismatch")


def _on_a_terminal(args, env, cwd):
    """Run ``k8slint ARGS`` with stdout and stderr on a pty; returns everything the terminal received."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "k8slint", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        cwd=cwd,
        env=env,
    )
    os.close(secondary)
    received = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            received += chunk
        elif process.poll() is not None:
            break
    process.wait(timeout=30)
    os.close(main)
    return process.returncode, received.decode("utf-8", "replace")


def _environment(**extra):
    env = {name: value for name, value in os.environ.items() if name not in ("CI", "NO_COLOR", "FORCE_COLOR")}
    return {**env, "TERM": "xterm", "K8SLINT_PROGRESS_AFTER": "0", **extra}


def test_progress_on_a_terminal_is_drawn_then_erased(tmp_path):
    for number in range(40):
        (tmp_path / f"cm{number:02}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{number}\ndata:\n  a: b\n"
        )
    code, screen = _on_a_terminal(["lint", "--jobs", "1", "."], _environment(), tmp_path)
    assert code == 0, screen
    assert re.search(r"\r\033\[Kk8slint: \d+/40 files", screen) and "k8slint: 40/40 files" in screen
    assert "\r\033[K" + "\033[1;32mAll checks passed" in screen  # erased before the report, which is coloured
    _, in_ci = _on_a_terminal(["lint", "--jobs", "1", "."], _environment(CI="true"), tmp_path)
    assert "files\r" not in in_ci and "/40 files" not in in_ci
    _, no_color = _on_a_terminal(["lint", "--jobs", "1", "."], _environment(NO_COLOR="1"), tmp_path)
    assert "All checks passed (40 files" in no_color and "\033[1" not in no_color


def test_no_progress_in_a_pipe(tmp_path):
    for number in range(20):
        (tmp_path / f"cm{number:02}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{number}\n"
        )
    result = run_subprocess("lint", "--jobs", "1", ".", cwd=tmp_path, env={"K8SLINT_PROGRESS_AFTER": "0"})
    assert result.returncode == 0 and result.stderr == "" and ESCAPE not in result.stdout


def test_diagnose_and_doctor_are_coloured_like_lint(tmp_path):
    error = 'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'
    coloured = run_cli("diagnose", "--color", "always", error)
    assert coloured.exit_code == 0 and "\033[1m" in coloured.stdout and "\033[36m" in coloured.stdout
    plain = run_subprocess("diagnose", error, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert plain.returncode == 0 and ESCAPE not in plain.stdout
    assert ESCAPE in run_subprocess("diagnose", error, env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert ESCAPE not in run_cli("diagnose", "--color", "always", "-f", "json", error).stdout

    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    (tmp_path / "root").mkdir()
    env = {"HOME": str(tmp_path), "PATH": str(empty_bin), "KUBECONFIG": None}
    doctor = CliRunner().invoke(cli, ["doctor", "--root", tmp_path / "root", "--color", "always"], env=env)
    assert doctor.exit_code == 1 and "\033[1;31mFAIL\033[0m  kubectl" in doctor.stdout
    plain_doctor = CliRunner().invoke(cli, ["doctor", "--root", tmp_path / "root", "--no-color"], env=env)
    assert "  FAIL  kubectl" in plain_doctor.stdout and ESCAPE not in plain_doctor.stdout
