"""What the API server's pod spec validation refuses that the schema cannot say (``ValidatePodSpec`` and its helpers).

Every hit names the API server's field path and the validation function
that refuses the value. Rules owned elsewhere are not repeated here: duplicate
container and port names, port names, env var names, probe handlers and
probe ports, probes on init containers, requests above limits.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from k8slint.access import integer, mapping, sequence
from k8slint.documents import child_path
from k8slint.findings import Hit
from k8slint.kube.formats import dns_label_error, negative, port_number_error
from k8slint.kube.quantity import parse_quantity
from k8slint.kube.workloads import WORKLOAD_GROUPS
from k8slint.placeholders import has_placeholder, is_substitution, is_template_value

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import Container, K8sObject
    from k8slint.registry import Context

# the fields of a VolumeSource: a volume sets exactly one (none at all is defaulted to emptyDir)
VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
    "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
    "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
    "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
)  # fmt: skip
PROBE_COUNTS = ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")
FILE_MODE_MAX = 0o777
STATEFULSET_NOTE = (
    " (ValidateStatefulSetSpec leaves the pod template unchecked, so the StatefulSet is stored and every pod it "
    "creates is refused)"
)


def pod_spec_invalid(obj: K8sObject, ctx: Context) -> Hits:
    spec, base = obj.pod_spec, obj.pod_spec_path
    if spec is None or obj.group not in WORKLOAD_GROUPS:
        return  # a custom kind named like a built-in one (Knative's Service, …) has its own validation
    note = STATEFULSET_NOTE if obj.kind == "StatefulSet" else ""
    for hit in _problems(obj, spec, base):
        yield Hit(hit.path, hit.message + note, on_key=hit.on_key, severity=hit.severity)


def _problems(obj: K8sObject, spec: dict, base: str) -> Hits:
    containers = spec.get("containers")
    if isinstance(containers, list) and not containers and not obj.role.partial:
        yield Hit(
            child_path(base, "containers"),
            f"{child_path(base, 'containers')}: Required value (validateContainers): a pod needs at least one "
            "container; add one",
        )
    yield from _volumes(obj, spec, base)
    volumes = _volume_names(obj, spec)
    for container in obj.containers():
        yield from _container(obj, container, volumes)
    yield from _pod_fields(obj, spec, base)


def _literal(obj: K8sObject, path: str, value) -> bool:
    """A value as written reaches the API server (not a template placeholder or a substitution variable)."""
    return not is_template_value(obj, path, value) and not is_substitution(value)


def _container(obj: K8sObject, container: Container, volumes: set | None) -> Hits:
    data, path = container.data, container.path
    name = data.get("name")
    name_path = child_path(path, "name")
    if isinstance(name, str) and name and _literal(obj, name_path, name):
        reason = dns_label_error(name)
        if reason:
            yield Hit(
                name_path,
                f'{name_path}: Invalid value: "{name}": {reason} (validateContainerCommon); rename the '
                "container, e.g. " + _label_suggestion(name),
            )
    if not obj.role.partial and (data.get("image") is None or data.get("image") == ""):
        yield Hit(
            path,
            f"{child_path(path, 'image')}: Required value (validateContainerCommon): container "
            f"{container.name or '(unnamed)'} has no image; set image to what it runs, e.g. nginx:1.27",
            on_key=True,
        )
    yield from _ports(obj, container)
    yield from _probes(container)
    yield from _lifecycle(container)
    yield from _resources(obj, container)
    yield from _mounts(obj, container, volumes)


def _label_suggestion(name: str) -> str:
    candidate = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:63].strip("-")
    return f'"{candidate}"' if candidate and dns_label_error(candidate) is None else "web or worker-1"


def _ports(obj: K8sObject, container: Container) -> Hits:
    host_network = obj.pod_spec.get("hostNetwork") is True
    for index, port in enumerate(sequence(container.data, "ports")):
        if not isinstance(port, dict):
            continue
        path = child_path(child_path(container.path, "ports"), index)
        number = port.get("containerPort")
        if integer(number) == 0:  # a missing containerPort is the schema rule's (a required field)
            yield Hit(
                child_path(path, "containerPort"),
                f"{child_path(path, 'containerPort')}: Required value (validateContainerPorts): 0 means unset, and "
                f"every port of container {container.name} needs a containerPort; use the port the process listens on",
            )
        elif integer(number) is not None and port_number_error(number):
            yield Hit(
                child_path(path, "containerPort"),
                f"{child_path(path, 'containerPort')}: Invalid value: {number}: {port_number_error(number)} "
                "(validateContainerPorts); use the port the process listens on",
            )
        host_port = port.get("hostPort")
        if integer(host_port) is not None and host_port != 0 and port_number_error(host_port):
            yield Hit(
                child_path(path, "hostPort"),
                f"{child_path(path, 'hostPort')}: Invalid value: {host_port}: {port_number_error(host_port)} "
                "(validateContainerPorts); use a port between 1 and 65535, or remove hostPort",
            )
        elif host_network and integer(host_port) and integer(number) is not None and host_port != number:
            # a hostPort of 0 (or none) is fine: SetDefaults_Pod copies the containerPort into it
            yield Hit(
                child_path(path, "hostPort"),
                f"{child_path(path, 'hostPort')}: Invalid value: {host_port}: must match `containerPort` when "
                "`hostNetwork` is true (validatePodHostNetworkDeps); set hostPort to the containerPort or remove it",
            )


def _probes(container: Container) -> Hits:
    for field in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.data.get(field)
        if not isinstance(probe, dict):
            continue
        path = child_path(container.path, field)
        for key in PROBE_COUNTS:
            if negative(probe.get(key)):
                where = child_path(path, key)
                yield Hit(
                    where,
                    f"{where}: Invalid value: {probe[key]}: must be greater than or equal to 0 (validateProbe); "
                    "use 0 or a positive number",
                )
        grace = probe.get("terminationGracePeriodSeconds")
        where = child_path(path, "terminationGracePeriodSeconds")
        if field == "readinessProbe" and grace is not None:
            yield Hit(
                where,
                f"{where}: Invalid value: {grace}: must not be set for readinessProbes (validateReadinessProbe); "
                "remove it (a failing readiness probe never kills the container)",
                on_key=True,
            )
        elif integer(grace) is not None and grace <= 0:
            yield Hit(
                where,
                f"{where}: Invalid value: {grace}: must be greater than 0 (validateProbe); use a positive "
                "number of seconds or remove it",
            )


def _lifecycle(container: Container) -> Hits:
    lifecycle = mapping(container.data, "lifecycle")
    for hook in ("postStart", "preStop"):
        for handler in ("httpGet", "tcpSocket"):
            port = mapping(mapping(lifecycle, hook), handler).get("port")
            if integer(port) is not None and port_number_error(port):
                where = f"{container.path}.lifecycle.{hook}.{handler}.port"
                yield Hit(
                    where,
                    f"{where}: Invalid value: {port}: {port_number_error(port)} (ValidatePortNumOrName); use the "
                    "port the container listens on",
                )


def _resources(obj: K8sObject, container: Container) -> Hits:
    resources = mapping(container.data, "resources")
    for kind in ("limits", "requests"):
        for name, value in mapping(resources, kind).items():
            if _quantity(value) >= 0:  # the usual case, settled before any path is built
                continue
            where = child_path(child_path(child_path(container.path, "resources"), kind), str(name))
            if _literal(obj, where, value):
                yield Hit(
                    where,
                    f'{container.path}.resources.{kind}[{name}]: Invalid value: "{value}": must be greater than '
                    "or equal to 0 (ValidateNonnegativeQuantity, via ValidateResourceRequirements); use a "
                    "positive quantity",
                )


def _mounts(obj: K8sObject, container: Container, volumes: set | None) -> Hits:
    seen = set()
    for index, mount in enumerate(sequence(container.data, "volumeMounts")):
        if not isinstance(mount, dict):
            continue
        path = child_path(child_path(container.path, "volumeMounts"), index)
        name, mount_path = mount.get("name"), mount.get("mountPath")
        if (
            volumes is not None
            and isinstance(name, str)
            and name
            and name not in volumes
            and _literal(obj, child_path(path, "name"), name)
        ):
            known = ", ".join(sorted(volumes)) or "none"
            yield Hit(
                child_path(path, "name"),
                f'{child_path(path, "name")}: Not found: "{name}" (ValidateVolumeMounts): the pod has no volume of '
                f"that name (its volumes: {known}); add it to {obj.pod_spec_path}.volumes or fix the name",
            )
        if isinstance(mount_path, str) and mount_path:
            if mount_path in seen:
                yield Hit(
                    child_path(path, "mountPath"),
                    f'{child_path(path, "mountPath")}: Invalid value: "{mount_path}": must be unique '
                    f"(ValidateVolumeMounts); container {container.name} mounts two volumes at the same path",
                )
            seen.add(mount_path)
        if mount.get("subPath") and mount.get("subPathExpr"):
            yield Hit(
                child_path(path, "subPathExpr"),
                f"{child_path(path, 'subPathExpr')}: Invalid value: subPathExpr and subPath are mutually exclusive "
                "(ValidateVolumeMounts); keep one",
                on_key=True,
            )


def _volumes(obj: K8sObject, spec: dict, base: str) -> Hits:
    names = set()
    for index, volume in enumerate(sequence(spec, "volumes")):
        if not isinstance(volume, dict):
            continue
        path = child_path(child_path(base, "volumes"), index)
        name = volume.get("name")
        if isinstance(name, str) and name and _literal(obj, child_path(path, "name"), name):
            reason = dns_label_error(name)
            if reason:
                yield Hit(
                    child_path(path, "name"),
                    f'{child_path(path, "name")}: Invalid value: "{name}": {reason} (ValidateVolumes); rename the '
                    "volume and its volumeMounts, e.g. " + _label_suggestion(name),
                )
            elif name in names:
                yield Hit(
                    child_path(path, "name"),
                    f'{child_path(path, "name")}: Duplicate value: "{name}" (ValidateVolumes); give each volume '
                    "a unique name",
                )
            names.add(name)
        sources = [key for key in VOLUME_SOURCES if volume.get(key) is not None]
        if len(sources) > 1:
            yield Hit(
                child_path(path, sources[1]),
                f"{child_path(path, sources[1])}: Forbidden: may not specify more than 1 volume type "
                f"(validateVolumeSource); volume {name} sets {' and '.join(sources)}; split it into "
                "two volumes or keep one source",
                on_key=True,
            )
        yield from _file_modes(volume, path)
        size = mapping(volume, "emptyDir").get("sizeLimit")
        if size is not None and _literal(obj, f"{path}.emptyDir.sizeLimit", size) and _quantity(size) < 0:
            yield Hit(
                f"{path}.emptyDir.sizeLimit",
                f"{path}.emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity "
                "(validateVolumeSource): it is negative; use a positive size such as 1Gi",
            )


def _quantity(value) -> float:
    """A quantity's value (0 when it does not parse: invalid-quantity reports that)."""
    try:
        return parse_quantity(value)
    except ValueError:
        return 0


