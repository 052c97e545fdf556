#!/usr/bin/env python3
"""Benchmark k8slint against a bare PyYAML parse of the same files.

    python bench/run.py                  # 1x and 10x corpora, 5 A/B pairs each
    python bench/run.py --quick          # 3 pairs, 1x only
    python bench/run.py --json           # machine-readable results

The "large file" case lints the 1x corpus' Kubernetes documents concatenated
into one multi-MB file: the same documents as the corpus, so its documents per
CPU-second should equal the corpus' (cost per document independent of file
size). The corpus run it is compared with is timed in the same rounds
(A B C A B C ...), so the ratio measures k8slint, not the machine's drift
between two cases. The 10x corpus is timed the same way beside the 1x one: its
growth is the ratio of their medians, taken in the same rounds. A real CRD
bundle (the CRDs of ../shared/corpus/realworld, several MB of few, very large
documents) is timed beside it against the yardstick.

A "warm" case repeats one command over unchanged files: after its warm-up run it
is answered from that run's record (``k8slint.replay``), checked file by file.

Every case times whole processes in alternating runs (A B A B ...) and reports
medians: A is k8slint, B is a yardstick. Corpora are generated once by
``../shared/bench/gen_corpus.py`` into ``bench/out/`` and reused. Recall is
measured on the generator's ``ground-truth.tsv``: an injected defect counts as
found when k8slint reports its rule at the recorded file and line.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pathlib
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"
BASE_FILES = 2000  # the generator's default: about 10,000 documents
LARGE_FILE_BYTES = 6_000_000  # the large-file case: this much of the corpus in one file (under the 10 MB default limit)
REALWORLD = REPO.parent / "shared" / "corpus" / "realworld"  # its CRDs make the CRD bundle case

# ground-truth defect class -> the k8slint rule that must report it
DEFECT_RULES = {
    "selector_mismatch": "selector-mismatch",
    "missing_resources": "resources-missing",
    "liveness_success_threshold": "probe-liveness-success-threshold",
    "invalid_quantity": "invalid-quantity",
    "kind_typo": "unknown-kind",
    "removed_api_version": "api-removed",
    "compose_obsolete_version": "compose-obsolete-version",
    "compose_undefined_network": "compose-undefined-reference",
}

# B for the corpus cases: PyYAML's C loader over the files k8slint reads
YARDSTICK = """
import os, sys, yaml
def files(arg):
    if not os.path.isdir(arg):
        yield arg
        return
    for root, dirs, names in os.walk(arg):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from (os.path.join(root, n) for n in sorted(names) if n.endswith((".yaml", ".yml")))
count = 0
for arg in sys.argv[1:]:
    for path in files(arg):
        with open(path, "rb") as handle:
            count += sum(1 for _ in yaml.load_all(handle.read(), Loader=yaml.CSafeLoader))
print(count)
"""

# Runs one command and prints [wall s, CPU s, peak RSS KB, exit code] as the last line of stderr.
# A launcher of its own, not subprocess from this (larger) process: Linux keeps a
# process's RSS high-water mark across exec, so a child forked from here would
# report at least this process's size. CPU and RSS include reaped workers (wait4).
LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]), file=sys.stderr)
"""

# the targets (issues 9 and 22), as (case, metric, limit); "cold" runs pass --no-cache, "warm" ones reuse a cache
# that the warm-up run filled with the same files
TARGETS = (
    ("full 1x", "ratio", 1.2),
    ("full 1x", "a_rss_mb", 200),
    ("full 1x warm", "ratio", 0.3),
    ("full 10x", "linear", 10.2),
    ("full 10x", "a_rss_mb", 1024),
    ("large file", "cpu_per_doc_vs_corpus", 1.0),
    ("pre-commit warm", "a_wall", 0.3),
    ("pre-commit edited", "a_wall", 0.3),
    ("one file warm", "ratio", 1.5),
)


@dataclass
class Run:
    """One whole-process run: wall and CPU seconds, peak RSS of its largest process."""

    wall: float
    cpu: float
    rss_mb: float
    code: int


