"""Check modules are imported only when a run needs them."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT


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
