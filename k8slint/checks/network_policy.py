"""What the API server's NetworkPolicy validation refuses that the schema cannot say.

``ValidateNetworkPolicySpec``, ``ValidateNetworkPolicyPort``,
``ValidateNetworkPolicyPeer`` and ``ValidateIPBlock``
(pkg/apis/networking/validation/validation.go).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import integer, sequence
from k8slint.findings import Hit
from k8slint.kube.formats import parse_cidr, port_number_error
from k8slint.kube.labelsyntax import selector_problems
from k8slint.kube.workloads import port_name_error
from k8slint.placeholders import has_placeholder

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

PEER_SELECTORS = ("podSelector", "namespaceSelector")


def network_policy_invalid(obj: K8sObject, ctx: Context) -> Hits:
    spec = obj.data.get("spec")
    if obj.group != "networking.k8s.io" or not isinstance(spec, dict):
        return
    for path, message in selector_problems(spec.get("podSelector"), "spec.podSelector"):
        yield Hit(path, f"{message} (ValidateLabelSelector)")
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for index, rule in enumerate(sequence(spec, direction)):
            base = f"spec.{direction}[{index}]"
            for number, port in enumerate(sequence(rule, "ports")):
                if isinstance(port, dict):
                    yield from _port(port, f"{base}.ports[{number}]")
            for number, peer in enumerate(sequence(rule, peers)):
                if isinstance(peer, dict):
                    yield from _peer(peer, f"{base}.{peers}[{number}]")
    types = sequence(spec, "policyTypes")
    if len(types) > 2:
        yield Hit(
            "spec.policyTypes",
            f"spec.policyTypes: Invalid value: {types}: may not specify more than two policyTypes "
            "(ValidateNetworkPolicySpec); list Ingress and Egress at most once each",
        )


def _port(port: dict, base: str) -> Hits:
    number, end = port.get("port"), port.get("endPort")
    if integer(number) is not None:
        if port_number_error(number):
            yield Hit(f"{base}.port", f"{base}.port: Invalid value: {number}: {port_number_error(number)}")
        if integer(end) is not None:
            if end < number:
                yield Hit(
                    f"{base}.endPort",
                    f"{base}.endPort: Invalid value: {end}: must be greater than or equal to `port` ({number}) "
                    "(ValidateNetworkPolicyPort)",
                )
            elif port_number_error(end):
                yield Hit(f"{base}.endPort", f"{base}.endPort: Invalid value: {end}: {port_number_error(end)}")
    elif isinstance(number, str) and not has_placeholder(number):
        if end is not None:
            yield Hit(
                f"{base}.endPort",
                f"{base}.endPort: Invalid value: {end}: may not be specified when `port` is non-numeric "
                f'(ValidateNetworkPolicyPort; "{number}" is a port name)',
                on_key=True,
            )
        if port_name_error(number):
            hint = f" (write {number} without quotes to mean the number)" if number.isdigit() else ""
            yield Hit(
                f"{base}.port",
                f'{base}.port: Invalid value: "{number}": {port_name_error(number)} (ValidateNetworkPolicyPort: a '
                f"string port is a port name){hint}",
            )
    elif number is None and end is not None:
        yield Hit(
            f"{base}.endPort",
            f"{base}.endPort: Invalid value: {end}: may not be specified when `port` is not specified "
            "(ValidateNetworkPolicyPort)",
            on_key=True,
        )


def _peer(peer: dict, base: str) -> Hits:
    present = [field for field in (*PEER_SELECTORS, "ipBlock") if peer.get(field) is not None]
    if not present:
        yield Hit(base, f"{base}: Required value: must specify a peer (ValidateNetworkPolicyPeer)")
    elif "ipBlock" in present and len(present) > 1:
        yield Hit(
            f"{base}.ipBlock",
            f"{base}: Forbidden: may not specify both ipBlock and another peer (ValidateNetworkPolicyPeer); put the "
            "ipBlock in a peer of its own",
            on_key=True,
        )
    for field in PEER_SELECTORS:
        for path, message in selector_problems(peer.get(field), f"{base}.{field}"):
            yield Hit(path, f"{message} (ValidateLabelSelector)")
    block = peer.get("ipBlock")
    if isinstance(block, dict):
        yield from _ip_block(block, f"{base}.ipBlock")


def _ip_block(block: dict, base: str) -> Hits:
    cidr = block.get("cidr")
    if cidr == "":
        yield Hit(f"{base}.cidr", f"{base}.cidr: Required value (ValidateIPBlock)")
        return
    if not isinstance(cidr, str) or has_placeholder(cidr):
        return
    network = parse_cidr(cidr)
    if network is None:
        yield Hit(
            f"{base}.cidr",
            f'{base}.cidr: Invalid value: "{cidr}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64) '
            "(ValidateIPBlock)",
        )
        return
    for index, text in enumerate(sequence(block, "except")):
        if not isinstance(text, str) or has_placeholder(text):
            continue
        where = f"{base}.except[{index}]"
        excluded = parse_cidr(text)
        if excluded is None:
            yield Hit(where, f'{where}: Invalid value: "{text}": must be a valid CIDR value (ValidateIPBlock)')
        elif (
            excluded.version != network.version
            or excluded.network_address not in network
            or network.prefixlen >= excluded.prefixlen
        ):
            yield Hit(
                where,
                f'{where}: Invalid value: "{text}": must be a strict subset of `cidr` ({cidr}) (ValidateIPBlock)',
            )
