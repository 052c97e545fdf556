"""A seeded mutation suite: small changes to real manifests, each with the API server's verdict written beside it.

Every mutation class names the validation function whose code decides its
verdict (pkg/apis/{core,apps,batch,networking}/validation, the v1 defaulting
functions that run before it) and says whether the API server refuses the
result (``REFUSED``) or accepts it (``ACCEPTED``). Bases are the Kubernetes
documents of ../shared/corpus (kube-score, polaris, realworld) and
fixtures/valid that k8slint finds no error in; each case is one mutated base
in its own namespace and file. k8slint's verdict for a case is whether it
reports any error there.

    python tests/mutations.py write DIR     # write DIR/cases/*.yaml and DIR/cases.json
    python tests/mutations.py score DIR     # lint DIR with the k8slint on sys.path, print the matrix
"""

from __future__ import annotations

import copy
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
SOURCES = [SHARED / "kube-score", SHARED / "polaris", SHARED / "realworld", ROOT / "fixtures" / "valid"]
SEED = 16
PER_CLASS = 24
REFUSED, ACCEPTED = "refused", "accepted"

POD_PATHS = {
    "Pod": ("spec",),
    "ReplicationController": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
GROUPS = {
    "Pod": "v1", "ReplicationController": "v1", "Service": "v1", "ReplicaSet": "apps/v1", "Deployment": "apps/v1",
    "StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "Job": "batch/v1", "CronJob": "batch/v1",
    "Ingress": "networking.k8s.io/v1", "HorizontalPodAutoscaler": "autoscaling/v2",
    "PodDisruptionBudget": "policy/v1", "NetworkPolicy": "networking.k8s.io/v1", "ConfigMap": "v1", "Secret": "v1",
    "Role": "rbac.authorization.k8s.io/v1", "ClusterRole": "rbac.authorization.k8s.io/v1",
    "RoleBinding": "rbac.authorization.k8s.io/v1", "ClusterRoleBinding": "rbac.authorization.k8s.io/v1",
    "PersistentVolumeClaim": "v1", "PersistentVolume": "v1",
}  # fmt: skip
WITHOUT_SPEC = frozenset({"ConfigMap", "Secret", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})
POD_KINDS = frozenset(POD_PATHS)
LONG_RUNNING = frozenset({"ReplicationController", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet"})
JOBS = frozenset({"Job", "CronJob"})


@dataclass(frozen=True)
class MutationClass:
    name: str
    verdict: str
    function: str  # the validation (or defaulting) function whose code gives the verdict
    kinds: frozenset
    apply: Callable[[dict], bool]  # mutates a copy of a base in place; False when the base does not fit


CLASSES: list[MutationClass] = []


def mutation(name: str, verdict: str, function: str, kinds=POD_KINDS):
    def register(apply):
        CLASSES.append(MutationClass(name, verdict, function, frozenset(kinds), apply))
        return apply

    return register


# --- accessors -------------------------------------------------------------------------------------------


def pod(doc: dict) -> dict:
    node = doc
    for key in POD_PATHS[doc["kind"]]:
        node = node[key]
    return node


def main(doc: dict) -> dict:
    return pod(doc)["containers"][0]


def job(doc: dict) -> dict:
    return doc["spec"] if doc["kind"] == "Job" else doc["spec"]["jobTemplate"]["spec"]


def probe(doc: dict, field: str = "readinessProbe") -> dict:
    container = main(doc)
    if not isinstance(container.get(field), dict):
        container[field] = {"exec": {"command": ["true"]}}
    return container[field]


def add_port(doc: dict, **port) -> bool:
    main(doc).setdefault("ports", []).append(port)
    return True


def add_volume(doc: dict, volume: dict, mount_path: str | None = None) -> bool:
    pod(doc).setdefault("volumes", []).append(volume)
    if mount_path:
        main(doc).setdefault("volumeMounts", []).append({"name": volume["name"], "mountPath": mount_path})
    return True


def setter(path: Callable[[dict], dict], field: str, value) -> Callable[[dict], bool]:
    def apply(doc: dict) -> bool:
        path(doc)[field] = value
        return True

    return apply


def plain_service(doc: dict) -> bool:
    """A ClusterIP Service with a cluster IP, no external IPs and no type-dependent fields."""
    spec = doc["spec"]
    return (
        spec.get("type", "ClusterIP") == "ClusterIP"
        and spec.get("clusterIP") in (None, "")
        and not spec.get("clusterIPs")
        and not spec.get("externalIPs")
        and isinstance(spec.get("ports"), list)
        and all(isinstance(p, dict) and isinstance(p.get("port"), int) for p in spec["ports"])
    )


def strip_service(spec: dict) -> None:
    for field in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "externalTrafficPolicy",
                  "healthCheckNodePort", "loadBalancerSourceRanges", "allocateLoadBalancerNodePorts",
                  "loadBalancerIP", "loadBalancerClass", "externalIPs"):  # fmt: skip
        spec.pop(field, None)
    for port in spec.get("ports") or []:
        port.pop("nodePort", None)


def ingress_paths(doc: dict) -> list:
    return [
        item
        for rule in doc["spec"].get("rules") or []
        for item in ((rule.get("http") or {}).get("paths") or [])
        if isinstance(item, dict)
    ]


def first_path(doc: dict) -> dict | None:
    paths = ingress_paths(doc)
    return paths[0] if paths else None


# --- pod spec: validateContainers, validateContainerCommon, validateContainerPorts ---------------------------

mutation("container-name-not-dns-label", REFUSED, "validateContainerCommon")(setter(main, "name", "Main_Container"))
mutation("container-name-64-chars", REFUSED, "validateContainerCommon")(setter(main, "name", "c" * 64))
mutation("container-name-valid-label", ACCEPTED, "validateContainerCommon")(setter(main, "name", "renamed-1"))
mutation("containers-empty", REFUSED, "validateContainers")(setter(pod, "containers", []))
mutation("container-image-empty", REFUSED, "validateContainerCommon")(setter(main, "image", ""))


@mutation("container-image-missing", REFUSED, "validateContainerCommon")
def _(doc):
    main(doc).pop("image", None)
    return True


@mutation("container-name-duplicate", REFUSED, "validateContainers")
def _(doc):
    pod(doc)["containers"].append({"name": main(doc)["name"], "image": "busybox:1.36"})
    return True


@mutation("second-container-unique-name", ACCEPTED, "validateContainers")
def _(doc):
    pod(doc)["containers"].append({"name": "sidecar-m", "image": "busybox:1.36"})
    return True


mutation("container-port-70000", REFUSED, "validateContainerPorts")(lambda d: add_port(d, containerPort=70000))
mutation("container-port-zero", REFUSED, "validateContainerPorts")(lambda d: add_port(d, containerPort=0))
mutation("container-port-missing", REFUSED, "validateContainerPorts")(lambda d: add_port(d, name="extra"))
mutation("container-port-negative", REFUSED, "validateContainerPorts")(lambda d: add_port(d, containerPort=-1))
mutation("host-port-70000", REFUSED, "validateContainerPorts")(
    lambda d: add_port(d, containerPort=18080, hostPort=70000)
)
mutation("container-port-valid", ACCEPTED, "validateContainerPorts")(
    lambda d: add_port(d, containerPort=18080, name="extra-m")
)
mutation("port-name-numeric", REFUSED, "validateContainerPorts (IsValidPortName)")(
    lambda d: add_port(d, containerPort=18081, name="8080")
)
mutation("port-name-uppercase", REFUSED, "validateContainerPorts (IsValidPortName)")(
    lambda d: add_port(d, containerPort=18081, name="Metrics")
)


@mutation("port-name-duplicate", REFUSED, "validateContainerPorts")
def _(doc):
    return add_port(doc, containerPort=18081, name="dup-m") and add_port(doc, containerPort=18082, name="dup-m")


@mutation("host-network-host-port-mismatch", REFUSED, "validatePodHostNetworkDeps")
def _(doc):
    pod(doc)["hostNetwork"] = True
    return add_port(doc, containerPort=18080, hostPort=18081)


@mutation("host-network-host-port-zero", ACCEPTED, "SetDefaults_Pod / validatePodHostNetworkDeps")
def _(doc):
    pod(doc)["hostNetwork"] = True
    return add_port(doc, containerPort=18080, hostPort=0)


# --- probes: validateProbe, validateLivenessProbe, validateReadinessProbe, validateHandler --------------------

for _field in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
    mutation(f"probe-{_field}-negative", REFUSED, "validateProbe")(lambda d, f=_field: setter(probe, f, -1)(d))
mutation("probe-period-zero", ACCEPTED, "SetDefaults_Probe")(lambda d: setter(probe, "periodSeconds", 0)(d))
mutation("liveness-success-threshold-2", REFUSED, "validateLivenessProbe")(
    lambda d: setter(lambda x: probe(x, "livenessProbe"), "successThreshold", 2)(d)
)
mutation("readiness-termination-grace", REFUSED, "validateReadinessProbe")(
    lambda d: setter(probe, "terminationGracePeriodSeconds", 10)(d)
)
mutation("liveness-termination-grace-zero", REFUSED, "validateProbe")(
    lambda d: setter(lambda x: probe(x, "livenessProbe"), "terminationGracePeriodSeconds", 0)(d)
)
mutation("liveness-termination-grace-positive", ACCEPTED, "validateProbe")(
    lambda d: setter(lambda x: probe(x, "livenessProbe"), "terminationGracePeriodSeconds", 10)(d)
)


@mutation("probe-two-handlers", REFUSED, "validateHandler")
def _(doc):
    main(doc)["readinessProbe"] = {"exec": {"command": ["true"]}, "tcpSocket": {"port": 8080}}
    return True


@mutation("probe-no-handler", REFUSED, "validateHandler")
def _(doc):
    main(doc)["readinessProbe"] = {"periodSeconds": 5}
    return True


@mutation("init-container-probe", REFUSED, "validateInitContainers")
def _(doc):
    init = {"name": "init-m", "image": "busybox:1.36", "readinessProbe": {"exec": {"command": ["true"]}}}
    pod(doc).setdefault("initContainers", []).append(init)
    return True


@mutation("sidecar-probe", ACCEPTED, "validateInitContainers")
def _(doc):
    init = {"name": "init-m", "image": "busybox:1.36", "restartPolicy": "Always"}
    init["readinessProbe"] = {"exec": {"command": ["true"]}}
    pod(doc).setdefault("initContainers", []).append(init)
    return True


# --- pod fields, resources, env: ValidatePodSpec, ValidateResourceRequirements, ValidateEnv ------------------

mutation("active-deadline-zero", REFUSED, "ValidatePodSpec")(setter(pod, "activeDeadlineSeconds", 0))
mutation("active-deadline-in-controller", REFUSED, "ValidatePodTemplateSpecForReplicaSet / ValidateDaemonSetSpec",
         LONG_RUNNING)(setter(pod, "activeDeadlineSeconds", 30))  # fmt: skip
mutation("active-deadline-positive", ACCEPTED, "ValidatePodSpec", {"Pod", "Job", "CronJob"})(
    setter(pod, "activeDeadlineSeconds", 30)
)
mutation("termination-grace-zero", ACCEPTED, "ValidatePodSpec")(setter(pod, "terminationGracePeriodSeconds", 0))


@mutation("cpu-request-negative", REFUSED, "ValidateResourceRequirements (ValidateNonnegativeQuantity)")
def _(doc):
    main(doc).setdefault("resources", {}).setdefault("requests", {})["cpu"] = "-100m"
    return True


@mutation("memory-limit-negative", REFUSED, "ValidateResourceRequirements (ValidateNonnegativeQuantity)")
def _(doc):
    main(doc).setdefault("resources", {}).setdefault("limits", {})["memory"] = "-1Gi"
    return True


@mutation("env-name-with-equals", REFUSED, "ValidateEnv (IsRelaxedEnvVarName)")
def _(doc):
    main(doc).setdefault("env", []).append({"name": "A=B", "value": "x"})
    return True


@mutation("env-name-leading-digit", ACCEPTED, "ValidateEnv (IsRelaxedEnvVarName, Kubernetes 1.32+)")
def _(doc):
    main(doc).setdefault("env", []).append({"name": "1ST_VALUE", "value": "x"})
    return True


mutation("restart-policy-never-pod", ACCEPTED, "validateRestartPolicy", {"Pod"})(setter(pod, "restartPolicy", "Never"))
mutation("restart-policy-always-job", REFUSED, "validateJobSpec", JOBS)(setter(pod, "restartPolicy", "Always"))
mutation("restart-policy-onfailure-controller", REFUSED, "ValidatePodTemplateSpecForReplicaSet", LONG_RUNNING)(
    setter(pod, "restartPolicy", "OnFailure")
)

# --- volumes: ValidateVolumes, validateVolumeSource, ValidateVolumeMounts, SetDefaults_Volume ---------------

mutation("volume-two-sources", REFUSED, "validateVolumeSource")(
    lambda d: add_volume(d, {"name": "m-vol", "emptyDir": {}, "configMap": {"name": "m-config"}})
)
mutation("volume-no-source", ACCEPTED, "SetDefaults_Volume")(lambda d: add_volume(d, {"name": "m-vol"}, "/m-vol"))
mutation("volume-name-not-dns-label", REFUSED, "ValidateVolumes")(
    lambda d: add_volume(d, {"name": "Data_Vol", "emptyDir": {}})
)
mutation("volume-name-duplicate", REFUSED, "ValidateVolumes")(
    lambda d: add_volume(d, {"name": "m-vol", "emptyDir": {}}) and add_volume(d, {"name": "m-vol", "emptyDir": {}})
)
mutation("volume-mount-unknown-volume", REFUSED, "ValidateVolumeMounts")(
    lambda d: main(d).setdefault("volumeMounts", []).append({"name": "m-missing", "mountPath": "/m-missing"}) or True
)
mutation("volume-mount-known-volume", ACCEPTED, "ValidateVolumeMounts")(
    lambda d: add_volume(d, {"name": "m-vol", "emptyDir": {}}, "/m-vol")
)
mutation("volume-mount-path-duplicate", REFUSED, "ValidateVolumeMounts")(
    lambda d: (
        add_volume(d, {"name": "m-a", "emptyDir": {}}, "/m-dup")
        and add_volume(d, {"name": "m-b", "emptyDir": {}}, "/m-dup")
    )
)
mutation("default-mode-decimal-644", REFUSED, "validateSecretVolumeSource")(
    lambda d: add_volume(d, {"name": "m-vol", "secret": {"secretName": "m-secret", "defaultMode": 644}})
)
mutation("default-mode-octal-0644", ACCEPTED, "validateSecretVolumeSource")(
    lambda d: add_volume(d, {"name": "m-vol", "secret": {"secretName": "m-secret", "defaultMode": 0o644}})
)
mutation("empty-dir-size-negative", REFUSED, "validateVolumeSource")(
    lambda d: add_volume(d, {"name": "m-vol", "emptyDir": {"sizeLimit": "-1Gi"}})
)

# --- controllers: ValidateDeploymentSpec, ValidateRollingUpdateDeployment, ValidateDaemonSetSpec, … ---------

REPLICATED = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})
mutation("replicas-negative", REFUSED, "ValidateDeploymentSpec / ValidateReplicaSetSpec (ValidateNonnegativeField)",
         REPLICATED)(setter(lambda d: d["spec"], "replicas", -1))  # fmt: skip
