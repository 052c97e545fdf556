"""Which files of a run's context (``--context DIR``) the findings of the linted files depend on.

A cross-file rule looks for what an object refers to among the objects of its
own directory and the directories below it (``Index``), so the findings of a
few files given with ``--context`` of a large tree are those of linting their
directories, plus what every object of a run knows about wherever it is
defined (``run_wide``). The other files of the context are neither read nor
indexed: a pre-commit run over five staged files costs five files and their
directories, not the tree.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from k8slint.index import RUN_WIDE_KINDS


class Focus:
    """The directories of some files, and whether another file lies in one of them or below."""

    def __init__(self, paths: Iterable[str]):
        self._cwd = os.getcwd()  # asked about every file of a tree: the working directory is read once
        self.tops = tuple(sorted({os.path.join(os.path.dirname(self._absolute(path)), "") for path in paths}))

    def _absolute(self, path: str) -> str:
        return os.path.normpath(os.path.join(self._cwd, path))

    def within(self, path: str) -> bool:
        return self._absolute(path).startswith(self.tops)


def run_wide(result) -> bool:
    """Whether one file's result (``engine.FileResult``) holds something every object of a run sees.

    That is an object of ``RUN_WIDE_KINDS`` (CRDs, webhooks, admission
    policies, namespaces), or a compose file that pulls in other files
    (``include``, ``extends`` with a ``file``): the projects it builds report
    on the files it pulls in, wherever they are.
    """
    return any(obj.kind in RUN_WIDE_KINDS for obj in result.objects) or any(
        _pulls_in(doc.data) for doc in result.compose_documents
    )


def takes_params(results: Iterable) -> bool:
    """Whether an admission policy among ``results`` takes parameters: they may be any object, anywhere in the run."""
    return any(
        obj.kind == "ValidatingAdmissionPolicy"
        and isinstance(obj.data.get("spec"), dict)
        and obj.data["spec"].get("paramKind")
        for result in results
        for obj in result.objects
    )


def _pulls_in(data) -> bool:
    if not isinstance(data, dict):
        return False
    if data.get("include"):
        return True
    services = data.get("services")
    return isinstance(services, dict) and any(
        isinstance(service, dict) and isinstance(service.get("extends"), dict) and "file" in service["extends"]
        for service in services.values()
    )
