"""Controller settings the API server rejects: rollout strategy, restart policy, cron schedule, DaemonSet replicas."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import integer, mapping
from k8slint.checks.jobs import job_spec_hits
from k8slint.documents import child_path
from k8slint.findings import Hit
from k8slint.kube.cron import schedule_error
from k8slint.kube.formats import PERCENT_ERROR, negative, percent_value, time_zone_error, time_zone_unknown
from k8slint.kube.labelsyntax import selector_problems
from k8slint.kube.model import dig
from k8slint.kube.workloads import LONG_RUNNING, RUN_TO_COMPLETION, WORKLOAD_GROUPS
from k8slint.placeholders import has_placeholder, is_substitution, is_template_value

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


# kind -> (the validation function, the path of its controller spec, its whole-number fields that must not be negative)
CONTROLLER_SPECS = {
    "Deployment": (
        "ValidateDeploymentSpec",
        "spec",
        ("replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"),
    ),
    "ReplicaSet": ("ValidateReplicaSetSpec", "spec", ("replicas", "minReadySeconds")),
    "ReplicationController": ("ValidateReplicationControllerSpec", "spec", ("replicas", "minReadySeconds")),
    "DaemonSet": ("ValidateDaemonSetSpec", "spec", ("minReadySeconds", "revisionHistoryLimit")),
    "StatefulSet": (
        "ValidateStatefulSetSpec",
        "spec",
        ("replicas", "minReadySeconds", "ordinals.start", "updateStrategy.rollingUpdate.partition"),
    ),
    "Job": (
        "validateJobSpec",
        "spec",
        (
            "parallelism",
            "completions",
            "activeDeadlineSeconds",
            "backoffLimit",
            "ttlSecondsAfterFinished",
            "backoffLimitPerIndex",
            "maxFailedIndexes",
        ),
    ),
    "CronJob": (
        "validateCronJobSpec",
        "spec",
        ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"),
    ),
}
JOB_TEMPLATE_FIELDS = CONTROLLER_SPECS["Job"][2]
PROGRESS_DEADLINE_DEFAULT = 600


def workload_spec_invalid(obj: K8sObject, ctx: Context) -> Hits:
    if obj.kind not in CONTROLLER_SPECS or obj.group not in WORKLOAD_GROUPS:
        return
    if not isinstance(obj.data.get("spec"), dict):
        return
    function, _, fields = CONTROLLER_SPECS[obj.kind]
    spec = obj.data["spec"]
    yield from _negative_fields(spec, "spec", fields, function)
    if obj.kind != "ReplicationController":  # matchLabels are invalid-label's (it reads every kind's selector)
        for path, message in selector_problems(spec.get("selector"), "spec.selector", match_labels=False):
            yield Hit(path, f"{message} (ValidateLabelSelector)")
    if obj.kind == "CronJob":
        yield from _negative_fields(
            dig(spec, "jobTemplate.spec"), "spec.jobTemplate.spec", JOB_TEMPLATE_FIELDS, "validateJobSpec"
        )
        yield from _time_zone(obj, spec)
    if obj.kind in LONG_RUNNING and obj.pod_spec is not None and obj.pod_spec.get("activeDeadlineSeconds") is not None:
        where = child_path(obj.pod_spec_path, "activeDeadlineSeconds")
        yield Hit(
            where,
            f"{where}: Forbidden: activeDeadlineSeconds in {obj.kind} is not Supported ({function}); a pod of a "
            "controller that keeps pods running must not have a deadline: remove it",
            on_key=True,
        )
    if obj.kind == "Deployment":
        yield from _deployment(spec, defaulted=obj.api_version == "apps/v1" and not obj.role.partial)
    elif obj.kind == "DaemonSet":
        yield from _daemonset(spec)
    elif obj.kind == "StatefulSet":
        yield from _statefulset(spec)
    elif obj.kind in ("Job", "CronJob"):
        job_path = "spec" if obj.kind == "Job" else "spec.jobTemplate.spec"
        job = dig(obj.data, job_path)
        if isinstance(job, dict):
            yield from job_spec_hits(obj, job, job_path)


def _negative_fields(spec, base: str, fields, function: str) -> Hits:
    for field in fields:
        value = dig(spec, field)
        if negative(value):
            where = f"{base}.{field}"
            yield Hit(
                where,
                f"{where}: Invalid value: {value}: must be greater than or equal to 0 ({function}); use 0 or a "
                "positive number",
            )


def int_or_percent(container: dict, base: str, field: str, function: str, at_most_100: bool) -> Hits:
    """``ValidatePositiveIntOrPercent`` and ``IsNotMoreThan100Percent`` for one field."""
    if field not in container:
        return
    value, where = container[field], f"{base}.{field}"
    if isinstance(value, str) and not has_placeholder(value) and not is_substitution(value):
        percent = percent_value(value)
        if percent is None:
            hint = f" (write {value}% or the number {value} without quotes)" if value.isdigit() else ""
            yield Hit(where, f'{where}: Invalid value: "{value}": {PERCENT_ERROR} ({function}){hint}')
        elif at_most_100 and percent > 100:
            yield Hit(
                where,
                f'{where}: Invalid value: "{value}": must not be greater than 100% ({function}); use at most 100%',
            )
    elif negative(value):
        yield Hit(where, f"{where}: Invalid value: {value}: must be greater than or equal to 0 ({function})")


def _amount(value, default) -> int | None:
    """The number in an int-or-percent (``"25%"`` -> 25), the default when unset, None when it is not one."""
    if value is None:
        return default
    number = integer(value)
    return number if number is not None else percent_value(value)


def _deployment(spec: dict, defaulted: bool) -> Hits:
    strategy = mapping(spec, "strategy")
    kind = strategy.get("type", "RollingUpdate")
    if kind == "Recreate" and strategy.get("rollingUpdate") is not None:
        yield Hit(
            "spec.strategy.rollingUpdate",
            "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate' "
            "(ValidateDeploymentStrategy); remove rollingUpdate or use type: RollingUpdate",
            on_key=True,
        )
    rolling = mapping(strategy, "rollingUpdate")
    base = "spec.strategy.rollingUpdate"
    yield from int_or_percent(rolling, base, "maxUnavailable", "ValidateRollingUpdateDeployment", at_most_100=True)
    yield from int_or_percent(rolling, base, "maxSurge", "ValidateRollingUpdateDeployment", at_most_100=False)
    deadline = spec.get("progressDeadlineSeconds")
    ready = integer(spec.get("minReadySeconds")) or 0
    effective = integer(deadline) if deadline is not None else PROGRESS_DEADLINE_DEFAULT if defaulted else None
    if effective is not None and effective >= 0 and effective <= ready:
        where = "spec.progressDeadlineSeconds" if deadline is not None else "spec.minReadySeconds"
        yield Hit(
            where,
            f"spec.progressDeadlineSeconds: Invalid value: {effective}: must be greater than minReadySeconds "
            f"({ready}) (ValidateDeploymentSpec); raise progressDeadlineSeconds or lower minReadySeconds",
        )


def _daemonset(spec: dict) -> Hits:
    strategy = mapping(spec, "updateStrategy")
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return
    rolling = mapping(strategy, "rollingUpdate")
    base = "spec.updateStrategy.rollingUpdate"
    yield from int_or_percent(rolling, base, "maxUnavailable", "ValidateRollingUpdateDaemonSet", at_most_100=True)
    yield from int_or_percent(rolling, base, "maxSurge", "ValidateRollingUpdateDaemonSet", at_most_100=True)
    unavailable, surge = _amount(rolling.get("maxUnavailable"), 1), _amount(rolling.get("maxSurge"), 0)
    if unavailable and surge:  # both zero is deployment-rollout-stuck's
        yield Hit(
            f"{base}.maxSurge",
            f"{base}.maxSurge: Invalid value: {rolling.get('maxSurge')!r}: may not be set when maxUnavailable is "
            f"non-zero (ValidateRollingUpdateDaemonSet; maxUnavailable is {rolling.get('maxUnavailable', 1)!r}"
            f"{'' if 'maxUnavailable' in rolling else ' by default'}); set maxUnavailable: 0 to surge",
        )


def _statefulset(spec: dict) -> Hits:
    strategy = mapping(spec, "updateStrategy")
    base = "spec.updateStrategy.rollingUpdate"
    if strategy.get("type") == "OnDelete" and strategy.get("rollingUpdate") is not None:
        yield Hit(
            base,
            f"{base}: Invalid value: only allowed for updateStrategy 'RollingUpdate' (ValidateStatefulSetSpec); "
            "remove rollingUpdate or use type: RollingUpdate",
            on_key=True,
        )
        return
    rolling = mapping(strategy, "rollingUpdate")
    yield from int_or_percent(rolling, base, "maxUnavailable", "validateRollingUpdateStatefulSet", at_most_100=True)
    if "maxUnavailable" in rolling and _amount(rolling["maxUnavailable"], None) == 0:
        yield Hit(
            f"{base}.maxUnavailable",
            f"{base}.maxUnavailable: Invalid value: {rolling['maxUnavailable']!r}: cannot be 0 "
            "(validateRollingUpdateStatefulSet); use at least 1 or remove it",
        )


def _time_zone(obj: K8sObject, spec: dict) -> Hits:
    zone = spec.get("timeZone")
    if not isinstance(zone, str) or is_template_value(obj, "spec.timeZone", zone):
        return
    reason = time_zone_error(zone)
    if reason:
        yield Hit("spec.timeZone", f'spec.timeZone: Invalid value: "{zone}": {reason} (validateTimeZone)')
    elif time_zone_unknown(zone):
        yield Hit(
            "spec.timeZone",
            f'spec.timeZone: "{zone}" is not in the IANA time zone database k8slint knows; validateTimeZone '
            "refuses a zone the API server's database lacks (time.LoadLocation); use a name such as "
            "Europe/Berlin or America/New_York",
            severity="warning",
        )