@dataclass
class Case:
    """Medians of the A and B runs of one case."""

    name: str
    documents: int
    a_wall: float
    b_wall: float
    a_cpu: float
    a_rss_mb: float
    b_rss_mb: float
    pairs: int
    a_codes: list[int] = field(default_factory=list)
    corpus_cpu_per_doc: float | None = None  # the 1x corpus' CPU per document, timed in the same rounds
    corpus_wall: float | None = None  # the 1x corpus' wall time, timed in the same rounds

    @property
    def ratio(self) -> float:
        return self.a_wall / self.b_wall

    def row(self) -> dict:
        return {
            **asdict(self),
            "ratio": round(self.ratio, 3),
            "docs_per_s": round(self.documents / self.a_wall),
            "docs_per_cpu_s": round(self.documents / self.a_cpu),
        }


def main(argv=None) -> int:
    args = parse_args(argv)
    cache = Path(args.cache).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # time k8slint as installed: bytecode cached (the warm-up run writes it)
    bench = Bench(shlex.split(args.lint_args), env, cache, args.pairs, quiet=args.json)
    report = {"machine": machine(), "lint_command": " ".join(bench.lint[1:]), "cases": [], "recall": None}
    scales = [1] if args.quick else args.scale
    first = None  # the first scale's corpus: every larger one is timed beside it
    for scale in scales:
        corpus = bench.corpus(args.files * scale, args.generator)
        report["cases"].append(bench.full(f"full {scale}x", corpus, beside=first).row())
        first = first or corpus
        if scale == scales[0]:
            report["cases"].append(bench.full(f"full {scale}x warm", corpus, warm=True).row())
            report["recall"] = bench.recall(corpus)
            report["cases"].append(bench.pre_commit(corpus).row())
            report["cases"].append(bench.pre_commit(corpus, warm=True).row())
            report["cases"].append(bench.pre_commit(corpus, edited=True).row())
            report["cases"].append(bench.large_file(corpus).row())
            crds = bench.crd_bundle()
            if crds is not None:
                report["cases"].append(bench.full("CRD bundle", crds).row())
    report["cases"].append(bench.one_file().row())
    report["cases"].append(bench.one_file(warm=True).row())
    report["targets"] = judge(report)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[1, 10],
        help="corpus sizes as multiples of --files (default 1,10)",
    )
    parser.add_argument(
        "--files", type=int, default=BASE_FILES, help=f"Kubernetes files in the 1x corpus (default {BASE_FILES})"
    )
    parser.add_argument("--pairs", type=int, help="A/B pairs per case (default 5; 3 with --quick)")
    parser.add_argument("--quick", action="store_true", help="fewer pairs, 1x corpus only")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--cache", default=str(REPO / "bench" / "out"), help="where corpora are generated (default bench/out)"
    )
    parser.add_argument(
        "--generator", default=str(GENERATOR), help="gen_corpus.py (default ../shared/bench/gen_corpus.py)"
    )
    parser.add_argument("--lint-args", default="", help="extra arguments for every k8slint run, e.g. '--jobs 1'")
    args = parser.parse_args(argv)
    args.pairs = args.pairs or (3 if args.quick else 5)
    if not Path(args.generator).is_file():
        parser.error(f"corpus generator not found: {args.generator}")
    return args