def _volume_names(obj: K8sObject, spec: dict) -> set | None:
    """The volume names a mount may use, or None when they are not all known (a patch, a templated list)."""
    volumes = spec.get("volumes", [])
    if obj.role.partial or not isinstance(volumes, list):
        return None
    names = [volume.get("name") if isinstance(volume, dict) else None for volume in volumes]
    if obj.kind == "StatefulSet":  # the controller adds a volume per claim template
        names += [
            mapping(claim, "metadata").get("name") for claim in sequence(obj.data.get("spec"), "volumeClaimTemplates")
        ]
    if not all(isinstance(name, str) and not has_placeholder(name) for name in names):
        return None
    return set(names)


def _file_modes(volume: dict, path: str) -> Hits:
    for source in ("secret", "configMap", "downwardAPI", "projected"):
        body = mapping(volume, source)
        modes = [(f"{path}.{source}.defaultMode", body.get("defaultMode"))]
        for index, item in enumerate(sequence(body, "items")):
            if isinstance(item, dict):
                modes.append((f"{path}.{source}.items[{index}].mode", item.get("mode")))
        for where, mode in modes:
            if integer(mode) is not None and not 0 <= mode <= FILE_MODE_MAX:
                octal = f" (did you mean 0{mode}?)" if 0 <= _octal(mode) <= FILE_MODE_MAX else ""
                yield Hit(
                    where,
                    f"{where}: Invalid value: {mode}: must be a number between 0 and 0777 (octal), both inclusive "
                    f"(validate{source[0].upper()}{source[1:]}VolumeSource){octal}; YAML reads 0644 as octal "
                    "but 644 as decimal",
                )


def _octal(mode: int) -> int:
    """``644`` read as the octal number it was meant to be (-1 if its digits are not octal)."""
    text = str(mode)
    return int(text, 8) if text.isdigit() and set(text) <= set("01234567") else -1


def _pod_fields(obj: K8sObject, spec: dict, base: str) -> Hits:
    deadline = spec.get("activeDeadlineSeconds")
    if integer(deadline) is not None and not 1 <= deadline <= 2**31 - 1:
        where = child_path(base, "activeDeadlineSeconds")
        yield Hit(
            where,
            f"{where}: Invalid value: {deadline}: must be between 1 and 2147483647, inclusive (ValidatePodSpec); "
            "use a positive number of seconds or remove it",
        )
    grace = spec.get("terminationGracePeriodSeconds")
    if negative(grace):
        where = child_path(base, "terminationGracePeriodSeconds")
        yield Hit(
            where,
            f"{where}: {grace} is negative; ValidatePodSpec only requires the field, and the pod gets no grace "
            "period at all (the container is killed at once); use 0 or a positive number of seconds",
            severity="warning",
        )
