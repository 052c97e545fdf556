"""What the API server's Service and Ingress validation refuses that the schema cannot say.

``ValidateService`` (pkg/apis/core/validation/validation.go) and
``ValidateIngressSpec`` (pkg/apis/networking/validation/validation.go); every
hit names the API server's field path and the function that refuses it.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from k8slint.access import integer, mapping, sequence
from k8slint.findings import Hit
from k8slint.kube.formats import dns1035_label_error, dns_label_error, dns_subdomain_error, port_number_error
from k8slint.kube.workloads import port_name_error
from k8slint.placeholders import has_placeholder, is_substitution

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

NODE_PORT_RANGE = (30000, 32767)  # the API server's default --service-node-port-range
MAX_AFFINITY_SECONDS = 86400
INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")


def _text(value) -> bool:
    """A literal, non-empty string (not a template placeholder or substitution variable)."""
    return isinstance(value, str) and bool(value) and not has_placeholder(value) and not is_substitution(value)


def service_spec_invalid(obj: K8sObject, ctx: Context) -> Hits:
    if obj.api_version != "v1":
        return  # Knative's serving.knative.dev Service and other custom kinds named Service
    spec = obj.data.get("spec", {})
    if not isinstance(spec, dict):
        return
    kind = spec.get("type", "ClusterIP")
    if not isinstance(kind, str) or has_placeholder(kind):
        return
    cluster_ip = spec.get("clusterIP")
    first_ip = sequence(spec, "clusterIPs")[0] if sequence(spec, "clusterIPs") else None
    headless = "None" in (cluster_ip, first_ip)
    ports = spec.get("ports")
    if ports in (None, []) and not headless and kind != "ExternalName" and not obj.role.partial:
        yield Hit(
            "spec" if "spec" in obj.data else "",
            "spec.ports: Required value (ValidateService): a Service that is not headless (clusterIP: None) or "
            "ExternalName needs at least one port; add ports",
            on_key=True,
        )
    if headless and kind in ("LoadBalancer", "NodePort"):
        yield Hit(
            "spec.clusterIP" if cluster_ip == "None" else "spec.clusterIPs[0]",
            f"spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for {kind} services "
            f"(ValidateService); remove clusterIP: None or use type: ClusterIP",
        )
    if kind == "ExternalName":
        yield from _external_name(obj, spec)
    yield from _service_ports(sequence(spec, "ports"), kind, obj.role.partial)
    yield from _type_dependent(spec, kind)
    yield from _affinity(spec)


def _external_name(obj: K8sObject, spec: dict) -> Hits:
    if _text(spec.get("clusterIP")) or sequence(spec, "clusterIPs"):
        field = "clusterIP" if _text(spec.get("clusterIP")) else "clusterIPs"
        yield Hit(
            f"spec.{field}",
            "spec.clusterIPs: Forbidden: may not be set for ExternalName services (ValidateService); remove "
            f"spec.{field}",
            on_key=True,
        )
    for field in ("ipFamilies", "ipFamilyPolicy"):
        if spec.get(field):
            yield Hit(
                f"spec.{field}",
                f"spec.{field}: Forbidden: may not be set for ExternalName services (ValidateService); remove it",
                on_key=True,
            )
    name = spec.get("externalName")
    if name is None or name == "":
        if not obj.role.partial:
            yield Hit(
                "spec",
                "spec.externalName: Required value (ValidateService): an ExternalName Service needs the DNS name "
                "it aliases; set externalName",
                on_key=True,
            )
    elif _text(name):
        reason = dns_subdomain_error(name.removesuffix("."))
        if reason:
            yield Hit(
                "spec.externalName",
                f'spec.externalName: Invalid value: "{name}": {reason} (ValidateService); use a DNS name '
                "(no scheme, port or path), e.g. db.example.com",
            )


def _service_ports(ports: list, kind: str, partial: bool) -> Hits:
    names, pairs, node_ports = set(), set(), set()
    for index, port in enumerate(ports):
        if not isinstance(port, dict):
            continue
        path = f"spec.ports[{index}]"
        name = port.get("name")
        protocol = port.get("protocol", "TCP")
        if (name is None or name == "") and len(ports) > 1 and not partial:
            yield Hit(
                path,
                f"{path}.name: Required value (validateServicePort): a Service with several ports must name each "
                "one; add a name such as http or metrics",
            )
        elif _text(name):
            reason = dns_label_error(name)
            if reason:
                yield Hit(f"{path}.name", f'{path}.name: Invalid value: "{name}": {reason} (validateServicePort)')
            elif name in names:
                yield Hit(
                    f"{path}.name",
                    f'{path}.name: Duplicate value: "{name}" (validateServicePort); give each port its own name',
                )
            names.add(name)
        number = port.get("port")
        if integer(number) is not None:
            if port_number_error(number):
                yield Hit(
                    f"{path}.port",
                    f"{path}.port: Invalid value: {number}: {port_number_error(number)} (validateServicePort)",
                )
            elif (protocol, number) in pairs:
                yield Hit(
                    path,
                    f'{path}: Duplicate value: "{number}/{protocol}" (ValidateService); each port and protocol '
                    "may appear once",
                )
            pairs.add((protocol, number))
        yield from _target_port(port.get("targetPort"), path)
        node_port = port.get("nodePort")
        if integer(node_port) is not None and node_port != 0:
            yield from _node_port(node_port, protocol, kind, path, node_ports)


def _target_port(target, path: str) -> Hits:
    where = f"{path}.targetPort"
    if integer(target) is not None and target != 0 and port_number_error(target):
        yield Hit(where, f"{where}: Invalid value: {target}: {port_number_error(target)} (ValidatePortNumOrName)")
    elif _text(target) and port_name_error(target):
        hint = f" (write {target} without quotes to mean the number)" if target.isdigit() else ""
        yield Hit(
            where,
            f'{where}: Invalid value: "{target}": {port_name_error(target)} (ValidatePortNumOrName: a string '
            f"targetPort is a port name){hint}",
        )


def _node_port(node_port: int, protocol, kind: str, path: str, seen: set) -> Hits:
    where = f"{path}.nodePort"
    if kind == "ClusterIP":
        yield Hit(
            where,
            f"{where}: Forbidden: may not be used when `type` is 'ClusterIP' (ValidateService); use type: NodePort "
            "or remove nodePort",
            on_key=True,
        )
    elif port_number_error(node_port):
        yield Hit(where, f"{where}: Invalid value: {node_port}: {port_number_error(node_port)} (ValidateService)")
    elif (protocol, node_port) in seen:
        yield Hit(where, f"{where}: Duplicate value: {node_port} (ValidateService); each nodePort may appear once")
    elif not NODE_PORT_RANGE[0] <= node_port <= NODE_PORT_RANGE[1]:
        yield Hit(
            where,
            f"{where}: {node_port} is outside the default node port range {NODE_PORT_RANGE[0]}-"
            f"{NODE_PORT_RANGE[1]}; the API server's allocator refuses it unless the cluster sets a wider "
            "--service-node-port-range",
            severity="warning",
        )
    seen.add((protocol, node_port))


def _type_dependent(spec: dict, kind: str) -> Hits:
    if kind != "LoadBalancer":
        for field in ("loadBalancerSourceRanges", "allocateLoadBalancerNodePorts"):
            if spec.get(field) not in (None, []):
                yield Hit(
                    f"spec.{field}",
                    f"spec.{field}: Forbidden: may only be used when `type` is 'LoadBalancer' (ValidateService); "
                    f"remove it or use type: LoadBalancer",
                    on_key=True,
                )
    external = kind in ("LoadBalancer", "NodePort") or (kind == "ClusterIP" and bool(sequence(spec, "externalIPs")))
    policy = spec.get("externalTrafficPolicy")
    if not external and _text(policy):
        yield Hit(
            "spec.externalTrafficPolicy",
            f'spec.externalTrafficPolicy: Invalid value: "{policy}": may only be set for externally-accessible '
            f"services (validateServiceExternalTrafficPolicy); a {kind} Service without externalIPs takes no "
            "external traffic: remove it",
        )
    health = spec.get("healthCheckNodePort")
    if integer(health) and not (kind == "LoadBalancer" and policy == "Local"):
        yield Hit(
            "spec.healthCheckNodePort",
            f"spec.healthCheckNodePort: Invalid value: {health}: may only be set when `type` is 'LoadBalancer' "
            "and `externalTrafficPolicy` is 'Local' (validateServiceExternalTrafficPolicy); remove it",
        )


def _affinity(spec: dict) -> Hits:
    affinity = spec.get("sessionAffinity", "None")
    config = spec.get("sessionAffinityConfig")
    if affinity == "None" and config is not None:
        yield Hit(
            "spec.sessionAffinityConfig",
            "spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None "
            "(ValidateService); set sessionAffinity: ClientIP or remove sessionAffinityConfig",
            on_key=True,
        )
    timeout = mapping(config, "clientIP").get("timeoutSeconds") if isinstance(config, dict) else None
    if affinity == "ClientIP" and integer(timeout) is not None and not 0 < timeout <= MAX_AFFINITY_SECONDS:
        where = "spec.sessionAffinityConfig.clientIP.timeoutSeconds"
        yield Hit(
            where,
            f"{where}: Invalid value: {timeout}: must be greater than 0 and less than {MAX_AFFINITY_SECONDS} "
            "(validateAffinityTimeout)",
        )


def ingress_spec_invalid(obj: K8sObject, ctx: Context) -> Hits:
    if obj.api_version != "networking.k8s.io/v1":
        return  # the removed beta versions defaulted pathType and named backends differently
    spec = obj.data.get("spec", {})
    if not isinstance(spec, dict):
        return
    rules = sequence(spec, "rules")
    if not rules and spec.get("defaultBackend") is None and not obj.role.partial:
        yield Hit(
            "spec" if "spec" in obj.data else "",
            "spec.rules: Invalid value: either `defaultBackend` or `rules` must be specified (ValidateIngressSpec); "
            "add a rule or a defaultBackend",
            on_key=True,
        )
    if isinstance(spec.get("defaultBackend"), dict):
        yield from _backend(spec["defaultBackend"], "spec.defaultBackend", obj.role.partial)
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        path = f"spec.rules[{index}]"
        if _text(rule.get("host")):
            yield from _host(rule["host"], f"{path}.host", "validateIngressRules")
        http = rule.get("http")
        if not isinstance(http, dict):
            continue
        paths = http.get("paths")
        if not paths and not obj.role.partial and isinstance(paths, (list, type(None))):
            yield Hit(
                f"{path}.http",
                f"{path}.http.paths: Required value (validateHTTPIngressRuleValue): an http rule needs at least "
                "one path; add one or remove http",
                on_key=True,
            )
        for number, item in enumerate(sequence(http, "paths")):
            if isinstance(item, dict):
                yield from _ingress_path(item, f"{path}.http.paths[{number}]", obj.role.partial)
    for index, tls in enumerate(sequence(spec, "tls")):
        for number, host in enumerate(sequence(tls, "hosts")):
            if _text(host):
                yield from _host(host, f"spec.tls[{index}].hosts[{number}]", "validateIngressTLS")
    class_name = spec.get("ingressClassName")
    if _text(class_name) and dns_subdomain_error(class_name):
        yield Hit(
            "spec.ingressClassName",
            f'spec.ingressClassName: Invalid value: "{class_name}": {dns_subdomain_error(class_name)} '
            "(ValidateIngressSpec)",
        )


def _host(host: str, where: str, function: str) -> Hits:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        yield Hit(where, f'{where}: Invalid value: "{host}": must be a DNS name, not an IP address ({function})')
        return
    if host.startswith("*."):
        reason = dns_subdomain_error(host[2:])
        reason = reason and "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain"
    else:
        reason = dns_subdomain_error(host)
    if reason:
        yield Hit(where, f'{where}: Invalid value: "{host}": {reason} ({function}); write the bare host name')


def _ingress_path(item: dict, path: str, partial: bool) -> Hits:
    kind, value = item.get("pathType"), item.get("path")
    if kind is not None and isinstance(value, str) and not has_placeholder(value) and not is_substitution(value):
        # a missing pathType is the schema rule's (a required field of networking.k8s.io/v1)
        yield from _path_shape(kind, value, f"{path}.path")
    backend = item.get("backend")
    if isinstance(backend, dict):
        yield from _backend(backend, f"{path}.backend", partial)


def _path_shape(kind, value: str, where: str) -> Hits:
    if kind in ("Exact", "Prefix"):
        if not value.startswith("/"):
            yield Hit(
                where,
                f'{where}: Invalid value: "{value}": must be an absolute path (validateHTTPIngressPath, pathType '
                f"{kind}); start it with /",
            )
        for sequence_ in INVALID_PATH_SEQUENCES:
            if sequence_ in value:
                yield Hit(
                    where,
                    f"{where}: Invalid value: \"{value}\": must not contain '{sequence_}' (validateHTTPIngressPath, "
                    f"pathType {kind}); a regular expression or rewrite path needs pathType: ImplementationSpecific",
                )
                break
        for suffix in INVALID_PATH_SUFFIXES:
            if value.endswith(suffix):
                yield Hit(
                    where, f"{where}: Invalid value: \"{value}\": cannot end with '{suffix}' (validateHTTPIngressPath)"
                )
                break
    elif kind == "ImplementationSpecific" and value and not value.startswith("/"):
        yield Hit(
            where,
            f'{where}: Invalid value: "{value}": must be an absolute path (validateHTTPIngressPath); start it with /',
        )


def _backend(backend: dict, path: str, partial: bool) -> Hits:
    service, resource = backend.get("service"), backend.get("resource")
    if service is not None and resource is not None:
        yield Hit(
            f"{path}.resource",
            f"{path}: Invalid value: cannot set both resource and service backends (validateIngressBackend); keep one",
            on_key=True,
        )
    if not isinstance(service, dict):
        return
    name = service.get("name")
    if _text(name) and dns1035_label_error(name):
        yield Hit(
            f"{path}.service.name",
            f'{path}.service.name: Invalid value: "{name}": {dns1035_label_error(name)} (validateIngressBackend)',
        )
    port = service.get("port")
    if not isinstance(port, dict):
        if port is None and not partial:
            yield Hit(
                f"{path}.service",
                f"{path}.service.port: Required value: port name or number is required (validateIngressBackend)",
                on_key=True,
            )
        return
    port_name, number = port.get("name"), port.get("number")
    where = f"{path}.service.port"
    if port_name not in (None, "") and number not in (None, 0):
        yield Hit(
            where,
            f"{where}: Invalid value: cannot set both port name & port number (validateIngressBackend); keep one",
            on_key=True,
        )
    elif port_name in (None, "") and number in (None, 0) and not partial:
        yield Hit(
            where,
            f"{where}: Required value: port name or number is required (validateIngressBackend)",
            on_key=True,
        )
    elif _text(port_name) and port_name_error(port_name):
        yield Hit(
            f"{where}.name",
            f'{where}.name: Invalid value: "{port_name}": {port_name_error(port_name)} (validateIngressBackend)'
            + (f"; use number: {port_name}" if port_name.isdigit() else ""),
        )
    elif integer(number) is not None and port_number_error(number):
        yield Hit(
            f"{where}.number",
            f"{where}.number: Invalid value: {number}: {port_number_error(number)} (validateIngressBackend)",
        )
