"""Docker Compose support: documents -> merged, interpolated ComposeProjects for the compose rules."""

from __future__ import annotations

import os
from pathlib import Path

from k8slint.compose.build import Builder, group_documents
from k8slint.compose.model import ComposeProject

__all__ = ["ComposeProject", "build_projects"]


def load_documents(path: Path, display: str) -> list | None:
    """Documents of a compose file the run did not name (override, extends, include), or None when unreadable."""
    from k8slint.parse import parse_source
    from k8slint.sources import Source

    parsed = parse_source(Source(display, str(path), forced_compose=True))
    documents = [doc for doc in parsed.documents if isinstance(doc.data, dict)]
    return documents or None


def build_projects(documents, settings) -> list[ComposeProject]:
    """Group compose documents into projects (``--compose-file`` order, default override pairs) and build each."""
    compose_files = settings.compose_files
    in_run: dict[str, list] = {}  # a file the run already read is used as read, under the name it has there
    for doc in documents:
        if doc.source.path is not None and isinstance(doc.data, dict):
            in_run.setdefault(os.path.realpath(doc.source.path), []).append(doc)

    def load(path: Path, display: str) -> list | None:
        return in_run.get(os.path.realpath(path)) or load_documents(path, display)

    builder = Builder(os.environ, settings.env_file, load=load, env_from_process=settings.env_from_process)
    return [
        builder.project(group, default_pair=not explicit)
        for group, explicit in group_documents(documents, compose_files)
    ]
