"""ValidatingAdmissionPolicies of the run (and ``--policy-dir``) evaluated against the objects they match."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.registry import Context

BINDING = "ValidatingAdmissionPolicyBinding"


def admission_policy_denied(index: Index, ctx: Context) -> Hits:
    if not ctx.settings.policies and not any(obj.kind == BINDING for obj in index.objects):
        return  # a policy binds nothing without a binding: the evaluation machinery is not even loaded
    from k8slint.checks.admission_run import Run, no_engine
    from k8slint.kube.admission import bound_policies, load_policy_files

    extra = load_policy_files(tuple(ctx.settings.policies))
    everything = [*index.objects, *extra]
    policies = bound_policies(everything)
    if not policies:
        return
    from k8slint.kube.cel import available

    if not available():
        yield from no_engine(policies, index)
        return
    run = Run(index, ctx, everything, policies)
    yield from run.policy_problems()
    for obj in index.objects:
        if obj.kind and obj.api_version and not (obj.role.partial or obj.role.template):
            yield from run.check(obj)
