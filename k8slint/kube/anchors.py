"""Where cross-file rules usually report on an object: paths worth placing while its node tree is in memory.

Cross-file rules run once every file is linted, when the node trees are gone
(workers send back data, not trees); placing one of their findings then means
reading its document again. The worker that parses a file places these paths
at once (``place``): the references a pod spec makes (missing
ConfigMaps, Secrets, ServiceAccounts), selectors that match nothing, quota
limits, names. A hint only: a finding anywhere else is placed by re-reading,
at the same position.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

from k8slint.documents import Span, child_path
from k8slint.kube.workloads import pod_references

# kind -> (path, on_key) of the selector its cross-file rule reports
_SELECTORS = {
    "Service": ("spec.selector", False),
    "PodDisruptionBudget": ("spec.selector", True),
    "NetworkPolicy": ("spec.podSelector", True),
}


def anchors(obj) -> Iterator[tuple[str, bool]]:
    """``(path, on_key)`` places in ``obj`` (relative to it) that cross-file rules often report."""
    yield "metadata.name", False
    for container in obj.containers():
        yield container.path, False
    for ref in pod_references(obj):
        yield ref.path, False
        if ref.key is not None:
            yield ref.path.rsplit(".", 1)[0] + ".key", False
    if obj.kind in _SELECTORS:
        yield _SELECTORS[obj.kind]
    elif obj.kind == "ResourceQuota":
        spec = obj.data.get("spec")
        hard = spec.get("hard") if isinstance(spec, dict) else None
        for key in hard if isinstance(hard, dict) else ():
            if isinstance(key, str):
                yield child_path("spec.hard", key), False
    elif obj.kind == "HorizontalPodAutoscaler":
        yield "spec.scaleTargetRef.name", False
    elif obj.kind == "StatefulSet":
        yield "spec.serviceName", False


def place(obj) -> None:
    """Place ``obj``'s anchors while its document's node tree is in memory (in the worker that parsed it)."""
    spans = array("i")
    for path, on_key in anchors(obj):
        span = obj.doc.locate(obj.full_path(path), on_key)
        spans.extend((span.line, span.column, span.end_line, span.end_column))
    obj.anchored = spans


def anchored_span(obj, path: str, on_key: bool) -> Span | None:
    """The span of ``path`` in ``obj`` placed by ``place``, or None when it was not an anchor."""
    if not obj.anchored:
        return None
    for i, anchor in enumerate(anchors(obj)):
        if anchor == (path, on_key):
            return Span(*obj.anchored[4 * i : 4 * i + 4])
    return None


def locate(obj, path: str = "", on_key: bool = False) -> Span:
    """Where ``path`` (relative to ``obj``) is in its file: an anchored place without reading the file again."""
    return anchored_span(obj, path, on_key) or obj.doc.locate(obj.full_path(path), on_key)
