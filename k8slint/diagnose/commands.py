"""click commands ``k8slint diagnose`` and ``k8slint doctor``: wiring only.

Every import beyond click happens inside the command, so listing the CLI's
commands or running another command never loads the knowledge base, jinja2 or
the lint engine.
"""

from __future__ import annotations

import sys

import click

from k8slint.commands.options import color_options


class InputError(click.ClickException):
    """Unreadable input, manifests or knowledge base: a one-line message and exit status 2."""

    exit_code = 2


class FormatChoice(click.Choice):
    """The output format; a file name given to ``-f`` gets a pointer to ``--file``.

    ``-f`` means ``--format`` in every k8slint command (as in ``lint``); it used to
    mean ``--file`` in ``diagnose``.
    """

    def convert(self, value, param, ctx):
        if (
            isinstance(value, str)
            and value.lower() not in self.choices
            and ("." in value or "/" in value or "\\" in value)
        ):
            self.fail(
                f"{value!r} is not a format ({', '.join(self.choices)}); -f means --format in every k8slint "
                f"command: to read the error output from a file use --file {value}",
                param,
                ctx,
            )
        return super().convert(value, param, ctx)


FORMATS = FormatChoice(["text", "markdown", "json"], case_sensitive=False)


def _colored(fmt: str, color: str | None, no_color: bool) -> bool:
    from k8slint.terminal import use_color

    return fmt == "text" and use_color("never" if no_color else color)


NOTHING_FOUND = (
    "k8slint diagnose: no known error found in {lines} line(s) of input ({entries} knowledge-base entries checked)."
)
ASK_FOR_MORE = (
    "Paste more of the output, e.g. {wanted}; 'k8slint diagnose --list' shows what is recognised, "
    "and rules/troubleshooting/README.md how to add an entry."
)
# what to ask for, by the tool the paste came from (the first that shows wins)
WANTED = (
    ("docker-compose", ("compose", "docker-compose"), "'docker compose config' and 'docker compose logs SERVICE'"),
    ("docker", ("docker",), "the full output of the failing docker command and 'docker info'"),
    (
        "kubeadm",
        ("kubeadm", "kubelet", "[preflight]"),
        "'sudo journalctl -xeu kubelet' and the complete kubeadm output",
    ),
    ("helm", ("helm",), "'helm status RELEASE' and 'kubectl get events --sort-by=.lastTimestamp'"),
    (
        "kubectl",
        (),
        "'kubectl describe pod NAME' (with its Events), 'kubectl get events --sort-by=.lastTimestamp' "
        "or 'kubectl logs NAME --previous'",
    ),
)
TTY_HINT = "Paste the error output, then press Ctrl-D on an empty line to finish (Ctrl-Z then Enter on Windows):"


def _count_lines(data: bytes) -> int:
    return data.count(b"\n") + (not data.endswith(b"\n")) if data else 0


def _what_to_paste(lines, data: bytes) -> str:
    tools = {line.context.get("command_tool") for line in lines}
    text = data[:20000].decode("utf-8", "replace").lower()
    for tool, words, wanted in WANTED:
        if tool in tools or any(w in text for w in words):
            return wanted
    return WANTED[-1][2]


def _stdin() -> bytes:
    return sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()


def _read_input(texts: tuple[str, ...], file: str | None) -> bytes:
    if file is not None and texts:
        raise click.UsageError("give the error text as arguments or with --file, not both")
    if file == "-" or (file is None and texts == ("-",)):
        return _stdin()
    if file is not None:
        try:
            with open(file, "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise InputError(f"cannot read {file}: {exc.strerror or exc}") from None
    if texts:
        return " ".join(texts).encode("utf-8")
    if sys.stdin is None:
        raise click.UsageError(
            "nothing to diagnose: pass the error text as an argument, with --file PATH, or pipe it on stdin "
            "(e.g. kubectl apply -f app.yaml 2>&1 | k8slint diagnose)"
        )
    if sys.stdin.isatty():
        click.echo(TTY_HINT, err=True)
    return _stdin()


def _load_kb(kb_dirs: tuple[str, ...]):
    from k8slint.diagnose.knowledge import KnowledgeError, load

    try:
        return load(kb_dirs)
    except KnowledgeError as exc:
        raise InputError(f"knowledge base: {exc}") from None


@click.command()
@click.argument("text", nargs=-1)
@click.option("--file", "file", metavar="PATH", help="Read the error output from a file ('-' for stdin).")
@click.option("-f", "--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
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
@color_options
def diagnose(text, file, fmt, manifests, kb_dirs, list_entries, color, no_color):
    """Explain an error from kubectl, kubeadm, the kubelet or docker compose.

    Pass the error TEXT as arguments, a file with --file, or pipe it in:

      kubectl apply -f app.yaml 2>&1 | k8slint diagnose

    With no input on a terminal it waits for a paste; end it with Ctrl-D.
    -f is --format, as in every k8slint command.

    Exit status: 0 recognised, 1 nothing recognised, 2 usage or input error
    (also for binary input).
    """
    kb = _load_kb(kb_dirs)
    fmt = fmt.lower()
    if list_entries:
        _list(kb, fmt)
        return
    data = _read_input(text, file)

    from k8slint.diagnose.match import diagnose_lines
    from k8slint.diagnose.normalise import binary_input, normalise
    from k8slint.diagnose.render import render

    problem = binary_input(data)
    if problem:
        raise InputError(f"the input is not text ({problem}); paste the terminal output of the failing command")
    lines = normalise(data, kb.lines_worth_reading)
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
        click.echo(NOTHING_FOUND.format(lines=_count_lines(data), entries=len(kb.entries)), err=True)
        click.echo(ASK_FOR_MORE.format(wanted=_what_to_paste(lines, data)), err=True)
        sys.exit(1)
    from k8slint.diagnose.render import TemplateRefused

    try:
        click.echo(render(diagnoses, fmt, _colored(fmt, color, no_color)), nl=False, color=True)
    except TemplateRefused as exc:  # a --kb template the sandbox refused
        raise InputError(f"knowledge base: {exc}") from None


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
@click.option("-f", "--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
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
@color_options
def doctor(fmt, timeout, root, color, no_color):
    """Check kubectl, the kubeconfig and this node, and explain what fails.

    Read-only: it runs 'kubectl version' with a timeout and reads files; it
    never changes anything. Exit status: 0 all checks pass, 1 something failed.
    """
    from k8slint.diagnose.doctor import render_report, run_checks

    kb = _load_kb(())
    results = run_checks(kb, root=root, timeout=timeout)
    fmt = fmt.lower()
    click.echo(render_report(results, fmt, _colored(fmt, color, no_color)), nl=False, color=True)
    if any(r.status == "fail" for r in results):
        sys.exit(1)
