"""The pre-commit hooks, run by the real ``pre-commit try-repo`` against this repository."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess

import pytest
from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.network
GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n"
BAD_COMPOSE = "services:\n  web:\n    image: nginx:1.27\n    image: nginx:1.28\n"


@pytest.fixture(scope="module")
def try_repo(tmp_path_factory):
    """Run ``pre-commit try-repo <this repo> HOOK --files ...`` in a fresh git repository."""
    if shutil.which("pre-commit") is None or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed")
    if not (ROOT / ".git").exists():
        pytest.skip("the k8slint sources are not a git checkout; try-repo needs one")
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError:
        pytest.skip("PyPI is unreachable; pre-commit needs it to install the hook's environment")
    work = tmp_path_factory.mktemp("precommit")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(work / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
    }
    env.pop("PYTHONPATH", None)  # the hook must run from its own installed environment
    repo = work / "repo"
    repo.mkdir()
    shutil.copy(FIXTURES / "reports" / "web.yaml", repo / "bad.yaml")
    (repo / "good.yaml").write_text(GOOD)
    (repo / "compose.yaml").write_text(BAD_COMPOSE)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)

    def run(hook, *files):
        return subprocess.run(
            ["pre-commit", "try-repo", str(ROOT), hook, "--files", *files],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    return run


def test_hook_fails_on_a_bad_manifest(try_repo):
    result = try_repo("k8slint", "bad.yaml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "k8slint....." in result.stdout and "Failed" in result.stdout
    assert "bad.yaml:11:12: error selector-mismatch selector app=web-frontend" in result.stdout


def test_hook_passes_on_a_good_manifest(try_repo):
    result = try_repo("k8slint", "good.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_compose_hook_sees_only_compose_files(try_repo):
    result = try_repo("k8slint-compose", "bad.yaml", "compose.yaml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "compose.yaml:4:5: error yaml-duplicate-key" in result.stdout
    assert "bad.yaml" not in result.stdout.split("hook id: k8slint-compose")[1]
