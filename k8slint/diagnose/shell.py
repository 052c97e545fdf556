"""Captured values made safe to paste into a shell.

Fix and verify steps are commands a reader copies into a terminal, and the
values in them come from the paste (``-n prod$(curl …|sh)`` is text anyone can
put in a bug report).  Before a step is rendered each captured value is checked
against the syntax of what it stands for (a namespace is a DNS label, a port is
a number, an image is an image reference): a value that does not fit is
refused and the step shows the placeholder ``<namespace>`` instead.  Values of
a free syntax (paths, contexts, messages) are quoted for the shell when they
contain anything but plain word characters (``shlex.quote``), so they stay
one inert word.
"""

from __future__ import annotations

import re
import shlex

_LABEL = r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?"
_SUBDOMAIN = rf"{_LABEL}(?:\.{_LABEL})*"
_NAME = r"[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?"  # Docker/Compose names, Kubernetes names before validation
_PORT = r"[0-9]{1,5}"
_HOST = r"[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?|\[?[0-9A-Fa-f:.]+\]?"
_IMAGE = (
    r"[A-Za-z0-9][-A-Za-z0-9_.]*(?::[0-9]{1,5})?(?:/[a-z0-9][-a-z0-9_.]*)*"
    r"(?::[A-Za-z0-9_][-A-Za-z0-9_.]{0,127})?(?:@sha256:[0-9a-f]{64})?"
)
_QUANTITY = r"[0-9]+(?:\.[0-9]+)?(?:[EPTGMK]i|[EPTGMkmun])?"

SYNTAX: dict[str, re.Pattern] = {
    name: re.compile(rf"(?:{regex})\Z")
    for names, regex in (
        (
            (
                "namespace",
                "object_namespace",
                "service_namespace",
                "release_namespace",
                "sa_namespace",
                "missing_namespace",
            ),
            _LABEL,
        ),
        (("container", "init_container"), _LABEL),
        (("containers", "init_containers"), rf"{_LABEL}(?:[ ,]+{_LABEL})*"),
        (("pod", "node", "pvc", "deployment", "job", "statefulset", "daemonset", "replicaset"), _SUBDOMAIN),
        (("configmap", "secret", "serviceaccount", "ingress", "storage_class", "crd_hint"), _SUBDOMAIN),
        (("release",), _SUBDOMAIN),
        (("service", "dependency", "network", "volume", "project"), _NAME),
        (("port", "service_port", "node_port", "line", "exit_code", "restart_count"), _PORT),
        (("host", "registry", "requested"), rf"(?:{_HOST})(?::{_PORT})?"),
        (("image", "repository"), _IMAGE),
        (("kind", "suggested_kind"), r"[A-Za-z][A-Za-z0-9]*"),
        (("resource", "verb", "api_group", "group"), r"[A-Za-z0-9*][-A-Za-z0-9.*/]*"),
        (("memory_limit", "suggested_memory_limit", "cpu_limit", "memory_request", "cpu_request"), _QUANTITY),
        (("variable",), r"[A-Za-z_][A-Za-z0-9_]*"),
        (("key",), r"[-._A-Za-z0-9]+"),
        (("port_owner",), r"[-\w.:/]+ \(pid [0-9]+\)"),  # derived from ss/netstat output
    )
    for name in names
}


class Refused(str):
    """The placeholder shown instead of a value that does not fit its syntax (true in ``{% if %}``)."""

    def __new__(cls, name: str):
        return super().__new__(cls, f"<{name}>")


def safe_value(name: str, value):
    """The value as it may appear in a command: itself, shell-quoted, or a Refused placeholder."""
    if not isinstance(value, str):
        return value
    syntax = SYNTAX.get(name)
    if syntax is not None:
        return value if syntax.match(value) else Refused(name)
    return shlex.quote(value) if value else value


def safe_facts(facts: dict) -> dict:
    """Facts for command templates: every captured string checked or quoted."""
    return {name: safe_value(name, value) for name, value in facts.items()}
