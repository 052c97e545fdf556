"""The evaluation of a run's ValidatingAdmissionPolicies (``admission.admission_policy_denied``), loaded only when
the run binds one."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from k8slint.checks.api import custom_kinds
from k8slint.findings import Hit
from k8slint.kube.admission import collect_params, known_namespaces, request_for, resources_match
from k8slint.kube.admission_eval import UNKNOWN_NAMESPACE, compile_policy, evaluate, plain
from k8slint.kube.workloads import describe

if TYPE_CHECKING:
    from k8slint.checks import Hits

ACTION_SEVERITY = {"Deny": "error", "Warn": "warning", "Audit": "info"}
_RANK = {"info": 0, "warning": 1, "error": 2}


class Run:
    """One evaluation of the policies over the objects of a run; says each "cannot evaluate offline" once."""

    def __init__(self, index, ctx, everything, policies):
        self.ctx = ctx
        self.policies = policies
        self.in_run = {id(obj) for obj in index.objects}
        self.custom = custom_kinds(index, ctx)
        self.namespaces = known_namespaces(everything)
        self.by_kind = defaultdict(list)  # (group, kind) -> objects: where params are looked for
        for obj in everything:
            self.by_kind[(obj.group, obj.kind)].append(obj)
        self.namespace_data = {obj.name: obj.data for obj in everything if obj.kind == "Namespace" and obj.group == ""}
        self.compiled = {policy.name: compile_policy(policy.spec) for policy in policies}
        self.said: set = set()  # what was said once: (policy, validation index) and (binding,)
        self._plain = (None, None)  # the object being checked, as JSON data

    def policy_problems(self) -> Hits:
        """An expression that does not compile, in a policy of the run (the API server refuses such a policy)."""
        for policy in self.policies:
            if id(policy.obj) not in self.in_run:
                continue
            for path, expression in self.compiled[policy.name].expressions():
                if expression.syntax:
                    yield Hit(
                        path,
                        f"ValidatingAdmissionPolicy {policy.name}: {expression.problem}, so the API server refuses "
                        "the policy (it compiles every expression on create); fix the CEL",
                        obj=policy.obj,
                        severity="warning",
                    )
                    self.said.add((policy.name, _index_of(path)))

    def check(self, obj) -> Hits:
        request = None
        for policy in self.policies:
            request = request or request_for(obj, self.ctx.catalog, self.custom)
            if resources_match(policy.spec.get("matchConstraints"), request, self.namespaces) is not True:
                continue  # not matched, or only in a namespace whose labels the run does not hold
            for binding in policy.bindings:
                if binding.match is not None and resources_match(binding.match, request, self.namespaces) is not True:
                    continue
                yield from self._bound(policy, binding, request)

    def _bound(self, policy, binding, request) -> Hits:
        obj = request.obj
        scope = self._param_scope(policy)
        kind = policy.param_kind
        candidates = self.by_kind.get((kind[0].rpartition("/")[0], kind[1]), []) if kind else []
        params = collect_params(policy, binding, request, candidates, scope)
        if params.missing:
            if (binding.name,) not in self.said:
                self.said.add((binding.name,))
                yield self._missing_params(policy, binding, obj, params)
            return
        if self._plain[0] is not obj:
            self._plain = (obj, plain(obj.data))
        activation = {
            "object": self._plain[1],
            "oldObject": None,
            "request": request.as_cel(),
            "namespaceObject": self._namespace_object(request),
        }
        seen = set()
        for param in params.found:
            for outcome in evaluate(self.compiled[policy.name], {**activation, "params": plain(param)}):
                hit = self._hit(policy, binding, obj, outcome)
                if hit is not None and hit.message not in seen:
                    seen.add(hit.message)
                    yield hit

    def _param_scope(self, policy):
        kind = policy.param_kind
        if kind is None:
            return None
        group = kind[0].rpartition("/")[0]
        defined = self.custom.get(group, {}).get(kind[1])
        return defined.namespaced if defined is not None else self.ctx.catalog.namespaced(group, kind[1])

    def _namespace_object(self, request):
        if not request.namespace or (request.group == "" and request.kind == "Namespace"):
            return None
        if not request.namespace_known:
            return UNKNOWN_NAMESPACE
        data = self.namespace_data.get(request.namespace)
        if data is None or self.namespaces.get(request.namespace) is None:
            return UNKNOWN_NAMESPACE
        return plain(data)

    def _hit(self, policy, binding, obj, outcome):
        names = f"ValidatingAdmissionPolicy '{policy.name}' with binding '{binding.name}'"
        severity = max((ACTION_SEVERITY.get(a, "info") for a in binding.actions), key=_RANK.get, default=None)
        if severity is None:
            return None
        what = describe(obj)
        action = severity
        filled = sorted(obj.role.filled)
        if filled:  # a kustomization changes it before it is applied: --kustomize checks what is applied
            severity = "info"
            what += f" as written (a kustomization sets its {', '.join(filled)}; --kustomize checks the result)"
        if outcome.status == "deny":
            if action == "error":
                text = f"{names} denied request: {outcome.message}, so the API server refuses {what}"
            elif action == "warning":
                text = f"Validation failed for {names}: {outcome.message}, so the API server warns on {what}"
            else:
                text = f"{names} audits a failed validation: {outcome.message}, so {what} is admitted and logged"
            return Hit("kind", f"{text}; change it to satisfy the policy", on_key=True, obj=obj, severity=severity)
        if outcome.status == "error":
            if policy.failure_policy == "Ignore":
                return None  # the API server admits it, and so does the offline check
            text = (
                f"{names}: {outcome.message} (evaluated on {what} as written, before the API server's defaults), "
                "so with failurePolicy Fail the API server refuses it; guard optional fields with has() in the "
                "policy, or set them in the object"
            )
            return Hit("kind", text, on_key=True, obj=obj, severity="info" if severity == "info" else "warning")
        key = (policy.name, outcome.index)
        if key in self.said:
            return None
        self.said.add(key)
        where = "matchConditions" if outcome.index < 0 else f"validation {outcome.index}"
        if outcome.status == "cost":
            where += f" (first for {describe(obj)})"
        anchor = policy.obj if id(policy.obj) in self.in_run else obj
        path = "spec.matchConditions" if outcome.index < 0 else f"spec.validations[{outcome.index}].expression"
        return Hit(
            path if anchor is policy.obj else "kind",
            f"ValidatingAdmissionPolicy {policy.name}: {where} is not checked offline: {outcome.message}; "
            "the API server evaluates it when the object is applied",
            on_key=anchor is not policy.obj,
            obj=anchor,
            severity="info",
        )

    def _missing_params(self, policy, binding, obj, params):
        anchor = binding.obj if id(binding.obj) in self.in_run else obj
        then = (
            "the API server refuses every object the binding matches when they are missing (parameterNotFoundAction Deny)"
            if params.deny
            else "without them the binding admits everything"
        )
        return Hit(
            "spec.paramRef" if anchor is binding.obj else "kind",
            f"ValidatingAdmissionPolicyBinding {binding.name} (policy {policy.name}) takes its params from "
            f"{params.missing}, which is not in the run, so it is not evaluated offline and {then}; "
            "lint the params too (or pass them with --policy-dir)",
            on_key=anchor is not binding.obj,
            obj=anchor,
            severity="info",
        )


def no_engine(policies, index) -> Hits:
    """Without the CEL engine (no wheel for this Python): once per policy of the run, nothing evaluated."""
    in_run = {id(obj) for obj in index.objects}
    for policy in policies:
        if id(policy.obj) in in_run:
            yield Hit(
                "kind",
                f"ValidatingAdmissionPolicy {policy.name} is not checked offline, so the objects it matches are "
                "not either: the CEL engine (cel-expr-python) is not installed; use Python 3.11 or later",
                on_key=True,
                obj=policy.obj,
                severity="info",
            )


def _index_of(path: str) -> int:
    """The validation index of a path in a policy (-1 for matchConditions and variables)."""
    if path.startswith("spec.validations["):
        return int(path[len("spec.validations[") : path.index("]")])
    return -1