mutation("replicas-zero", ACCEPTED, "ValidateNonnegativeField", REPLICATED)(setter(lambda d: d["spec"], "replicas", 0))
mutation("min-ready-negative", REFUSED, "ValidateNonnegativeField", LONG_RUNNING)(
    setter(lambda d: d["spec"], "minReadySeconds", -5)
)
mutation("revision-history-negative", REFUSED, "ValidateDeploymentSpec", {"Deployment", "DaemonSet"})(
    setter(lambda d: d["spec"], "revisionHistoryLimit", -1)
)


def strategy(rolling: dict, kind: str = "RollingUpdate") -> Callable[[dict], bool]:
    def apply(doc):
        field = "strategy" if doc["kind"] == "Deployment" else "updateStrategy"
        doc["spec"][field] = {"type": kind, "rollingUpdate": dict(rolling)}
        return True

    return apply


DEPLOYMENT = {"Deployment"}
mutation("max-surge-bare-string", REFUSED, "ValidatePositiveIntOrPercent", DEPLOYMENT)(strategy({"maxSurge": "1"}))
mutation("max-surge-percent", ACCEPTED, "ValidatePositiveIntOrPercent", DEPLOYMENT)(
    strategy({"maxSurge": "30%", "maxUnavailable": 0})
)
mutation("max-unavailable-over-100", REFUSED, "IsNotMoreThan100Percent", DEPLOYMENT)(
    strategy({"maxUnavailable": "150%"})
)
mutation("max-surge-over-100", ACCEPTED, "ValidateRollingUpdateDeployment", DEPLOYMENT)(strategy({"maxSurge": "200%"}))
mutation("max-surge-and-unavailable-zero", REFUSED, "ValidateRollingUpdateDeployment", DEPLOYMENT)(
    strategy({"maxSurge": 0, "maxUnavailable": 0})
)
mutation("max-unavailable-negative", REFUSED, "ValidatePositiveIntOrPercent", DEPLOYMENT)(
    strategy({"maxUnavailable": -1})
)
mutation("recreate-with-rolling-update", REFUSED, "ValidateDeploymentStrategy", DEPLOYMENT)(
    strategy({"maxSurge": 1}, "Recreate")
)


