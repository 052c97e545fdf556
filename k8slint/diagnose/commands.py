"""click commands ``k8slint diagnose`` and ``k8slint doctor``: wiring only.

Every import beyond click happens inside the command, so listing the CLI's
commands or running another command never loads the knowledge base, jinja2 or
the lint engine.
"""

from __future__ import annotations

import sys

import click


class InputError(click.ClickException):
    """Unreadable input, manifests or knowledge base: a one-line message and exit status 2."""

    exit_code = 2


FORMATS = click.Choice(["text", "markdown", "json"], case_sensitive=False)

NOTHING_FOUND = (
    "k8slint diagnose: no known error found in {lines} line(s) of input "
    "(checked against {entries} knowledge-base entries for messages of {tools}).\n"
    "  - Paste the complete error output, including lines starting with 'Error', 'error:', '[ERROR', "
    "'Warning' events from 'kubectl describe', or the STATUS column of 'kubectl get pods'.\n"
    "  - 'k8slint diagnose --list' shows every error k8slint recognises.\n"
    "  - Missing one? Add an entry: one YAML file in rules/troubleshooting/ "
    "(id, title, patterns, summary, causes, fix, verify) plus a transcript in fixtures/transcripts/; "
    "see docs/diagnose.md. Try it first with --kb DIR."
)


def _read_input(texts: tuple[str, ...], file: str | None) -> bytes:
    if file is not None and texts:
        raise click.UsageError("give the error text as arguments or with --file, not both")
    if file == "-" or (file is None and texts == ("-",)):
        return sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    if file is not None:
        try:
            with open(file, "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise InputError(f"cannot read {file}: {exc.strerror or exc}") from None
    if texts:
        return " ".join(texts).encode("utf-8")
    if sys.stdin is None or sys.stdin.isatty():
        raise click.UsageError(
            "nothing to diagnose: pass the error text as an argument, with --file PATH, or pipe it on stdin "
            "(e.g. kubectl apply -f app.yaml 2>&1 | k8slint diagnose)"
        )
    return sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()


def _load_kb(kb_dirs: tuple[str, ...]):
    from k8slint.diagnose.knowledge import KnowledgeError, load

    try:
        return load(kb_dirs)
    except KnowledgeError as exc:
        raise InputError(f"knowledge base: {exc}") from None


@click.command()
@click.argument("text", nargs=-1)
@click.option("-f", "--file", "file", metavar="PATH", help="Read the error output from a file ('-' for stdin).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.option(
    "--manifests",
    "manifests",
    multiple=True,
    metavar="PATH",
    help="Also lint these manifests and attach the findings that explain the error (repeatable).",
)
@click.option(
    "--kb",
    "kb_dirs",
    multiple=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Extra knowledge-base directory; its entries add to or replace the built-in ones.",
)
@click.option("--list", "list_entries", is_flag=True, help="List the errors k8slint recognises and exit.")
def diagnose(text, file, fmt, manifests, kb_dirs, list_entries):
    """Explain an error from kubectl, kubeadm, the kubelet or docker compose.

    Pass the error TEXT as arguments, a file with --file, or pipe it in:

      kubectl apply -f app.yaml 2>&1 | k8slint diagnose

    Exit status: 0 recognised, 1 nothing recognised, 2 usage or input error.
    """
    kb = _load_kb(kb_dirs)
    fmt = fmt.lower()
    if list_entries:
        _list(kb, fmt)
        return
    data = _read_input(text, file)

    from k8slint.diagnose.match import diagnose_lines
    from k8slint.diagnose.normalise import normalise
    from k8slint.diagnose.render import render

    lines = normalise(data)
    diagnoses = diagnose_lines(lines, kb)
    if manifests:
        from k8slint.diagnose.link import LinkError, attach_findings

        try:
            attach_findings(diagnoses, list(manifests))
        except LinkError as exc:
            raise InputError(str(exc)) from None
    if not diagnoses:
        if fmt == "json":
            click.echo(render([], "json"), nl=False)
        tools = ", ".join(sorted({e.tool for e in kb.entries if e.tool}))
        click.echo(NOTHING_FOUND.format(lines=len(lines), entries=len(kb.entries), tools=tools), err=True)
        sys.exit(1)
    click.echo(render(diagnoses, fmt), nl=False)


def _list(kb, fmt: str) -> None:
    from k8slint.diagnose.render import fill

    def plain(title: str) -> str:  # titles are templates: unknown values show as <name>
        return " ".join(fill(title, {}).split())

    if fmt == "json":
        import json

        rows = [
            {"id": e.id, "tool": e.tool, "title": plain(e.title), "related_rules": e.related_rules} for e in kb.entries
        ]
        click.echo(json.dumps({"entries": rows}, indent=2))
        return
    for entry in sorted(kb.entries, key=lambda e: (e.tool, e.id)):
        click.echo(f"{entry.id:40} {entry.tool:24} {plain(entry.title)}")


@click.command()
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.option(
    "--timeout",
    type=click.FloatRange(0.5, 60),
    default=5.0,
    show_default=True,
    help="Seconds to wait for the cluster to answer.",
)
@click.option(
    "--root", default="/", hidden=True, type=click.Path(file_okay=False), help="Filesystem root to inspect (for tests)."
)
def doctor(fmt, timeout, root):
    """Check kubectl, the kubeconfig and this node, and explain what fails.

    Read-only: it runs 'kubectl version' with a timeout and reads files; it
    never changes anything. Exit status: 0 all checks pass, 1 something failed.
    """
    from k8slint.diagnose.doctor import render_report, run_checks

    kb = _load_kb(())
    results = run_checks(kb, root=root, timeout=timeout)
    click.echo(render_report(results, fmt.lower()), nl=False)
    if any(r.status == "fail" for r in results):
        sys.exit(1)
