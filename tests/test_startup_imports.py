"""A small lint stays light: no templates, renderers, round-trip YAML or schema libraries it does not use."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

PROBE = """
import json, sys
from k8slint.cli import cli
try:
    cli(sys.argv[1:], prog_name="k8slint")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""
NEVER_FOR_LINT = {
    "jinja2",
    "markupsafe",
    "ruamel.yaml",
    "k8slint.baseline",
    "k8slint.commands.report",
    "k8slint.report.overview",
    "k8slint.report.sarif",
    "k8slint.report.junit",
    "k8slint.report.github",
    "k8slint.report.markdown",
    "k8slint.report.html",
    "pygls",  # the language server's libraries: only `k8slint server` loads them
    "lsprotocol",
    "k8slint.server",
}
SCHEMA_LIBRARIES = {"jsonschema", "jsonschema_rs"}


def _modules_after(tmp_path, *args) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert run.stdout and "Traceback" not in run.stderr, run.stdout + run.stderr
    return set(json.loads(run.stderr.strip().splitlines()[-1]))


def test_small_lint_imports_no_reporting_machinery(tmp_path):
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: small\n")
    loaded = _modules_after(tmp_path, "lint", "cm.yaml")
    assert "k8slint.engine" in loaded
    assert not loaded & NEVER_FOR_LINT
    assert "concurrent.futures.process" not in loaded  # one file: no process pool


def test_no_kinds_no_schemas(tmp_path):
    (tmp_path / "other.yaml").write_text("name: not a manifest\nsteps: [a, b]\n")
    loaded = _modules_after(tmp_path, "lint", "other.yaml")
    assert not loaded & (NEVER_FOR_LINT | SCHEMA_LIBRARIES)


def test_sarif_needs_no_templates(tmp_path):
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad\n")
    loaded = _modules_after(tmp_path, "lint", "--format", "sarif", "cm.yaml")
    assert "k8slint.report.sarif" in loaded
    assert not loaded & {"jinja2", "markupsafe", "k8slint.report.html"}
