"""Container-level mistakes: duplicate names, ports and env vars, env names, image tags and pull policies."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from k8slint.access import integer
from k8slint.documents import child_path
from k8slint.findings import Hit
from k8slint.kube.workloads import port_name_error, running_containers

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

_STRICT_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
RELAXED_ENV_NAMES_SINCE = (1, 32)  # RelaxedEnvironmentVariableValidation on by default


def container_name_duplicate(obj: K8sObject, ctx: Context) -> Hits:
    first = {}
    for container in obj.containers():
        if not container.name:
            continue
        if container.name in first:
            yield Hit(
                child_path(container.path, "name"),
                f'container name "{container.name}" is already used by {first[container.name]} '
                f'(the API server rejects it: Duplicate value: "{container.name}"); give each container a unique name',
            )
        else:
            first[container.name] = container.path


def _ports(containers):
    """``(container, port dict, path, protocol, hostIP)`` of every well-formed port of ``containers``."""
    for container in containers:
        ports = container.data.get("ports")
        for index, port in enumerate(ports if isinstance(ports, list) else []):
            if not isinstance(port, dict):
                continue
            protocol, host_ip = port.get("protocol") or "TCP", port.get("hostIP") or ""
            if isinstance(protocol, str) and isinstance(host_ip, str):
                yield container, port, child_path(child_path(container.path, "ports"), index), protocol, host_ip


def port_duplicate(obj: K8sObject, ctx: Context) -> Hits:
    names, host_ports = set(), {}
    for container, port, path, protocol, host_ip in _ports(obj.containers()):
        name = port.get("name")
        if isinstance(name, str) and name:
            if (container.path, name) in names:
                yield Hit(
                    child_path(path, "name"),
                    f'port name "{name}" appears twice in container {container.name} '
                    f'(the API server rejects it: Duplicate value: "{name}"); port names must be unique within '
                    "a container",
                )
            names.add((container.path, name))
        host_port = port.get("hostPort")
        if integer(host_port):
            # the regular containers run together; init containers (sidecars too) are checked one by one
            key = (container.path if container.init else "", host_ip, host_port, protocol)
            if key in host_ports:
                yield Hit(
                    child_path(path, "hostPort"),
                    f"hostPort {host_port}/{protocol} is already claimed by {host_ports[key]} (the API server "
                    f'rejects it: Duplicate value: "{protocol}/{host_ip}/{host_port}"); use a different hostPort',
                )
            else:
                host_ports[key] = path


def container_port_shared(obj: K8sObject, ctx: Context) -> Hits:
    owners = {}
    for container, port, path, protocol, _ in _ports(running_containers(obj)):
        number = port.get("containerPort")
        if integer(number) is None:
            continue
        owner = owners.setdefault((number, protocol), container.name)
        if owner != container.name:
            yield Hit(
                child_path(path, "containerPort"),
                f"containerPort {number}/{protocol} of container {container.name} is also declared by "
                f"container {owner}; containers of one pod share a network namespace, so only one "
                "of them can listen on it — declare it on the container that listens, or use another port",
            )


def port_name_invalid(obj: K8sObject, ctx: Context) -> Hits:
    for container in obj.containers():
        ports = container.data.get("ports")
        for index, port in enumerate(ports if isinstance(ports, list) else []):
            name = port.get("name") if isinstance(port, dict) else None
            reason = port_name_error(name) if isinstance(name, str) and name else None
            if reason:
                yield Hit(
                    f"{container.path}.ports[{index}].name",
                    f'port name "{name}" of container {container.name} is rejected by the API server '
                    f"({reason}); rename it, e.g. http or metrics, and update the probes and Services "
                    "that use it",
                )


def env_duplicate(obj: K8sObject, ctx: Context) -> Hits:
    for container in obj.containers():
        env = container.data.get("env")
        seen = {}
        for index, item in enumerate(env if isinstance(env, list) else []):
            name = item.get("name") if isinstance(item, dict) else None
            if not isinstance(name, str):
                continue
            path = child_path(child_path(container.path, "env"), index)
            if name in seen:
                yield Hit(
                    child_path(path, "name"),
                    f"env var {name} is set twice in container {container.name} ({seen[name]} and "
                    f"env[{index}]); only the last value takes effect — remove one",
                )
            else:
                seen[name] = f"env[{index}]"


def env_invalid_name(obj: K8sObject, ctx: Context) -> Hits:
    relaxed = ctx.version_at_least(RELAXED_ENV_NAMES_SINCE)
    for container in obj.containers():
        for path, name, what in _env_names(container):
            reason = _env_name_error(name, relaxed)
            if reason:
                yield Hit(
                    path,
                    f"{what} {name!r} in container {container.name} is rejected by the API server: {reason}; rename it",
                )


def _env_names(container):
    env = container.data.get("env")
    for index, item in enumerate(env if isinstance(env, list) else []):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            yield child_path(child_path(child_path(container.path, "env"), index), "name"), item["name"], "env var"
    env_from = container.data.get("envFrom")
    for index, item in enumerate(env_from if isinstance(env_from, list) else []):
        if isinstance(item, dict) and isinstance(item.get("prefix"), str) and item["prefix"]:
            path = child_path(child_path(child_path(container.path, "envFrom"), index), "prefix")
            yield path, item["prefix"], "envFrom prefix"


def _env_name_error(name: str, relaxed: bool) -> str | None:
    if not name:
        return "the name must not be empty"
    if relaxed:
        if "=" in name or any(not 32 <= ord(ch) <= 126 for ch in name):
            return "a valid name consists only of printable ASCII characters other than '='"
        return None
    if not _STRICT_ENV_NAME.match(name):
        return (
            "a valid name consists of letters, digits, '_', '-' or '.' and must not start with a digit "
            "(Kubernetes 1.32+ relaxes this)"
        )
    return None


def image_tag(obj: K8sObject, ctx: Context) -> Hits:
    for container in obj.containers():
        image = container.data.get("image")
        if not isinstance(image, str) or not image:
            continue
        name, tag, digest = split_image(image)
        if digest:
            continue
        if tag is None:
            problem = "has no tag, so it means :latest"
        elif tag == "latest":
            problem = "uses the :latest tag"
        else:
            continue
        yield Hit(
            child_path(container.path, "image"),
            f'image "{image}" of container {container.name} {problem}, which changes without notice and '
            f"makes rollouts unrepeatable; pin a version tag or a digest (e.g. {name}:1.2.3)",
        )


def image_pull_policy_latest(obj: K8sObject, ctx: Context) -> Hits:
    for container in obj.containers():
        image, policy = container.data.get("image"), container.data.get("imagePullPolicy")
        if not isinstance(image, str) or not image or policy not in ("Always", "IfNotPresent", "Never"):
            continue
        _, tag, digest = split_image(image)
        path = child_path(container.path, "imagePullPolicy")
        if digest and policy == "Always":
            yield Hit(
                path,
                f'image "{image}" is pinned by digest, so imagePullPolicy: Always only adds a registry '
                "round-trip (and a dependency on the registry) to every pod start; use IfNotPresent",
            )
        elif not digest and tag in (None, "latest") and policy != "Always":
            yield Hit(
                path,
                f'image "{image}" floats (:latest) but imagePullPolicy is {policy}, so each node keeps '
                "whichever build it pulled first; pin a version tag, or use Always",
            )


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """``(name, tag, digest)`` of an image reference; a registry port is not a tag."""
    image, _, digest = image.partition("@")
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        return image[:colon], image[colon + 1 :], digest or None
    return image, None, digest or None
