"""Work per file stays bounded on hostile input: times of whole ``k8slint lint`` processes.

    python bench/bounded_work.py                 # every case
    python bench/bounded_work.py --documents 2000,4000,8000

Cases: one file of N documents with a cross-file finding in each (duplicate-object; placing the
findings must be linear in N), a 5-line compose file that includes itself four times (fan-out 4 ** 8
without memoising), a ``.env`` whose values double line after line (capped at 64 KiB), and a file
whose anchors are aliased in every document (findings and snippet sizes). Each case prints wall and
CPU seconds (the CPU of the process and its workers) and the findings reported.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint(*args: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, findings) of one ``k8slint lint -f json`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    ran = subprocess.run(
        [sys.executable, "-m", "k8slint", "lint", "--no-cache", "-f", "json", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, len(json.loads(ran.stdout)["findings"]) if ran.stdout.startswith("{") else -1


def duplicates(directory: Path, count: int) -> Path:
    doc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  selector:\n    app: x\n  ports:\n  - port: 80\n"
    path = directory / f"many-{count}.yaml"
    path.write_text("---\n".join([doc] * count))
    return path


def self_include(directory: Path) -> Path:
    project = directory / "include"
    project.mkdir()
    (project / "compose.yaml").write_text("include:\n" + "  - compose.yaml\n" * 4)
    return project


def doubling_env(directory: Path, lines: int = 40) -> Path:
    project = directory / "dotenv"
    project.mkdir()
    values = ["A0=xxxxxxxxxxxxxxxx"] + [f"A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, lines)]
    (project / ".env").write_text("\n".join(values) + "\n")
    (project / "compose.yaml").write_text(f"services:\n  web:\n    image: nginx:1.25\n    command: ${{A{lines - 1}}}\n")
    return project


def aliases(directory: Path, documents: int = 200) -> Path:
    containers = "".join(
        f"      - name: c{i}\n        image: nginx:latest\n        resources: {{limits: {{cpu: 'lots'}}}}\n"
        for i in range(40)
    )
    doc = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web{n}\nspec:\n"
        "  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata:\n      labels: {{app: web}}\n"
        "    spec:\n      containers: &c\n"
        + containers.replace("{", "{{").replace("}", "}}")
        + "      initContainers: *c\n"
    )
    path = directory / "aliases.yaml"
    path.write_text("---\n".join(doc.format(n=n) for n in range(documents)))
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", default="2000,4000,8000", help="sizes of the one-file duplicate case")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        directory = Path(temp)
        cases = [
            (f"{n} documents, a finding in each", duplicates(directory, int(n))) for n in args.documents.split(",")
        ]
        cases += [
            ("compose file including itself 4 times", self_include(directory)),
            (".env values doubling over 40 lines", doubling_env(directory)),
            ("anchors aliased in 200 documents", aliases(directory)),
        ]
        for name, path in cases:
            wall, cpu, findings = _lint(str(path))
            print(f"{name:42} {wall:7.2f} s wall {cpu:7.2f} s CPU {findings:7d} findings", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
