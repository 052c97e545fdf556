"""Compose checks of ``environment``: a variable set twice in one service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.compose.model import dotted
from k8slint.findings import Hit

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.compose.model import ComposeProject
    from k8slint.registry import Context


def compose_environment_duplicate(project: ComposeProject, ctx: Context) -> Hits:
    for source in project.sources:
        services = source.raw.get("services") if isinstance(source.raw, dict) else None
        for name, service in (services or {}).items() if isinstance(services, dict) else ():
            env = service.get("environment") if isinstance(service, dict) else None
            if not isinstance(env, list):
                continue
            seen: dict[str, int] = {}
            for index, item in enumerate(env):
                key = str(item).partition("=")[0].strip()
                if key in seen:
                    path = ("services", name, "environment", index)
                    yield Hit(
                        dotted(path),
                        f"service {name} sets environment variable {key} twice (items {seen[key] + 1} and {index + 1}); the last one wins, so remove the other",
                        doc=source.doc,
                    )
                else:
                    seen[key] = index
