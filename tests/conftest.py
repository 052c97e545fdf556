"""Shared test helpers: run the real CLI in-process (click) or as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from k8slint.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "fixtures"
# a Deployment and the Service in front of it (LABEL: the pod label, TAG: the image tag)
WEB_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: LABEL}
    spec:
      containers:
        - name: web
          image: nginx:TAG
"""
WEB_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: LABEL}
  ports:
    - port: 80
      targetPort: 8080
"""
# a custom resource and its CRD (TYPE: the type of spec.size), for tests of cross-file and cache behaviour
WIDGET = """\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: 3
"""
WIDGET_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: TYPE}
"""

# every run of the suite (and the CLI processes it starts) caches into a fresh folder, never the user's own
os.environ["K8SLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="k8slint-test-cache-")


def run_cli(*args, input=None, cwd=None):
    """Invoke ``k8slint`` through click's runner; returns the click Result."""
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
    finally:
        os.chdir(old)


def lint_json(*args, cwd=None):
    """``k8slint lint --format json ARGS``: returns (exit code, parsed report)."""
    result = run_cli("lint", "--format", "json", "--jobs", "1", *args, cwd=cwd)
    return result.exit_code, json.loads(result.stdout)


def run_subprocess(*args, cwd=None, input=None, env=None):
    """``python -m k8slint ARGS`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "k8slint", *map(str, args)],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def shared():
    if not SHARED.is_dir():  # CI must not pass by skipping the corpus tests
        pytest.fail(f"../shared (corpora and reference data) is missing: expected it at {SHARED}")
    return SHARED