@mutation("progress-deadline-below-min-ready", REFUSED, "ValidateDeploymentSpec", DEPLOYMENT)
def _(doc):
    doc["spec"].pop("progressDeadlineSeconds", None)
    doc["spec"]["minReadySeconds"] = 700  # the apps/v1 default progressDeadlineSeconds is 600
    return True


@mutation("progress-deadline-above-min-ready", ACCEPTED, "ValidateDeploymentSpec", DEPLOYMENT)
def _(doc):
    doc["spec"].update(progressDeadlineSeconds=900, minReadySeconds=30)
    return True


DAEMONSET = {"DaemonSet"}
mutation("daemonset-surge-with-default-unavailable", REFUSED, "ValidateRollingUpdateDaemonSet", DAEMONSET)(
    strategy({"maxSurge": 1})
)
mutation("daemonset-surge-only", ACCEPTED, "ValidateRollingUpdateDaemonSet", DAEMONSET)(
    strategy({"maxSurge": 1, "maxUnavailable": 0})
)
mutation("daemonset-surge-over-100", REFUSED, "ValidateRollingUpdateDaemonSet", DAEMONSET)(
    strategy({"maxSurge": "150%", "maxUnavailable": 0})
)
STATEFULSET = {"StatefulSet"}
mutation("statefulset-max-unavailable-zero", REFUSED, "validateRollingUpdateStatefulSet", STATEFULSET)(
    strategy({"maxUnavailable": 0})
)
mutation("statefulset-partition-negative", REFUSED, "validateRollingUpdateStatefulSet", STATEFULSET)(
    strategy({"partition": -1})
)
mutation("statefulset-partition", ACCEPTED, "validateRollingUpdateStatefulSet", STATEFULSET)(strategy({"partition": 2}))
mutation("statefulset-ondelete-with-rolling-update", REFUSED, "ValidateStatefulSetSpec", STATEFULSET)(
    strategy({"partition": 0}, "OnDelete")
)

# --- jobs: validateJobSpec, validateCronJobSpec, validateTimeZone, validateScheduleFormat -------------------

