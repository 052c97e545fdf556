"""Probe mistakes: thresholds, timing, ports, handlers, missing or identical probes, probes on init containers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import integer
from k8slint.documents import child_path
from k8slint.findings import Hit
from k8slint.kube.workloads import is_sidecar, long_running_containers, port_name_error, port_names

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
DEFAULTS = {
    "initialDelaySeconds": 0,
    "timeoutSeconds": 1,
    "periodSeconds": 10,
    "successThreshold": 1,
    "failureThreshold": 3,
}
SIDECARS_SINCE = (1, 29)


def _probes(obj, kinds=PROBES):
    """``(container, probe field, probe dict, path)`` for every probe of every container."""
    for container in obj.containers():
        for field in kinds:
            probe = container.data.get(field)
            if isinstance(probe, dict):
                yield container, field, probe, child_path(container.path, field)


def _number(probe: dict, key: str):
    value = probe.get(key, DEFAULTS[key])
    return integer(value)


def probe_liveness_success_threshold(obj: K8sObject, ctx: Context) -> Hits:
    for container, field, probe, path in _probes(obj, ("livenessProbe", "startupProbe")):
        value = probe.get("successThreshold")
        if value is not None and value != 1:
            yield Hit(
                child_path(path, "successThreshold"),
                f"{field}.successThreshold of container {container.name} is {value}, but the API server only "
                "accepts 1 for liveness and startup probes (Invalid value: must be 1); set it to 1 or remove it",
            )


def probe_timeout_exceeds_period(obj: K8sObject, ctx: Context) -> Hits:
    for container, field, probe, path in _probes(obj):
        timeout, period = _number(probe, "timeoutSeconds"), _number(probe, "periodSeconds")
        if timeout is None or period is None or timeout < period:
            continue
        key = "timeoutSeconds" if "timeoutSeconds" in probe else "periodSeconds"
        yield Hit(
            child_path(path, key),
            f"{field} of container {container.name} waits {timeout}s for an answer but runs every {period}s, "
            "so a slow check delays the next one and failures take longer to notice than the period suggests; "
            "make timeoutSeconds smaller than periodSeconds",
        )


def probe_port_undefined(obj: K8sObject, ctx: Context) -> Hits:
    for container, field, probe, path in _probes(obj):
        names = port_names(container.data)
        for handler in ("httpGet", "tcpSocket", "grpc"):
            action = probe.get(handler)
            if not isinstance(action, dict) or "port" not in action:
                continue
            port = action["port"]
            problem = _port_problem(port, names, container.name, named_allowed=handler != "grpc")
            if problem:
                yield Hit(child_path(child_path(path, handler), "port"), f"{field}.{handler}.port {problem}")


def _port_problem(port, names: set, container: str, named_allowed: bool) -> str | None:
    if isinstance(port, bool):
        return f"{port!r} is not a port; use a number or a port name"
    if isinstance(port, int):
        return None if 1 <= port <= 65535 else f"{port} is outside 1-65535; use a valid port number"
    if not isinstance(port, str):
        return None
    if not named_allowed:
        return f"{port!r} must be a port number (gRPC probes take no port names)"
    if port_name_error(port):
        return (
            f'"{port}" is neither a number nor a valid port name ({port_name_error(port)}); use the port '
            "number or a named port"
        )
    if port not in names:
        defined = ", ".join(sorted(names)) or "none"
        return (
            f'"{port}" names no port of container {container} (its named ports: {defined}), so the '
            f"kubelet cannot run the probe; add a ports entry named {port} or use the port number"
        )
    return None


def probe_no_handler(obj: K8sObject, ctx: Context) -> Hits:
    for container, field, probe, path in _probes(obj):
        handlers = [h for h in HANDLERS if probe.get(h) is not None]
        if len(handlers) == 1:
            continue
        if handlers:
            problem = f"sets {len(handlers)} handlers ({', '.join(handlers)}); the API server accepts exactly one"
        else:
            problem = "has no handler (must specify a handler type)"
        yield Hit(
            path,
            f"{field} of container {container.name} {problem}; use one of exec, httpGet, tcpSocket, grpc",
            on_key=True,
        )


def probe_missing_liveness(obj: K8sObject, ctx: Context) -> Hits:
    for container in long_running_containers(obj):
        if not isinstance(container.data.get("livenessProbe"), dict):
            yield Hit(
                container.path,
                f"container {container.name} has no livenessProbe, so a hung process is never restarted; add a "
                "livenessProbe that checks the process itself",
            )


def probe_identical_liveness_readiness(obj: K8sObject, ctx: Context) -> Hits:
    for container in obj.containers():
        liveness, readiness = container.data.get("livenessProbe"), container.data.get("readinessProbe")
        if isinstance(liveness, dict) and isinstance(readiness, dict) and _same(liveness, readiness):
            yield Hit(
                child_path(container.path, "livenessProbe"),
                f"livenessProbe and readinessProbe of container {container.name} are identical, so whenever "
                "the pod is not ready (e.g. a dependency is down) it is also restarted; make the liveness "
                "check cheaper or more tolerant (another endpoint or a higher failureThreshold)",
                on_key=True,
            )


def _same(first: dict, second: dict) -> bool:
    timing = [key for key in DEFAULTS if key != "successThreshold"]
    return all(first.get(h) == second.get(h) for h in HANDLERS) and all(
        first.get(key, DEFAULTS[key]) == second.get(key, DEFAULTS[key]) for key in timing
    )


def init_container_probe(obj: K8sObject, ctx: Context) -> Hits:
    for container in obj.containers():
        if not container.init:
            continue
        for field in PROBES:
            if container.data.get(field) is None:
                continue
            path = child_path(container.path, field)
            if not is_sidecar(container):
                yield Hit(
                    path,
                    f"init container {container.name} sets a {field}, which the API server rejects "
                    "(may not be set for init containers without restartPolicy=Always); remove it, or "
                    "make the container a native sidecar with restartPolicy: Always",
                    on_key=True,
                )
            elif not ctx.version_at_least(SIDECARS_SINCE):
                version = ctx.kubernetes_version
                yield Hit(
                    path,
                    f"init container {container.name} is a native sidecar (restartPolicy: Always) with a "
                    f"{field}, which needs Kubernetes 1.29 or later (target: {version[0]}.{version[1]}); "
                    "upgrade or run it as a regular container",
                    on_key=True,
                )
