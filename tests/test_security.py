"""Safe on a hostile repository: secrets in the environment, untrusted config, templates, output tricks."""

from __future__ import annotations

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