for _field in ("parallelism", "completions", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished"):
    mutation(f"job-{_field}-negative", REFUSED, "validateJobSpec", JOBS)(setter(job, _field, -1))
mutation("job-ttl-zero", ACCEPTED, "validateJobSpec", JOBS)(setter(job, "ttlSecondsAfterFinished", 0))


@mutation("job-indexed-without-completions", REFUSED, "validateJobSpec", JOBS)
def _(doc):
    job(doc)["completionMode"] = "Indexed"
    job(doc).pop("completions", None)
    return True


@mutation("job-indexed-with-completions", ACCEPTED, "validateJobSpec", JOBS)
def _(doc):
    job(doc).update(completionMode="Indexed", completions=3)
    return True


CRONJOB = {"CronJob"}
spec_of = lambda doc: doc["spec"]  # noqa: E731
mutation("cronjob-time-zone-local", REFUSED, "validateTimeZone", CRONJOB)(setter(spec_of, "timeZone", "Local"))
mutation("cronjob-time-zone-empty", REFUSED, "validateTimeZone", CRONJOB)(setter(spec_of, "timeZone", ""))
mutation("cronjob-time-zone-offset", REFUSED, "validateTimeZone", CRONJOB)(setter(spec_of, "timeZone", "UTC+02:00"))
mutation("cronjob-time-zone-iana", ACCEPTED, "validateTimeZone", CRONJOB)(setter(spec_of, "timeZone", "Europe/Berlin"))
mutation("cronjob-schedule-minute-61", REFUSED, "validateScheduleFormat", CRONJOB)(
    setter(spec_of, "schedule", "61 * * * *")
)
mutation("cronjob-schedule-tz-prefix", REFUSED, "validateScheduleFormat", CRONJOB)(
    setter(spec_of, "schedule", "CRON_TZ=UTC 0 * * * *")
)
mutation("cronjob-schedule-macro", ACCEPTED, "validateScheduleFormat", CRONJOB)(setter(spec_of, "schedule", "@hourly"))
mutation("cronjob-starting-deadline-negative", REFUSED, "validateCronJobSpec", CRONJOB)(
    setter(spec_of, "startingDeadlineSeconds", -1)
)
mutation("cronjob-history-limit-zero", ACCEPTED, "validateCronJobSpec", CRONJOB)(
    setter(spec_of, "successfulJobsHistoryLimit", 0)
)

# --- Service: ValidateService, validateServicePort, validateServiceExternalTrafficPolicy --------------------

SERVICE = {"Service"}


def service_port(field: str, value, plain: bool = False) -> Callable[[dict], bool]:
    def apply(doc):
        ports = doc["spec"].get("ports")
        if not isinstance(ports, list) or not ports or not isinstance(ports[0], dict):
            return False
        if plain and not plain_service(doc):
            return False
        ports[0][field] = value
        return True

    return apply


mutation("service-target-port-numeric-string", REFUSED, "validateServicePort (ValidatePortNumOrName)", SERVICE)(
    service_port("targetPort", "8080")
)
mutation("service-target-port-number", ACCEPTED, "validateServicePort", SERVICE)(service_port("targetPort", 8080))
mutation("service-target-port-zero", ACCEPTED, "SetDefaults_Service", SERVICE)(service_port("targetPort", 0))
mutation("service-port-70000", REFUSED, "validateServicePort", SERVICE)(service_port("port", 70000))
mutation("service-port-name-uppercase", REFUSED, "validateServicePort", SERVICE)(service_port("name", "HTTP"))
mutation("service-node-port-on-cluster-ip", REFUSED, "ValidateService", SERVICE)(
    service_port("nodePort", 30080, plain=True)
)


@mutation("service-second-port-unnamed", REFUSED, "validateServicePort", SERVICE)
def _(doc):
    ports = doc["spec"].get("ports")
    if not isinstance(ports, list) or len(ports) != 1 or not isinstance(ports[0], dict):
        return False
    ports[0].pop("name", None)
    ports.append({"port": 18080})
    return True


@mutation("service-second-port-named", ACCEPTED, "validateServicePort", SERVICE)
def _(doc):
    ports = doc["spec"].get("ports")
    if not isinstance(ports, list) or len(ports) != 1 or not isinstance(ports[0], dict):
        return False
    ports[0]["name"] = "main"
    ports.append({"name": "extra", "port": 18080})
    return True


@mutation("service-port-duplicate", REFUSED, "ValidateService", SERVICE)
def _(doc):
    ports = doc["spec"].get("ports")
    if not isinstance(ports, list) or not ports or not isinstance(ports[0], dict):
        return False
    ports[0]["name"] = "main"
    ports.append({**ports[0], "name": "copy"})
    ports[-1].pop("nodePort", None)
    return True


@mutation("service-headless-node-port", REFUSED, "ValidateService", SERVICE)
def _(doc):
    if not plain_service(doc):
        return False
    doc["spec"].update(clusterIP="None", type="NodePort")
    return True


@mutation("service-headless", ACCEPTED, "ValidateService", SERVICE)
def _(doc):
    if not plain_service(doc):
        return False
    doc["spec"]["clusterIP"] = "None"
    return True


@mutation("service-ports-empty", REFUSED, "ValidateService", SERVICE)
def _(doc):
    if not plain_service(doc):
        return False
    doc["spec"]["ports"] = []
    return True


@mutation("service-headless-without-ports", ACCEPTED, "ValidateService", SERVICE)
def _(doc):
    if not plain_service(doc):
        return False
    doc["spec"].update(clusterIP="None", ports=[])
    return True


def external_name(name: str | None) -> Callable[[dict], bool]:
    def apply(doc):
        spec = doc["spec"]
        strip_service(spec)
        spec["type"] = "ExternalName"
        if name is None:
            spec.pop("externalName", None)
        else:
            spec["externalName"] = name
        return True

    return apply


mutation("service-external-name-missing", REFUSED, "ValidateService", SERVICE)(external_name(None))
mutation("service-external-name-url", REFUSED, "ValidateService", SERVICE)(external_name("https://db.example.com"))
mutation("service-external-name", ACCEPTED, "ValidateService", SERVICE)(external_name("db.example.com"))


@mutation("service-external-name-with-cluster-ip", REFUSED, "ValidateService", SERVICE)
def _(doc):
    external_name("db.example.com")(doc)
    doc["spec"]["clusterIP"] = "10.0.0.10"
    return True


@mutation("service-traffic-policy-on-cluster-ip", REFUSED, "validateServiceExternalTrafficPolicy", SERVICE)
def _(doc):
    if not plain_service(doc):
        return False
    doc["spec"]["externalTrafficPolicy"] = "Local"
    return True


@mutation("service-traffic-policy-on-node-port", ACCEPTED, "validateServiceExternalTrafficPolicy", SERVICE)
def _(doc):
    if not plain_service(doc):
        return False
    doc["spec"].update(type="NodePort", externalTrafficPolicy="Local")
    return True


@mutation("service-source-ranges-on-cluster-ip", REFUSED, "ValidateService", SERVICE)
def _(doc):
    if not plain_service(doc):
        return False
    doc["spec"]["loadBalancerSourceRanges"] = ["10.0.0.0/8"]
    return True


@mutation("service-affinity-config-without-client-ip", REFUSED, "ValidateService", SERVICE)
def _(doc):
    doc["spec"].pop("sessionAffinity", None)
    doc["spec"]["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 600}}
    return True


# --- Ingress: validateHTTPIngressPath, validateIngressBackend, validateIngressRules --------------------------

INGRESS = {"Ingress"}


def ingress_path(path=None, path_type=None, drop_type=False) -> Callable[[dict], bool]:
    def apply(doc):
        item = first_path(doc)
        if item is None:
            return False
        if path is not None:
            item["path"] = path
        if path_type is not None:
            item["pathType"] = path_type
        if drop_type:
            item.pop("pathType", None)
        return True

    return apply


mutation("ingress-prefix-path-relative", REFUSED, "validateHTTPIngressPath", INGRESS)(ingress_path("api", "Prefix"))
mutation("ingress-exact-path-double-slash", REFUSED, "validateHTTPIngressPath", INGRESS)(
    ingress_path("/api//v1", "Exact")
)
mutation("ingress-prefix-path-dot-segment", REFUSED, "validateHTTPIngressPath", INGRESS)(
    ingress_path("/api/../admin", "Prefix")
)
mutation("ingress-regex-implementation-specific", ACCEPTED, "validateHTTPIngressPath", INGRESS)(
    ingress_path("/api(/|$)(.*)", "ImplementationSpecific")
)
mutation("ingress-regex-prefix", ACCEPTED, "validateHTTPIngressPath", INGRESS)(ingress_path("/api(/|$)(.*)", "Prefix"))
mutation("ingress-relative-implementation-specific", REFUSED, "validateHTTPIngressPath", INGRESS)(
    ingress_path("api", "ImplementationSpecific")
)
mutation("ingress-path-type-missing", REFUSED, "validateHTTPIngressPath", INGRESS)(ingress_path(drop_type=True))


def ingress_port(port: dict) -> Callable[[dict], bool]:
    def apply(doc):
        item = first_path(doc)
        service = ((item or {}).get("backend") or {}).get("service")
        if not isinstance(service, dict):
            return False
        service["port"] = dict(port)
        return True

    return apply


mutation("ingress-port-name-and-number", REFUSED, "validateIngressBackend", INGRESS)(
    ingress_port({"name": "http", "number": 80})
)
mutation("ingress-port-numeric-name", REFUSED, "validateIngressBackend", INGRESS)(ingress_port({"name": "8080"}))
mutation("ingress-port-number-70000", REFUSED, "validateIngressBackend", INGRESS)(ingress_port({"number": 70000}))
mutation("ingress-port-empty", REFUSED, "validateIngressBackend", INGRESS)(ingress_port({}))


def ingress_host(host: str) -> Callable[[dict], bool]:
    def apply(doc):
        rules = doc["spec"].get("rules")
        if not isinstance(rules, list) or not rules or not isinstance(rules[0], dict):
            return False
        rules[0]["host"] = host
        return True

    return apply


mutation("ingress-host-ip", REFUSED, "validateIngressRules", INGRESS)(ingress_host("10.0.0.1"))
mutation("ingress-host-uppercase", REFUSED, "validateIngressRules", INGRESS)(ingress_host("Example.com"))
mutation("ingress-host-wildcard", ACCEPTED, "validateIngressRules", INGRESS)(ingress_host("*.example.com"))


@mutation("ingress-without-rules-or-default", REFUSED, "ValidateIngressSpec", INGRESS)
def _(doc):
    doc["spec"].pop("rules", None)
    doc["spec"].pop("defaultBackend", None)
    return True


# --- HorizontalPodAutoscaler: validateHorizontalPodAutoscalerSpec, validateMetricSpec, validateScalingRules -----

HPA = {"HorizontalPodAutoscaler"}


def hpa_metrics(*metrics) -> Callable[[dict], bool]:
    return setter(spec_of, "metrics", [copy.deepcopy(metric) for metric in metrics])


def hpa_behavior(**rules) -> Callable[[dict], bool]:
    return setter(spec_of, "behavior", {"scaleDown": copy.deepcopy(rules)})


def resource_metric(**target) -> dict:
    return {"type": "Resource", "resource": {"name": "cpu", "target": target}}


def hpa_replicas(low, high) -> Callable[[dict], bool]:
    def apply(doc):
        doc["spec"].update(minReplicas=low, maxReplicas=high)
        return True

    return apply


SCALE_DOWN = {"type": "Percent", "value": 50, "periodSeconds": 60}
mutation("hpa-min-replicas-zero", REFUSED, "validateHorizontalPodAutoscalerSpec (HPAScaleToZero off)", HPA)(
    setter(spec_of, "minReplicas", 0)
)
mutation("hpa-max-below-min", REFUSED, "validateHorizontalPodAutoscalerSpec", HPA)(hpa_replicas(5, 3))
mutation("hpa-min-equals-max", ACCEPTED, "validateHorizontalPodAutoscalerSpec", HPA)(hpa_replicas(3, 3))
mutation("hpa-target-name-slash", REFUSED, "ValidateCrossVersionObjectReference", HPA)(
    setter(lambda d: d["spec"]["scaleTargetRef"], "name", "web/api")
)
mutation("hpa-source-other-than-type", REFUSED, "validateMetricSpec", HPA)(
    hpa_metrics({"type": "Pods", "resource": resource_metric(type="Utilization", averageUtilization=50)["resource"]})
)
mutation("hpa-resource-utilization", ACCEPTED, "validateResourceSource", HPA)(
    hpa_metrics(resource_metric(type="Utilization", averageUtilization=60))
)
mutation("hpa-resource-value-only", REFUSED, "validateResourceSource", HPA)(
    hpa_metrics(resource_metric(type="Value", value="100m"))
)
mutation("hpa-utilization-type-average-value", ACCEPTED, "validateResourceSource / validateMetricTarget", HPA)(
    hpa_metrics(resource_metric(type="Utilization", averageValue="500m"))
)
mutation("hpa-utilization-zero", REFUSED, "validateMetricTarget", HPA)(
    hpa_metrics(resource_metric(type="Utilization", averageUtilization=0))
)
mutation("hpa-average-value-zero", REFUSED, "validateMetricTarget", HPA)(
    hpa_metrics(resource_metric(type="AverageValue", averageValue="0"))
)
mutation("hpa-pods-without-average-value", REFUSED, "validatePodsSource", HPA)(
    hpa_metrics({"type": "Pods", "pods": {"metric": {"name": "rps"}, "target": {"type": "Value", "value": "10"}}})
)
mutation("hpa-external-value-and-average", REFUSED, "validateExternalSource", HPA)(
    hpa_metrics(
        {"type": "External", "external": {"metric": {"name": "queue"},
                                           "target": {"type": "Value", "value": "30", "averageValue": "5"}}}
    )
)  # fmt: skip
mutation("hpa-external-value", ACCEPTED, "validateExternalSource", HPA)(
    hpa_metrics(
        {"type": "External", "external": {"metric": {"name": "queue"}, "target": {"type": "Value", "value": "30"}}}
    )
)
mutation("hpa-policy-period-3600", REFUSED, "validateScalingPolicy", HPA)(
    hpa_behavior(policies=[{**SCALE_DOWN, "periodSeconds": 3600}])
)
mutation("hpa-policy-period-1800", ACCEPTED, "validateScalingPolicy", HPA)(
    hpa_behavior(policies=[{**SCALE_DOWN, "periodSeconds": 1800}])
)
mutation("hpa-policy-value-zero", REFUSED, "validateScalingPolicy", HPA)(
    hpa_behavior(policies=[{**SCALE_DOWN, "value": 0}])
)
mutation("hpa-window-4000", REFUSED, "validateScalingRules", HPA)(hpa_behavior(stabilizationWindowSeconds=4000))
mutation("hpa-policies-empty", REFUSED, "validateScalingRules", HPA)(hpa_behavior(policies=[]))
mutation("hpa-select-disabled", ACCEPTED, "validateScalingRules (SetDefaults_HorizontalPodAutoscalerBehavior)", HPA)(
    hpa_behavior(selectPolicy="Disabled")
)
mutation("hpa-select-policy-unknown", REFUSED, "validateScalingRules", HPA)(hpa_behavior(selectPolicy="Maximum"))

# --- PodDisruptionBudget: ValidatePodDisruptionBudgetSpec, ValidateLabelSelector ---------------------------------

PDB = {"PodDisruptionBudget"}


def budget(**bounds) -> Callable[[dict], bool]:
    def apply(doc):
        spec = doc["spec"]
        spec.pop("minAvailable", None)
        spec.pop("maxUnavailable", None)
        spec.update(bounds)
        return True

    return apply


def add_expression(path: Callable[[dict], dict], **requirement) -> Callable[[dict], bool]:
    def apply(doc):
        selector = path(doc)
        if not isinstance(selector, dict):
            return False
        selector.setdefault("matchExpressions", []).append(dict(requirement))
        return True

    return apply


mutation("pdb-both-bounds", REFUSED, "ValidatePodDisruptionBudgetSpec", PDB)(budget(minAvailable=1, maxUnavailable=1))
mutation("pdb-min-available-bare-string", REFUSED, "ValidatePositiveIntOrPercent", PDB)(budget(minAvailable="50"))
mutation("pdb-max-unavailable-150-percent", REFUSED, "IsNotMoreThan100Percent", PDB)(budget(maxUnavailable="150%"))
mutation("pdb-min-available-negative", REFUSED, "ValidatePositiveIntOrPercent", PDB)(budget(minAvailable=-1))
mutation("pdb-max-unavailable-percent", ACCEPTED, "ValidatePodDisruptionBudgetSpec", PDB)(budget(maxUnavailable="25%"))
mutation("pdb-min-available-zero", ACCEPTED, "ValidatePositiveIntOrPercent", PDB)(budget(minAvailable=0))
mutation("pdb-selector-in-without-values", REFUSED, "ValidateLabelSelectorRequirement", PDB)(
    add_expression(lambda d: d["spec"].get("selector"), key="tier", operator="In")
)
mutation("pdb-selector-bad-operator", REFUSED, "ValidateLabelSelectorRequirement", PDB)(
    add_expression(lambda d: d["spec"].get("selector"), key="tier", operator="Equals", values=["web"])
)
mutation("pdb-selector-exists", ACCEPTED, "ValidateLabelSelectorRequirement", PDB)(
    add_expression(lambda d: d["spec"].get("selector"), key="tier", operator="Exists")
)
mutation("pdb-eviction-policy-unknown", REFUSED, "ValidatePodDisruptionBudgetSpec", PDB)(
    setter(spec_of, "unhealthyPodEvictionPolicy", "Always")
)

# --- workload selectors: ValidateLabelSelector (apps, batch); a CronJob's job template: ValidateJobTemplateSpec ---
SELECTED = {"ReplicaSet", "Deployment", "StatefulSet", "DaemonSet"}


def workload_selector(doc: dict):
    return doc["spec"].get("selector")


mutation("workload-selector-in-without-values", REFUSED, "ValidateLabelSelectorRequirement", SELECTED)(
    add_expression(workload_selector, key="tier", operator="NotIn")
)
mutation("workload-selector-exists-with-values", REFUSED, "ValidateLabelSelectorRequirement", SELECTED)(
    add_expression(workload_selector, key="tier", operator="DoesNotExist", values=["web"])
)
mutation("workload-selector-not-in-other-tier", ACCEPTED, "ValidateLabelSelectorRequirement", SELECTED)(
    add_expression(workload_selector, key="k8slint-tier", operator="NotIn", values=["never-set"])
)
mutation("cronjob-template-selector", REFUSED, "ValidateJobTemplateSpec", CRONJOB)(
    setter(job, "selector", {"matchLabels": {"k8slint-job": "x"}})
)
mutation("cronjob-template-manual-selector", REFUSED, "ValidateJobTemplateSpec", CRONJOB)(
    setter(job, "manualSelector", True)
)
mutation("cronjob-template-manual-selector-false", ACCEPTED, "ValidateJobTemplateSpec", CRONJOB)(
    setter(job, "manualSelector", False)
)

# --- NetworkPolicy: ValidateNetworkPolicySpec, ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer, ValidateIPBlock

NETPOL = {"NetworkPolicy"}


def ingress_rule(**rule) -> Callable[[dict], bool]:
    def apply(doc):
        doc["spec"].setdefault("ingress", []).append(copy.deepcopy(rule))
        return True

    return apply


def ip_block(cidr: str, *excepts: str) -> Callable[[dict], bool]:
    block = {"cidr": cidr, **({"except": list(excepts)} if excepts else {})}
    return ingress_rule(**{"from": [{"ipBlock": block}]})


mutation("netpol-ipblock-with-selector", REFUSED, "ValidateNetworkPolicyPeer", NETPOL)(
    ingress_rule(**{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "namespaceSelector": {}}]})
)
mutation("netpol-ipblock-own-peer", ACCEPTED, "ValidateNetworkPolicyPeer", NETPOL)(
    ingress_rule(**{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}, {"namespaceSelector": {}}]})
)
mutation("netpol-empty-peer", REFUSED, "ValidateNetworkPolicyPeer", NETPOL)(ingress_rule(**{"from": [{}]}))
mutation("netpol-cidr-prefix-33", REFUSED, "ValidateIPBlock", NETPOL)(ip_block("10.0.0.0/33"))
mutation("netpol-cidr-without-prefix", REFUSED, "ValidateIPBlock", NETPOL)(ip_block("10.0.0.1"))
mutation("netpol-cidr-host-bits", ACCEPTED, "ValidateIPBlock (IsValidCIDRForLegacyField)", NETPOL)(
    ip_block("10.0.0.1/8")
)
mutation("netpol-except-outside", REFUSED, "ValidateIPBlock", NETPOL)(ip_block("10.0.0.0/16", "10.1.0.0/24"))
mutation("netpol-except-equal", REFUSED, "ValidateIPBlock", NETPOL)(ip_block("10.0.0.0/16", "10.0.0.0/16"))
mutation("netpol-except-inside", ACCEPTED, "ValidateIPBlock", NETPOL)(ip_block("10.0.0.0/16", "10.0.5.0/24"))
mutation("netpol-endport-below-port", REFUSED, "ValidateNetworkPolicyPort", NETPOL)(
    ingress_rule(ports=[{"port": 5432, "endPort": 5000}])
)
mutation("netpol-endport-named-port", REFUSED, "ValidateNetworkPolicyPort", NETPOL)(
    ingress_rule(ports=[{"port": "postgres", "endPort": 5439}])
)
mutation("netpol-endport-range", ACCEPTED, "ValidateNetworkPolicyPort", NETPOL)(
    ingress_rule(ports=[{"port": 5432, "endPort": 5439, "protocol": "TCP"}])
)
mutation("netpol-port-numeric-string", REFUSED, "ValidateNetworkPolicyPort (IsValidPortName)", NETPOL)(
    ingress_rule(ports=[{"port": "8080"}])
)
mutation("netpol-port-70000", REFUSED, "ValidateNetworkPolicyPort", NETPOL)(ingress_rule(ports=[{"port": 70000}]))
mutation("netpol-protocol-icmp", REFUSED, "ValidateNetworkPolicyPort", NETPOL)(
    ingress_rule(ports=[{"port": 53, "protocol": "ICMP"}])
)
mutation("netpol-policy-types-three", REFUSED, "ValidateNetworkPolicySpec", NETPOL)(
    setter(spec_of, "policyTypes", ["Ingress", "Egress", "Ingress"])
)
mutation("netpol-policy-types-duplicate", ACCEPTED, "ValidateNetworkPolicySpec", NETPOL)(
    setter(spec_of, "policyTypes", ["Ingress", "Ingress"])
)
mutation("netpol-selector-exists-with-values", REFUSED, "ValidateLabelSelectorRequirement", NETPOL)(
    add_expression(lambda d: d["spec"].setdefault("podSelector", {}), key="app", operator="Exists", values=["x"])
)


