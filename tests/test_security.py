"""Safe on a hostile repository: secrets in the environment, untrusted config, templates, output tricks."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, run_subprocess

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
