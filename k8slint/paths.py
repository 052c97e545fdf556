"""Where k8slint's bundled data lives, installed (wheel) or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def rules_dir() -> Path:
    """The rule and knowledge-base data: ``k8slint/rules`` in a wheel, ``rules/`` in a checkout."""
    bundled = _PACKAGE / "rules"
    return bundled if bundled.is_dir() else _PACKAGE.parent / "rules"


def data_dir() -> Path:
    """Generated tables and schemas that ship inside the package."""
    return _PACKAGE / "data"
