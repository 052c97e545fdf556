"""What the compose file can tell about a service's image: the local Dockerfile it is built from."""

from __future__ import annotations

import re
from pathlib import Path

from k8slint import observed

_HEALTHCHECK = re.compile(r"^\s*HEALTHCHECK\s+(?!NONE\b)", re.IGNORECASE | re.MULTILINE)
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*://|^git@|\.git(#|$)", re.IGNORECASE)


def local_dockerfile(project, service_path: tuple) -> Path | None:
    """The Dockerfile a service's ``build`` names when it is a readable local file, else None (unknown)."""
    service = project.services.get(service_path[-1], {})
    build = service.get("build")
    spec = {"context": build} if isinstance(build, str) else build if isinstance(build, dict) else None
    if spec is None or "dockerfile_inline" in spec or project.unresolved(service_path + ("build",)):
        return None
    context, dockerfile = spec.get("context", "."), spec.get("dockerfile", "Dockerfile")
    if not isinstance(context, str) or not isinstance(dockerfile, str) or _REMOTE.search(context):
        return None
    source, _ = project.origin(service_path + ("build",))
    path = (source.base_dir / context / dockerfile).resolve()
    return path if observed.is_file(path) else None


def has_healthcheck(dockerfile: Path) -> bool:
    """Whether a Dockerfile declares a HEALTHCHECK (``HEALTHCHECK NONE`` does not count)."""
    from k8slint.sources import SourceError, read_bytes

    try:
        return bool(_HEALTHCHECK.search(read_bytes(str(dockerfile)).decode("utf-8", errors="replace")))
    except SourceError:
        return True  # unreadable (or a FIFO, a device, too big): assume the best, as for images
