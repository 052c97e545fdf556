"""Controller settings the API server rejects: rollout strategy, restart policy, cron schedule, DaemonSet replicas."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import mapping
from k8slint.documents import child_path
from k8slint.findings import Hit
from k8slint.kube.cron import schedule_error
from k8slint.kube.model import dig
from k8slint.kube.workloads import LONG_RUNNING, RUN_TO_COMPLETION

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

# kind -> (strategy path, maxSurge default, maxUnavailable default)
STRATEGIES = {
    "Deployment": ("spec.strategy", "25%", "25%"),
    "DaemonSet": ("spec.updateStrategy", 0, 1),
}


def deployment_rollout_stuck(obj: K8sObject, ctx: Context) -> Hits:
    strategy_path, surge_default, unavailable_default = STRATEGIES[obj.kind]
    strategy = dig(obj.data, strategy_path)
    strategy = strategy if isinstance(strategy, dict) else {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return
    rolling = mapping(strategy, "rollingUpdate")
    surge = rolling.get("maxSurge", surge_default)
    unavailable = rolling.get("maxUnavailable", unavailable_default)
    if _is_zero(surge) and _is_zero(unavailable):
        yield Hit(
            f"{strategy_path}.rollingUpdate.maxUnavailable",
            f"maxUnavailable is {unavailable} while maxSurge is {surge}, so a rollout can neither add nor "
            "remove a pod (the API server rejects it: may not be 0 when maxSurge is 0); set maxSurge or "
            "maxUnavailable to at least 1",
        )


def _is_zero(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value == 0
    return isinstance(value, str) and value.strip().rstrip("%").strip() in ("0", "00")


def job_restart_policy(obj: K8sObject, ctx: Context) -> Hits:
    if obj.pod_spec is None:
        return
    policy = obj.pod_spec.get("restartPolicy")
    path = child_path(obj.pod_spec_path, "restartPolicy")
    if obj.kind in RUN_TO_COMPLETION:
        if policy is None:
            if obj.role.partial:
                return  # a kustomize patch: the object it patches has the restartPolicy
            yield Hit(
                obj.pod_spec_path,
                f"the pod template of this {obj.kind} sets no restartPolicy, which the API server rejects for "
                'Jobs (Required value: valid values: "OnFailure", "Never"); set restartPolicy: OnFailure or '
                "Never",
                on_key=True,
            )
        elif policy not in ("OnFailure", "Never"):
            yield Hit(
                path,
                f'restartPolicy "{policy}" is not allowed in a {obj.kind} pod template (valid values: '
                '"OnFailure", "Never"); use OnFailure or Never',
            )
    elif obj.kind in LONG_RUNNING and policy is not None and policy != "Always":
        yield Hit(
            path,
            f'restartPolicy "{policy}" is not allowed in a {obj.kind} pod template (supported values: '
            '"Always"); remove it or set Always — use a Job for run-to-completion work',
        )


def cronjob_schedule(obj: K8sObject, ctx: Context) -> Hits:
    spec = obj.data.get("spec")
    if not isinstance(spec, dict) or "schedule" not in spec:
        return
    reason = schedule_error(spec["schedule"])
    if reason:
        yield Hit(
            "spec.schedule",
            f"schedule {spec['schedule']!r} is rejected by the API server: {reason}; use five "
            "fields (minute hour day-of-month month day-of-week) or a macro such as @hourly",
        )


def daemonset_replicas(obj: K8sObject, ctx: Context) -> Hits:
    spec = obj.data.get("spec")
    if isinstance(spec, dict) and "replicas" in spec:
        yield Hit(
            "spec.replicas",
            "a DaemonSet has no spec.replicas (it runs one pod on every eligible node; strict validation "
            'rejects it as unknown field "spec.replicas"); remove it and use a nodeSelector or affinity '
            "to choose the nodes",
            on_key=True,
        )
