"""``k8slint server``: the language server for editors (needs the ``server`` extra: pygls and lsprotocol)."""

from __future__ import annotations

import click

from k8slint.commands.common import fail_usage

INSTALL_HINT = "pip install 'k8slint[server]'"


@click.command("server")
@click.option("--tcp", is_flag=True, help="Listen on TCP instead of talking over stdin/stdout.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on with --tcp.")
@click.option("--port", type=click.IntRange(1, 65535), default=2087, show_default=True, help="Port for --tcp.")
def server(tcp, host, port):
    """Run the language server: live diagnostics, quick fixes and rule explanations in your editor (docs/editors.md)."""
    try:
        from k8slint.server.lsp import serve
    except ImportError as exc:
        if exc.name not in ("pygls", "lsprotocol") and not str(exc.name).startswith(("pygls.", "lsprotocol.")):
            raise
        fail_usage(f"`k8slint server` needs the language server extra ({exc.name} is not installed): {INSTALL_HINT}")
    serve(tcp=tcp, host=host, port=port)