# --- RBAC: ValidatePolicyRule, ValidateClusterRole, ValidateRoleBinding, ValidateRoleBindingSubject ------------

ROLES, BINDINGS = {"Role", "ClusterRole"}, {"RoleBinding", "ClusterRoleBinding"}


def add_rule(**rule) -> Callable[[dict], bool]:
    def apply(doc):
        if not isinstance(doc.get("rules", []), list):
            return False
        doc.setdefault("rules", []).append(copy.deepcopy(rule))
        return True

    return apply


def role_ref(**fields) -> Callable[[dict], bool]:
    def apply(doc):
        if not isinstance(doc.get("roleRef"), dict):
            return False
        doc["roleRef"].update(fields)
        return True

    return apply


def add_subject(**subject) -> Callable[[dict], bool]:
    def apply(doc):
        if not isinstance(doc.get("subjects", []), list):
            return False
        doc.setdefault("subjects", []).append(dict(subject))
        return True

    return apply


mutation("rbac-rule-verbs-empty", REFUSED, "ValidatePolicyRule", ROLES)(
    add_rule(apiGroups=[""], resources=["pods"], verbs=[])
)
mutation("rbac-rule-without-resources", REFUSED, "ValidatePolicyRule", ROLES)(add_rule(apiGroups=[""], verbs=["get"]))
mutation("rbac-rule-without-api-groups", REFUSED, "ValidatePolicyRule", ROLES)(
    add_rule(resources=["pods"], verbs=["get"])
)
mutation("rbac-rule-core-group", ACCEPTED, "ValidatePolicyRule", ROLES)(
    add_rule(apiGroups=[""], resources=["pods"], verbs=["get"])
)
mutation("rbac-non-resource-url-in-role", REFUSED, "ValidatePolicyRule (namespaced)", {"Role"})(
    add_rule(nonResourceURLs=["/metrics"], verbs=["get"])
)
mutation("rbac-non-resource-url-in-cluster-role", ACCEPTED, "ValidatePolicyRule", {"ClusterRole"})(
    add_rule(nonResourceURLs=["/metrics"], verbs=["get"])
)
mutation("rbac-non-resource-url-with-resources", REFUSED, "ValidatePolicyRule", {"ClusterRole"})(
    add_rule(nonResourceURLs=["/healthz"], resources=["pods"], verbs=["get"])
)
mutation("rbac-aggregation-without-selectors", REFUSED, "ValidateClusterRole", {"ClusterRole"})(
    lambda d: d.update(aggregationRule={"clusterRoleSelectors": []}) or True
)
mutation("rbac-role-ref-group-wrong", REFUSED, "ValidateRoleBinding", BINDINGS)(role_ref(apiGroup="rbac.k8s.io"))
mutation("rbac-role-ref-group-empty", ACCEPTED, "SetDefaults_RoleBinding / ValidateRoleBinding", BINDINGS)(
    role_ref(apiGroup="")
)
mutation("rbac-cluster-binding-of-role", REFUSED, "ValidateClusterRoleBinding", {"ClusterRoleBinding"})(
    role_ref(kind="Role")
)
mutation("rbac-binding-of-cluster-role", ACCEPTED, "ValidateRoleBinding", {"RoleBinding"})(role_ref(kind="ClusterRole"))
mutation("rbac-role-ref-kind-unknown", REFUSED, "ValidateRoleBinding", BINDINGS)(role_ref(kind="Roles"))
mutation("rbac-subject-kind-unknown", REFUSED, "ValidateRoleBindingSubject", BINDINGS)(
    add_subject(kind="Serviceaccount", name="builder", namespace="default")
)
mutation("rbac-subject-service-account-group", REFUSED, "ValidateRoleBindingSubject", BINDINGS)(
    add_subject(kind="ServiceAccount", name="builder", namespace="default", apiGroup="rbac.authorization.k8s.io")
)
mutation("rbac-subject-service-account-no-namespace", REFUSED, "ValidateRoleBindingSubject", {"ClusterRoleBinding"})(
    add_subject(kind="ServiceAccount", name="builder")
)
mutation("rbac-subject-service-account-own-namespace", ACCEPTED, "ValidateRoleBindingSubject", {"RoleBinding"})(
    add_subject(kind="ServiceAccount", name="builder")
)
mutation("rbac-subject-service-account-uppercase", REFUSED, "ValidateRoleBindingSubject (ValidateServiceAccountName)",
         BINDINGS)(add_subject(kind="ServiceAccount", name="Builder", namespace="default"))  # fmt: skip
