"""What checks report (Hit, Edit) and what the engine hands to reporters (Finding)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from k8slint.documents import Document
    from k8slint.kube.model import K8sObject

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
EDIT_OPS = ("set", "rename", "delete")


@dataclass(frozen=True)
class Edit:
    """One mechanical change to a document, applied by ``k8slint fix``.

    ``op`` is one of: ``set`` (put ``value`` at ``path``, creating the key),
    ``rename`` (rename the key at ``path`` to ``value``, keeping its place),
    ``delete`` (remove the key or item at ``path``). ``set`` creates missing
    parent mappings, and its value may be a whole subtree (a dict or list):
    that is how a fix rewrites a shape, e.g. an Ingress backend. The edits of
    one hit apply in order, each to the result of the previous one.
    """

    op: str
    path: str
    value: Any = None


@dataclass(frozen=True)
class Hit:
    """A problem a check found, before the engine adds rule metadata and a position.

    ``path`` is dotted (``spec.template.spec.containers[0].image``); the
    position is that node's value, or its key when ``on_key`` is true (use it
    when the key itself is wrong). ``doc`` overrides the document to point
    into (cross-file rules such as compose merging). ``obj`` names the object
    an index check's hit is about (object checks get theirs from the engine);
    ``path`` and edits are then relative to it. ``edits`` make it fixable;
    ``unsafe`` marks edits that need ``--unsafe-fixes``. ``severity`` lowers
    the rule's severity for a case the check knows to be less certain (a
    configured severity still wins). ``versions``: in a run over several
    Kubernetes versions, the ones the hit holds for (empty: all of them).
    """

    path: str
    message: str
    fix_title: str | None = None
    on_key: bool = False
    edits: tuple[Edit, ...] = ()
    unsafe: bool = False
    doc: Document | None = None
    obj: K8sObject | None = None
    severity: str | None = None
    versions: tuple[str, ...] = ()


@dataclass
class Finding:
    """A reported problem with everything a reporter needs; positions are 1-based."""

    rule: str
    severity: str
    message: str
    file: str
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    document: int = 0
    object: str | None = None
    path: str = ""
    help: str | None = None
    edits: tuple[Edit, ...] = field(default=(), repr=False)
    unsafe: bool = False
    suppressed: bool = False
    versions: tuple[str, ...] = ()  # the target versions it holds for, when not all of a multi-version run

    def sort_key(self):
        return (self.file, self.line, self.column, self.rule, self.message)
