#!/usr/bin/env python3
"""How long `k8slint server` takes to publish diagnostics after an edit, in a big workspace.

    python bench/lsp_latency.py                 # 2,000 files (1,800 Kubernetes + 200 Compose), 30 edits
    python bench/lsp_latency.py --edits 100 --debounce 0 --json

The workspace comes from ``../shared/bench/gen_corpus.py`` (cached under
bench/out/). A real LSP client (pygls) starts the server over stdio, opens the
Kubernetes file closest to 300 lines, and types: each edit flips a value on one
line, and the time runs from sending didChange to receiving the
publishDiagnostics for that version. The server's debounce (``--debounce`` ms,
sent as an initialization option) is part of the figure. Warm means after the
first diagnostics, when every file of the workspace has been read once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"
TARGET_LINES = 300


def workspace(cache: Path, k8s_files: int, compose_files: int) -> Path:
    out = cache / f"lsp-{k8s_files}-{compose_files}"
    if not (out / "corpus-stats.txt").is_file():
        if not GENERATOR.is_file():
            sys.exit(f"bench: the corpus generator is missing: {GENERATOR}")
        subprocess.run(
            [sys.executable, str(GENERATOR), "--out", str(out), "--files", str(k8s_files)]
            + ["--compose", str(compose_files)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return out


def edited_file(root: Path) -> tuple[Path, str, str]:
    """The Kubernetes file closest to 300 lines, and a line of it an edit can flip back and forth."""
    files = sorted(root.glob("k8s/**/*.y*ml"))
    path = min(files, key=lambda file: (abs(len(file.read_text().splitlines()) - TARGET_LINES), str(file)))
    text = path.read_text()
    line = next(line for line in text.splitlines() if line.strip().startswith("app.kubernetes.io/name:"))
    return path, line, line + "x"


async def measure(root: Path, edits: int, debounce: float) -> dict:
    client = LanguageClient("k8slint-bench", "1")
    published: dict[str, int | None] = {}
    arrived = asyncio.Condition()
    counts: dict[str, int] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    async def received(params: types.PublishDiagnosticsParams):
        async with arrived:
            published[params.uri] = params.version
            counts[params.uri] = len(params.diagnostics)
            arrived.notify_all()

    async def wait_for(uri: str, version: int):
        async with arrived:
            await asyncio.wait_for(arrived.wait_for(lambda: published.get(uri) == version), 600)

    path, line, other = edited_file(root)
    uri = from_fs_path(str(path))
    text = path.read_text()
    started = time.perf_counter()
    await client.start_io(sys.executable, "-m", "k8slint", "server", cwd=str(root))
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=from_fs_path(str(root)),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(root)), name="bench")],
            initialization_options={"debounceMs": debounce},
        )
    )
    client.initialized(types.InitializedParams())
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text))
    )
    await wait_for(uri, 1)
    cold = time.perf_counter() - started
    number = text.splitlines().index(line)
    timings = []
    for version in range(2, edits + 2):
        old, new = (line, other) if version % 2 == 0 else (other, line)
        change = types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(number, 0), types.Position(number, len(old))), text=new
        )
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change])
        )
        await wait_for(uri, version)
        timings.append((time.perf_counter() - sent) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    files = sum(1 for _ in root.glob("**/*.y*ml"))
    return {
        "workspace_files": files,
        "edited_file": str(path.relative_to(root)),
        "edited_file_lines": len(text.splitlines()),
        "diagnostics": counts.get(uri),
        "debounce_ms": debounce,
        "first_diagnostics_s": round(cold, 2),
        "edits": edits,
        "edit_median_ms": round(statistics.median(timings), 1),
        "edit_p90_ms": round(sorted(timings)[int(len(timings) * 0.9) - 1], 1),
        "edit_max_ms": round(max(timings), 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1800, help="Kubernetes files (default 1800)")
    parser.add_argument("--compose", type=int, default=200, help="Compose files (default 200)")
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--debounce", type=float, default=50, help="the server's debounce in ms (default 50)")
    parser.add_argument("--cache", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = asyncio.run(measure(workspace(args.cache, args.files, args.compose), args.edits, args.debounce))
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"{report['workspace_files']} files; {report['edited_file']} ({report['edited_file_lines']} lines, "
        f"{report['diagnostics']} diagnostics)\n"
        f"first diagnostics after start: {report['first_diagnostics_s']} s (reads the whole workspace)\n"
        f"after an edit, warm ({report['edits']} edits, debounce {report['debounce_ms']:g} ms included): "
        f"median {report['edit_median_ms']} ms, p90 {report['edit_p90_ms']} ms, max {report['edit_max_ms']} ms"
    )


if __name__ == "__main__":
    main()
