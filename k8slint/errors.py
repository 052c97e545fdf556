"""The exceptions k8slint raises to its users: each is one readable line, and the CLI exits 2 on it.

Bad input in a linted file is never an exception: it becomes a finding.
"""

from __future__ import annotations


class ConfigError(Exception):
    """A usage or configuration mistake; the CLI prints it and exits 2."""


class CatalogError(ConfigError):
    """A bad --kubernetes-version, a malformed --api-resources file or CRD path, missing package data."""


class BaselineError(Exception):
    """A baseline file that cannot be read; the CLI prints it and exits 2."""


class SourceError(Exception):
    """A source that cannot be read as text; the message names the reason, ``line`` where it is."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


class RuleDataError(Exception):
    """A rule file that is malformed: a bug in k8slint's own data."""