mutation("rbac-subject-user-empty-group", ACCEPTED, "SetDefaults_Subject / ValidateRoleBindingSubject", BINDINGS)(
    add_subject(kind="User", name="alice@example.com", apiGroup="")
)
mutation("rbac-subject-group-versioned-group", REFUSED, "ValidateRoleBindingSubject", BINDINGS)(
    add_subject(kind="Group", name="devs", apiGroup="rbac.authorization.k8s.io/v1")
)

# --- ConfigMap and Secret: ValidateConfigMap, ValidateSecret, IsConfigMapKey, []byte JSON decoding -------------

CONFIGMAP, SECRET = {"ConfigMap"}, {"Secret"}


def config_entry(field: str, key: str, value: str) -> Callable[[dict], bool]:
    def apply(doc):
        if not isinstance(doc.get(field, {}), dict):
            return False
        doc.setdefault(field, {})[key] = value
        return True

    return apply


def secret(kind: str, **fields) -> Callable[[dict], bool]:
    def apply(doc):
        for field in ("data", "stringData"):
            doc.pop(field, None)
        doc["type"] = kind
        doc.update(copy.deepcopy(fields))
        return True

    return apply


mutation("configmap-key-slash", REFUSED, "IsConfigMapKey", CONFIGMAP)(config_entry("data", "conf/app.conf", "x"))
mutation("configmap-key-dotdot-prefix", REFUSED, "IsConfigMapKey", CONFIGMAP)(config_entry("data", "..data", "x"))
mutation("configmap-key-leading-dot", ACCEPTED, "IsConfigMapKey", CONFIGMAP)(config_entry("data", ".hidden.conf", "x"))


