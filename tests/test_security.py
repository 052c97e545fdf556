"""Safe on a hostile repository: secrets in the environment, untrusted config, templates, output tricks."""

from __future__ import annotations

import os
import stat

import pytest
from conftest import FIXTURES, ROOT, run_subprocess

from k8slint.report import FORMATS

TOKEN = "ghp_FAKEtoken1234567890abcdefSECRET"
SECURITY = FIXTURES / "security"


@pytest.mark.parametrize("format_name", sorted(FORMATS))
@pytest.mark.parametrize("flags", [(), ("--env-from-process",)])
def test_a_token_in_the_environment_never_appears_in_a_report(format_name, flags):
    result = run_subprocess(
        "lint", "-f", format_name, *flags, SECURITY / "token", env={"GITHUB_TOKEN": TOKEN, "NO_COLOR": "1"}
    )
    assert result.returncode in (0, 1), result.stderr
    assert TOKEN not in result.stdout + result.stderr
    if flags:  # the values were used for checking: the findings show where they came from
        assert "${GITHUB_TOKEN}" in result.stdout
        assert "compose-invalid-port" in result.stdout


def test_by_default_process_variables_count_as_set_but_their_values_are_not_checked():
    result = run_subprocess("lint", "-f", "json", SECURITY / "token", env={"GITHUB_TOKEN": TOKEN})
    assert result.returncode == 0, result.stdout
    assert '"findings": []' in result.stdout


def test_an_env_file_outside_the_project_is_not_read(tmp_path):
    outside = tmp_path / "secret.env"
    outside.write_text(f"LEAK={TOKEN}\n")
    project = tmp_path / "repo"
    project.mkdir()
    (project / ".env").symlink_to(outside)
    (project / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.25\n    mem_limit: ${LEAK}\n")
    result = run_subprocess("lint", "-f", "json", project, cwd=project)
    assert TOKEN not in result.stdout
    assert "compose-undefined-variable" in result.stdout  # LEAK stays unset: the file was not read
    explicit = run_subprocess("lint", "-f", "json", "--env-file", outside, project, cwd=project)
    assert "compose-invalid-byte-size" in explicit.stdout  # asked for on the command line: read (and checked)


def test_a_knowledge_base_template_cannot_run_code(tmp_path):
    result = run_subprocess("diagnose", "--kb", SECURITY / "kb", "PAYLOAD-MARKER abc", cwd=tmp_path)
    assert result.returncode == 2
    assert "refused by the sandbox" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "k8slint-pwned").exists()


def test_every_jinja_environment_is_sandboxed():
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from k8slint.diagnose.render import template_env

    assert isinstance(template_env(), ImmutableSandboxedEnvironment)
    source = (ROOT / "k8slint" / "report" / "html.py").read_text()
    assert "ImmutableSandboxedEnvironment(" in source and "jinja2.Environment(" not in source


@pytest.mark.parametrize("format_name", ["concise", "full", "github", "markdown", "junit", "html"])
def test_control_characters_from_a_file_are_shown_escaped(format_name, tmp_path):
    named = tmp_path / "evil\x1b[31m\rname\n::error file=forged::x.yaml"
    named.write_bytes((SECURITY / "inject.yaml").read_bytes())
    result = run_subprocess("lint", "-f", format_name, SECURITY / "inject.yaml", named)
    assert result.returncode == 1, result.stderr
    for unsafe in ("\x1b", "\r", "\x07", "\u202e"):
        assert unsafe not in result.stdout, (format_name, unsafe)
    assert not [line for line in result.stdout.splitlines() if line.lstrip().startswith("::error file=forged")]
    assert "\\x1b" in result.stdout  # shown, not dropped


def test_escape_names_the_usual_controls():
    from k8slint.escaping import escape

    assert escape("a\x1b[2Jb\rc\nd\te\x07\x9b\u202e") == "a\\x1b[2Jb\\rc\\nd\te\\x07\\x9b\\u202e"


