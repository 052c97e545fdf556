"""Owners: in a dump of live objects (``kubectl get deploy,rs,pod -o yaml``), each problem once, at the owner.

A controller renders its pod template into the objects it owns: a
Deployment's ReplicaSet, and that ReplicaSet's Pods, carry the same
containers, so one missing probe would be reported three times. An object
whose ``ownerReferences`` names a controller (``controller: true``) that is
in the run is the controller's output: its findings that one of its owners
(up the chain) already has — same rule, same place in the pod template or one
inside the other — are left out. What only the owned object has (its own status, a field the
template lacks) is still reported.
"""

from __future__ import annotations

from k8slint.findings import Finding
from k8slint.kube.model import K8sObject


def collapse(findings: list[Finding], objects: list[K8sObject]) -> list[Finding]:
    """The findings without those an owned object repeats from its owners."""
    owners = _owners(objects)
    if not owners:
        return findings
    refs = {(obj.doc.file, obj.ref): obj for obj in objects}
    by_object: dict[tuple[str, str], set] = {}
    for finding in findings:
        if finding.object is not None:
            by_object.setdefault((finding.file, finding.object), set()).add(_problem(finding, refs))
    kept = []
    for finding in findings:
        obj = refs.get((finding.file, finding.object)) if finding.object is not None else None
        if obj is not None and id(obj) in owners:
            problem = _problem(finding, refs)
            if any(
                _same(problem, known)
                for owner in _chain(obj, owners)
                for known in by_object.get((owner.doc.file, owner.ref), ())
            ):
                continue
        kept.append(finding)
    return kept


def _owners(objects: list[K8sObject]) -> dict[int, K8sObject]:
    """The controller of each owned object whose controller is in the run, by ``id`` of the owned object."""
    by_uid = {obj.metadata.get("uid"): obj for obj in objects if isinstance(obj.metadata.get("uid"), str)}
    by_name = {(obj.kind, obj.namespace, obj.name): obj for obj in objects}
    found = {}
    for obj in objects:
        references = obj.metadata.get("ownerReferences")
        if not isinstance(references, list):
            continue
        for reference in references:
            if not isinstance(reference, dict) or reference.get("controller") is not True:
                continue
            owner = by_uid.get(reference.get("uid")) or by_name.get(
                (reference.get("kind"), obj.namespace, reference.get("name"))
            )
            if owner is not None and owner is not obj:
                found[id(obj)] = owner
    return found


def _same(problem: tuple[str, str], known: tuple[str, str]) -> bool:
    """The same rule at the same node, or at one inside the other (a Pod's defaulted ``resources: {}`` is its container's)."""
    (rule, path), (known_rule, known_path) = problem, known
    return rule == known_rule and (_within(path, known_path) or _within(known_path, path))


def _within(path: str, outer: str) -> bool:
    return path == outer or path.startswith((outer + ".", outer + "["))


def _chain(obj: K8sObject, owners: dict[int, K8sObject]) -> list[K8sObject]:
    """The owners of ``obj``, nearest first (a cycle of references ends the chain)."""
    chain, seen = [], {id(obj)}
    while id(obj) in owners and id(owners[id(obj)]) not in seen:
        obj = owners[id(obj)]
        seen.add(id(obj))
        chain.append(obj)
    return chain


def _problem(finding: Finding, refs: dict) -> tuple[str, str]:
    """A finding's rule and its place relative to the object's pod template (the same for a Deployment and its Pods)."""
    obj = refs.get((finding.file, finding.object))
    path = finding.path
    if obj is None:
        return finding.rule, path
    if obj.base:
        path = path[len(obj.base) :].lstrip(".")
    template = obj.pod_spec_path.rpartition(".")[0] if obj.pod_spec_path else None
    if template is None:
        return finding.rule, path
    if template == "":
        return finding.rule, "template:" + path
    if path == template or path.startswith(template + "."):
        return finding.rule, "template:" + path[len(template) :].lstrip(".")
    return finding.rule, path