@mutation("configmap-key-in-both", REFUSED, "ValidateConfigMap", CONFIGMAP)
def _(doc):
    return config_entry("data", "dup.conf", "x")(doc) and config_entry("binaryData", "dup.conf", "eA==")(doc)


mutation("configmap-binary-data", ACCEPTED, "ValidateConfigMap", CONFIGMAP)(
    config_entry("binaryData", "logo.bin", "iVBORw0KGgo=")
)
mutation("configmap-binary-not-base64", REFUSED, "[]byte JSON decoding (illegal base64 data)", CONFIGMAP)(
    config_entry("binaryData", "logo.bin", "not base64!")
)
mutation("configmap-over-1mib", REFUSED, "ValidateConfigMap (MaxSecretSize)", CONFIGMAP)(
    lambda d: d.update(data={"big.txt": "x" * (1024 * 1024 + 1)}) or d.pop("binaryData", None) or True
)
mutation("secret-data-not-base64", REFUSED, "[]byte JSON decoding (illegal base64 data)", SECRET)(
    config_entry("data", "password", "hunter2!")
)
mutation("secret-data-unpadded-base64", REFUSED, "[]byte JSON decoding (illegal base64 data)", SECRET)(
    config_entry("data", "token", "YWJjZA")
)
mutation("secret-data-base64-line-breaks", ACCEPTED, "[]byte JSON decoding (CR and LF ignored)", SECRET)(
    config_entry("data", "token", "YWJj\nZGVm")
)
mutation("secret-string-data-plain", ACCEPTED, "ValidateSecret", SECRET)(
    config_entry("stringData", "password", "hunter2!")
)
mutation("secret-key-space", REFUSED, "IsConfigMapKey", SECRET)(config_entry("stringData", "my key", "x"))
mutation("secret-tls-without-key", REFUSED, "ValidateSecret", SECRET)(
    secret("kubernetes.io/tls", data={"tls.crt": "LS0tLS1CRUdJTg=="})
)
mutation("secret-tls-empty-values", ACCEPTED, "ValidateSecret", SECRET)(
    secret("kubernetes.io/tls", data={"tls.crt": "", "tls.key": ""})
)
mutation("secret-dockerconfigjson-not-json", REFUSED, "ValidateSecret", SECRET)(
    secret("kubernetes.io/dockerconfigjson", stringData={".dockerconfigjson": "{auths"})
)
mutation("secret-dockerconfigjson-missing", REFUSED, "ValidateSecret", SECRET)(
    secret("kubernetes.io/dockerconfigjson", data={"config.json": "e30="})
)
mutation("secret-dockerconfigjson", ACCEPTED, "ValidateSecret", SECRET)(
    secret("kubernetes.io/dockerconfigjson", data={".dockerconfigjson": "eyJhdXRocyI6e319"})
)
mutation("secret-basic-auth-without-credentials", REFUSED, "ValidateSecret", SECRET)(
    secret("kubernetes.io/basic-auth", stringData={"user": "app"})
)
mutation("secret-basic-auth-password-only", ACCEPTED, "ValidateSecret", SECRET)(
    secret("kubernetes.io/basic-auth", stringData={"password": "hunter2!"})
)
mutation("secret-ssh-auth-empty-key", REFUSED, "ValidateSecret", SECRET)(
    secret("kubernetes.io/ssh-auth", stringData={"ssh-privatekey": ""})
)


@mutation("secret-service-account-token-unnamed", REFUSED, "ValidateSecret", SECRET)
def _(doc):
    doc["metadata"].pop("annotations", None)
    return secret("kubernetes.io/service-account-token")(doc)


# --- PersistentVolumeClaim, PersistentVolume: ValidatePersistentVolumeClaimSpec, ValidatePersistentVolumeSpec --

PVC, PV = {"PersistentVolumeClaim"}, {"PersistentVolume"}
PV_SOURCES = ("hostPath", "nfs", "local", "csi", "awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "iscsi")


def storage_request(value) -> Callable[[dict], bool]:
    def apply(doc):
        doc["spec"]["resources"] = {"requests": {"storage": value}}
        return True

    return apply


def claim_source(**fields) -> Callable[[dict], bool]:
    def apply(doc):
        doc["spec"].pop("dataSourceRef", None)
        doc["spec"].update(copy.deepcopy(fields))
        return True

    return apply


mutation("pvc-access-modes-empty", REFUSED, "ValidatePersistentVolumeClaimSpec", PVC)(
    setter(spec_of, "accessModes", [])
)
mutation("pvc-read-write-once-pod-with-others", REFUSED, "ValidatePersistentVolumeClaimSpec", PVC)(
    setter(spec_of, "accessModes", ["ReadWriteOncePod", "ReadWriteOnce"])
)
mutation("pvc-read-write-once-pod", ACCEPTED, "ValidatePersistentVolumeClaimSpec", PVC)(
    setter(spec_of, "accessModes", ["ReadWriteOncePod"])
)
mutation("pvc-storage-request-missing", REFUSED, "ValidatePersistentVolumeClaimSpec", PVC)(
    setter(spec_of, "resources", {"limits": {"storage": "1Gi"}})
)
mutation("pvc-storage-request-zero", REFUSED, "ValidatePositiveQuantityValue", PVC)(storage_request("0"))
mutation("pvc-storage-request-small", ACCEPTED, "ValidatePositiveQuantityValue", PVC)(storage_request("1Mi"))
mutation("pvc-storage-class-uppercase", REFUSED, "ValidatePersistentVolumeClaimSpec (ValidateClassName)", PVC)(
    setter(spec_of, "storageClassName", "Fast-SSD")
)
mutation("pvc-storage-class-empty", ACCEPTED, "ValidatePersistentVolumeClaimSpec", PVC)(
    setter(spec_of, "storageClassName", "")
)
mutation("pvc-volume-mode-raw", REFUSED, "ValidatePersistentVolumeClaimSpec (supportedVolumeModes)", PVC)(
    setter(spec_of, "volumeMode", "Raw")
)
mutation("pvc-snapshot-without-group", REFUSED, "validateDataSource", PVC)(
    claim_source(dataSource={"kind": "VolumeSnapshot", "name": "nightly"})
)
mutation("pvc-snapshot-with-group", ACCEPTED, "validateDataSource", PVC)(
    claim_source(dataSource={"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "nightly"})
)
mutation("pvc-clone", ACCEPTED, "validateDataSource", PVC)(
    claim_source(dataSource={"kind": "PersistentVolumeClaim", "name": "origin"})
)
mutation("pvc-source-and-ref-differ", REFUSED, "ValidatePersistentVolumeClaimSpec", PVC)(
    claim_source(dataSource={"kind": "PersistentVolumeClaim", "name": "a"},
                 dataSourceRef={"kind": "PersistentVolumeClaim", "name": "b"})
)  # fmt: skip


def pv_source(**sources) -> Callable[[dict], bool]:
    def apply(doc):
        for field in PV_SOURCES:
            doc["spec"].pop(field, None)
        doc["spec"].pop("nodeAffinity", None)
        doc["spec"].update(copy.deepcopy(sources))
        return True

    return apply


mutation("pv-without-source", REFUSED, "ValidatePersistentVolumeSpec", PV)(pv_source())
mutation("pv-two-sources", REFUSED, "ValidatePersistentVolumeSpec", PV)(
    pv_source(hostPath={"path": "/mnt/data"}, nfs={"server": "nfs.example.com", "path": "/exports"})
)
mutation("pv-host-path", ACCEPTED, "ValidatePersistentVolumeSpec", PV)(pv_source(hostPath={"path": "/mnt/data"}))
mutation("pv-local-without-node-affinity", REFUSED, "ValidatePersistentVolumeSpec", PV)(
    pv_source(local={"path": "/mnt/disks/ssd1"})
)
mutation("pv-capacity-missing", REFUSED, "ValidatePersistentVolumeSpec", PV)(
    lambda d: d["spec"].pop("capacity", None) or True
)
mutation("pv-access-modes-empty", REFUSED, "ValidatePersistentVolumeSpec", PV)(setter(spec_of, "accessModes", []))

# --- Job fields beyond counts: validateJobSpec, validateGeneratedSelector, ValidateJob ------------------------


def indexed(**fields) -> Callable[[dict], bool]:
    def apply(doc):
        job(doc).update({"completionMode": "Indexed", "completions": 3, **copy.deepcopy(fields)})
        pod(doc)["restartPolicy"] = "Never"
        return True

    return apply


def non_indexed(**fields) -> Callable[[dict], bool]:
    def apply(doc):
        job(doc).pop("completionMode", None)
        job(doc).update(copy.deepcopy(fields))
        pod(doc)["restartPolicy"] = "Never"
        return True

    return apply


FAIL_ON_42 = {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [42]}}]}
mutation("job-backoff-per-index-not-indexed", REFUSED, "validateJobSpec", JOBS)(non_indexed(backoffLimitPerIndex=1))
mutation("job-backoff-per-index-indexed", ACCEPTED, "validateJobSpec", JOBS)(
    indexed(backoffLimitPerIndex=1, maxFailedIndexes=1)
)
mutation("job-max-failed-without-per-index", REFUSED, "validateJobSpec", JOBS)(indexed(maxFailedIndexes=1))
mutation("job-max-failed-above-completions", REFUSED, "validateJobSpec", JOBS)(
    indexed(backoffLimitPerIndex=1, maxFailedIndexes=5)
)
mutation("job-backoff-per-index-negative", REFUSED, "validateJobSpec", JOBS)(indexed(backoffLimitPerIndex=-1))
mutation("job-success-policy-not-indexed", REFUSED, "validateJobSpec", JOBS)(
    non_indexed(successPolicy={"rules": [{"succeededCount": 1}]})
)
mutation("job-indexed-parallelism-200000", REFUSED, "validateJobSpec", JOBS)(indexed(parallelism=200_000))


