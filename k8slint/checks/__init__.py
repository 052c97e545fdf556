"""Checks, one module per topic; a rule file names its check as ``check: k8slint.checks.<module>:<function>``.

The three kinds of check, by the rule's ``scope``; every check yields ``Hit``s
(an index check names the object each hit is about with ``Hit(obj=...)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from k8slint.findings import Hit

if TYPE_CHECKING:
    from k8slint.compose.model import ComposeProject
    from k8slint.index import Index
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

Hits = Iterator[Hit]
ObjectCheck = Callable[["K8sObject", "Context"], Hits]
"""Gets each object its rule applies to, in the worker that parsed it."""
IndexCheck = Callable[["Index", "Context"], Hits]
"""Gets every object of the run at once, in the main process."""
ComposeCheck = Callable[["ComposeProject", "Context"], Hits]
"""Gets each Compose project (files merged like ``docker compose config``)."""
CHECK_TYPES = {"object": ObjectCheck, "index": IndexCheck, "compose": ComposeCheck}
SUBJECTS = {"object": "K8sObject", "index": "Index", "compose": "ComposeProject"}
