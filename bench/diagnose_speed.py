"""How fast `k8slint diagnose` reads big pastes.

    python bench/diagnose_speed.py            # all cases
    python bench/diagnose_speed.py --pattern  # also time every regex alone (no needle windows) on 20k runs

Cases: a 10 MB log that is mostly noise with errors spread through it, a 10 MB
paste made only of error transcripts (every line matters), one 100k-character
line, and runs of one character. Times are medians of 5 runs of normalise +
match, wall-clock and CPU seconds (the knowledge base is loaded once, as the CLI
does); the knowledge-base load is timed parsed from YAML and from its cache.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from k8slint.diagnose import knowledge  # noqa: E402
from k8slint.diagnose.match import diagnose_lines  # noqa: E402
from k8slint.diagnose.normalise import normalise  # noqa: E402

MB = 1_000_000


def transcripts() -> list[str]:
    paths = sorted((ROOT / "fixtures" / "transcripts").glob("*.txt")) + sorted(
        (ROOT / "fixtures" / "diagnose" / "pastes").glob("*.txt")
    )
    return [p.read_bytes().decode("utf-8", "replace") for p in paths if not p.read_bytes().startswith(b"\xff\xfe")]


def noisy_log(size: int, chunks: list[str]) -> str:
    rng = random.Random(7)
    out, total, i = [], 0, 0
    while total < size:
        i += 1
        if i % 2000 == 0:
            piece = rng.choice(chunks)
        else:
            piece = (
                f"I1203 10:{i % 60:02d}:{i % 59:02d}.{i:06d} {rng.randint(1, 9999)} handler.go:{i % 400}] "
                f'"request served" method=GET path=/api/v1/items/{rng.getrandbits(48):x} status=200 took={i % 97}ms\n'
            )
        out.append(piece)
        total += len(piece)
    return "".join(out)


def dense(size: int, chunks: list[str]) -> str:
    rng = random.Random(3)
    out, total = [], 0
    while total < size:
        piece = rng.choice(chunks).replace("-0", f"-{rng.randint(0, 99999)}")
        out.append(piece)
        total += len(piece)
    return "".join(out)


def last_applied(size: int) -> str:
    """`kubectl get deploy -o yaml` of a big Deployment: its last-applied-configuration is one long JSON line."""
    env = [{"name": f"SETTING_{i}", "value": f"value-{i}:/path/{i}?a=b&c=d"} for i in range(size // 60)]
    spec = {"containers": [{"name": "app", "image": "registry.example/app:1.2.3", "env": env}]}
    body = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "app"},
        "spec": {"template": {"spec": spec}},
    }
    blob = json.dumps(body)[:size]
    return (
        "$ kubectl get deployment app -o yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n"
        f"    kubectl.kubernetes.io/last-applied-configuration: |\n      {blob}\n  name: app\n"
        "Warning: resource deployments/app is missing the kubectl.kubernetes.io/last-applied-configuration annotation\n"
        'The Deployment "app" is invalid: spec.selector: Invalid value: map[string]string{"app":"web"}: field is immutable\n'
    )


RUNS = 5


def timed(kb, name: str, text: str) -> None:
    """Median wall and CPU seconds of RUNS runs (the machine may be shared: CPU time shows our own work)."""
    walls, cpus, norms = [], [], []
    for _ in range(RUNS):
        started, cpu = time.perf_counter(), time.process_time()
        lines = normalise(text, kb.lines_worth_reading)
        middle = time.perf_counter()
        found = diagnose_lines(lines, kb)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        norms.append(middle - started)
    print(
        f"{name:34} {len(text) / MB:6.1f} MB  normalise {median(norms):5.2f} s  "
        f"total {median(walls):5.2f} s wall {median(cpus):5.2f} s CPU  ({len(found)} diagnoses)",
        flush=True,
    )


def load_times(dirs: list[str]) -> None:
    """Knowledge-base load: parsed from YAML (empty cache), then from the cache of parsed entries."""
    with tempfile.TemporaryDirectory() as cache_dir:
        os.environ["K8SLINT_CACHE_DIR"] = cache_dir
        for label in ("parsed, empty cache", "from the cache"):
            runs = []
            for _ in range(RUNS if label == "from the cache" else 1):
                knowledge._load_cached.cache_clear()
                started = time.perf_counter()
                kb = knowledge.load(dirs)
                runs.append(time.perf_counter() - started)
            print(f"knowledge base: {len(kb.entries)} entries, {label}: {median(runs):.3f} s", flush=True)


def main() -> None:
    dirs = [str(ROOT / "fixtures" / "diagnose" / "kb")]
    load_times(dirs)
    kb = knowledge.load(dirs)
    chunks = transcripts()
    timed(kb, "10 MB log, errors spread through", noisy_log(10 * MB, chunks))
    timed(kb, "10 MB of error transcripts only", dense(10 * MB, chunks))
    timed(kb, "30 KB last-applied-configuration", last_applied(30_000))
    timed(kb, "one 100k-character line", ("x" * 997 + " OOMKilled ") * 100)
    timed(kb, "one 100k-character line of errors", ('Failed to pull image "a:1": x509: ' * 3000)[:100_000])
    for char in ' a1-./:"=':
        timed(kb, f"100k run of {char!r}", char * 100_000)
    if "--pattern" in sys.argv:
        for entry in kb.entries:
            for pattern in entry.patterns:
                worst = 0.0
                for char in ' a1-./:"=_':
                    text = char * 20_000 + next(iter(pattern.needles or {""})) + char * 1000
                    t = time.perf_counter()
                    pattern.regex.search(text)
                    worst = max(worst, time.perf_counter() - t)
                if worst > 0.05:  # quadratic: the engine's needle windows keep it bounded, but fix the pattern
                    print(f"  slow alone: {entry.id}: {pattern.regex.pattern[:70]!r} {worst:.2f} s", flush=True)


if __name__ == "__main__":
    main()