@mutation("job-pod-failure-policy-on-failure", REFUSED, "validateJobSpec", JOBS)
def _(doc):
    job(doc)["podFailurePolicy"] = copy.deepcopy(FAIL_ON_42)
    pod(doc)["restartPolicy"] = "OnFailure"
    return True


mutation("job-pod-failure-policy-never", ACCEPTED, "validateJobSpec (validatePodFailurePolicy)", JOBS)(
    non_indexed(podFailurePolicy=FAIL_ON_42)
)


def job_selector(manual: bool) -> Callable[[dict], bool]:
    def apply(doc):
        template = doc["spec"]["template"]
        template.setdefault("metadata", {}).setdefault("labels", {})["m-job"] = "m"
        doc["spec"]["selector"] = {"matchLabels": {"m-job": "m"}}
        if manual:
            doc["spec"]["manualSelector"] = True
        return True

    return apply


mutation("job-selector-not-manual", REFUSED, "validateGeneratedSelector", {"Job"})(job_selector(manual=False))
mutation("job-selector-manual", ACCEPTED, "validateGeneratedSelector", {"Job"})(job_selector(manual=True))


@mutation("job-indexed-name-too-long", REFUSED, "ValidateJob (the last pod's hostname)", {"Job"})
def _(doc):
    doc["metadata"]["name"] = "j" * 62
    return indexed(completions=10)(doc)


# --- generation and scoring ------------------------------------------------------------------------------


def bases() -> list[dict]:
    """Built-in documents of the sources, de-duplicated, in a stable order."""
    from k8slint import yamlio

    missing = [str(source) for source in SOURCES if not source.is_dir()]
    if missing:
        raise FileNotFoundError(f"mutation sources missing: {', '.join(missing)}")
    found = {}
    for source in SOURCES:
        for path in sorted([*source.rglob("*.yaml"), *source.rglob("*.yml")]):
            try:
                documents, error = yamlio.parse_stream(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
            if error is not None:
                continue  # templates and other files that are not plain YAML
            for doc in (parsed.data for parsed in documents):
                if _fits(doc):
                    found.setdefault(json.dumps(doc, sort_keys=True, default=str), doc)
    return [found[key] for key in sorted(found)]


def _fits(doc) -> bool:
    if not isinstance(doc, dict) or GROUPS.get(doc.get("kind")) != doc.get("apiVersion"):
        return False
    if not isinstance(doc.get("metadata"), dict) or not isinstance(doc["metadata"].get("name"), str):
        return False
    try:
        if doc["kind"] in POD_PATHS:
            containers = pod(doc)["containers"]
            return isinstance(containers, list) and bool(containers) and isinstance(containers[0], dict)
        return doc["kind"] in WITHOUT_SPEC or isinstance(doc.get("spec"), dict)
    except (KeyError, TypeError):
        return False


def _place(doc: dict, namespace: str) -> dict:
    doc = copy.deepcopy(doc)
    doc["metadata"]["namespace"] = namespace
    return doc


def _errors_per_file(directory: Path) -> dict:
    from k8slint.config import Settings
    from k8slint.engine import lint_paths

    result = lint_paths([str(directory)], Settings(select=["all"], jobs=2))
    errors = defaultdict(list)
    for finding in result.findings:
        if finding.severity == "error" and not finding.suppressed:
            errors[Path(finding.file).name].append(finding.rule)
    return errors


def _text(doc: dict) -> str:
    """A document as YAML text (JSON is YAML; octal file modes stay numbers)."""
    return json.dumps(doc, indent=1, default=str) + "\n"


def clean_bases(workdir: Path) -> list[dict]:
    """The bases k8slint reports no error in (each alone in its namespace)."""
    candidates = bases()
    probe_dir = workdir
    probe_dir.mkdir(parents=True, exist_ok=True)
    for number, doc in enumerate(candidates):
        (probe_dir / f"base-{number}.yaml").write_text(_text(_place(doc, f"b{number}")), encoding="utf-8")
    errors = _errors_per_file(probe_dir)
    return [doc for number, doc in enumerate(candidates) if f"base-{number}.yaml" not in errors]


def write_cases(directory: Path, seed: int = SEED, per_class: int = PER_CLASS) -> list[dict]:
    """Write one file per case into ``directory/cases`` and ``directory/cases.json``; returns the case records."""
    clean = clean_bases(directory / "bases")
    directory = directory / "cases"
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    cases = []
    for mutation_class in CLASSES:
        fitting = [doc for doc in clean if doc["kind"] in mutation_class.kinds]
        rng.shuffle(fitting)
        made = 0
        for doc in fitting:
            if made == per_class:
                break
            number = len(cases)
            mutated = _place(doc, f"m{number}")
            if not mutation_class.apply(mutated):
                continue
            name = f"case-{number}.yaml"
            (directory / name).write_text(_text(mutated), encoding="utf-8")
            cases.append(
                {
                    "file": name,
                    "class": mutation_class.name,
                    "kind": doc["kind"],
                    "verdict": mutation_class.verdict,
                    "function": mutation_class.function,
                }  # fmt: skip
            )
            made += 1
    (directory.parent / "cases.json").write_text(json.dumps(cases, indent=1), encoding="utf-8")
    return cases


def score(directory: Path, cases: list[dict]) -> dict:
    """Per class: caught (refused, error), missed (refused, no error), false (accepted, error), quiet (accepted, none)."""
    errors = _errors_per_file(directory / "cases")
    matrix = defaultdict(Counter)
    for case in cases:
        flagged = case["file"] in errors
        if case["verdict"] == REFUSED:
            matrix[case["class"]]["caught" if flagged else "missed"] += 1
        else:
            matrix[case["class"]]["false" if flagged else "quiet"] += 1
    return matrix


def _print(matrix: dict, cases: list[dict]) -> None:
    functions = {case["class"]: (case["verdict"], case["function"]) for case in cases}
    totals = Counter()
    for name in sorted(matrix):
        row = matrix[name]
        totals.update(row)
        verdict, function = functions[name]
        print(f"{name:45} {verdict:8} {function:60} " + " ".join(f"{k}={row[k]}" for k in sorted(row)))
    print(f"TOTAL cases={sum(totals.values())} " + " ".join(f"{k}={totals[k]}" for k in sorted(totals)))


if __name__ == "__main__":
    command, target = sys.argv[1], Path(sys.argv[2])
    if command == "write":
        print(len(write_cases(target)), "cases")
    else:
        records = json.loads((target / "cases.json").read_text(encoding="utf-8"))
        _print(score(target, records), records)
