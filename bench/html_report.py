#!/usr/bin/env python3
"""Measure the HTML report of the 10k-document bench corpus: its size, and how long headless Chromium takes to render it.

    python bench/html_report.py            # corpus bench/out/corpus-2000 (generated once, as bench/run.py does)
    python bench/html_report.py --json

Render time is the median wall time of ``chromium --headless --screenshot`` on
the report minus the same on an empty page (browser start-up), over
``--runs`` alternating pairs. The issue's budget: under 3 MB and under 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"
CORPUS = REPO / "bench" / "out" / "corpus-2000"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MAX_BYTES = 3_000_000
MAX_SECONDS = 2.0


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("bench: no headless Chromium (install Debian's `chromium` package)")


def corpus() -> Path:
    if not (CORPUS / "ground-truth.tsv").is_file():
        subprocess.run([sys.executable, GENERATOR, "--out", CORPUS, "--files", "2000"], check=True, capture_output=True)
    return CORPUS


def screenshot_seconds(chromium: str, page: Path, work: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={work / 'profile'}",
            f"--screenshot={work / 'shot.png'}",
            "--window-size=1280,2000",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        raise SystemExit(f"bench: chromium failed: {done.stderr[-1000:]}")
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="alternating report/blank pairs (default 3)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    chromium = browser()
    tree = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        report = work / "report.html"
        started = time.perf_counter()
        written = subprocess.run(
            [sys.executable, "-m", "k8slint", "report", tree.name, "-o", report],
            cwd=tree.parent,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        lint_seconds = time.perf_counter() - started
        if written.returncode:
            raise SystemExit(f"bench: k8slint report failed: {written.stderr[-2000:]}")
        html = report.read_text(encoding="utf-8")
        findings = html.count("<li class=")
        blank = work / "blank.html"
        blank.write_text("<!DOCTYPE html><title>blank</title>")
        pairs = [
            (screenshot_seconds(chromium, report, work), screenshot_seconds(chromium, blank, work))
            for _ in range(args.runs)
        ]
    render = statistics.median(page - empty for page, empty in pairs)
    numbers = {
        "findings": findings,
        "documents": int(re.search(r'id="summary-objects"><span class="num">(\d+)', html).group(1)),
        "bytes": len(html.encode("utf-8")),
        "render_seconds": round(render, 2),
        "report_seconds": round(lint_seconds, 1),
        "within_budget": len(html.encode("utf-8")) < MAX_BYTES and render < MAX_SECONDS,
    }
    if args.json:
        print(json.dumps(numbers, indent=2))
    else:
        print(
            f"html report: {numbers['findings']} findings, {numbers['bytes'] / 1e6:.2f} MB "
            f"(budget {MAX_BYTES / 1e6:.0f} MB), rendered in {numbers['render_seconds']:.2f} s "
            f"(budget {MAX_SECONDS:.0f} s; median of {args.runs}, browser start-up subtracted); "
            f"k8slint report took {numbers['report_seconds']} s"
        )
    return 0 if numbers["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
