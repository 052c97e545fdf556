"""Check modules are imported only when a run needs them, and the lazy table agrees with the real registrations."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys

from conftest import ROOT

import k8slint.checks
from k8slint.registry import _CHECKS, declared_checks


def test_declared_checks_match_the_registered_ones():
    for info in pkgutil.iter_modules(k8slint.checks.__path__):
        importlib.import_module(f"k8slint.checks.{info.name}")
    registered = {rule_id: (fn.__module__, scope) for rule_id, (scope, fn) in _CHECKS.items()}
    # a mismatch means a check is registered in a form the source scan misses: use @rule("id") or @rule("id", scope="...")
    assert declared_checks() == registered


def test_a_configmap_run_does_not_import_the_selector_checks(tmp_path):
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n")
    code = (
        "import sys; from k8slint.engine import lint_paths; lint_paths(['cm.yaml']); "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('k8slint.checks.'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    imported = done.stdout.split()
    assert "k8slint.checks.meta" in imported  # duplicate-object looks across all objects
    assert "k8slint.checks.selectors" not in imported