class Bench:
    """Runs the cases; corpora live in ``cache``."""

    def __init__(self, lint_args: list[str], env: dict, cache: Path, pairs: int, quiet: bool):
        self.k8slint = [sys.executable, "-m", "k8slint"]
        self.lint = self.k8slint + ["lint", *lint_args]
        # k8slint's result cache: the bench's own, so warm cases never meet a user's entries
        env = {**env, "K8SLINT_CACHE_DIR": str(cache / "k8slint-cache")}
        self.env, self.cache, self.pairs, self.quiet = env, cache, pairs, quiet
        self._help: str | None = None
        self.yardstick = [sys.executable, "-c", YARDSTICK]

    def log(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def corpus(self, files: int, generator: str) -> Path:
        out = self.cache / f"corpus-{files}"
        if not (out / "ground-truth.tsv").is_file():
            self.log(f"generating {out} ...")
            done = subprocess.run(
                [sys.executable, generator, "--out", str(out), "--files", str(files)], capture_output=True, text=True
            )
            if done.returncode:
                raise SystemExit(f"bench: corpus generation failed:\n{done.stderr[-2000:]}")
        return out

    def lint_command(self, warm: bool) -> list[str]:
        """k8slint lint, with the cache (filled by the warm-up run) or without it."""
        return self.lint if warm or "--no-cache" not in self.lint_help() else self.lint + ["--no-cache"]

    def full(self, name: str, corpus: Path, warm: bool = False, beside: Path | None = None) -> Case:
        """``corpus`` (a folder or one file) linted whole; ``beside``, another one linted in the same rounds (the
        10x corpus' growth over the 1x one, the large file's cost per document against the corpus', are judged
        from them)."""

        def lint(path: Path) -> list[str]:
            return self.lint_command(warm) + [path.name, "--format", "json", "-o", os.devnull]

        return self.compare(
            name,
            self.count_documents([corpus]),
            lint(corpus),
            self.yardstick + [corpus.name],
            reference=(self.count_documents([beside]), lint(beside)) if beside else None,
        )

    def large_file(self, corpus: Path) -> Case:
        """The corpus' Kubernetes files, in order, concatenated into one file of about LARGE_FILE_BYTES."""
        bundle = self.cache / f"{corpus.name}-bundle.yaml"
        if not bundle.is_file():
            parts, size = [], 0
            for path in sorted((corpus / "k8s").rglob("*.y*ml")):
                text = path.read_text(encoding="utf-8")
                if size + len(text) > LARGE_FILE_BYTES:
                    break
                parts.append(text if text.startswith("---") else "---\n" + text)
                parts.append("" if text.endswith("\n") else "\n")
                size += len(text) + 5
            bundle.write_text("".join(parts), encoding="utf-8")
        return self.full("large file", bundle, beside=corpus)

    def crd_bundle(self) -> Path | None:
        """Every CRD of the real-world corpus in one file (several MB of large documents), or None without it."""
        bundle = self.cache / "crd-bundle.yaml"
        if not bundle.is_file():
            crds = sorted(p for p in REALWORLD.rglob("*.yaml") if "crd" in p.parent.parts and "bases" in p.parts)
            if not crds:
                return None
            bundle.write_text("".join("---\n" + p.read_text(encoding="utf-8") + "\n" for p in crds), encoding="utf-8")
        return bundle

    def pre_commit(self, corpus: Path, warm: bool = False, edited: bool = False) -> Case:
        """Five files of the tree, as a pre-commit hook would pass them; B parses the same five.

        ``warm``: the cache holds the whole tree, unchanged since the warm-up run;
        ``edited``: the five files were just edited (a comment line changes before
        every run of A), as when a hook runs on staged changes.
        """
        files = sorted(str(p.relative_to(self.cache)) for p in (corpus / "k8s").rglob("*.y*ml"))
        changed = files[:: max(1, len(files) // 5)][:5]
        context = ["--context", corpus.name] if "--context" in self.lint_help() else []
        originals = {path: (self.cache / path).read_bytes() for path in changed}
        edits = iter(range(1 << 30))

        def edit():
            number = next(edits)
            for path, original in originals.items():
                (self.cache / path).write_bytes(original + f"# edited before run {number}\n".encode())

        try:
            return self.compare(
                "pre-commit edited" if edited else "pre-commit warm" if warm else "pre-commit",
                self.count_documents(changed),
                self.lint_command(warm or edited) + context + changed,
                self.yardstick + changed,
                before_a=edit if edited else None,
            )
        finally:  # only what was edited is written back: a file written just now is not trusted by its status
            for path, original in originals.items():
                if (self.cache / path).read_bytes() != original:
                    (self.cache / path).write_bytes(original)

    def one_file(self, warm: bool = False) -> Case:
        path = str(REPO / "fixtures" / "examples" / "rc.yaml")
        return self.compare(
            "one file warm" if warm else "one file",
            1,
            self.lint_command(warm) + [path],
            [sys.executable, "-c", "import yaml"],
        )

    def lint_help(self) -> str:
        if self._help is None:
            self._help = subprocess.run(self.lint + ["--help"], env=self.env, capture_output=True, text=True).stdout
        return self._help

    def count_documents(self, paths) -> int:
        out = subprocess.run(
            self.yardstick + [str(p) for p in paths], cwd=self.cache, capture_output=True, text=True, check=True
        )
        return int(out.stdout)

    def compare(self, name: str, documents: int, a: list[str], b: list[str], before_a=None, reference=None) -> Case:
        """Medians of ``pairs`` alternating runs of ``a`` and ``b`` after one warm-up run of each; ``before_a()``
        is called before every run of ``a`` (not timed). ``reference``, ``(documents, command)``, is a third
        command run in every round: its median CPU per document is kept beside A's."""
        self.log(f"{name}: warm-up, then {self.pairs} A/B pairs")
        before_a = before_a or (lambda: None)
        commands = [a, b] + ([reference[1]] if reference else [])
        before_a()
        for command in commands:
            self.run(command)
        a_runs, b_runs, c_runs = [], [], []
        for _ in range(self.pairs):
            before_a()
            for runs, command in zip((a_runs, b_runs, c_runs), commands, strict=False):
                runs.append(self.run(command))
        return Case(
            name=name,
            documents=documents,
            pairs=self.pairs,
            a_wall=median(r.wall for r in a_runs),
            b_wall=median(r.wall for r in b_runs),
            a_cpu=median(r.cpu for r in a_runs),
            a_rss_mb=median(r.rss_mb for r in a_runs),
            b_rss_mb=median(r.rss_mb for r in b_runs),
            a_codes=sorted({r.code for r in a_runs}),
            corpus_cpu_per_doc=median(r.cpu for r in c_runs) / reference[0] if reference else None,
            corpus_wall=median(r.wall for r in c_runs) if reference else None,
        )

    def run(self, command: list[str]) -> Run:
        """Run ``command`` (stdout discarded) in the cache directory, measured by a small launcher."""
        done = subprocess.run(
            [sys.executable, "-S", "-c", LAUNCHER, *command],
            cwd=self.cache,
            env=self.env,
            capture_output=True,
            text=True,
        )
        *problem, measured = done.stderr.rstrip("\n").rsplit("\n", 1) if done.stderr.strip() else ("", "")
        problem = "\n".join(problem)
        try:
            wall, cpu, rss_kb, code = json.loads(measured)
        except ValueError:
            raise SystemExit(
                f"bench: launcher failed for {shlex.join(command[:6])} ...:\n{done.stderr[-2000:]}"
            ) from None
        if code not in (0, 1) or "Traceback" in problem or "internal error" in problem:
            raise SystemExit(f"bench: {shlex.join(command[:6])} ... failed (exit {code}):\n{problem[-2000:]}")
        return Run(wall, cpu, rss_kb / 1024, code)

    def recall(self, corpus: Path) -> list[dict]:
        """Per defect class: injected, found at the recorded line, found elsewhere in the file, status."""
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            self.run(self.lint + [corpus.name, "--format", "json", "-o", out.name])
            findings = json.loads(pathlib.Path(out.name).read_text(encoding="utf-8"))["findings"]
        rules = {
            r["id"]: r
            for r in json.loads(
                subprocess.run(
                    self.k8slint + ["rules", "--format", "json"],
                    env=self.env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
        }
        reported = {(f["rule"], os.path.relpath(f["file"], corpus.name), f["line"]) for f in findings}
        in_file = {(rule, file) for rule, file, _ in reported}
        with open(corpus / "ground-truth.tsv", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        table = []
        for defect, rule_id in DEFECT_RULES.items():
            mine = [row for row in rows if row["defect"] == defect]
            found = sum((rule_id, row["file"], int(row["line"])) in reported for row in mine)
            elsewhere = sum(
                (rule_id, row["file"]) in in_file and (rule_id, row["file"], int(row["line"])) not in reported
                for row in mine
            )
            status = (
                "rule missing"
                if rule_id not in rules
                else "off by default"
                if not rules[rule_id].get("default", True)
                else "ok"
                if found == len(mine)
                else "misses"
            )
            table.append(
                {
                    "defect": defect,
                    "rule": rule_id,
                    "injected": len(mine),
                    "found": found,
                    "wrong_line": elsewhere,
                    "status": status,
                }
            )
        unknown = sorted({row["defect"] for row in rows} - set(DEFECT_RULES))
        for defect in unknown:
            table.append(
                {
                    "defect": defect,
                    "rule": None,
                    "injected": sum(r["defect"] == defect for r in rows),
                    "found": 0,
                    "wrong_line": 0,
                    "status": "unmapped",
                }
            )
        return table


def median(values) -> float:
    return statistics.median(list(values))


def machine() -> dict:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def judge(report: dict) -> list[dict]:
    """Each target of the issue: the measured value, the limit, met or not."""
    cases = {case["name"]: case for case in report["cases"]}
    results = []
    for name, metric, limit in TARGETS:
        case = cases.get(name)
        if case is None:
            continue
        if metric == "linear":  # growth of the wall time over the 1x corpus', timed in the same rounds (no drift)
            value = case["a_wall"] / case["corpus_wall"] if case.get("corpus_wall") else None
        elif metric == "cpu_per_doc_vs_corpus":  # CPU per document, as a multiple of the 1x corpus' (many files)
            value = case["a_cpu"] / case["documents"] / case["corpus_cpu_per_doc"]
        else:
            value = case[metric]
        if value is not None:
            results.append(
                {"case": name, "metric": metric, "value": round(value, 3), "limit": limit, "met": value <= limit}
            )
    if report["recall"]:
        injected = sum(row["injected"] for row in report["recall"])
        found = sum(row["found"] for row in report["recall"])
        results.append(
            {
                "case": "recall",
                "metric": "found/injected",
                "value": round(found / max(injected, 1), 4),
                "limit": 1.0,
                "met": found == injected,
            }
        )
    return results


def render(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"k8slint benchmark: {m['usable_cores']} usable of {m['cores']} cores, Python {m['python']}, {m['platform']}",
        f"A = {report['lint_command']} ...   B = yardstick (PyYAML CSafeLoader load_all; `import yaml` for one file)",
        "",
    ]
    header = f"{'case':<15} {'docs':>7} {'A s':>7} {'B s':>7} {'A/B':>6} {'docs/s':>8} {'docs/CPU-s':>10} {'A RSS MB':>9} {'B RSS MB':>9} pairs"
    lines += [header, "-" * len(header)]
    for c in report["cases"]:
        lines.append(
            f"{c['name']:<15} {c['documents']:>7} {c['a_wall']:>7.3f} {c['b_wall']:>7.3f} {c['ratio']:>6.2f} "
            f"{c['docs_per_s']:>8} {c['docs_per_cpu_s']:>10} {c['a_rss_mb']:>9.0f} {c['b_rss_mb']:>9.0f} {c['pairs']:>5}"
        )
    if report["recall"]:
        lines += ["", f"{'defect':<28} {'rule':<34} {'found':>11} {'wrong line':>10}  status", "-" * 96]
        for r in report["recall"]:
            lines.append(
                f"{r['defect']:<28} {r['rule'] or '-':<34} {r['found']:>5}/{r['injected']:<5} {r['wrong_line']:>10}  {r['status']}"
            )
    lines += ["", "targets:"]
    for t in report["targets"]:
        lines.append(
            f"  {'met    ' if t['met'] else 'NOT MET'} {t['case']:<10} {t['metric']:<15} {t['value']:>9} (limit {t['limit']})"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
