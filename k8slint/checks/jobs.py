"""What ``validateJobSpec``, ``validateGeneratedSelector`` and ``ValidateJobTemplateSpec`` (pkg/apis/batch/validation)
refuse beyond counts.

Called by workload-spec-invalid for a Job and for a CronJob's job template;
a hit's path is relative to the object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import integer
from k8slint.findings import Hit
from k8slint.kube.formats import dns_label_error
from k8slint.kube.model import dig
from k8slint.kube.selectors import matches

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject

MAX_INDEXED_PARALLELISM = 100_000
# the labels the API server puts on a Job's pods when it generates the selector (the uid is unknown before create)
_GENERATED = ("controller-uid", "batch.kubernetes.io/controller-uid", "job-name", "batch.kubernetes.io/job-name")


def job_spec_hits(obj: K8sObject, job: dict, base: str) -> Hits:
    indexed = job.get("completionMode") == "Indexed"
    completions, parallelism = integer(job.get("completions")), integer(job.get("parallelism"))
    if indexed and job.get("completions") is None:
        yield Hit(
            base,
            f"{base}.completions: Required value: when completion mode is Indexed (validateJobSpec); set "
            "completions to the number of indexes",
            on_key=True,
        )
    if indexed and parallelism is not None and parallelism > MAX_INDEXED_PARALLELISM:
        yield Hit(
            f"{base}.parallelism",
            f"{base}.parallelism: Invalid value: {parallelism}: must be less than or equal to "
            f"{MAX_INDEXED_PARALLELISM} when completion mode is Indexed (validateJobSpec)",
        )
    per_index, max_failed = job.get("backoffLimitPerIndex"), job.get("maxFailedIndexes")
    if max_failed is not None and per_index is None:
        yield Hit(
            f"{base}.maxFailedIndexes",
            f"{base}.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified (validateJobSpec)",
            on_key=True,
        )
    for field in ("backoffLimitPerIndex", "maxFailedIndexes", "successPolicy"):
        if job.get(field) is not None and not indexed:
            yield Hit(
                f"{base}.{field}",
                f"{base}.{field}: Invalid value: requires indexed completion mode (validateJobSpec); set "
                "completionMode: Indexed and completions",
                on_key=True,
            )
    if indexed and integer(max_failed) is not None and completions is not None and max_failed > completions:
        yield Hit(
            f"{base}.maxFailedIndexes",
            f"{base}.maxFailedIndexes: Invalid value: {max_failed}: must be less than or equal to completions "
            f"({completions}) (validateJobSpec)",
        )
    restart = dig(job, "template.spec.restartPolicy")
    if job.get("podFailurePolicy") is not None and restart == "OnFailure":
        yield Hit(
            f"{base}.template.spec.restartPolicy",
            f'{base}.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when '
            "podFailurePolicy is specified (validateJobSpec)",
        )
    if obj.kind == "Job" and not obj.role.partial:
        yield from _job_name(obj, indexed, completions)
        yield from _generated_selector(obj, job)
    elif obj.kind == "CronJob":
        yield from _template_selector(job, base)


def _job_name(obj: K8sObject, indexed: bool, completions: int | None) -> Hits:
    """``ValidateJob``: an Indexed Job's last pod hostname is ``<name>-<completions-1>``, a DNS label."""
    if not indexed or not completions or completions < 1 or not obj.name:
        return
    hostname = f"{obj.name}-{completions - 1}"
    if dns_label_error(hostname):
        yield Hit(
            "metadata.name",
            f'metadata.name: Invalid value: "{obj.name}": will not able to create pod with invalid DNS label: '
            f"{hostname} (ValidateJob); shorten the name to at most {62 - len(str(completions - 1))} characters",
        )


def _generated_selector(obj: K8sObject, job: dict) -> Hits:
    """``validateGeneratedSelector``: without ``manualSelector: true`` the API server writes the selector itself."""
    selector = job.get("selector")
    if job.get("manualSelector") is True or not isinstance(selector, dict) or not selector:
        return
    expected = {key: obj.name if key.endswith("job-name") else "\0uid" for key in _GENERATED}
    if not matches(selector, expected):
        yield Hit(
            "spec.selector",
            "spec.selector: Invalid value: `selector` not auto-generated (validateGeneratedSelector); remove "
            "spec.selector and let the API server generate it, or set spec.manualSelector: true",
            on_key=True,
        )


def _template_selector(job: dict, base: str) -> Hits:
    """``ValidateJobTemplateSpec``: every Job a CronJob creates gets a generated selector, so its template has none."""
    if job.get("selector") is not None:
        yield Hit(
            f"{base}.selector",
            f"{base}.selector: Invalid value: `selector` will be auto-generated (ValidateJobTemplateSpec); remove "
            "it: the Jobs a CronJob creates select their pods by their own uid",
            on_key=True,
        )
    if job.get("manualSelector") is True:
        yield Hit(
            f"{base}.manualSelector",
            f'{base}.manualSelector: Unsupported value: true: supported values: "nil", "false" '
            "(ValidateJobTemplateSpec); remove it",
        )
