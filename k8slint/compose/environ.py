"""The process environment as Compose interpolation sees it, without letting its values into reports.

``docker compose`` fills ``${VAR}`` from the process environment first, then from ``.env``. In CI that
environment holds secrets (``GITHUB_TOKEN``) while the compose file comes from a stranger's pull request,
and findings are uploaded to code scanning. So by default only the *names* of process variables are used:
such a variable counts as set (no "undefined variable" finding) and a value that uses it is kept as written
(``image: ${GITHUB_TOKEN}``), unchecked. With ``--env-from-process`` (command line only) the values are used
for checking, and every finding of the project shows ``${NAME}`` wherever one of them would appear.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from k8slint.compose.interpolate import UNKNOWN

MIN_CONCEALED = 3  # characters; shorter values ("1", "on") are not worth hiding and would garble messages


def process_variables(environ: dict, use_values: bool) -> dict:
    """Interpolation variables from the process environment: their values, or only their names (``UNKNOWN``)."""
    return dict(environ) if use_values else dict.fromkeys(environ, UNKNOWN)


class Concealer:
    """Replaces process-environment values in a hit's text with the ``${NAME}`` they came from."""

    def __init__(self, environ: dict, use_values: bool):
        pairs = [(value, f"${{{name}}}") for name, value in environ.items() if len(value) >= MIN_CONCEALED]
        self.pairs = sorted(pairs, key=lambda pair: -len(pair[0])) if use_values else []

    def text(self, text: str | None) -> str | None:
        for value, name in self.pairs:
            if text and value in text:
                text = text.replace(value, name)
        return text

    def hit(self, hit):
        """The hit with every value concealed; its edits are dropped when they would write one into a file."""
        if not self.pairs:
            return hit
        edits = hit.edits if self.text(repr(hit.edits)) == repr(hit.edits) else ()
        return dataclasses.replace(hit, message=self.text(hit.message), fix_title=self.text(hit.fix_title), edits=edits)


def readable_env_file(path: Path, project_directory: Path) -> bool:
    """Whether an env file a compose file names may be read: inside its project's directory or the working
    directory (the checkout being linted), after symlinks. Others need ``--env-file`` on the command line."""
    real = Path(os.path.realpath(path))
    return any(real.is_relative_to(os.path.realpath(root)) for root in (project_directory, Path.cwd()))
