"""Work per file stays bounded on hostile input: times of whole ``k8slint lint`` processes.

    python bench/bounded_work.py                 # every case
    python bench/bounded_work.py --documents 2000,4000,8000

Cases: one file of N documents with a cross-file finding in each (duplicate-object; placing the
findings must be linear in N), a 5-line compose file that includes itself four times (fan-out 4 ** 8
without memoising), a ``.env`` whose values double line after line (capped at 64 KiB), and a file
whose anchors are aliased in every document, and a 226 KB file whose one container, on a 20,000-character
line, is aliased 15,000 times (60,000 findings: the report shows a bounded number, with a note, and cuts
snippets; its JSON, SARIF and full text reports are timed). Each case prints wall and CPU seconds (the CPU
of the process and its workers), the findings reported and the size of the report.
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


def _lint(*args: str, format_name: str = "json") -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, findings (JSON only), bytes of the report) of one ``k8slint lint`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    ran = subprocess.run(
        [sys.executable, "-m", "k8slint", "lint", "--no-cache", "-f", format_name, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    findings = len(json.loads(ran.stdout)["findings"]) if format_name == "json" and ran.stdout.startswith("{") else -1
    return wall, cpu, findings, len(ran.stdout.encode())


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


def amplified(directory: Path, documents: int = 6, aliases: int = 2500) -> Path:
    long = "x" * 20000
    doc = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-N\nspec:\n  containers:\n"
        f"  - &c {{name: c, image: 'nginx:latest', env: [{{name: A, value: '{long}'}}], "
        "resources: {limits: {cpu: lots}}}\n" + "  - *c\n" * aliases
    )
    path = directory / "amplified.yaml"
    path.write_text("---\n".join(doc.replace("N", str(n)) for n in range(documents)))
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
        cases = [(name, path, "json") for name, path in cases]
        cases += [(f"a 226 KB file, 60k findings ({f})", amplified(directory), f) for f in ("json", "sarif", "full")]
        for name, path, format_name in cases:
            wall, cpu, findings, size = _lint(str(path), format_name=format_name)
            shown = f"{findings:7d} findings" if findings >= 0 else " " * 16
            print(f"{name:42} {wall:7.2f} s wall {cpu:7.2f} s CPU {shown} {size / 1e6:8.2f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