def _repository(tmp_path, config: str):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".k8slint.yaml").write_text(config)
    (repo / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: v\n")
    return repo


@pytest.mark.parametrize(
    "config",
    [
        "context: [/]\n",
        "api-resources: /etc/shadow\n",
        "api-resources: ../../etc/passwd\n",
        "env-file: ../secret.env\n",
        "crds: [/etc]\n",
        "compose-files: [../../other/compose.yaml]\n",
        "env-from-process: true\n",
        "kustomize: true\n",
        "helm: chart\n",
        "helm-values: [values.yaml]\n",
    ],
)
def test_a_repository_config_cannot_reach_outside_the_repository(tmp_path, config):
    repo = _repository(tmp_path, config)
    result = run_subprocess("lint", ".", cwd=repo)
    assert result.returncode == 2, result.stdout
    assert any(
        reason in result.stderr for reason in ("outside the repository", "unknown config key", "only the command line")
    )
    assert "root:" not in result.stderr  # nothing of /etc/passwd or /etc/shadow is echoed


def test_a_repository_config_runs_no_renderer_and_fetches_no_remote_base(tmp_path):
    # stand-ins for kustomize, kubectl and helm: each leaves a mark when anything runs it
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("kustomize", "kubectl", "helm"):
        (bin_dir / name).write_text(f"#!/bin/sh\ntouch {tmp_path}/ran-{name}\n")
        (bin_dir / name).chmod(0o755)
    repo = _repository(tmp_path, "kustomize: true\n")
    (repo / "kustomization.yaml").write_text("resources:\n  - https://github.com/example/evil//base?ref=main\n")
    path = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = run_subprocess("lint", ".", cwd=repo, env=path)
    assert result.returncode == 2 and "pass --kustomize" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    (repo / ".k8slint.yaml").write_text("helm: .\n")
    assert "pass --helm CHART" in run_subprocess("lint", ".", cwd=repo, env=path).stderr
    assert not list(tmp_path.glob("ran-*"))
    (repo / ".k8slint.yaml").unlink()
    run_subprocess("lint", "--kustomize", ".", cwd=repo, env=path)  # the command line still may
    assert list(tmp_path.glob("ran-kustomize"))


def test_a_symlink_out_of_the_repository_is_outside_too(tmp_path):
    repo = _repository(tmp_path, "api-resources: resources.txt\n")
    (repo / "resources.txt").symlink_to("/etc/passwd")
    result = run_subprocess("lint", ".", cwd=repo)
    assert result.returncode == 2 and "outside the repository" in result.stderr


def test_a_repository_config_cannot_start_more_workers_than_cpus(tmp_path):
    from k8slint.config import Settings
    from k8slint.pool import usable_cpus, worker_count

    assert worker_count(Settings(jobs=100000)) == usable_cpus()
    repo = _repository(tmp_path, "jobs: 100000\n")
    for index in range(20):
        (repo / f"cm{index}.yaml").write_text((repo / "cm.yaml").read_text().replace("name: cm", f"name: cm{index}"))
    result = run_subprocess("lint", ".", cwd=repo)
    assert result.returncode == 0, result.stderr


def test_an_unreadable_api_resources_line_is_quoted_short_and_escaped(tmp_path):
    resources = tmp_path / "resources.txt"
    resources.write_text("secret-value-" + "x" * 200 + "\x1b[2J\n")
    result = run_subprocess("lint", "--api-resources", resources, SECURITY / "inject.yaml")
    assert result.returncode == 2
    assert "secret-value-" in result.stderr and "x" * 100 not in result.stderr and "\x1b" not in result.stderr


def _kill_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("kill_during_fix", ROOT / "scripts" / "kill_during_fix.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fix_killed_while_writing_leaves_every_file_old_or_new():
    """Two kills in CI; ``scripts/kill_during_fix.py --runs 20`` is the long check (random kill points)."""
    import random

    script = _kill_script()
    rng = random.Random(23)
    for _ in range(2):
        old, new = script.kill_while_writing(200, rng)  # raises on a torn, empty or missing file
        assert old + new == 200


RC = FIXTURES / "examples" / "rc.yaml"


def test_output_onto_a_symlink_is_refused_and_its_target_kept(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("keep me\n")
    (tmp_path / "link.txt").symlink_to(target)
    result = run_subprocess("lint", "-o", tmp_path / "link.txt", RC)
    assert result.returncode == 2 and "symbolic link" in result.stderr
    assert (tmp_path / "link.txt").is_symlink() and target.read_text() == "keep me\n"


def test_output_into_a_fifo_is_written_directly(tmp_path):
    import threading

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    result = run_subprocess("lint", "-f", "json", "-o", fifo, RC)
    reader.join(timeout=60)
    assert result.returncode == 1, result.stderr
    assert '"selector-mismatch"' in received[0]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not replaced by a regular file


def test_a_new_output_file_gets_the_default_mode_and_an_old_one_keeps_its_own(tmp_path):
    old = os.umask(0o022)
    try:
        run_subprocess("lint", "-o", tmp_path / "new.txt", RC)
        (tmp_path / "mine.txt").write_text("")
        os.chmod(tmp_path / "mine.txt", 0o600)
        run_subprocess("lint", "-o", tmp_path / "mine.txt", RC)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == 0o644
    assert stat.S_IMODE(os.stat(tmp_path / "mine.txt").st_mode) == 0o600


def _fixable(path):
    path.write_text('version: "3"\nservices:\n  web:\n    image: nginx:1.25\n')


def test_fix_refuses_a_file_with_several_hard_links_unless_forced(tmp_path):
    _fixable(tmp_path / "compose.yaml")
    os.link(tmp_path / "compose.yaml", tmp_path / "other-name.txt")
    result = run_subprocess("fix", tmp_path / "compose.yaml")
    assert "hard links" in result.stderr
    assert (tmp_path / "compose.yaml").read_text().startswith("version")
    run_subprocess("fix", "--force", tmp_path / "compose.yaml")
    assert not (tmp_path / "compose.yaml").read_text().startswith("version")
    assert (tmp_path / "other-name.txt").read_text().startswith("version")  # the other name keeps the old text


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_fix_keeps_the_owner_and_group_of_a_file(tmp_path):
    _fixable(tmp_path / "compose.yaml")
    os.chown(tmp_path / "compose.yaml", 1234, 5678)
    os.chmod(tmp_path / "compose.yaml", 0o640)
    result = run_subprocess("fix", tmp_path / "compose.yaml")
    assert result.returncode == 0, result.stderr
    status = os.stat(tmp_path / "compose.yaml")
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (1234, 5678, 0o640)
    assert not (tmp_path / "compose.yaml").read_text().startswith("version")


def test_fix_leaves_a_file_alone_that_changed_while_it_was_fixing(tmp_path, monkeypatch):
    from k8slint import files

    path = tmp_path / "compose.yaml"
    _fixable(path)
    original = files._current_bytes

    def edited_meanwhile(name):
        path.write_text("# edited by someone else\n")
        return original(name)

    monkeypatch.setattr(files, "_current_bytes", edited_meanwhile)
    from conftest import run_cli

    result = run_cli("fix", path)
    assert "changed on disk while fixing" in result.stderr
    assert path.read_text() == "# edited by someone else\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_doctor_never_runs_a_kubectl_from_a_relative_path_entry(tmp_path):
    marker = tmp_path / "pwned"
    for directory in (tmp_path, tmp_path / "bin"):
        directory.mkdir(exist_ok=True)
        fake = directory / "kubectl"
        fake.write_text(f"#!/bin/sh\ntouch {marker}\n")
        fake.chmod(0o755)
    env = {"PATH": os.pathsep.join([".", "bin", "", "/nonexistent"]), "HOME": str(tmp_path), "KUBECONFIG": ""}
    result = run_subprocess("doctor", "-f", "json", "--root", tmp_path / "bin", cwd=tmp_path, env=env)
    assert not marker.exists()
    assert "kubectl not found on PATH" in result.stdout
